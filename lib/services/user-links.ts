import type { MessageKey } from '../messages.js';
import type { Kit } from './context.js';
import { LinkGoneError, NotFoundError } from '../errors.js';
import { hashToken, looksLikeInvitationToken } from './tokens.js';
import type { UserTokenPurpose, UserTokenRow } from '../store/user-tokens.js';

const NOT_VALID: Record<UserTokenPurpose, MessageKey> = {
  password_reset: 'error.resetLinkInvalid',
  email_change: 'error.emailLinkInvalid',
  email_verify: 'error.verifyLinkInvalid',
};

/** Refuses a link that existed but no longer works, naming why (410). */
export function throwIfLinkGone(row: UserTokenRow, now: Date): void {
  if (row.status === 'used') throw new LinkGoneError(row.purpose, 'used');
  if (row.status === 'superseded') throw new LinkGoneError(row.purpose, 'superseded');
  if (!row.expiresAt || row.expiresAt.getTime() <= now.getTime()) throw new LinkGoneError(row.purpose, 'expired');
}

/** Resolves a password-reset, email-confirmation or verification token: unknown → 404; expired, used or superseded → 410. */
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
  throw new LinkGoneError(row.purpose, 'used');
}
