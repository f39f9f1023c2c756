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

export function createCsrf(): Csrf {
  const sync = csrfSync({
    getTokenFromRequest: (req: Request) => {
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string' && header) return header;
      const field = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof field === 'string' ? field : undefined;
    },
  });
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
