import { readFileSync } from 'node:fs';

export interface CodeBlock {
  /** The Markdown file, relative to the repository. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
}

/** Every fenced code block of a Markdown file, with its language and where it starts. */
export function codeBlocks(file: string, root: string): CodeBlock[] {
  const lines = readFileSync(`${root}/${file}`, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let open: { lang: string; line: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    const fence = /^```(\S*)\s*$/.exec(text);
    if (!open && fence) open = { lang: fence[1] ?? '', line: i + 1, body: [] };
    else if (open && /^```\s*$/.test(text)) {
      blocks.push({ file, line: open.line, lang: open.lang, code: open.body.join('\n') + '\n' });
      open = undefined;
    } else open?.body.push(text);
  });
  return blocks;
}
