import type { MessageKey } from '../messages.js';
import { PermissionNames } from '../i18n/values.js';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Kit } from '../services/context.js';
import { findActiveMembership, type AccountMembership } from '../services/accounts/accounts.js';
import { accessEndedError, suspendedError } from '../services/access.js';
import { grants, permissionCheck } from '../permissions.js';
import { ForbiddenError, OptionsError, SecondFactorRequiredError, TwoFactorRequiredError } from '../errors.js';
import { kitSession, notSignedIn, signedInUserId } from './request.js';
import { noteFactorState, secondFactorOwed } from './second-factor.js';
import type { AccountUserContext } from '../types.js';

/** A request whose default account's access has ended or is suspended: the guard names it in its refusal. */
const endedAccess = new WeakMap<Request, AccountMembership>();

/** A request whose account requires a second factor this member's login lacks (the grace is over). */
const enrolmentDue = new WeakMap<Request, AccountMembership>();

/** The membership au.deserializeUser read with the user, kept on the request out of sight (a symbol, not enumerable). */
const SESSION_MEMBERSHIP = Symbol('express-account-users.sessionMembership');

interface SessionMembership {
  userId: number;
  /** The account it was looked up for; undefined means the default account. */
  chosenAccountId: number | undefined;
  membership: AccountMembership | undefined;
}

export function stashSessionMembership(req: Request, value: SessionMembership): void {
  Object.defineProperty(req, SESSION_MEMBERSHIP, { value, enumerable: false, configurable: true, writable: true });
}

/** The stashed membership, only if it answers this very question (same user, same chosen account). */
function stashedMembership(req: Request, userId: number, chosenAccountId: number | undefined): SessionMembership | undefined {
  const stashed = (req as Request & { [SESSION_MEMBERSHIP]?: SessionMembership })[SESSION_MEMBERSHIP];
  return stashed && stashed.userId === userId && stashed.chosenAccountId === chosenAccountId ? stashed : undefined;
}

/**
 * Loads the request's active membership, sets `req.accountUser` and `res.locals.can`, and
 * returns it. With the kit's deserializeUser the membership came with the user in the
 * session's own query; otherwise it costs one indexed query here. Either way it is read fresh
 * on every request, so a removal or a revoked permission is refused on the very next request.
 */
export async function loadAccountUser(kit: Kit, req: Request, res: Response): Promise<AccountUserContext | undefined> {
  if (req.accountUser) return req.accountUser;
  const userId = signedInUserId(req);
  if (userId === undefined) return undefined;
  const state = kitSession(req);
  const stashed = stashedMembership(req, userId, state.activeAccountId);
  const membership: AccountMembership | undefined = stashed ? stashed.membership : await findActiveMembership(kit, userId, state.activeAccountId);
  if (!membership) {
    if (state.activeAccountId !== undefined) {
      // Removed from the chosen account: refuse this request, and let the next one fall back to a default.
      delete state.activeAccountId;
      throw new ForbiddenError('error.accessGone');
    }
    return undefined;
  }
  // The login's factor came with the membership, in the same statement: a session from before it
  // was turned on owes it now, and is treated as not signed in.
  noteFactorState(req, userId, membership.twoFactorEnabledAt);
  if (secondFactorOwed(req)) return undefined;
  if (membership.suspended) {
    // Suspended: refused as an ended access is, from the same one statement; the row keeps its
    // permissions for the reinstatement.
    if (state.activeAccountId !== undefined) {
      delete state.activeAccountId;
      throw suspendedError(membership.account.name);
    }
    endedAccess.set(req, membership);
    return undefined;
  }
  if (membership.accessEnded) {
    // Time-limited access has run out: the chosen account is refused (once, as a removal is) and
    // forgotten; with none chosen, pages anyone may see carry on without an account.
    if (state.activeAccountId !== undefined) {
      delete state.activeAccountId;
      throw accessEndedError(membership.account.name, membership.accessUntil!);
    }
    endedAccess.set(req, membership);
    return undefined;
  }
  if (membership.twoFactorEnrolmentDue) {
    // The account's rule: no context (no `can`), and the guard sends them to enrol.
    enrolmentDue.set(req, membership);
    return undefined;
  }
  if (state.activeAccountId === undefined) state.activeAccountId = membership.account.id;
  const context: AccountUserContext = {
    account: membership.account,
    user: req.user as AccountUserContext['user'],
    permissions: membership.permissions,
    allPermissions: membership.allPermissions,
    isOwner: membership.isOwner,
  };
  req.accountUser = context;
  res.locals.can = permissionCheck(kit.catalogue, context);
  res.locals.accountUser = context;
  return context;
}

export interface Guards {
  requirePermission(...keys: string[]): RequestHandler;
  requireOwner: RequestHandler;
  /** requireOwner, refusing others with `message` (ownership pages: "Only the account owner can transfer ownership."). */
  requireOwnerFor(message: MessageKey): RequestHandler;
  requireSignedIn: RequestHandler;
  loadAccountUser: RequestHandler;
  /** For a host's own pages: sends a session that still owes its second factor to /two-factor/verify; lets everyone else through. */
  requireSecondFactor: RequestHandler;
}

/** Renders kit errors itself (login redirect, 403 page or JSON) so a host route needs no error handler of its own. */
export type ErrorResponder = (err: unknown, req: Request, res: Response, next: NextFunction) => void;

export function createGuards(kit: Kit, onError: ErrorResponder): Guards {
  /** `ownerOnly`: the refusal a non-owner gets (it names what is the owner's), or false for anyone with `keys`. */
  async function check(req: Request, res: Response, keys: readonly string[], ownerOnly: MessageKey | false): Promise<void> {
    if (signedInUserId(req) === undefined) throw notSignedIn(req);
    const context = await loadAccountUser(kit, req, res);
    if (!context) {
      if (secondFactorOwed(req)) throw new SecondFactorRequiredError();
      const due = enrolmentDue.get(req);
      if (due) throw new TwoFactorRequiredError(due.account.name);
      const ended = endedAccess.get(req);
      if (ended?.suspended) throw suspendedError(ended.account.name);
      throw ended ? accessEndedError(ended.account.name, ended.accessUntil!) : new ForbiddenError('error.noAccount');
    }
    if (ownerOnly && !context.isOwner) throw new ForbiddenError(ownerOnly);
    if (!grants(context, keys)) {
      const missing = keys.filter((k) => !context.permissions.includes(k));
      throw new ForbiddenError('error.missingPermissions', {
        permissions: new PermissionNames(
          missing,
          missing.map((k) => kit.catalogue.label(k)),
        ),
      });
    }
  }

  return {
    requirePermission(...keys: string[]): RequestHandler {
      const unknown = keys.filter((k) => !kit.catalogue.has(k));
      if (unknown.length) throw new OptionsError(`requirePermission(): unknown permission key ${unknown.map((k) => `"${k}"`).join(', ')}`);
      if (keys.length === 0) throw new OptionsError('requirePermission() needs at least one permission key');
      return function requirePermission(req: Request, res: Response, next: NextFunction) {
        check(req, res, keys, false).then(
          () => next(),
          (err) => onError(err, req, res, next),
        );
      };
    },
    requireOwner: function requireOwner(req, res, next) {
      check(req, res, [], 'error.ownerOnlyUsers').then(
        () => next(),
        (err) => onError(err, req, res, next),
      );
    },
    requireOwnerFor(message: MessageKey): RequestHandler {
      return function requireOwner(req, res, next) {
        check(req, res, [], message).then(
          () => next(),
          (err) => onError(err, req, res, next),
        );
      };
    },
    requireSignedIn: function requireSignedIn(req, res, next) {
      if (signedInUserId(req) === undefined) return onError(notSignedIn(req), req, res, next);
      next();
    },
    requireSecondFactor: function requireSecondFactor(req, res, next) {
      if (secondFactorOwed(req)) return onError(new SecondFactorRequiredError(), req, res, next);
      next();
    },
    // For navigation on pages anyone may see: loads the context when there is one and refuses
    // nobody, except a user removed from the account they chose (refused once, as the guard does).
    loadAccountUser: function loadAccountUserMiddleware(req, res, next) {
      if (signedInUserId(req) === undefined) return next();
      loadAccountUser(kit, req, res).then(
        () => next(),
        (err) => onError(err, req, res, next),
      );
    },
  };
}
