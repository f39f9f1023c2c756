import { codeBlocks } from '../../support/docs-code-blocks.js';
import { ROOT } from './package.js';

const blocks = () => codeBlocks('README.md', ROOT);

/** The README's code block whose first line is `// <name>` (the file a host saves it as). */
export function readmeFile(name: string): string {
  const block = blocks().find((b) => b.code.startsWith(`// ${name}\n`));
  if (!block) throw new Error(`README.md has no code block starting with "// ${name}"`);
  return block.code;
}

/** The `npm install` lines of the README's "Install" section, as a host would type them. */
export function readmeInstallLines(): string[] {
  const block = blocks().find((b) => b.lang === 'sh' && b.code.includes('npm install express-account-users'));
  if (!block) throw new Error('README.md has no install block');
  return block.code.split('\n').filter((line) => line.startsWith('npm install'));
}

/** The README's shell line that runs the knexfile's migrations. */
export function readmeMigrateLine(): string {
  const block = blocks().find((b) => b.lang === 'sh' && b.code.includes('knex migrate:latest'));
  if (!block) throw new Error('README.md has no knex migrate line');
  return block.code.trim();
}
