import { z } from 'zod';
import type { Kit } from '../context.js';
import { NotFoundError } from '../../errors.js';
import { emailSchema, parseInput, passwordSchema } from '../input.js';
import { hashToken, newInvitationToken } from '../tokens.js';
import { writeTransaction } from '../../store/transactions.js';
import { emitUserActivity, recordUserActivity } from './user-activity.js';
import {
  cancelPendingLinks,
  cancelPendingLinksAfterCommit,
  cancelRequest,
  explainUsedLink,
  findUserLink,
  writeNewestRequest,
  type UserLinkKind,
} from './user-links.js';
import { hashNewPassword } from './password-change.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';
import type { AccountUser } from '../user-store.js';
import type { ClaimFence } from '../../store/outbox.js';
import { markVerifiedIn, resetProvesAddress } from '../verification/address.js';
import { removeAllPasskeysIn } from '../two-factor/passkeys.js';

/** A reset link works for one hour, once. */
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

const forgotInput = z.object({ email: emailSchema });
const resetInput = z.object({ password: passwordSchema });

/**
 * Queues a reset email for an address. Whether a login has that address is not looked at here
 * but when the email is sent (armPasswordReset): the request does the same work, and takes the
 * same time, for every address, and its answer is the same.
 */
/**
 * Queues a reset link for an address. `locale`: the language of the request, used when the login
 * has none of its own yet (the email is written in the language its person last used).
 */
export async function requestPasswordReset(kit: Kit, input: { email?: unknown; locale?: string }, linkPrefix: string): Promise<{ outboxId: number }> {
  if (!kit.features.password) throw new NotFoundError();
  const { email } = parseInput(forgotInput, input);
  const outboxId = await kit.store.outbox.enqueueUserMail(kit.knex, {
    kind: 'password_reset',
    recipient: email,
    linkPrefix,
    userTokenId: null,
    now: kit.now(),
    locale: input.locale ?? null,
  });
  return { outboxId };
}

/**
 * At send time: mints the link for the login with this address, superseding every earlier reset
 * link of that login, and returns the token for the email alone (only its SHA-256 is stored).
 * Undefined when no login has the address (any more): no email is sent.
 */
export async function armPasswordReset(
  kit: Kit,
  outboxId: number,
  recipient: string,
  fence: ClaimFence,
): Promise<{ user: AccountUser; token: string; expiresAt: Date } | undefined> {
  const user = await kit.users.findByEmail(recipient);
  if (!user) return undefined;
  const token = newInvitationToken();
  const now = kit.now();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
  const id = await writeNewestRequest(kit, async (trx) => {
    if (!(await fence(trx))) return undefined;
    const superseded = await kit.store.userTokens.endPending(trx, user.id, ['password_reset'], 'superseded');
    await kit.store.outbox.cancelForUserTokens(trx, superseded);
    const tokenId = await kit.store.userTokens.insert(trx, {
      userId: user.id,
      purpose: 'password_reset',
      newEmail: null,
      now,
      tokenHash: hashToken(token),
      expiresAt,
    });
    await kit.store.outbox.setUserToken(trx, outboxId, tokenId);
    return tokenId;
  });
  if (id === undefined) return undefined;
  // An email change that completed meanwhile may not have seen this row when it cancelled the
  // login's links (see cancelPendingLinksAfterCommit): a link for the old address is never sent.
  const after = await kit.users.findById(user.id);
  if (!after || after.email.toLowerCase() !== user.email.toLowerCase()) {
    await cancelRequest(kit, id);
    return undefined;
  }
  return { user, token, expiresAt };
}

/** For the reset page: the link must still work (404 unknown, 410 expired, used or superseded). */
export async function checkPasswordResetLink(kit: Kit, token: string): Promise<void> {
  if (!kit.features.password) throw new NotFoundError();
  await findUserLink(kit, 'password_reset', token);
}

/**
 * Sets the new password, uses up the link, signs out every session of the login and cancels its
 * other links: a pending email change (a thief's, made with the old password) no longer works.
 */
export async function resetPassword(kit: Kit, token: string, input: { password?: unknown }, ip: string | null): Promise<{ userId: number }> {
  const setPasswordHash = kit.users.setPasswordHash?.bind(kit.users);
  if (!kit.features.password || !setPasswordHash) throw new NotFoundError();
  const { row, tokenHash } = await findUserLink(kit, 'password_reset', token);
  const { password } = parseInput(resetInput, input);
  const hash = await hashNewPassword(kit, password);
  const now = kit.now();
  const entry: UserActivityEntry = { userId: row.userId, action: 'user.password_reset', ip };
  const proved = await resetProvesAddress(kit, row);
  let passkeysRemoved: UserActivityEntry[] = [];
  const used = await writeTransaction(kit, async (trx) => {
    // Conditional on the link still being pending and unexpired: of two uses exactly one wins.
    if (!(await kit.store.userTokens.markUsed(trx, row.id, tokenHash, now))) return false;
    await setPasswordHash(row.userId, hash, { sessionsValidAfter: now, trx });
    await cancelPendingLinks(kit, trx, row.userId);
    // A browser remembered for the second step is forgotten with the old password, and passkeys
    // (a sign-in of their own) are removed: one a thief added with the old password must not outlive it.
    await kit.store.rememberedDevices.removeAll(trx, row.userId);
    passkeysRemoved = await removeAllPasskeysIn(kit, trx, row.userId, ip);
    if (proved) await markVerifiedIn(kit, trx, row.userId); // the link was mailed to the login's address
    await recordUserActivity(kit, trx, entry);
    return true;
  });
  if (!used) return explainUsedLink(kit, row);
  await cancelPendingLinksAfterCommit(kit, row.userId);
  for (const e of passkeysRemoved) emitUserActivity(kit, e);
  emitUserActivity(kit, entry);
  return { userId: row.userId };
}

/** The reset email's link, for the outbox (lib/mail/outbox.ts). */
export const passwordResetLink: UserLinkKind = {
  validityMs: PASSWORD_RESET_TTL_MS,
  async arm(kit, message, fence) {
    const armed = await armPasswordReset(kit, message.id, message.recipient, fence);
    return armed && { user: armed.user, token: armed.token };
  },
};
