import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Flash, KitSessionData } from '../types.js';
import { SecondFactorRequiredError, UnauthenticatedError } from '../errors.js';
import { passportUserId, secondFactorOwed } from './second-factor.js';

/**
 * JSON when the client sends JSON (a body of Content-Type application/json: no HTML form can) or
 * asks for it (Accept: application/json); HTML otherwise. A single-page app's `fetch` with a JSON
 * body and no Accept header must not perform the write and then get a redirect to a page.
 */
export function wantsJson(req: Request): boolean {
  if (req.is('application/json')) return true;
  return req.accepts(['html', 'json']) === 'json';
}

export function clientIp(req: Request): string | null {
  return req.ip ?? req.socket?.remoteAddress ?? null;
}

/** The parsed form or JSON body as a record (empty when there is none): its fields are unknown until validated. */
export function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/**
 * The signed-in user's id as passport left it, or undefined. A session that still owes its second
 * factor counts as not signed in: every kit page and guard asks here.
 */
export function signedInUserId(req: Request): number | undefined {
  const id = passportUserId(req);
  return id === undefined || secondFactorOwed(req) ? undefined : id;
}

/** Why a request is not signed in: no login at all (to the login page), or a second factor owed (to /two-factor/verify). */
export function notSignedIn(req: Request): UnauthenticatedError | SecondFactorRequiredError {
  return secondFactorOwed(req) ? new SecondFactorRequiredError() : new UnauthenticatedError();
}

export function kitSession(req: Request): KitSessionData {
  if (!req.session) {
    throw new Error('express-account-users: req.session is missing; mount express-session (and passport.session()) before the kit');
  }
  req.session.accountUsers ??= {};
  return req.session.accountUsers;
}

export function setFlash(req: Request, flash: Flash): void {
  kitSession(req).flash = flash;
}

export function takeFlash(req: Request): Flash | undefined {
  const state = req.session?.accountUsers;
  const flash = state?.flash;
  if (state && flash) delete state.flash;
  return flash;
}

/** Only a same-origin path may be a return target: `//evil.test` and `https://…` are refused. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  if (/[\u0000-\u001f]/.test(value)) return undefined;
  return value;
}

/**
 * Express 4 does not catch rejected promises; every async handler goes through this so
 * errors always reach next(), on Express 4 and 5 alike.
 */
export function asyncHandler(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {
  return function accountUsersHandler(req, res, next) {
    fn(req, res, next).catch(next);
  };
}

/**
 * A new session id that keeps the login and the kit's state: passport's req.login already
 * regenerates, this does the same on account switch so a fixed id never outlives a privilege change.
 */
export function regenerateSession(req: Request): Promise<void> {
  const session = req.session as unknown as Record<string, unknown> | undefined;
  if (!session || typeof req.session.regenerate !== 'function') return Promise.resolve();
  const keep: Record<string, unknown> = {};
  // The CSRF token is kept: the identity does not change here, and a second tab that lost a race
  // (two accepts of one invitation) should hear "already accepted", not "this form has expired".
  for (const key of Object.keys(session)) if (key !== 'cookie') keep[key] = session[key];
  return new Promise((resolvePromise, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      Object.assign(req.session as unknown as Record<string, unknown>, keep);
      resolvePromise();
    });
  });
}

/**
 * Writes the session to its store now. express-session saves on its own only as the response
 * ends, after it has sent the head: a browser follows a redirect as soon as it reads the head, and
 * with a store slower than memory (connect-pg-simple, Redis) the next request can read the session
 * as it was before this one changed it.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (!req.session || typeof req.session.save !== 'function') return resolvePromise();
    req.session.save((err) => (err ? reject(err) : resolvePromise()));
  });
}

/**
 * Every kit redirect that follows a change of the session (a flash notice, the active account, a
 * sign-in or sign-out) goes through here: the Location is sent only once the store holds the change.
 */
export async function redirectAfterSave(req: Request, res: Response, status: number, url: string): Promise<void> {
  await saveSession(req);
  res.redirect(status, url);
}
