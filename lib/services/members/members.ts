import { writeTransaction } from '../../store/transactions.js';
import { withPreset, withPresetAll } from '../presets.js';
import { actorFields, requireManager, type Acting, type Kit } from '../context.js';
import { assertMayGrant, assertMayManageMember, boundedUntil, delegateAtWrite, isOwnMembership } from './delegation.js';
import { cancelOfferTo } from '../ownership/ownership.js';
import { actingIn, idSchema, type ActingInput } from '../acting.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../errors.js';
import { accessUntilSchema, allPermissionsSchema, normaliseEmail, parseInput, permissionsSchema } from '../input.js';
import type { Knex } from 'knex';
import { emit, record } from '../activity.js';
import { z } from 'zod';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import type { MembershipRow } from '../../store/accounts/memberships.js';
import type { AccountUser } from '../user-store.js';

export interface MemberView {
  userId: number;
  name: string;
  email: string;
  isOwner: boolean;
  /** Effective keys: the owner's and an "All permissions" member's are every key of the catalogue now. */
  permissions: string[];
  /** Owner, or "All permissions" chosen: permissions the host adds later are theirs too. */
  allPermissions: boolean;
  lastLoginAt: Date | null;
  joinedAt: Date;
  /** When the member's access ends (null: it does not). */
  accessUntil: Date | null;
  /** accessUntil has come: the member is refused until the owner extends or clears it. */
  accessEnded: boolean;
  /** Suspended: the membership keeps its permissions and end date but grants nothing until reinstated. */
  suspended: boolean;
  /** When it was suspended (null: it is not). */
  suspendedAt: Date | null;
  /** The reason given when suspending, if any (the member is told it). */
  suspendedReason: string | null;
}

export interface MemberInput extends ActingInput {
  userId?: unknown;
}

/** The acting owner, delegate or system actor, and the member's id, both checked. */
export async function managerAndMember(kit: Kit, input: MemberInput): Promise<{ actor: Acting; userId: number }> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  return { actor, userId: parseInput(z.object({ userId: idSchema }), { userId: input.userId }).userId };
}

export async function findMember(kit: Kit, actor: Acting, userId: number): Promise<MemberView> {
  const row = await kit.store.memberships.find(kit.knex, userId, actor.accountId, kit.now());
  if (!row) throw new NotFoundError('error.noSuchMember');
  return toMemberView(kit, row, await kit.users.findById(userId));
}

/** One member of the actor's account; a user of another account is simply not found. */
export async function getMember(kit: Kit, input: MemberInput): Promise<{ member: MemberView }> {
  const { actor, userId } = await managerAndMember(kit, input);
  return { member: await findMember(kit, actor, userId) };
}

export function toMemberView(kit: Kit, row: MembershipRow, user: AccountUser | undefined): MemberView {
  const isOwner = row.userId === row.ownerUserId;
  return {
    userId: row.userId,
    // A host-owned user row may be gone while the membership stays; show it rather than fail the page.
    name: user?.name ?? '(deleted user)',
    email: user?.email ?? '',
    isOwner,
    permissions: isOwner ? kit.catalogue.keys : kit.catalogue.normalise(row.permissions),
    allPermissions: isOwner || kit.catalogue.coversAll(row.permissions),
    lastLoginAt: user?.lastLoginAt ?? null,
    joinedAt: row.createdAt,
    accessUntil: row.accessUntil,
    accessEnded: row.accessEnded,
    suspended: row.suspendedAt !== null,
    suspendedAt: row.suspendedAt,
    suspendedReason: row.suspendedReason,
  };
}

/**
 * Replaces a member's permissions (none is allowed: the member keeps access to the account alone)
 * and, when `accessUntil` is given, when their access ends: a future date sets or extends it, null
 * (or an empty string) clears it, absent leaves it as it is. A time-limited delegate gives no
 * end later than their own (delegation.ts, limit 6): "no end" from them means the latest they may give,
 * and a permission they add ends the member's access no later than theirs.
 */
export async function setPermissions(
  kit: Kit,
  input: MemberInput & { permissions?: unknown; preset?: unknown; allPermissions?: unknown; accessUntil?: unknown },
): Promise<{ member: MemberView }> {
  const { actor, userId } = await managerAndMember(kit, input);
  const now = kit.now();
  const parsed = parseInput(
    z.object({
      permissions: permissionsSchema(kit.catalogue, { allowEmpty: true }),
      allPermissions: allPermissionsSchema,
      accessUntil: accessUntilSchema(now),
    }),
    {
      permissions: withPreset(kit, input.permissions, input.preset),
      allPermissions: withPresetAll(kit, input.allPermissions, input.preset),
      accessUntil: input.accessUntil,
    },
  );
  const { accessUntil } = parsed;
  const all = parsed.allPermissions;
  // As stored ("All permissions" kept as such) and as held now (every key it covers today).
  const stored = kit.catalogue.toStored(parsed.permissions, all);
  const permissions = kit.catalogue.normalise(stored);
  if (isOwnMembership(actor, { userId })) throw new ForbiddenError('error.delegateOwnMembership');
  assertMayGrant(kit, actor, parsed.permissions, all);
  const entry = await writeTransaction(kit, async (trx) => {
    // The account's lock, then both rows read for the write: an owner's grant racing this edit
    // either lands first (and the delegate's checks see it) or waits for this edit to commit.
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const { actor: current, until: ownUntil } = await delegateAtWrite(kit, trx, actor, now);
    assertMayGrant(kit, current, parsed.permissions, all);
    const row = await kit.store.memberships.findForWrite(trx, userId, actor.accountId, now);
    if (!row) throw new NotFoundError('error.noSuchMember');
    assertMayManageMember(kit, current, toMemberView(kit, row, undefined));
    if (row.userId === row.ownerUserId) {
      throw InvalidInputError.field('permissions', 'field.ownerRow');
    }
    const from = kit.catalogue.normalise(row.permissions);
    // A permission the member did not hold is new access: from a time-limited delegate it ends with theirs.
    const adds = permissions.some((k) => !from.includes(k)) || (all && !kit.catalogue.coversAll(row.permissions));
    const until = boundedUntil(ownUntil, accessUntil, row.accessUntil, adds);
    await kit.store.memberships.updatePermissions(trx, actor.accountId, userId, stored, now, until);
    const e: ActivityEntry = {
      accountId: actor.accountId,
      ...actorFields(actor),
      subjectUserId: userId,
      action: 'member.permissions_changed',
      details: {
        from,
        to: permissions,
        // Only when it changed: "All permissions" given or taken back.
        ...(all !== kit.catalogue.coversAll(row.permissions) ? { allPermissions: { from: !all, to: all } } : {}),
        // Only when it changed: the activity log says who extended or ended whose access, and when.
        ...(until !== undefined && (until?.getTime() ?? null) !== (row.accessUntil?.getTime() ?? null)
          ? { accessUntilFrom: row.accessUntil?.toISOString() ?? null, accessUntil: until?.toISOString() ?? null }
          : {}),
      },
    };
    await record(kit, trx, e);
    return e;
  });
  emit(kit, entry);
  return { member: await findMember(kit, actor, userId) };
}

/** Takes a user's access to this account away; their login and other accounts stay. */
export async function removeMember(kit: Kit, input: MemberInput): Promise<{ member: MemberView }> {
  const { actor, userId } = await managerAndMember(kit, input);
  const member = await findMember(kit, actor, userId);
  assertMayManageMember(kit, actor, member);
  if (member.isOwner) throw InvalidInputError.field('userId', 'field.ownerNotRemovable');
  const entry: ActivityEntry = {
    accountId: actor.accountId,
    ...actorFields(actor),
    subjectUserId: userId,
    subjectEmail: member.email || null,
    action: 'member.removed',
    details: { permissions: member.permissions },
  };
  const cancelled = await writeTransaction(kit, async (trx) => {
    // Under the account's lock, as an ownership transfer's accept: a member is never removed
    // while becoming the owner, nor made the owner once removed.
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const { actor: current } = await delegateAtWrite(kit, trx, actor, kit.now());
    const row = await kit.store.memberships.findForWrite(trx, userId, actor.accountId, kit.now());
    if (!row) throw new NotFoundError('error.noSuchMember');
    if (row.userId === row.ownerUserId) throw InvalidInputError.field('userId', 'field.ownerNotRemovable');
    // A delegate's limits, checked again on the rows as they are now: an owner may have granted more meanwhile.
    assertMayManageMember(kit, current, toMemberView(kit, row, undefined));
    const offer = await cancelOfferTo(kit, trx, actor.accountId, userId, actorFields(actor));
    await keepForRestore(kit, trx, row, member.email, actor);
    const n = await kit.store.memberships.delete(trx, actor.accountId, userId);
    if (n === 0) throw new NotFoundError('error.noSuchMember');
    await record(kit, trx, entry);
    return offer;
  });
  if (cancelled) emit(kit, cancelled);
  emit(kit, entry);
  return { member };
}

/** The moment before which a removal can no longer be restored (`limits.restoreWindowMs`). */
export function restoreWindowStart(kit: Kit, now: Date): Date {
  return new Date(now.getTime() - kit.options.limits.restoreWindowMs);
}

/**
 * What the removal takes away, kept for the restore window (lifecycle.ts restores it): the
 * permissions as stored, the end date and a suspension. Every removal by a manager writes one, in
 * its own transaction: removeMember's and an applied roster's (reconcile.ts), so a member a roster
 * left out is restorable exactly as one removed by the button. The account's rows past the window
 * go; a roster removing many passes `pruned: true` after its first, so they go once.
 */
export async function keepForRestore(kit: Kit, trx: Knex.Transaction, row: MembershipRow, email: string, actor: Acting, pruned = false): Promise<void> {
  const now = kit.now();
  if (!pruned) await kit.store.removedMembers.deleteBefore(trx, row.accountId, restoreWindowStart(kit, now));
  if (kit.options.limits.restoreWindowMs === 0) return;
  await kit.store.removedMembers.put(trx, {
    accountId: row.accountId,
    userId: row.userId,
    email: normaliseEmail(email),
    // As stored: "All permissions" is restored as such.
    permissions: kit.catalogue.toStored(row.permissions, kit.catalogue.coversAll(row.permissions)),
    accessUntil: row.accessUntil,
    suspension: row.suspendedAt ? { at: row.suspendedAt, by: row.suspendedBy, reason: row.suspendedReason } : null,
    removedBy: actor.userId,
    removedAt: now,
  });
}

/** A member leaves an account of their own accord; the owner cannot (the account would have nobody in charge). */
export async function leaveAccount(kit: Kit, userId: number, accountId: number, ip: string | null): Promise<{ accountName: string }> {
  const row = await kit.store.memberships.find(kit.knex, userId, accountId, kit.now());
  if (!row) throw new NotFoundError('error.noSuchAccount');
  if (row.userId === row.ownerUserId) throw InvalidInputError.field('accountId', 'field.ownerCannotLeave');
  const entry: ActivityEntry = { accountId, actorUserId: userId, subjectUserId: userId, action: 'member.left', details: {}, ip };
  const cancelled = await writeTransaction(kit, async (trx) => {
    await kit.store.accounts.lockForWrite(trx, accountId);
    const current = await kit.store.memberships.find(trx, userId, accountId, kit.now());
    if (!current) throw new NotFoundError('error.noSuchAccount');
    // The owner may have changed meanwhile (an ownership transfer to this member).
    if (current.userId === current.ownerUserId) throw InvalidInputError.field('accountId', 'field.ownerCannotLeave');
    const offer = await cancelOfferTo(kit, trx, accountId, userId, { actorUserId: userId, actorSystem: null, ip });
    const n = await kit.store.memberships.delete(trx, accountId, userId);
    if (n === 0) throw new NotFoundError('error.noSuchAccount');
    await record(kit, trx, entry);
    return offer;
  });
  if (cancelled) emit(kit, cancelled);
  emit(kit, entry);
  return { accountName: row.accountName };
}
