import type { Request } from 'express';
import type { Kit } from '../services/context.js';
import { passwordChangedAt } from '../services/self-service/sign-in.js';
import { kitSession, saveSession } from './request.js';
import { sessionCsrfToken } from './csrf.js';

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
const signIns = new WeakMap<Request, { userId: number; passwordChangedAt: number; factorEnabledAt: Date | null | undefined }>();

/**
 * Called by the strategy with what it read before (or with) the password hash; `factorEnabledAt`
 * when its read brought the login's second factor too (undefined: not read).
 */
export function noteSignIn(req: Request, userId: number, passwordChangedAt: number, factorEnabledAt?: Date | null): void {
  signIns.set(req, { userId, passwordChangedAt, factorEnabledAt });
}

/** The second factor the strategy read for this request's sign-in of `userId`; undefined when it did not read it. */
export function takeSignInFactor(req: Request, userId: number): Date | null | undefined {
  const noted = signIns.get(req);
  return noted && noted.userId === userId ? noted.factorEnabledAt : undefined;
}

/** What the strategy read for this request's sign-in of `userId`, if it signed them in. */
export function takeSignIn(req: Request, userId: number): number | undefined {
  const noted = signIns.get(req);
  return noted && noted.userId === userId ? noted.passwordChangedAt : undefined;
}

/** What au.serializeUser stamped during this request's sign-in (passport's `keepSessionInfo` may have replaced it since). */
const serialized = new WeakMap<Request, number>();
/** Requests whose req.login already stamps. */
const watched = new WeakSet<Request>();

/** au.serializeUser's stamp: the session records it, and the sign-in on this request needs no second save. */
export function stampSignIn(req: Request, passwordChangedAt: number): void {
  stampLogin(req, passwordChangedAt);
  serialized.set(req, passwordChangedAt);
  // In the session passport saves next: the next request, maybe on another process, then has no
  // reason to write it (lib/http/csrf.ts says what such a write lost).
  if (req.session) sessionCsrfToken(req);
}

type LogInCallback = (err?: unknown) => void;
type LogIn = (user: unknown, options: unknown, done?: LogInCallback) => void;

/**
 * Makes passport's `req.login` on this request record in the session the password it signed in
 * with, whatever `serializeUser` the host gave passport: a host that keeps its own (an existing
 * portal does) would otherwise make sessions without the record, and every sign-in after a password
 * change would be signed out on its next request. Called by the kit's strategy, au.loginLimit and
 * the kit's own sign-in (registration through an invitation), before passport logs in. The value:
 * what au.serializeUser stamped, else what the kit's strategy read before checking the hash, else
 * the state now (a host strategy's sign-in). Passport has saved the session by the time its login
 * calls back; the record costs a second save only when serializeUser was not the kit's.
 */
export function watchLogIn(kit: Kit, req: Request): void {
  const original = (req as { logIn?: unknown }).logIn;
  if (watched.has(req) || typeof original !== 'function') return;
  watched.add(req);
  const logIn = function logIn(this: Request, user: unknown, options: unknown, done?: LogInCallback) {
    const callback = (typeof options === 'function' ? options : done) as LogInCallback | undefined;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as { session?: unknown };
    serialized.delete(req);
    // The token before the sign-in: passport's `keepSessionInfo` copies it into the new session,
    // and a token someone planted or read before the sign-in must not outlive it.
    const tokenBefore = req.session?.csrfToken;
    (original as LogIn).call(this, user, opts, (err?: unknown) => {
      if (err || opts.session === false || !callback) return callback?.(err);
      stampAfterLogIn(kit, req, user, tokenBefore).then(() => callback(), callback);
    });
  };
  (req as { login?: unknown }).login = logIn;
  (req as { logIn?: unknown }).logIn = logIn;
}

async function stampAfterLogIn(kit: Kit, req: Request, user: unknown, tokenBefore: string | null | undefined): Promise<void> {
  const id = Number((user as { id?: unknown } | null | undefined)?.id);
  if (!req.session || !Number.isSafeInteger(id) || id <= 0) return;
  const want = serialized.get(req) ?? takeSignIn(req, id) ?? (await passwordChangedAt(kit, id));
  const state = req.session.accountUsers;
  const token = req.session.csrfToken;
  const fresh = typeof token === 'string' && token !== tokenBefore;
  if (state?.passwordChangedAt === want && state.loginAt === undefined && fresh) return;
  stampLogin(req, want);
  // A new session gets a new token, the one of the session before it never carried over.
  sessionCsrfToken(req, !fresh);
  await saveSession(req);
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
 * (`loginAt`) and is compared by it; one with neither (signed in past every watchLogIn, with a
 * serializeUser other than the kit's) is stamped now while the user has no such moment, and is
 * signed out once they have one: `unstamped` is then called, for the kit to say why.
 */
export function sessionIsOutdated(req: Request, sessionsValidAfter: Date | null | undefined, unstamped?: () => void): boolean {
  if (!req.session) return false;
  const state = req.session.accountUsers;
  const invalidBefore = sessionsValidAfter ? sessionsValidAfter.getTime() : 0;
  if (typeof state?.passwordChangedAt === 'number') return state.passwordChangedAt < invalidBefore;
  if (typeof state?.loginAt === 'number') return state.loginAt < invalidBefore;
  if (!sessionsValidAfter) {
    stampLogin(req, 0);
    return false;
  }
  unstamped?.();
  return true;
}

/**
 * Signs `user` in through passport's `req.login` (which regenerates the session id), recorded in the
 * session whatever `serializeUser` the host gave passport: the kit's own sign-ins (registration
 * through an invitation, a passkey).
 */
export function signInThroughPassport(kit: Kit, req: Request, user: { id: number }): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (typeof req.login !== 'function')
      return reject(new Error('express-account-users: passport must be initialised before the kit (app.use(passport.session()))'));
    watchLogIn(kit, req);
    req.login(user, (err) => (err ? reject(err) : resolvePromise()));
  });
}
