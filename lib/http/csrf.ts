import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { CsrfError } from '../errors.js';

/**
 * Synchroniser-token CSRF protection (csrf-sync): the token lives in the session and
 * comes back in a hidden `_csrf` field or an `x-csrf-token` header.
 */
export interface Csrf {
  protect: RequestHandler;
  /** The session's token, created on first use. */
  token: (req: Request) => string;
}

const sync = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string' && header) return header;
    const field = (req.body as Record<string, unknown> | undefined)?._csrf;
    return typeof field === 'string' ? field : undefined;
  },
});

/**
 * The session's token, created now if it has none: called at sign-in (lib/http/login-time.ts), so
 * the session passport saves already holds it. express-session writes a regenerated session once
 * more as the response ends, and with an empty body (a redirect to a JSON client) the client has
 * the whole answer before that write lands; a token minted by the next request, on another process,
 * was then overwritten by it, and the first form sent after signing in failed as expired.
 */
export function sessionCsrfToken(req: Request, renew = false): string {
  return sync.generateToken(req, renew);
}

export function createCsrf(): Csrf {
  const protect: RequestHandler = function verifyCsrfToken(req, _res, next) {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    next(sync.isRequestValid(req) ? undefined : new CsrfError());
  };
  return {
    protect,
    /** The session's token, created on first use. */
    token: (req: Request): string => sync.generateToken(req),
  };
}
