import type { Request, Response } from 'express';
import type { Kit } from '../services/context.js';

/*
 * The cookie of a browser remembered for the second step (lib/services/two-factor/devices.ts): a
 * random value whose SHA-256 the database keeps. `HttpOnly` (no script reads it), `SameSite=Lax`,
 * `Secure` under an https `baseUrl`, path `/` so the host's own login route receives it too.
 */
export const REMEMBERED_BROWSER_COOKIE = 'au_remembered_browser';

/** The cookie's value as the browser sent it (node's stdlib: the kit needs no cookie parser). */
export function rememberedBrowserToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REMEMBERED_BROWSER_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const secure = (kit: Kit) => new URL(kit.options.baseUrl).protocol === 'https:';

export function setRememberedBrowser(kit: Kit, res: Response, token: string, expiresAt: Date): void {
  res.cookie(REMEMBERED_BROWSER_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: secure(kit), path: '/', expires: expiresAt });
}

export function clearRememberedBrowser(kit: Kit, res: Response): void {
  res.clearCookie(REMEMBERED_BROWSER_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secure(kit), path: '/' });
}
