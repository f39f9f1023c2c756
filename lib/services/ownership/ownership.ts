import { z } from 'zod';
import type { Knex } from 'knex';
import { actorFields, requireOwner, type Acting, type Kit } from '../context.js';
import { actingIn, idSchema, type ActingInput } from '../acting.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../errors.js';
import { parseInput } from '../input.js';
import { emit, record } from '../activity.js';
import { hashToken, looksLikeInvitationToken } from '../tokens.js';
import { writeTransaction } from '../../store/transactions.js';
import { isUniqueViolation } from '../../store/db.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import type { TransferRow } from '../../store/ownership/ownership-transfers.js';
import type { MembershipRow } from '../../store/accounts/memberships.js';
import type { TransferMailKind } from '../../store/outbox.js';
import type { AccountUser } from '../user-store.js';

/** How long an ownership offer stands. */
export const TRANSFER_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface TransferView {
  id: number;
  accountId: number;
  fromUserId: number;
  toUserId: number;
  /** 'expired' once `expiresAt` has passed while it was still pending. */
  status: 'pending' | 'accepted' | 'cancelled' | 'declined' | 'expired';
  expiresAt: Date;
  createdAt: Date;
}

export function toTransferView(kit: Kit, row: TransferRow): TransferView {
  const expired = row.status === 'pending' && row.expiresAt.getTime() <= kit.now().getTime();
  return {
    id: row.id,
    accountId: row.accountId,
    fromUserId: row.fromUserId,
    toUserId: row.toUserId,
    status: expired ? 'expired' : row.status,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

const isLive = (kit: Kit, row: TransferRow) => row.status === 'pending' && row.expiresAt.getTime() > kit.now().getTime();

/** The kit's routes, from the accept-link prefix the actor carries (`…/accept/`). */
const routesOf = (actor: Acting) => actor.linkPrefix.replace(/accept\/$/, '');

/** Where an email's link points: the offer's page (token appended at send time), or the accounts page. */
function mailLink(kind: TransferMailKind, routes: string): string {
  return kind === 'ownership_offer' ? `${routes}transfer/` : `${routes}accounts`;
}

/** Queues the transfer's emails; `locale`: the request's language, for a recipient who has none of their own yet. */
async function queue(
  kit: Kit,
  trx: Knex.Transaction,
  transferId: number,
  mails: Array<[TransferMailKind, string]>,
  routes: string,
  now: Date,
  locale: string | undefined,
) {
  const ids: number[] = [];
  for (const [kind, recipient] of mails) {
    if (!recipient) continue;
    ids.push(await kit.store.outbox.enqueueTransferMail(trx, { kind, transferId, recipient, linkPrefix: mailLink(kind, routes), now, locale: locale ?? null }));
  }
  return ids;
}

async function deliverAll(kit: Kit, ids: number[]): Promise<void> {
  // A failed first attempt stays queued for the worker, as an invitation's does.
  for (const id of ids) await kit.deliver(id);
}

/**
 * Ends an account's pending offer in the caller's transaction when it has expired, so a new one
 * may be made (the unique pending_account_id would refuse it); returns the offer still standing.
 */
async function standingOffer(kit: Kit, trx: Knex.Transaction, accountId: number): Promise<TransferRow | undefined> {
  const pending = await kit.store.ownershipTransfers.findPending(trx, accountId);
  if (!pending) return undefined;
  if (isLive(kit, pending)) return pending;
  await kit.store.ownershipTransfers.finish(trx, pending.id, 'expired', kit.now());
  await kit.store.outbox.cancelTransferOffer(trx, pending.id);
  return undefined;
}

export interface OfferInput extends ActingInput {
  toUserId?: unknown;
}

/**
 * The owner offers the account to a current member. The offer stands for 7 days; one per
 * account (a database constraint); the member is emailed a link (minted at send time) and the
 * owner a notice. Owner only: a delegate is refused, whatever they hold.
 */
export async function offerOwnership(kit: Kit, input: OfferInput): Promise<{ transfer: TransferView }> {
  const actor = await actingIn(kit, input);
  requireOwner(actor, 'error.ownerOnlyTransfer');
  const { toUserId } = parseInput(z.object({ toUserId: idSchema }), { toUserId: input.toUserId });
  const account = (await kit.store.accounts.findById(kit.knex, actor.accountId))!;
  if (toUserId === account.ownerUserId) throw InvalidInputError.field('toUserId', 'field.alreadyOwner');
  // Read before the transaction: a host user store reads through its own connection.
  const [to, from] = await Promise.all([kit.users.findById(toUserId), kit.users.findById(account.ownerUserId)]);
  const now = kit.now();
  let done: { row: TransferRow; entry: ActivityEntry; mails: number[] };
  try {
    done = await writeTransaction(kit, async (trx) => {
      await kit.store.accounts.lockForWrite(trx, actor.accountId);
      const current = await kit.store.accounts.findById(trx, actor.accountId);
      if (!current || current.ownerUserId !== account.ownerUserId) throw new ConflictError('error.accountChangedHands');
      const membership = to ? await kit.store.memberships.find(trx, toUserId, actor.accountId, now) : undefined;
      if (!to || !membership) throw InvalidInputError.field('toUserId', 'field.notMember');
      // An offer to someone whose access has ended could never be accepted (see acceptOwnership).
      if (membership.accessEnded) throw InvalidInputError.field('toUserId', 'field.accessEndedMember');
      // Nor to a suspended member: the account would pass to someone the owner has shut out.
      if (membership.suspendedAt) throw InvalidInputError.field('toUserId', 'field.suspendedMember');
      if (await standingOffer(kit, trx, actor.accountId)) {
        throw new ConflictError('error.transferPending');
      }
      const expiresAt = new Date(now.getTime() + TRANSFER_TTL_MS);
      const id = await kit.store.ownershipTransfers.insert(trx, { accountId: actor.accountId, fromUserId: account.ownerUserId, toUserId, expiresAt, now });
      const mails = await queue(
        kit,
        trx,
        id,
        [
          ['ownership_offer', to.email],
          ['ownership_offered', from?.email ?? ''],
        ],
        routesOf(actor),
        now,
        actor.locale,
      );
      const entry: ActivityEntry = {
        accountId: actor.accountId,
        ...actorFields(actor),
        subjectUserId: toUserId,
        subjectEmail: to.email,
        action: 'ownership.offered',
        details: { transferId: id, expiresAt: expiresAt.toISOString() },
      };
      await record(kit, trx, entry);
      return { row: (await kit.store.ownershipTransfers.findById(trx, id))!, entry, mails };
    });
  } catch (err) {
    // Two offers at once: the loser's insert hits the one-pending-per-account constraint.
    if (isUniqueViolation(err)) throw new ConflictError('error.transferPending');
    throw err;
  }
  emit(kit, done.entry);
  await deliverAll(kit, done.mails);
  return { transfer: toTransferView(kit, done.row) };
}

/** The owner withdraws the pending offer; its link stops working and the member is told. */
export async function cancelOwnershipOffer(kit: Kit, input: ActingInput): Promise<{ transfer: TransferView }> {
  const actor = await actingIn(kit, input);
  requireOwner(actor, 'error.ownerOnlyTransfer');
  const now = kit.now();
  // The member's address is read before the transaction (a host user store has its own connection).
  const seen = await kit.store.ownershipTransfers.findPending(kit.knex, actor.accountId);
  const to = seen ? await kit.users.findById(seen.toUserId) : undefined;
  const done = await writeTransaction(kit, async (trx) => {
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const pending = await standingOffer(kit, trx, actor.accountId);
    if (!pending) throw new NotFoundError('error.noTransferPending');
    if (pending.id !== seen?.id) throw new ConflictError('error.offerChanged');
    const entry = await endOffer(kit, trx, pending, actorFields(actor), now);
    const mails = await queue(kit, trx, pending.id, [['ownership_cancelled', to?.email ?? '']], routesOf(actor), now, actor.locale);
    return { row: (await kit.store.ownershipTransfers.findById(trx, pending.id))!, entry, mails };
  });
  emit(kit, done.entry);
  await deliverAll(kit, done.mails);
  return { transfer: toTransferView(kit, done.row) };
}

/** Marks a pending offer cancelled, stops its unsent link and records it, in the caller's transaction. */
async function endOffer(kit: Kit, trx: Knex.Transaction, pending: TransferRow, actor: Pick<ActivityEntry, 'actorUserId' | 'actorSystem' | 'ip'>, now: Date) {
  if (!(await kit.store.ownershipTransfers.finish(trx, pending.id, 'cancelled', now))) throw new ConflictError('error.offerNotPending');
  await kit.store.outbox.cancelTransferOffer(trx, pending.id);
  const entry: ActivityEntry = {
    accountId: pending.accountId,
    ...actor,
    subjectUserId: pending.toUserId,
    action: 'ownership.cancelled',
    details: { transferId: pending.id },
  };
  await record(kit, trx, entry);
  return entry;
}

/**
 * A member leaving or removed takes the offer made to them with them, in the same transaction
 * (which holds the account's lock, so an accept cannot slip in between). Returns the entry to emit.
 */
export async function cancelOfferTo(
  kit: Kit,
  trx: Knex.Transaction,
  accountId: number,
  userId: number,
  actor: Pick<ActivityEntry, 'actorUserId' | 'actorSystem' | 'ip'>,
): Promise<ActivityEntry | null> {
  const pending = await kit.store.ownershipTransfers.findPending(trx, accountId);
  if (!pending || pending.toUserId !== userId) return null;
  return endOffer(kit, trx, pending, actor, kit.now());
}

/**
 * An offer is void while its recipient's access to the account has ended: accepting it would make
 * them the owner (and clear their end date). 403, as every refusal of an ended member is; it names
 * the account and the date. Nothing is written: if the owner gives them access again, it stands again.
 * A suspended recipient is refused alike (suspending withdraws a standing offer; this covers a race).
 */
function refuseIfAccessEnded(membership: MembershipRow | undefined): void {
  if (membership?.suspendedAt) throw new ForbiddenError('error.offerSuspended', { account: membership.accountName });
  if (membership?.accessEnded && membership.accessUntil) {
    throw new ForbiddenError('error.offerAccessEnded', { account: membership.accountName, date: membership.accessUntil });
  }
}

/**
 * An offer as its recipient sees it, found by the link's token or, on their accounts page, by its
 * id: only theirs (another's id is simply not found), only while it stands. `forAccept`: refused
 * while their access has ended; a decline is always allowed.
 */
async function offerFor(kit: Kit, userId: number, ref: OfferRef, forAccept = true): Promise<TransferRow> {
  let row: TransferRow | undefined;
  if (ref.token !== undefined) {
    row = looksLikeInvitationToken(ref.token) ? await kit.store.ownershipTransfers.findByTokenHash(kit.knex, hashToken(ref.token)) : undefined;
    if (!row) throw new NotFoundError('error.noSuchOffer');
    if (row.toUserId !== userId) throw new ForbiddenError('error.offerForAnother');
  } else {
    row = await kit.store.ownershipTransfers.findById(kit.knex, ref.transferId);
    if (!row || row.toUserId !== userId) throw new NotFoundError('error.noSuchOffer');
  }
  if (!isLive(kit, row)) throw new ConflictError('error.offerExpired');
  if (forAccept) refuseIfAccessEnded(await kit.store.memberships.find(kit.knex, userId, row.accountId, kit.now()));
  return row;
}

export interface OwnershipOffer {
  transfer: TransferView;
  account: { id: number; name: string };
  from: { name: string } | null;
  /** The recipient's access to the account has ended (on `accessUntil`): the offer cannot be accepted. */
  accessEnded: boolean;
  accessUntil: Date | null;
}

const tokenSchema = z.string({ error: 'must be the token from the link' }).max(200, 'must be the token from the link');

/** Which offer: the email link's `token`, or (on the recipient's accounts page) its `transferId`. */
type OfferRef = { token: string; transferId?: undefined } | { token?: undefined; transferId: number };

/** The recipient and the offer they answer, by token or by id (exactly one of them). */
export interface OfferAnswerInput {
  userId?: unknown;
  token?: unknown;
  transferId?: unknown;
}

function parseOfferAnswer(input: OfferAnswerInput): { userId: number; ref: OfferRef } {
  if (input.transferId !== undefined && input.token === undefined) {
    const { userId, transferId } = parseInput(z.object({ userId: idSchema, transferId: idSchema }), { userId: input.userId, transferId: input.transferId });
    return { userId, ref: { transferId } };
  }
  const { userId, token } = parseInput(z.object({ userId: idSchema, token: tokenSchema }), { userId: input.userId, token: input.token });
  return { userId, ref: { token } };
}

/**
 * GET /transfer/:token: the offer, for the member it was made to. To accept (the default) it is
 * refused once their access has ended; to decline (the page asking "Decline ownership of …?") not.
 */
export async function showOwnershipOffer(kit: Kit, input: OfferAnswerInput, purpose: 'accept' | 'decline' = 'accept'): Promise<OwnershipOffer> {
  const { userId, ref } = parseOfferAnswer(input);
  return describe(kit, await offerFor(kit, userId, ref, purpose === 'accept'));
}

async function describe(kit: Kit, row: TransferRow): Promise<OwnershipOffer> {
  const [account, from, membership] = await Promise.all([
    kit.store.accounts.findById(kit.knex, row.accountId),
    kit.users.findById(row.fromUserId),
    kit.store.memberships.find(kit.knex, row.toUserId, row.accountId, kit.now()),
  ]);
  return {
    transfer: toTransferView(kit, row),
    account: { id: row.accountId, name: account?.name ?? '' },
    from: from ? { name: from.name } : null,
    accessEnded: membership?.accessEnded ?? false,
    accessUntil: membership?.accessUntil ?? null,
  };
}

/** Offers standing for a user, for their accounts page. */
export async function ownershipOffersFor(kit: Kit, input: { userId?: unknown }): Promise<OwnershipOffer[]> {
  const { userId } = parseInput(z.object({ userId: idSchema }), { userId: input.userId });
  const rows = (await kit.store.ownershipTransfers.pendingFor(kit.knex, userId)).filter((r) => isLive(kit, r));
  return Promise.all(rows.map((r) => describe(kit, r)));
}

/**
 * The member accepts: in one transaction, under the account's lock, they become the owner and
 * the previous owner stays as a member holding every permission. Both are told by email.
 */
export async function acceptOwnership(
  kit: Kit,
  input: OfferAnswerInput & { locale?: string },
  ip: string | null = null,
): Promise<{ account: { id: number; name: string; ownerUserId: number } }> {
  const { userId, ref } = parseOfferAnswer(input);
  const offer = await offerFor(kit, userId, ref);
  const users = new Map<number, AccountUser | undefined>(
    await Promise.all([offer.fromUserId, offer.toUserId].map(async (id) => [id, await kit.users.findById(id)] as const)),
  );
  const routes = `${kit.options.baseUrl}${kit.options.mountPath}/`;
  const now = kit.now();
  const done = await writeTransaction(kit, async (trx) => {
    await kit.store.accounts.lockForWrite(trx, offer.accountId);
    const row = await kit.store.ownershipTransfers.findById(trx, offer.id);
    if (!row || !isLive(kit, row)) throw new ConflictError('error.offerClosed');
    const membership = await kit.store.memberships.findForWrite(trx, userId, row.accountId, now);
    if (!membership) throw new ConflictError('error.noLongerMember');
    // Read again under the lock: the access may have ended (or been ended by the owner) since the link was opened.
    refuseIfAccessEnded(membership);
    if (!(await kit.store.accounts.setOwner(trx, row.accountId, row.fromUserId, userId))) throw new ConflictError('error.accountChangedHands');
    // A time-limited member who becomes the owner keeps the account for good.
    await kit.store.memberships.clearAccessUntil(trx, row.accountId, userId);
    // The previous owner stays, holding every permission; they may leave when they like.
    if (await kit.store.memberships.exists(trx, row.accountId, row.fromUserId)) {
      // The former owner keeps everything, also what the host adds later ("All permissions").
      await kit.store.memberships.updatePermissions(trx, row.accountId, row.fromUserId, kit.catalogue.toStored(kit.catalogue.keys, true), now);
    }
    await kit.store.ownershipTransfers.finish(trx, row.id, 'accepted', now);
    await kit.store.outbox.cancelTransferOffer(trx, row.id);
    const mails = await queue(
      kit,
      trx,
      row.id,
      [
        ['ownership_transferred', users.get(row.fromUserId)?.email ?? ''],
        ['ownership_transferred', users.get(row.toUserId)?.email ?? ''],
      ],
      routes,
      now,
      input.locale,
    );
    const entry: ActivityEntry = {
      accountId: row.accountId,
      actorUserId: userId,
      subjectUserId: row.fromUserId,
      action: 'ownership.transferred',
      details: { transferId: row.id, fromUserId: row.fromUserId, toUserId: userId },
      ip,
    };
    await record(kit, trx, entry);
    return { entry, mails, account: (await kit.store.accounts.findById(trx, row.accountId))! };
  });
  emit(kit, done.entry);
  await deliverAll(kit, done.mails);
  return { account: done.account };
}

/**
 * The member the offer was made to declines it: the offer ends (its link stops working), the
 * account keeps its owner and the member their access. Recorded in the activity log, under the
 * account's lock as every answer to an offer. Allowed even after their access ended.
 */
export async function declineOwnershipOffer(
  kit: Kit,
  input: OfferAnswerInput,
  ip: string | null = null,
): Promise<{ transfer: TransferView; account: { id: number; name: string } }> {
  const { userId, ref } = parseOfferAnswer(input);
  const offer = await offerFor(kit, userId, ref, false);
  const now = kit.now();
  const done = await writeTransaction(kit, async (trx) => {
    await kit.store.accounts.lockForWrite(trx, offer.accountId);
    const row = await kit.store.ownershipTransfers.findById(trx, offer.id);
    if (!row || !isLive(kit, row) || !(await kit.store.ownershipTransfers.finish(trx, row.id, 'declined', now))) {
      throw new ConflictError('error.offerClosed');
    }
    await kit.store.outbox.cancelTransferOffer(trx, row.id);
    const entry: ActivityEntry = {
      accountId: row.accountId,
      actorUserId: userId,
      subjectUserId: row.fromUserId,
      action: 'ownership.declined',
      details: { transferId: row.id },
      ip,
    };
    await record(kit, trx, entry);
    const account = await kit.store.accounts.findById(trx, row.accountId);
    return { entry, row: (await kit.store.ownershipTransfers.findById(trx, row.id))!, account: { id: row.accountId, name: account?.name ?? '' } };
  });
  emit(kit, done.entry);
  return { transfer: toTransferView(kit, done.row), account: done.account };
}

/** The account's standing offer, for the owner's transfer page; null when none stands. */
export async function pendingOwnershipOffer(kit: Kit, actor: Acting): Promise<TransferView | null> {
  requireOwner(actor, 'error.ownerOnlyTransfer');
  const row = await kit.store.ownershipTransfers.findPending(kit.knex, actor.accountId);
  return row && isLive(kit, row) ? toTransferView(kit, row) : null;
}
