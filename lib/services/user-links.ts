import type { Kit } from './context.js';
import { LinkGoneError, NotFoundError } from '../errors.js';
import { hashToken, looksLikeInvitationToken } from './tokens.js';
import type { UserTokenPurpose, UserTokenRow } from '../store/user-tokens.js';

const NOT_VALID: Record<UserTokenPurpose, string> = {
  password_reset: 'This password reset link is not valid.',
  email_change: 'This email confirmation link is not valid.',
};

const GONE: Record<UserTokenPurpose, Record<'expired' | 'used' | 'superseded', string>> = {
  password_reset: {
    expired: 'This password reset link has expired.',
    used: 'This password reset link has already been used.',
    superseded: 'A newer password reset link has been sent; only the newest one works.',
  },
  email_change: {
    expired: 'This email confirmation link has expired.',
    used: 'This email confirmation link has already been used.',
    superseded: 'A newer email change was requested; only its link works.',
  },
};

/** Refuses a link that existed but no longer works, naming why (410). */
export function throwIfLinkGone(row: UserTokenRow, now: Date): void {
  if (row.status === 'used') throw new LinkGoneError(row.purpose, 'used', GONE[row.purpose].used);
  if (row.status === 'superseded') throw new LinkGoneError(row.purpose, 'superseded', GONE[row.purpose].superseded);
  if (!row.expiresAt || row.expiresAt.getTime() <= now.getTime()) throw new LinkGoneError(row.purpose, 'expired', GONE[row.purpose].expired);
}

/** Resolves a password-reset or email-confirmation token: unknown → 404; expired, used or superseded → 410. */
export async function findUserLink(kit: Kit, purpose: UserTokenPurpose, token: string): Promise<{ row: UserTokenRow; tokenHash: string }> {
  if (!looksLikeInvitationToken(token)) throw new NotFoundError(NOT_VALID[purpose]);
  const tokenHash = hashToken(token);
  const row = await kit.store.userTokens.findByTokenHash(kit.knex, tokenHash);
  if (!row || row.purpose !== purpose) throw new NotFoundError(NOT_VALID[purpose]);
  throwIfLinkGone(row, kit.now());
  return { row, tokenHash };
}

/** The loser of a race for one link hears why it no longer works. */
export async function explainUsedLink(kit: Kit, row: UserTokenRow): Promise<never> {
  const fresh = await kit.store.userTokens.findById(kit.knex, row.id);
  if (fresh) throwIfLinkGone(fresh, kit.now());
  throw new LinkGoneError(row.purpose, 'used', GONE[row.purpose].used);
}
