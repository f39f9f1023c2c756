import type { Kit, SelfActor } from '../context.js';
import { ForbiddenError, LinkGoneError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import { normaliseEmail } from '../input.js';
import { hashToken, newInvitationToken } from '../tokens.js';
import { writeTransaction } from '../../store/transactions.js';
import { emitUserActivity, recordUserActivity } from '../self-service/user-activity.js';
import { explainUsedLink, findUserLink, writeNewestRequest, type UserLinkKind } from '../self-service/user-links.js';
import type { AccountUser } from '../user-store.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';
import type { UserTokenRow } from '../../store/self-service/user-tokens.js';
import type { ClaimFence } from '../../store/outbox.js';
import { emailIsVerified, markVerifiedIn } from './address.js';

/** A verification link works for 24 hours, once; a newer one supersedes it. */
export const EMAIL_VERIFY_TTL_MS = 24 * 60 * 60 * 1000;

async function signedInUser(kit: Kit, actor: SelfActor): Promise<AccountUser> {
  if (!kit.features.verify) throw new NotFoundError();
  const user = await kit.users.findById(actor.userId);
  if (!user) throw new UnauthenticatedError();
  return user;
}

/**
 * Queues a verification link to the signed-in login's own address (never another: the link proves
 * the address the login has). An address already verified gets no email.
 */
export async function requestVerification(
  kit: Kit,
  actor: SelfActor,
  linkPrefix: string,
): Promise<{ email: string; alreadyVerified: boolean; outboxId: number | null }> {
  const user = await signedInUser(kit, actor);
  if (emailIsVerified(user)) return { email: user.email, alreadyVerified: true, outboxId: null };
  // One pending link per login and purpose is a constraint: a request that loses the race retries.
  const outboxId = await writeNewestRequest(kit, async (trx) => {
    const now = kit.now();
    const superseded = await kit.store.userTokens.endPending(trx, user.id, ['email_verify'], 'superseded');
    await kit.store.outbox.cancelForUserTokens(trx, superseded);
    const tokenId = await kit.store.userTokens.insert(trx, { userId: user.id, purpose: 'email_verify', newEmail: normaliseEmail(user.email), now });
    return kit.store.outbox.enqueueUserMail(trx, {
      kind: 'email_verify',
      recipient: user.email,
      linkPrefix,
      userTokenId: tokenId,
      now,
      locale: actor.locale ?? null,
    });
  });
  return { email: user.email, alreadyVerified: false, outboxId };
}

/**
 * At send time: mints the link (24 hours from now) while the request is still the newest and the
 * login still has the address it was made for; undefined otherwise, and nothing is sent.
 */
export async function armVerification(
  kit: Kit,
  userTokenId: number,
  fence: ClaimFence,
): Promise<{ user: AccountUser; token: string; expiresAt: Date } | undefined> {
  const row = await kit.store.userTokens.findById(kit.knex, userTokenId);
  if (!row || row.status !== 'pending' || row.purpose !== 'email_verify') return undefined;
  const user = await kit.users.findById(row.userId);
  if (!user || normaliseEmail(user.email) !== row.newEmail || emailIsVerified(user)) return undefined;
  const token = newInvitationToken();
  const expiresAt = new Date(kit.now().getTime() + EMAIL_VERIFY_TTL_MS);
  const minted = await writeTransaction(kit, async (trx) => (await fence(trx)) && kit.store.userTokens.setToken(trx, row.id, hashToken(token), expiresAt));
  if (!minted) return undefined;
  return { user, token, expiresAt };
}

/**
 * The link's token, for the signed-in login it was sent to: unknown → 404; expired, used or
 * superseded → 410 (an address changed since counts as superseded: the link proved the old one);
 * another login's link → 403. Whoever reads the mail without the login's password cannot use it,
 * so a link forwarded to (or phished from) the real owner of the address verifies nothing for a
 * stranger who registered it.
 */
async function verificationLink(kit: Kit, token: string, actor: SelfActor): Promise<{ row: UserTokenRow; tokenHash: string; user: AccountUser }> {
  const user = await signedInUser(kit, actor);
  const { row, tokenHash } = await findUserLink(kit, 'email_verify', token);
  if (row.userId !== user.id) throw new ForbiddenError('error.verifyLinkOtherLogin');
  if (row.newEmail !== normaliseEmail(user.email)) throw new LinkGoneError('email_verify', 'superseded');
  return { row, tokenHash, user };
}

/** GET /email/verify/:token: the page with the button. Changes nothing (mail scanners fetch links). */
export async function checkVerificationLink(kit: Kit, token: string, actor: SelfActor): Promise<{ email: string }> {
  const { user } = await verificationLink(kit, token, actor);
  return { email: user.email };
}

/** POST /email/verify/:token: uses the link once and marks the address verified. */
export async function confirmVerification(kit: Kit, token: string, actor: SelfActor): Promise<{ userId: number; email: string }> {
  const { row, tokenHash, user } = await verificationLink(kit, token, actor);
  const entry: UserActivityEntry = { userId: user.id, action: 'user.email_verified', details: { email: user.email }, ip: actor.ip ?? null };
  const used = await writeTransaction(kit, async (trx) => {
    // Conditional on the link still being pending and unexpired: of two uses exactly one wins.
    if (!(await kit.store.userTokens.markUsed(trx, row.id, tokenHash, kit.now()))) return false;
    await markVerifiedIn(kit, trx, user.id);
    await recordUserActivity(kit, trx, entry);
    return true;
  });
  if (!used) return explainUsedLink(kit, row);
  emitUserActivity(kit, entry);
  return { userId: user.id, email: user.email };
}

/** The verification email's link, for the outbox (lib/mail/outbox.ts). */
export const emailVerifyLink: UserLinkKind = {
  validityMs: EMAIL_VERIFY_TTL_MS,
  async arm(kit, message, fence) {
    if (message.userTokenId === null) return undefined;
    const armed = await armVerification(kit, message.userTokenId, fence);
    return armed && { user: armed.user, token: armed.token };
  },
};
