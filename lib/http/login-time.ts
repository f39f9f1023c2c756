import type { Request } from 'express';
import { kitSession } from './request.js';

/**
 * A session is signed out once its login's password changes after the session signed in.
 *
 * "After" is decided by the password, not by the clock: at sign-in the strategy reads the login's
 * `sessionsValidAfter` (the moment of its last password change or reset) *before* it reads the
 * stored hash, and the session keeps that value. A sign-in that checked the old hash while a reset
 * committed therefore keeps the old value, which is older than the reset's, and is signed out on
 * its next request, however long the hashing took and whenever the reset took its timestamp.
 * Stamping the session with a time instead (when hashing ended, or even when the hash was read)
 * leaves a window on every database: the reset's timestamp is taken before its transaction
 * commits, and a sign-in reading in between sees the old hash with a later time. Comparing values
 * of one column needs no lock and no agreement between the clocks of two app instances (beyond
 * each password change getting a later moment than the one before it).
 */

/** Sign-ins in flight: the strategy's reading, waiting for serializeUser on the same request (never on the user object the host sees). */
const signIns = new WeakMap<Request, { userId: number; passwordChangedAt: number }>();

/** Called by the strategy with what it read before the password hash. */
export function noteSignIn(req: Request, userId: number, passwordChangedAt: number): void {
  signIns.set(req, { userId, passwordChangedAt });
}

/** What the strategy read for this request's sign-in of `userId`, if it signed them in. */
export function takeSignIn(req: Request, userId: number): number | undefined {
  const noted = signIns.get(req);
  signIns.delete(req);
  return noted && noted.userId === userId ? noted.passwordChangedAt : undefined;
}

/** Records the password state this session was signed in with: at sign-in, and on a password change for the browser that made it. */
export function stampLogin(req: Request, passwordChangedAt: number): void {
  if (!req.session) return;
  const state = kitSession(req);
  state.passwordChangedAt = passwordChangedAt;
  delete state.loginAt;
}

/**
 * True when the session was signed in before the user's sessions became invalid (a password
 * change or reset since): it is then treated as signed out. `<`, not `<=`: a session keeps the
 * very value a change wrote (the browser that changed the password is stamped with it) and only a
 * later change signs it out. A session from before this was recorded keeps its login time
 * (`loginAt`) and is compared by it; one with neither (a serializeUser other than the kit's) is
 * stamped now while the user has no such moment, and is signed out once they have one.
 */
export function sessionIsOutdated(req: Request, sessionsValidAfter: Date | null | undefined): boolean {
  if (!req.session) return false;
  const state = req.session.accountUsers;
  const invalidBefore = sessionsValidAfter ? sessionsValidAfter.getTime() : 0;
  if (typeof state?.passwordChangedAt === 'number') return state.passwordChangedAt < invalidBefore;
  if (typeof state?.loginAt === 'number') return state.loginAt < invalidBefore;
  if (!sessionsValidAfter) {
    stampLogin(req, 0);
    return false;
  }
  return true;
}
