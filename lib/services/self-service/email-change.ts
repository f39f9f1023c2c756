import { z } from 'zod';
import type { Kit, SelfActor } from '../context.js';
import { ConflictError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import { emailSchema, parseInput } from '../input.js';
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
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';
import type { UserTokenRow } from '../../store/self-service/user-tokens.js';
import type { ClaimFence } from '../../store/outbox.js';
import { markVerifiedIn } from '../verification/address.js';

/** A confirmation link works for 24 hours, once. */
export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

const changeInput = z.object({
  email: emailSchema,
  currentPassword: z
    .string({ error: 'field.required' })
    .min(1, 'field.required')
    .refine((v) => Buffer.byteLength(v, 'utf8') <= 1024, 'field.passwordBytes'),
});

/** When the login's password last changed, as the store tells it: a reset or change in between moves it. */
const passwordChangedAt = (user: { sessionsValidAfter?: Date | null }) => user.sessionsValidAfter?.getTime() ?? null;

/**
 * Asks to move the signed-in person's login to another address: a confirmation link goes to the
 * new address and a notice to the current one. Nothing changes until the link is opened and the
 * change confirmed on its page; a newer request supersedes an older one's link, and a password
 * reset or change cancels it.
 */
export async function requestEmailChange(
  kit: Kit,
  actor: SelfActor,
  input: { email?: unknown; currentPassword?: unknown },
  links: { confirm: string; notice: string },
): Promise<{ email: string; outboxIds: number[] }> {
  if (!kit.features.email) throw new NotFoundError();
  const { email, currentPassword } = parseInput(changeInput, input);
  const user = await kit.users.findById(actor.userId);
  if (!user) throw new UnauthenticatedError();
  if (!(await kit.users.verifyPassword(user, currentPassword))) throw InvalidInputError.field('currentPassword', 'field.notCurrentPassword');
  if (email === user.email.toLowerCase()) throw InvalidInputError.field('email', 'field.sameEmail');
  if (await kit.users.findByEmail(email)) throw InvalidInputError.field('email', 'field.emailInUse');
  const { tokenId, outboxIds } = await writeNewestRequest(kit, async (trx) => {
    const now = kit.now();
    const superseded = await kit.store.userTokens.endPending(trx, user.id, ['email_change'], 'superseded');
    await kit.store.outbox.cancelForUserTokens(trx, superseded);
    const tokenId = await kit.store.userTokens.insert(trx, { userId: user.id, purpose: 'email_change', newEmail: email, now });
    const outboxIds = [
      await kit.store.outbox.enqueueUserMail(trx, {
        kind: 'email_change',
        recipient: email,
        linkPrefix: links.confirm,
        userTokenId: tokenId,
        now,
        locale: actor.locale ?? null,
      }),
      await kit.store.outbox.enqueueUserMail(trx, {
        kind: 'email_change_notice',
        recipient: user.email,
        linkPrefix: links.notice,
        userTokenId: tokenId,
        now,
        locale: actor.locale ?? null,
      }),
    ];
    return { tokenId, outboxIds };
  });
  // The password was checked before a reset or change that committed meanwhile, whose cancel may
  // not have seen this row (see cancelPendingLinksAfterCommit): the request ends here, unsent.
  const after = await kit.users.findById(user.id);
  if (!after || passwordChangedAt(after) !== passwordChangedAt(user)) {
    await cancelRequest(kit, tokenId);
    throw new UnauthenticatedError();
  }
  return { email, outboxIds };
}

/**
 * At send time: mints the confirmation link (24 hours from now) for a request that is still
 * pending; undefined when it was superseded, cancelled or used meanwhile, and nothing is sent.
 */
export async function armEmailChange(
  kit: Kit,
  userTokenId: number,
  fence: ClaimFence,
): Promise<{ row: UserTokenRow; token: string; expiresAt: Date } | undefined> {
  const row = await kit.store.userTokens.findById(kit.knex, userTokenId);
  if (!row || row.status !== 'pending' || row.purpose !== 'email_change') return undefined;
  const token = newInvitationToken();
  const expiresAt = new Date(kit.now().getTime() + EMAIL_CHANGE_TTL_MS);
  const minted = await writeTransaction(kit, async (trx) => (await fence(trx)) && kit.store.userTokens.setToken(trx, row.id, hashToken(token), expiresAt));
  if (!minted) return undefined;
  return { row, token, expiresAt };
}

/** For the confirmation page (GET, which changes nothing): the address the link would move the login to; 404 unknown, 410 gone. */
export async function checkEmailChangeLink(kit: Kit, token: string): Promise<{ email: string }> {
  if (!kit.features.email) throw new NotFoundError();
  const { row } = await findUserLink(kit, 'email_change', token);
  return { email: row.newEmail! };
}

/**
 * Confirms an email change (the POST of the confirmation page): the login's address becomes the
 * new one, unless another login has taken it meanwhile (409). The login's other pending links end
 * with it: a reset link in the old mailbox no longer works.
 */
export async function confirmEmailChange(kit: Kit, token: string, ip: string | null): Promise<{ userId: number; email: string }> {
  const setEmail = kit.users.setEmail?.bind(kit.users);
  if (!kit.features.email || !setEmail) throw new NotFoundError();
  const { row, tokenHash } = await findUserLink(kit, 'email_change', token);
  const email = row.newEmail!;
  const before = await kit.users.findById(row.userId);
  if (!before) throw new NotFoundError('error.emailLinkInvalid');
  const entry: UserActivityEntry = { userId: row.userId, action: 'user.email_changed', details: { from: before.email, to: email }, ip };
  const used = await writeTransaction(kit, async (trx) => {
    if (!(await kit.store.userTokens.markUsed(trx, row.id, tokenHash, kit.now()))) return false;
    // Refused, and the link left unused, when another login has taken the address meanwhile.
    if (!(await setEmail(row.userId, email, { trx }))) {
      throw new ConflictError('error.emailTaken', { email });
    }
    await cancelPendingLinks(kit, trx, row.userId);
    await markVerifiedIn(kit, trx, row.userId); // the new address was proved by this link
    await recordUserActivity(kit, trx, entry);
    return true;
  });
  if (!used) return explainUsedLink(kit, row);
  await cancelPendingLinksAfterCommit(kit, row.userId);
  emitUserActivity(kit, entry);
  return { userId: row.userId, email };
}

/** The confirmation email's link, for the outbox (lib/mail/outbox.ts). */
export const emailChangeLink: UserLinkKind = {
  validityMs: EMAIL_CHANGE_TTL_MS,
  async arm(kit, message, fence) {
    if (message.userTokenId === null) return undefined;
    const armed = await armEmailChange(kit, message.userTokenId, fence);
    const user = armed && (await kit.users.findById(armed.row.userId));
    return armed && user ? { user, token: armed.token } : undefined;
  },
};
