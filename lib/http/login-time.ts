import type { Request } from 'express';
import { kitSession } from './request.js';

/** Records when this session was established; au.serializeUser calls it at sign-in (after passport regenerated the session). */
export function stampLogin(req: Request, at: Date): void {
  if (req.session) kitSession(req).loginAt = at.getTime();
}

/**
 * True when the session was established before the user's sessions became invalid (a password
 * change or reset elsewhere): it is then treated as signed out. A session without a login time
 * (established before this was recorded, or by a serializeUser other than the kit's) is stamped
 * now while the user has no such moment, and is signed out once they have one.
 */
export function sessionIsOutdated(req: Request, sessionsValidAfter: Date | null | undefined, now: Date): boolean {
  if (!req.session) return false;
  const loginAt = req.session.accountUsers?.loginAt;
  if (typeof loginAt === 'number') return Boolean(sessionsValidAfter) && loginAt < sessionsValidAfter!.getTime();
  if (!sessionsValidAfter) {
    stampLogin(req, now);
    return false;
  }
  return true;
}
