import type { Request } from 'express';
import type { AccountUserContext } from '../types.js';

/**
 * `req.accountUser` for a handler behind `requirePermission`, `requireOwner` or
 * `loadAccountUser`, typed without `!` or a cast. Throws when no guard ran before the handler
 * (a wiring mistake, not a user's), so a missing guard fails loudly instead of reading undefined.
 */
export function accountUserOf(req: Request): AccountUserContext {
  const context = req.accountUser;
  if (!context) {
    throw new Error(
      'express-account-users: accountUserOf(req) found no account user; put au.requirePermission(…), au.requireOwner or au.loadAccountUser before this handler',
    );
  }
  return context;
}
