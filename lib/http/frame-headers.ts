import type { RequestHandler, Response } from 'express';

const SAVED = Symbol('express-account-users.frameHeaders');

type Saved = { csp: string | number | string[] | undefined; xfo: string | number | string[] | undefined };

/** `frame-ancestors` merged into a policy the host already set (helmet, …): its other directives stay as they are. */
export function withFrameAncestors(policy: string, frameAncestors: string): string {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !/^frame-ancestors(\s|$)/i.test(d));
  directives.push(frameAncestors);
  return directives.join('; ');
}

/**
 * Kit pages carry buttons an owner must not be tricked into clicking (Confirm on the remove
 * page), so no other site may frame them: `X-Frame-Options` for old browsers and CSP
 * `frame-ancestors` for the rest. A host's own CSP is kept and only its frame-ancestors
 * directive set; both headers are put back when a request falls through the kit's router to the host.
 */
export function createFrameHeaders(frameAncestors: readonly string[]): { set: RequestHandler; restore: RequestHandler } {
  const directive = `frame-ancestors ${frameAncestors.join(' ')}`;
  // X-Frame-Options knows no lists: DENY, SAMEORIGIN, or nothing (modern browsers obey frame-ancestors).
  const xfo =
    frameAncestors.length === 1 && frameAncestors[0] === "'none'"
      ? 'DENY'
      : frameAncestors.length === 1 && frameAncestors[0] === "'self'"
        ? 'SAMEORIGIN'
        : undefined;

  const set: RequestHandler = function setFrameHeaders(_req, res, next) {
    const saved: Saved = { csp: res.getHeader('Content-Security-Policy'), xfo: res.getHeader('X-Frame-Options') };
    (res as Response & { [SAVED]?: Saved })[SAVED] = saved;
    const host = saved.csp === undefined ? [] : ([] as Array<string | number>).concat(saved.csp).map(String);
    // Several policies are all enforced; each gets the kit's frame-ancestors so none is looser than it.
    res.setHeader('Content-Security-Policy', host.length ? host.map((p) => withFrameAncestors(p, directive)) : directive);
    if (xfo) res.setHeader('X-Frame-Options', xfo);
    else res.removeHeader('X-Frame-Options');
    next();
  };

  const restore: RequestHandler = function restoreFrameHeaders(_req, res, next) {
    const saved = (res as Response & { [SAVED]?: Saved })[SAVED];
    if (saved && !res.headersSent) {
      for (const [name, value] of [
        ['Content-Security-Policy', saved.csp],
        ['X-Frame-Options', saved.xfo],
      ] as const) {
        if (value === undefined) res.removeHeader(name);
        else res.setHeader(name, value);
      }
    }
    next();
  };
  return { set, restore };
}
