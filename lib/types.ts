/**
 * The kit's additions to Express's request and session, declared once here.
 */
import type { AccountMembership } from './services/accounts.js';
import type { AccountUser } from './services/user-store.js';
import type {} from 'express-session';

/** What `req.accountUser` holds after `requirePermission` or any `au.router` route ran. */
export interface AccountUserContext {
  account: AccountMembership['account'];
  user: Pick<AccountUser, 'id'> & Partial<AccountUser>;
  permissions: string[];
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
