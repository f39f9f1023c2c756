import type { Request } from 'express';

/*
 * A session signed in with the password of a login that has a second factor owes it until
 * /two-factor/verify accepts a code. Two sources say so, either enough:
 * - the session itself: au.serializeUser marks it `secondFactorOwed` at sign-in;
 * - the login's factor as the request's one statement read it (the kit's deserializeUser, or the
 *   guard's membership query): a factor turned on after this session last gave one (or never did)
 *   is owed, so a session from before the enrolment, on another browser, must give a code too.
 * Imports nothing of the kit's http layer: request.ts asks it whether a user counts as signed in.
 */

/** The login's factor, as read by this request's query. */
const factorStates = new WeakMap<Request, { userId: number; enabledAt: Date | null }>();

/** The signed-in user's id as passport left it, whether or not the second factor is still owed. */
export function passportUserId(req: Request): number | undefined {
  const user: { id?: unknown } | undefined = req.user;
  if (!user || user.id === undefined || user.id === null) return undefined;
  const id = Number(user.id);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** Records the login's factor as this request read it (deserializeUser, the guard). */
export function noteFactorState(req: Request, userId: number, enabledAt: Date | null): void {
  factorStates.set(req, { userId, enabledAt });
}

/** True when the session is signed in with the password only and must still give its second factor. */
export function secondFactorOwed(req: Request): boolean {
  const userId = passportUserId(req);
  if (userId === undefined) return false;
  const state = req.session?.accountUsers;
  const known = factorStates.get(req);
  if (known && known.userId === userId) {
    // The factor was reset or removed since sign-in: nothing is owed any more.
    if (!known.enabledAt) {
      if (state?.secondFactorOwed) delete state.secondFactorOwed;
      return false;
    }
    if (state?.secondFactorOwed) return true;
    const given = Math.max(state?.secondFactorAt ?? -1, state?.secondFactorRememberedAt ?? -1);
    return given < 0 || given < known.enabledAt.getTime();
  }
  return state?.secondFactorOwed === true;
}

/** At sign-in: the login has a factor, so this session owes it. */
export function markSecondFactorOwed(req: Request): void {
  if (!req.session) return;
  req.session.accountUsers ??= {};
  req.session.accountUsers.secondFactorOwed = true;
  delete req.session.accountUsers.secondFactorAt;
  delete req.session.accountUsers.secondFactorRememberedAt;
}

/**
 * At sign-in, on a browser remembered for this login (`twoFactor.rememberDeviceDays`): nothing is
 * owed, but no code was given either, so step-up still asks for one.
 */
export function markSecondFactorRemembered(req: Request, at: Date): void {
  if (!req.session) return;
  req.session.accountUsers ??= {};
  delete req.session.accountUsers.secondFactorOwed;
  delete req.session.accountUsers.secondFactorAt;
  req.session.accountUsers.secondFactorRememberedAt = at.getTime();
}

/** The session gave its second factor at `at` (the sign-in's second step, a step-up, an enrolment). */
export function markSecondFactorGiven(req: Request, at: Date): void {
  if (!req.session) return;
  req.session.accountUsers ??= {};
  delete req.session.accountUsers.secondFactorOwed;
  req.session.accountUsers.secondFactorAt = at.getTime();
}

/** The factor is gone (removed by its owner): nothing is owed, no step-up moment is kept. */
export function forgetSecondFactor(req: Request): void {
  const state = req.session?.accountUsers;
  if (!state) return;
  delete state.secondFactorOwed;
  delete state.secondFactorAt;
  delete state.secondFactorRememberedAt;
}

/** When this session last gave its second factor (epoch ms), for step-up. */
export function secondFactorGivenAt(req: Request): number | undefined {
  return req.session?.accountUsers?.secondFactorAt;
}
