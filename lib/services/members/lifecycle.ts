import { z } from 'zod';
import type { Knex } from 'knex';
import { actorFields, requireManager, type Acting, type Kit } from '../context.js';
import { assertMayGrant, assertMayManageMember, cappedUntil, delegateAtWrite, isOwnMembership } from './delegation.js';
import { findMember, managerAndMember, restoreWindowStart, toMemberView, type MemberInput, type MemberView } from './members.js';
import { cancelOfferTo } from '../ownership/ownership.js';
import { actingIn, type ActingInput } from '../acting.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../errors.js';
import { emailSchema, idSchema, parseInput } from '../input.js';
import { emit, findUsers, record } from '../activity.js';
import { writeTransaction } from '../../store/transactions.js';
import { withoutBidiControls } from '../../i18n/bidi.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import type { MemberMailKind } from '../../store/outbox.js';
import type { RemovedMemberRow } from '../../store/accounts/removed-members.js';

/*
 * A member's standing over time: suspended and reinstated (the membership stays, granting nothing
 * meanwhile), and a removed member restored within `limits.restoreWindowMs` with exactly what the
 * removal took away. Within the delegation rules (delegation.ts): a delegate never suspends,
 * reinstates or restores themselves, the owner, or someone holding a permission they lack, and a
 * time-limited delegate's restore ends no later than their own access.
 */

/** Why the member is suspended, as the member is told it: one line, 500 characters at most; empty is none. */
const reasonSchema = z
  .union([z.string({ error: 'field.invalid' }), z.null(), z.undefined()], { error: 'field.invalid' })
  .transform((v) => (typeof v === 'string' ? withoutBidiControls(v).replace(/\s+/g, ' ').trim() : ''))
  .pipe(z.string().max(500, 'field.tooLong'))
  .transform((v) => (v === '' ? null : v));

/** The accounts page, where the member's emails point. */
const accountsPage = (actor: Acting) => `${actor.linkPrefix.replace(/accept\/$/, '')}accounts`;

/** Queues the email telling a member of their suspension or reinstatement (also for a roster's, reconcile.ts). */
export async function queueMemberMail(
  kit: Kit,
  trx: Knex.Transaction,
  actor: Acting,
  kind: MemberMailKind,
  userId: number,
  email: string | undefined,
  now: Date,
): Promise<number | null> {
  if (!email) return null;
  // In the member's own language when known (lib/mail/outbox.ts); not the actor's.
  return kit.store.outbox.enqueueMemberMail(trx, {
    kind,
    accountId: actor.accountId,
    userId,
    recipient: email,
    linkPrefix: accountsPage(actor),
    now,
    locale: null,
  });
}

async function deliver(kit: Kit, outboxId: number | null): Promise<void> {
  // A failed first attempt stays queued for the worker.
  if (outboxId !== null) await kit.deliver(outboxId);
}

/**
 * Suspends a member: at once, the guard, au.api.can, au.api as that actor and the account switcher
 * refuse them in this account (the guard's own statement reads the column). Their permissions, end
 * date and history stay; an ownership offer made to them is withdrawn. They are emailed, with the
 * reason when one is given.
 */
export async function suspendMember(kit: Kit, input: MemberInput & { reason?: unknown }): Promise<{ member: MemberView }> {
  const { actor, userId } = await managerAndMember(kit, input);
  const { reason } = parseInput(z.object({ reason: reasonSchema }), { reason: input.reason });
  if (isOwnMembership(actor, { userId })) throw new ForbiddenError('error.delegateOwnMembership');
  // Read before the transaction: a host user store reads through its own connection.
  const user = await kit.users.findById(userId);
  const now = kit.now();
  const done = await writeTransaction(kit, async (trx) => {
    // The account's lock, then both rows as they are now (delegation.ts, delegateAtWrite).
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const { actor: current } = await delegateAtWrite(kit, trx, actor, now);
    const row = await kit.store.memberships.findForWrite(trx, userId, actor.accountId, now);
    if (!row) throw new NotFoundError('error.noSuchMember');
    assertMayManageMember(kit, current, toMemberView(kit, row, undefined));
    if (row.userId === row.ownerUserId) throw InvalidInputError.field('userId', 'field.ownerNotSuspendable');
    if (row.suspendedAt) throw new ConflictError('error.alreadySuspended');
    await kit.store.memberships.setSuspension(trx, actor.accountId, userId, { at: now, by: actor.userId, reason }, now);
    const offer = await cancelOfferTo(kit, trx, actor.accountId, userId, actorFields(actor));
    const mail = await queueMemberMail(kit, trx, actor, 'member_suspended', userId, user?.email, now);
    const entry: ActivityEntry = {
      accountId: actor.accountId,
      ...actorFields(actor),
      subjectUserId: userId,
      subjectEmail: user?.email ?? null,
      action: 'member.suspended',
      details: reason ? { reason } : {},
    };
    await record(kit, trx, entry);
    return { entry, offer, mail };
  });
  if (done.offer) emit(kit, done.offer);
  emit(kit, done.entry);
  await deliver(kit, done.mail);
  return { member: await findMember(kit, actor, userId) };
}

/** Lifts a suspension: the membership grants again exactly what it held (nothing else changes). The member is emailed. */
export async function reinstateMember(kit: Kit, input: MemberInput): Promise<{ member: MemberView }> {
  const { actor, userId } = await managerAndMember(kit, input);
  if (isOwnMembership(actor, { userId })) throw new ForbiddenError('error.delegateOwnMembership');
  const user = await kit.users.findById(userId);
  const now = kit.now();
  const done = await writeTransaction(kit, async (trx) => {
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const { actor: current } = await delegateAtWrite(kit, trx, actor, now);
    const row = await kit.store.memberships.findForWrite(trx, userId, actor.accountId, now);
    if (!row) throw new NotFoundError('error.noSuchMember');
    assertMayManageMember(kit, current, toMemberView(kit, row, undefined));
    if (!row.suspendedAt) throw new ConflictError('error.notSuspended');
    await kit.store.memberships.setSuspension(trx, actor.accountId, userId, null, now);
    const mail = await queueMemberMail(kit, trx, actor, 'member_reinstated', userId, user?.email, now);
    const entry: ActivityEntry = {
      accountId: actor.accountId,
      ...actorFields(actor),
      subjectUserId: userId,
      subjectEmail: user?.email ?? null,
      action: 'member.reinstated',
      details: { suspendedAt: row.suspendedAt.toISOString() },
    };
    await record(kit, trx, entry);
    return { entry, mail };
  });
  emit(kit, done.entry);
  await deliver(kit, done.mail);
  return { member: await findMember(kit, actor, userId) };
}

/** A removed member who can still be restored, as the users page and the invite form show them. */
export interface RemovedMemberView {
  userId: number;
  /** The login's name now; null when the login is gone (then only a new invitation brings them back). */
  name: string | null;
  /** The address at removal. */
  email: string;
  /** What they held when removed: a restore gives back exactly this. */
  permissions: string[];
  /** They held "All permissions": a restore gives it back, covering permissions added since. */
  allPermissions: boolean;
  accessUntil: Date | null;
  /** Removed while suspended: restored suspended. */
  suspended: boolean;
  removedAt: Date;
  /** Until when they can be restored. */
  restorableUntil: Date;
  /** The login still exists, so the owner (or a delegate within their limits) can restore them directly. */
  loginExists: boolean;
}

export function toRemovedView(kit: Kit, row: RemovedMemberRow, name: string | null): RemovedMemberView {
  return {
    userId: row.userId,
    name,
    email: row.email,
    permissions: kit.catalogue.normalise(row.permissions),
    allPermissions: kit.catalogue.coversAll(row.permissions),
    accessUntil: row.accessUntil,
    suspended: row.suspension !== null,
    removedAt: row.removedAt,
    restorableUntil: new Date(row.removedAt.getTime() + kit.options.limits.restoreWindowMs),
    loginExists: name !== null,
  };
}

/** How many recently removed members the users page lists. */
export const MOST_REMOVED = 50;

/** The account's members removed within the restore window, newest first (at most 50). */
export async function listRemovedMembers(kit: Kit, input: ActingInput): Promise<{ items: RemovedMemberView[] }> {
  const actor = await actingIn(kit, input);
  return { items: await removedMembersOf(kit, actor) };
}

/** listRemovedMembers for an actor already resolved (the users page). */
export async function removedMembersOf(kit: Kit, actor: Acting): Promise<RemovedMemberView[]> {
  requireManager(kit, actor);
  const rows = await kit.store.removedMembers.listForAccount(kit.knex, actor.accountId, restoreWindowStart(kit, kit.now()), MOST_REMOVED);
  const users = new Map(
    (
      await findUsers(
        kit,
        rows.map((r) => r.userId),
      )
    ).map((u) => [u.id, u.name]),
  );
  return rows.map((r) => toRemovedView(kit, r, users.get(r.userId) ?? null));
}

/**
 * What a removed member held, for the invite form's "restore their previous permissions": by the
 * address typed (or the user's id). Null when nobody with it was removed within the window. A
 * delegate is refused a member who held a permission they lack, as they could not invite them with it.
 */
export async function previousMembership(kit: Kit, input: ActingInput & { email?: unknown; userId?: unknown }): Promise<RemovedMemberView | null> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const since = restoreWindowStart(kit, kit.now());
  let row: RemovedMemberRow | undefined;
  if (input.userId !== undefined) {
    const { userId } = parseInput(z.object({ userId: idSchema }), { userId: input.userId });
    row = await kit.store.removedMembers.find(kit.knex, actor.accountId, userId, since);
  } else {
    const { email } = parseInput(z.object({ email: emailSchema }), { email: input.email });
    row = await kit.store.removedMembers.findByEmail(kit.knex, actor.accountId, email, since);
  }
  if (!row) return null;
  assertMayManageMember(kit, actor, { userId: row.userId, isOwner: false, permissions: kit.catalogue.normalise(row.permissions) });
  const user = await kit.users.findById(row.userId);
  return toRemovedView(kit, row, user?.name ?? null);
}

/**
 * Brings a removed member back within the restore window, with exactly what the removal took:
 * the permissions, the end date (a time-limited delegate's restore ends no later than their own
 * access) and a suspension. Only while the login exists; it is emailed. After the window, or for
 * someone never removed: not found. Someone who is a member again: a conflict.
 */
export async function restoreMember(kit: Kit, input: MemberInput): Promise<{ member: MemberView }> {
  const { actor, userId } = await managerAndMember(kit, input);
  if (isOwnMembership(actor, { userId })) throw new ForbiddenError('error.delegateOwnMembership');
  const user = await kit.users.findById(userId);
  if (!user) throw new NotFoundError('error.notRestorable');
  const now = kit.now();
  const done = await writeTransaction(kit, async (trx) => {
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const { actor: current, until: ownUntil } = await delegateAtWrite(kit, trx, actor, now);
    const row = await kit.store.removedMembers.findForWrite(trx, actor.accountId, userId, restoreWindowStart(kit, now));
    if (!row) throw new NotFoundError('error.notRestorable');
    if (await kit.store.memberships.exists(trx, actor.accountId, userId)) throw new ConflictError('error.alreadyMemberAgain');
    const permissions = kit.catalogue.normalise(row.permissions);
    const all = kit.catalogue.coversAll(row.permissions);
    assertMayManageMember(kit, current, { userId, isOwner: false, permissions });
    // Giving back "All permissions" is granting it: only from someone who holds it.
    assertMayGrant(kit, current, [], all);
    const accessUntil = cappedUntil(ownUntil, row.accessUntil);
    await kit.store.memberships.insert(trx, {
      accountId: actor.accountId,
      userId,
      permissions: kit.catalogue.toStored(permissions, all),
      invitedBy: actor.userId,
      accessUntil,
      suspension: row.suspension,
      now,
    });
    await kit.store.removedMembers.delete(trx, actor.accountId, userId);
    const mail = await queueMemberMail(kit, trx, actor, 'member_restored', userId, user.email, now);
    const entry: ActivityEntry = {
      accountId: actor.accountId,
      ...actorFields(actor),
      subjectUserId: userId,
      subjectEmail: user.email,
      action: 'member.restored',
      details: {
        permissions,
        ...(all ? { allPermissions: true } : {}),
        removedAt: row.removedAt.toISOString(),
        ...(accessUntil ? { accessUntil: accessUntil.toISOString() } : {}),
        ...(row.suspension ? { suspended: true } : {}),
      },
    };
    await record(kit, trx, entry);
    return { entry, mail };
  });
  emit(kit, done.entry);
  await deliver(kit, done.mail);
  return { member: await findMember(kit, actor, userId) };
}
