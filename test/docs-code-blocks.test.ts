import { expect } from 'chai';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { codeBlocks, type CodeBlock } from './support/docs-code-blocks.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'test', '.docs-build');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

// Names a fragment may use without declaring them: the host objects every guide talks about.
// A block that declares one of them itself shadows it (each block is compiled as a module).
const PRELUDE = `
import type { Express } from 'express';
import type { Knex } from 'knex';
import type { AccountUsers, AccountUsersOptions } from 'express-account-users';
declare global {
  const app: Express;
  const db: Knex;
  const au: AccountUsers;
  /** The rest of a host's options (knex, baseUrl, mail, …), in blocks about one option. */
  const options: AccountUsersOptions;
}
export {};
`;

describe('TypeScript blocks of README.md and docs/', function () {
  this.timeout(120_000);
  let blocks: CodeBlock[];
  let diagnostics: Map<string, string[]>;

  before(() => {
    blocks = DOCS.flatMap((file) => codeBlocks(file, ROOT)).filter((b) => b.lang === 'ts' || b.lang === 'typescript');
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'prelude.d.ts'), PRELUDE);
    const files = blocks.map((b) => {
      const name = join(OUT, `${b.file.replace(/[/.]/g, '_')}_${b.line}.ts`);
      // `export {}` makes every block a module, so its own declarations stay its own.
      writeFileSync(name, `${b.code}\nexport {};\n`);
      return name;
    });
    const program = ts.createProgram([join(OUT, 'prelude.d.ts'), ...files], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
      baseUrl: ROOT,
      paths: { 'express-account-users': ['lib/index.ts'], 'express-account-users/migrations': ['lib/migrations.ts'] },
    });
    diagnostics = new Map(files.map((f) => [f, [] as string[]]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const file = d.file?.fileName;
      if (!file || !diagnostics.has(file)) {
        diagnostics.set('(program)', [...(diagnostics.get('(program)') ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
        continue;
      }
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      diagnostics.get(file)!.push(`line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  });

  after(() => rmSync(OUT, { recursive: true, force: true }));

  it('finds the blocks to compile (the README has its complete host)', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).to.be.greaterThan(2);
    expect(blocks.some((b) => b.code.startsWith('// server.ts'))).to.equal(true);
  });

  it('compiles every block under strict', () => {
    const failures = blocks.flatMap((b) => {
      const name = join(OUT, `${b.file.replace(/[/.]/g, '_')}_${b.line}.ts`);
      return (diagnostics.get(name) ?? []).map((d) => `${b.file}:${b.line} (block) ${d}`);
    });
    expect([...failures, ...(diagnostics.get('(program)') ?? [])]).to.deep.equal([]);
  });
});
