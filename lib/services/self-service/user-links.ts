import type { Knex } from 'knex';
import type { MessageKey } from '../../messages.js';
import type { Kit } from '../context.js';
import { LinkGoneError, NotFoundError } from '../../errors.js';
import { hashToken, looksLikeInvitationToken } from '../tokens.js';
import { writeTransaction } from '../../store/transactions.js';
import { isUniqueViolation, type Db } from '../../store/db.js';
import type { UserTokenPurpose, UserTokenRow } from '../../store/self-service/user-tokens.js';
import type { ClaimFence } from '../../store/outbox.js';

const NOT_VALID: Record<UserTokenPurpose, MessageKey> = {
  password_reset: 'error.resetLinkInvalid',
  email_change: 'error.emailLinkInvalid',
  email_verify: 'error.verifyLinkInvalid',
};

/** Refuses a link that existed but no longer works, naming why (410). */
export function throwIfLinkGone(row: UserTokenRow, now: Date): void {
  if (row.status === 'used') throw new LinkGoneError(row.purpose, 'used');
  if (row.status === 'superseded') throw new LinkGoneError(row.purpose, 'superseded');
  if (row.status === 'cancelled') throw new LinkGoneError(row.purpose, 'cancelled');
  if (!row.expiresAt || row.expiresAt.getTime() <= now.getTime()) throw new LinkGoneError(row.purpose, 'expired');
}

/** Resolves a password-reset, email-confirmation or verification token: unknown → 404; expired, used, superseded or cancelled → 410. */
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

/** Both kinds of link a login's own emails carry. */
const ALL_PURPOSES: readonly UserTokenPurpose[] = ['password_reset', 'email_change'];

/**
 * Ends every pending reset and email-change request of the login and cancels their unsent emails,
 * in the caller's transaction: a password reset or change, and a completed email change, leave no
 * link behind that was minted before them (a thief's change to their own address; a reset link in
 * the mailbox of an address the login no longer uses). The link that was just used is no longer
 * pending, so it is not among them.
 */
export async function cancelPendingLinks(kit: Kit, db: Db, userId: number): Promise<void> {
  const ids = await kit.store.userTokens.endPending(db, userId, ALL_PURPOSES, 'cancelled');
  await kit.store.outbox.cancelForUserTokens(db, ids);
}

/** Cancels one request that lost a race to a password reset, a password change or an email change, and its unsent emails. */
export async function cancelRequest(kit: Kit, userTokenId: number): Promise<void> {
  await writeTransaction(kit, async (trx) => {
    await kit.store.userTokens.cancel(trx, userTokenId);
    await kit.store.outbox.cancelForUserTokens(trx, [userTokenId]);
  });
}

/**
 * Run again once the reset, password change or email change has committed. A request racing it
 * (a thief's email change whose password check passed just before the reset; a reset link being
 * minted for the old address) may have written its row after the in-transaction cancel looked and
 * before this commit; it then either committed before this second look, which ends it, or it
 * commits after, and sees the change when it looks again itself (requestEmailChange,
 * armPasswordReset). No lock is shared with a host's users table, so this works with any store.
 */
export async function cancelPendingLinksAfterCommit(kit: Kit, userId: number): Promise<void> {
  await writeTransaction(kit, (trx) => cancelPendingLinks(kit, trx, userId));
}

/** Tries of a request that lost the one-pending slot to a simultaneous one: each try makes it the newest. */
const NEWEST_REQUEST_ATTEMPTS = 12;

/**
 * Writes a new request of a purpose as the login's only pending one: `work` supersedes the
 * pending request and inserts the new one, in one transaction. A login holds at most one pending
 * request per purpose by a unique constraint (user_tokens.pending_user_id, purpose); when a
 * simultaneous request inserted its row after this one looked (PostgreSQL sees no uncommitted
 * row, MariaDB may deadlock on the gap), the database refuses the second insert and `work` runs
 * again, now superseding the winner: of simultaneous requests the last to commit is the newest,
 * and exactly one link works, on every database.
 */
export async function writeNewestRequest<T>(kit: Kit, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeTransaction(kit, work);
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= NEWEST_REQUEST_ATTEMPTS) throw err;
      await new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

/** What the outbox needs to write a person's own email once its link is minted. */
export interface ArmedUserLink {
  user: { id: number; name: string };
  token: string;
}

/**
 * One kind of a person's own link (reset, email change, verification), as the outbox sees it: the
 * link is minted when its email is sent (`arm`; undefined when nothing should be sent any more)
 * and is valid for `validityMs`. The services describe each kind; accountUsers() hands them to the
 * mailer, so the mail layer knows messages, never the services that queue them.
 */
export interface UserLinkKind {
  validityMs: number;
  /** `fence` runs first in the transaction that mints the link: no mint once the message's claim is lost. */
  arm(kit: Kit, message: { id: number; recipient: string; userTokenId: number | null }, fence: ClaimFence): Promise<ArmedUserLink | undefined>;
}
