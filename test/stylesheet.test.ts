import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CSS = readFileSync(join(process.cwd(), 'views', 'assets', 'au.css'), 'utf8');
const RULES = CSS.replace(/\/\*[\s\S]*?\*\//g, '');

/** The selectors of every style rule (the insides of @media blocks included). */
function selectors(css: string): string[] {
  return [...css.matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap((m) => m[1]!.trim().split(',').map((s) => s.trim()));
}

/** The built-in stylesheet (views/assets/au.css): what the browser tests cannot see at a glance. */
describe('the built-in stylesheet', () => {
  it('stays small: under 10 KB', () => {
    expect(Buffer.byteLength(CSS)).to.be.below(10 * 1024);
  });

  it('is self-contained: no @import, no url(), no web fonts', () => {
    expect(RULES).to.not.match(/@import|url\(|@font-face/);
  });

  it('styles only .au, .au-* and its own custom properties on :root, never the host\'s elements', () => {
    const outside = selectors(RULES).filter((s) => !/^(:root|\.au[\w-]*)(\b|$)/.test(s));
    expect(outside).to.deep.equal([]);
  });

  it('uses logical properties only, so pages work right to left', () => {
    const physical = RULES.match(/\b(margin|padding|border)-(left|right|top|bottom)\b|\btext-align:\s*(left|right)|\bfloat:\s*(left|right)|[;{\s](left|right|top|bottom|width|height|max-width|min-width|max-height|min-height):/g);
    expect(physical).to.equal(null);
  });

  it('has a dark scheme and keeps motion for those who have not asked for less', () => {
    expect(RULES).to.contain('@media (prefers-color-scheme: dark)').and.contain('@media (prefers-reduced-motion: no-preference)');
    // Transitions are declared only inside the no-preference block.
    const outsideMotionBlock = RULES.replace(/@media \(prefers-reduced-motion: no-preference\) \{[^}]*\}\s*\}/, '');
    expect(outsideMotionBlock).to.not.match(/transition|animation/);
  });
});
