import { PermissionNames } from '../i18n/values.js';
import type { Acting, Kit } from './context.js';
import { ForbiddenError } from '../errors.js';

/**
 * The limits on a delegate (a member holding `manageusers`), decided here so that the pages,
 * the JSON routes and au.api refuse alike. The owner and a system actor are never limited.
 *
 * 1. A delegate grants only permissions they hold themselves.
 * 2. A delegate never edits or removes the owner.
 * 3. A delegate never edits or removes a member holding a permission they lack.
 * 4. A delegate never transfers ownership (that service calls requireOwner).
 *
 * An invitation counts as what it would grant: a delegate resends, cancels or re-arms only an
 * invitation whose permissions they hold, or resending an owner's invitation would grant more.
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

/** Limit 1: every key granted is one the actor holds. */
export function assertMayGrant(kit: Kit, actor: Acting, permissions: readonly string[]): void {
  const missing = lacking(actor, permissions);
  if (missing.length) throw new ForbiddenError('error.delegateCannotGrant', { permissions: names(kit, missing) });
}

/** May the actor edit or remove this member? For the pages: they show only what the viewer may do. */
export function mayManageMember(actor: Acting, member: { isOwner: boolean; permissions: readonly string[] }): boolean {
  if (!isLimited(actor)) return !member.isOwner;
  return !member.isOwner && lacking(actor, member.permissions).length === 0;
}

/** Limits 2 and 3, for a member about to be edited or removed. */
export function assertMayManageMember(kit: Kit, actor: Acting, member: { isOwner: boolean; permissions: readonly string[] }): void {
  if (!isLimited(actor)) return;
  if (member.isOwner) throw new ForbiddenError('error.ownerUntouchable');
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
