import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CSS = readFileSync(join(process.cwd(), 'views', 'assets', 'au.css'), 'utf8');
const RULES = CSS.replace(/\/\*[\s\S]*?\*\//g, '');

/** The selectors of every style rule (the insides of @media blocks included). */
function selectors(css: string): string[] {
  return [...css.matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap((m) =>
    m[1]!
      .trim()
      .split(',')
      .map((s) => s.trim()),
  );
}

/** The --au-* colours declared in one block of the stylesheet. */
function colours(block: RegExp): Record<string, string> {
  const body = block.exec(RULES)?.[1] ?? '';
  return Object.fromEntries([...body.matchAll(/--au-([\w-]+):\s*(#[0-9a-f]{3}(?:[0-9a-f]{3})?)\b/gi)].map((m) => [m[1]!, m[2]!]));
}

/** WCAG 2 contrast ratio of two #rgb or #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const full = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join('') : hex.slice(1);
    const [r, g, bl] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

// Text (or, for `field`, a control's border) on the background it is drawn on.
const PAIRS = [
  ['text', 'surface'],
  ['text', 'bg'],
  ['muted', 'surface'],
  ['muted', 'bg'],
  ['heading', 'surface'],
  ['link', 'surface'],
  ['on-link', 'link'],
  ['danger', 'surface'],
  ['on-danger', 'danger'],
  ['warn', 'surface'],
  ['ok', 'surface'],
  ['text', 'chip'],
  ['text', 'success-bg'],
  ['text', 'info-bg'],
  ['text', 'error-bg'],
  ['danger', 'error-bg'],
  ['field', 'surface'],
] as const;

/** The built-in stylesheet (views/assets/au.css): what the browser tests cannot see at a glance. */
describe('the built-in stylesheet', () => {
  // 10 KB until the pages gained search and filters, confirmation pages, suspension and rosters;
  // about 3.4 KB gzipped at 11.1 KB. The budget still catches a framework pasted in.
  it('stays small: under 14 KB', () => {
    expect(Buffer.byteLength(CSS)).to.be.below(14 * 1024);
  });

  it('is self-contained: no @import, no url(), no web fonts', () => {
    expect(RULES).to.not.match(/@import|url\(|@font-face/);
  });

  it("styles only .au, .au-* and its own custom properties on :root, never the host's elements", () => {
    const outside = selectors(RULES).filter((s) => !/^(:root|\.au[\w-]*)(\b|$)/.test(s));
    expect(outside).to.deep.equal([]);
  });

  it('uses logical properties only, so pages work right to left', () => {
    const physical = RULES.match(
      /\b(margin|padding|border)-(left|right|top|bottom)\b|\btext-align:\s*(left|right)|\bfloat:\s*(left|right)|[;{\s](left|right|top|bottom|width|height|max-width|min-width|max-height|min-height):/g,
    );
    expect(physical).to.equal(null);
  });

  it("gives every colour pair of the dark scheme the light scheme's contrast, or at least 7:1 where the light one is higher", () => {
    const light = colours(/:root\s*\{([^}]*)\}/);
    const dark = colours(/prefers-color-scheme: dark\)\s*\{[^{]*\{([^}]*)\}/);
    const names = [...new Set(PAIRS.flat())];
    expect(Object.keys(light)).to.include.members(names);
    expect(Object.keys(dark)).to.include.members(names);
    const worse = PAIRS.filter(([fg, bg]) => {
      const [l, d] = [contrast(light[fg]!, light[bg]!), contrast(dark[fg]!, dark[bg]!)];
      return !(d >= Math.min(l, 7)) || !(l >= (fg === 'field' ? 3 : 4.5));
    });
    expect(worse).to.deep.equal([]);
  });

  it('has a dark scheme and keeps motion for those who have not asked for less', () => {
    expect(RULES).to.contain('@media (prefers-color-scheme: dark)').and.contain('@media (prefers-reduced-motion: no-preference)');
    // Transitions are declared only inside the no-preference block.
    const outsideMotionBlock = RULES.replace(/@media \(prefers-reduced-motion: no-preference\) \{[^}]*\}\s*\}/, '');
    expect(outsideMotionBlock).to.not.match(/transition|animation/);
  });
});
