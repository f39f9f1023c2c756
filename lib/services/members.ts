import { writeTransaction } from './transactions.js';
import { requireOwner, type Actor, type Kit } from './context.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { parseInput, permissionsSchema } from './input.js';
import { emit, record } from './activity.js';
import { z } from 'zod';
import type { ActivityEntry } from '../store/activity.js';
import type { MembershipRow } from '../store/memberships.js';
import type { AccountUser } from './user-store.js';

export interface MemberView {
  userId: number;
  name: string;
  email: string;
  isOwner: boolean;
  permissions: string[];
  lastLoginAt: Date | null;
  joinedAt: Date;
}

/** One member of the actor's account; a user of another account is simply not found. */
export async function getMember(kit: Kit, actor: Actor, userId: number): Promise<MemberView> {
  requireOwner(actor);
  const row = await kit.store.memberships.find(kit.knex, userId, actor.accountId);
  if (!row) throw new NotFoundError('No such user in this account.');
  return toMemberView(kit, row, await kit.users.findById(userId));
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
    lastLoginAt: user?.lastLoginAt ?? null,
    joinedAt: row.createdAt,
  };
}

export async function updatePermissions(kit: Kit, actor: Actor, userId: number, input: { permissions?: unknown }): Promise<MemberView> {
  requireOwner(actor);
  const { permissions } = parseInput(z.object({ permissions: permissionsSchema(kit.catalogue, { allowEmpty: true }) }), input);
  const now = kit.now();
  const entry = await writeTransaction(kit, async (trx) => {
    const row = await kit.store.memberships.find(trx, userId, actor.accountId);
    if (!row) throw new NotFoundError('No such user in this account.');
    if (row.userId === row.ownerUserId) {
      throw InvalidInputError.field('permissions', "the owner always holds every permission; the owner's row cannot be edited");
    }
    const from = kit.catalogue.normalise(row.permissions);
    await kit.store.memberships.updatePermissions(trx, actor.accountId, userId, permissions, now);
    const e: ActivityEntry = {
      accountId: actor.accountId,
      actorUserId: actor.userId,
      subjectUserId: userId,
      action: 'member.permissions_changed',
      details: { from, to: permissions },
      ip: actor.ip ?? null,
    };
    await record(kit, trx, e);
    return e;
  });
  emit(kit, entry);
  return getMember(kit, actor, userId);
}

/** Takes a user's access to this account away; their login and other accounts stay. */
export async function removeMember(kit: Kit, actor: Actor, userId: number): Promise<MemberView> {
  requireOwner(actor);
  const member = await getMember(kit, actor, userId);
  if (member.isOwner) throw InvalidInputError.field('userId', 'the account owner cannot be removed');
  const entry: ActivityEntry = {
    accountId: actor.accountId,
    actorUserId: actor.userId,
    subjectUserId: userId,
    subjectEmail: member.email || null,
    action: 'member.removed',
    details: { permissions: member.permissions },
    ip: actor.ip ?? null,
  };
  await writeTransaction(kit, async (trx) => {
    const n = await kit.store.memberships.delete(trx, actor.accountId, userId);
    if (n === 0) throw new NotFoundError('No such user in this account.');
    await record(kit, trx, entry);
  });
  emit(kit, entry);
  return member;
}

/** A member leaves an account of their own accord; the owner cannot (the account would have nobody in charge). */
export async function leaveAccount(kit: Kit, userId: number, accountId: number, ip: string | null): Promise<{ accountName: string }> {
  const row = await kit.store.memberships.find(kit.knex, userId, accountId);
  if (!row) throw new NotFoundError('No such account.');
  if (row.userId === row.ownerUserId) throw InvalidInputError.field('accountId', 'the owner cannot leave their own account');
  const entry: ActivityEntry = { accountId, actorUserId: userId, subjectUserId: userId, action: 'member.left', details: {}, ip };
  await writeTransaction(kit, async (trx) => {
    const n = await kit.store.memberships.delete(trx, accountId, userId);
    if (n === 0) throw new NotFoundError('No such account.');
    await record(kit, trx, entry);
  });
  emit(kit, entry);
  return { accountName: row.accountName };
}
