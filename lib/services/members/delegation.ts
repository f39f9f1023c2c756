import type { Knex } from 'knex';
import { PermissionNames } from '../../i18n/values.js';
import { requireManager, type Acting, type Kit } from '../context.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../errors.js';
import { accessEndedError, suspendedError } from '../access.js';
import { toMembership } from '../accounts/accounts.js';

/**
 * The limits on a delegate (a member holding `manageusers`), decided here so that the pages,
 * the JSON routes and au.api refuse alike. The owner and a system actor are never limited.
 *
 * 1. A delegate grants only permissions they hold themselves.
 * 2. A delegate never edits or removes the owner.
 * 3. A delegate never edits or removes a member holding a permission they lack.
 * 4. A delegate never transfers ownership (that service calls requireOwner).
 * 5. A delegate never changes or removes their own membership (leaving, on the accounts page, stays theirs):
 *    a time-limited delegate would otherwise clear their own end date.
 * 6. Whatever access a time-limited delegate grants ends no later than their own (boundedUntil):
 *    an invitation, a member's new end date, a revived member, a permission a member did not hold.
 *
 * An invitation counts as what it would grant: a delegate resends, cancels or re-arms only an
 * invitation whose permissions they hold, or resending an owner's invitation would grant more.
 *
 * The writing services decide on the delegate as they are at the write (delegateAtWrite) and on the
 * target's row read for the write, under the account's lock: an owner's change racing a delegate's
 * is never lost to a check that read the rows before it.
 */
export function isLimited(actor: Acting): boolean {
  return !actor.isOwner;
}

/** The keys of `keys` the actor does not hold (none for the owner or a system actor). */
export function lacking(actor: Acting, keys: readonly string[]): string[] {
  if (!isLimited(actor)) return [];
  return keys.filter((k) => !actor.permissions.includes(k));
}

const names = (kit: Kit, keys: readonly string[]) =>
  new PermissionNames(
    keys,
    keys.map((k) => kit.catalogue.label(k)),
  );

/**
 * Limit 1: every key granted is one the actor holds. "All permissions" (`all`), which also grants
 * what the host adds later, only from someone who holds it themselves.
 */
export function assertMayGrant(kit: Kit, actor: Acting, permissions: readonly string[], all = false): void {
  const missing = lacking(actor, permissions);
  if (missing.length) throw new ForbiddenError('error.delegateCannotGrant', { permissions: names(kit, missing) });
  if (all && isLimited(actor) && actor.allPermissions !== true) throw new ForbiddenError('error.delegateCannotGrantAll');
}

type ManagedMember = { userId: number; isOwner: boolean; permissions: readonly string[] };

/** Is this the delegate's own membership (limit 5)? */
export function isOwnMembership(actor: Acting, member: { userId: number }): boolean {
  return isLimited(actor) && actor.userId !== null && actor.userId === member.userId;
}

/** May the actor edit or remove this member? For the pages: they show only what the viewer may do. */
export function mayManageMember(actor: Acting, member: ManagedMember): boolean {
  if (!isLimited(actor)) return !member.isOwner;
  return !member.isOwner && !isOwnMembership(actor, member) && lacking(actor, member.permissions).length === 0;
}

/** Limits 2, 3 and 5, for a member about to be edited or removed. */
export function assertMayManageMember(kit: Kit, actor: Acting, member: ManagedMember): void {
  if (!isLimited(actor)) return;
  if (member.isOwner) throw new ForbiddenError('error.ownerUntouchable');
  if (isOwnMembership(actor, member)) throw new ForbiddenError('error.delegateOwnMembership');
  const missing = lacking(actor, member.permissions);
  if (missing.length) {
    throw new ForbiddenError('error.memberBeyondYou', { permissions: names(kit, missing) });
  }
}

/** May the actor resend, cancel or re-arm this invitation? */
export function mayManageInvitation(actor: Acting, invitation: { permissions: readonly string[] }): boolean {
  return lacking(actor, invitation.permissions).length === 0;
}

export function assertMayManageInvitation(kit: Kit, actor: Acting, invitation: { permissions: readonly string[] }): void {
  const missing = lacking(actor, invitation.permissions);
  if (missing.length) {
    throw new ForbiddenError('error.invitationBeyondYou', { permissions: names(kit, missing) });
  }
}

/**
 * The actor as they are now, read in the writing transaction after the account's lock: an owner
 * may have changed a delegate's permissions or end date since the request's guard read them.
 * `until`: when the delegate's own access ends (null for the owner, a system actor, or no end).
 */
export async function delegateAtWrite(kit: Kit, trx: Knex.Transaction, actor: Acting, now: Date): Promise<{ actor: Acting; until: Date | null }> {
  if (!isLimited(actor) || actor.userId === null) return { actor, until: null };
  const row = await kit.store.memberships.findForWrite(trx, actor.userId, actor.accountId, now);
  if (!row) throw new NotFoundError('error.noSuchAccount');
  // Suspended since the request's guard let them through: they act no more.
  if (row.suspendedAt) throw suspendedError(row.accountName);
  if (row.accessEnded && row.accessUntil) throw accessEndedError(row.accountName, row.accessUntil);
  const { isOwner, permissions, allPermissions } = toMembership(kit, row);
  const current: Acting = { ...actor, isOwner, permissions, allPermissions };
  requireManager(kit, current);
  return { actor: current, until: isOwner ? null : row.accessUntil };
}

/** When a delegate's own access ends, for the forms' hint; null for the owner, a system actor, or no end. */
export async function ownAccessEnd(kit: Kit, actor: Acting): Promise<Date | null> {
  if (!isLimited(actor) || actor.userId === null) return null;
  return (await kit.store.memberships.find(kit.knex, actor.userId, actor.accountId, kit.now()))?.accessUntil ?? null;
}

/**
 * Limit 6: the end date a delegate whose own access ends at `own` may give. `requested`: what they
 * asked for (undefined: leave it as it is; null or empty: no end). `current`: the member's end date
 * now (absent for an invitation; null: no end). A delegate may keep or shorten a member's access,
 * and lengthen it up to their own end: "no end" becomes the latest date they may give (their own
 * end, or the member's current one when that is later), and an explicit later date is refused with
 * a field error naming their own end. Nothing to bound for an actor whose access does not end.
 *
 * `adds`: the edit gives the member a permission they did not hold. That is new access from this
 * delegate, so it ends with theirs like an invitation does, whatever end the member had: a member
 * the owner left without an end date (or with a later one) is cut to the delegate's end, even when
 * the date is left as it is. Otherwise a contractor could hand `manageusers` to a colleague with no
 * end, and that colleague revive the contractor once their access ended.
 */
export function boundedUntil(own: Date | null, requested: Date | null | undefined, current?: Date | null, adds = false): Date | null | undefined {
  if (own === null) return requested;
  const outlasts = (d: Date | null) => d === null || d.getTime() > own.getTime();
  if (requested === undefined) return adds && current !== undefined && outlasts(current) ? own : requested;
  // The latest end allowed; null: none (the member's access has no end, so nothing given is longer).
  const ceiling = current === undefined || adds ? own : current === null ? null : outlasts(current) ? current : own;
  if (ceiling === null) return requested;
  if (requested === null) return ceiling;
  if (requested.getTime() > ceiling.getTime()) throw InvalidInputError.field('accessUntil', 'field.beyondYourAccess', { date: own });
  return requested;
}

/** An invitation a time-limited delegate sends again grants no more than they could: its end date is cut to theirs. */
export function cappedUntil(own: Date | null, until: Date | null): Date | null {
  if (own === null) return until;
  return until === null || until.getTime() > own.getTime() ? own : until;
}
