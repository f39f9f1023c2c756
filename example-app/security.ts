import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import session from 'express-session';
import { csrfSync } from 'csrf-sync';

/**
 * helmet's defaults, including its Content-Security-Policy (no inline scripts anywhere:
 * neither the kit's pages nor ours have any). upgrade-insecure-requests is kept for
 * production only, so the portal still works on plain http://localhost while developing.
 */
export function securityHeaders(production: boolean): RequestHandler {
  return helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: production ? [] : null } } });
}

/** httpOnly, SameSite=Lax, and Secure whenever the request came over TLS (directly or via a trusted proxy). */
export function sessions(options: { secret: string; store?: session.Store | undefined }): RequestHandler {
  return session({
    name: 'acme.sid',
    secret: options.secret,
    ...(options.store ? { store: options.store } : {}),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 8 * 60 * 60 * 1000 },
  });
}

/**
 * CSRF protection for the portal's own forms. csrf-sync keeps its token in
 * `req.session.csrfToken`, exactly where the kit's csrf-sync keeps it, so one token
 * serves the kit's forms and ours (the log-out button in the shared layout, for one).
 */
export function portalCsrf() {
  const sync = csrfSync({
    getTokenFromRequest: (req: Request) => {
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string' && header) return header;
      const value = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof value === 'string' ? value : undefined;
    },
    errorConfig: { message: 'This form has expired or did not come from this site. Go back, reload the page and try again.' },
  });
  return { protect: sync.csrfSynchronisedProtection, token: (req: Request) => sync.generateToken(req) };
}
