import type { Request } from 'express';
import type {} from 'express-session';

declare module 'express-session' {
  interface SessionData {
    /** A one-time notice for the portal's own pages ("Invoice INV-1002 paid."). */
    acmeFlash?: string;
  }
}

export function setFlash(req: Request, text: string): void {
  req.session.acmeFlash = text;
}

export function takeFlash(req: Request): string | undefined {
  const text = req.session?.acmeFlash;
  if (text !== undefined) delete req.session.acmeFlash;
  return text;
}
