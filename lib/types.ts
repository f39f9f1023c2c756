/**
 * The kit's additions to Express's request and session, declared once here, and the membership
 * they carry: types only, importing nothing above the store, so every layer may name them.
 */
import type { AccountUser } from './store/user-store.js';
import type {} from 'express-session';

/** A user's membership of one account, as the services give it and the guard keeps it on the request. */
export interface AccountMembership {
  account: { id: number; name: string; ownerUserId: number };
  userId: number;
  isOwner: boolean;
  /** Effective keys: an owner holds every key in the catalogue, including ones added later. */
  permissions: string[];
  /**
   * "All permissions" was chosen (or they own the account): `permissions` is every key of the
   * catalogue as it is now, and a permission the host adds later is theirs too.
   */
  allPermissions: boolean;
  /** When this user's access to the account ends (null: it does not); from then on they are refused. */
  accessUntil: Date | null;
  /** accessUntil has come: the user is refused in this account, though the membership row stays for the owner to extend. */
  accessEnded: boolean;
  /** When this user's login turned a second factor on; null: it has none. */
  twoFactorEnabledAt: Date | null;
  /** The account requires a second factor, its grace is over, and this login has none: refused until they enrol. */
  twoFactorEnrolmentDue: boolean;
  /** Suspended by the owner or a delegate: refused in this account until reinstated; the membership keeps its permissions. */
  suspended: boolean;
  /** The reason given when suspending, if any. */
  suspendedReason: string | null;
}

/** What `req.accountUser` holds after `requirePermission` or any `au.router` route ran. */
export interface AccountUserContext {
  account: AccountMembership['account'];
  user: Pick<AccountUser, 'id'> & Partial<AccountUser>;
  permissions: string[];
  /** Holds "All permissions" (or owns the account): permissions the host adds later are covered too. */
  allPermissions: boolean;
  isOwner: boolean;
}

export interface Flash {
  type: 'success' | 'error' | 'info';
  text: string;
}

export interface KitSessionData {
  activeAccountId?: number;
  flash?: Flash;
  /**
   * The login's last password change or reset (epoch ms, 0 if none) as read before the password this
   * session signed in with was checked, or the change this browser made: set by `au.serializeUser`
   * and on a password change. A later change signs the session out (lib/http/login-time.ts).
   */
  passwordChangedAt?: number;
  /** When the session was established (epoch ms): written by earlier versions, still honoured for their sessions. */
  loginAt?: number;
  /** The language last kept for this session's user (lib/http/locale.ts): written again only when it changes. */
  locale?: string;
  /** Signed in with the password of a login that has a second factor, not yet verified (lib/http/second-factor.ts). */
  secondFactorOwed?: boolean;
  /** When this session last gave a second factor (epoch ms): the sign-in's second step, and step-up. */
  secondFactorAt?: number;
  /**
   * Signed in on a browser remembered for this login (epoch ms): no code is owed, but none was given,
   * so step-up still asks for one (lib/services/two-factor/devices.ts).
   */
  secondFactorRememberedAt?: number;
  /**
   * The challenge of the passkey ceremony this session started last (lib/http/handlers/two-factor/passkeys.ts):
   * taken out by the first answer, right or wrong; a newer start replaces it.
   */
  passkeyChallenge?: { purpose: 'register' | 'verify' | 'sign-in'; challenge: string; userId?: number; userHandle?: string; expiresAt: number };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      accountUser?: AccountUserContext;
    }
    // passport's types declare it too; declared here so that `Express.User` in the kit's types
    // (the layout context's `user`) resolves in a host without @types/passport.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User {}
  }
}

declare module 'express-session' {
  interface SessionData {
    accountUsers?: KitSessionData;
  }
}
