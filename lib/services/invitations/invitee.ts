import { z } from 'zod';
import type { Kit } from '../context.js';
import { NotFoundError } from '../../errors.js';
import { idSchema } from '../input.js';
import { normaliseEmail, parseInput } from '../input.js';
import { findUsers } from '../activity.js';
import { toInvitationView, type InvitationView } from './invitations.js';
import { decline, joinAccount, refuseIfMember, throwIfGone, type InvitationDetails } from './invitation-answers.js';
import type { AccountMembership } from '../accounts/accounts.js';
import type { AccountUser } from '../user-store.js';
import { requireVerifiedAddress } from '../verification/address.js';

/** More than anyone is invited to at once; the list stays one bounded query. */
const MOST_WAITING = 100;

/** An invitation waiting for the signed-in user, as their accounts page lists it. */
export interface WaitingInvitation {
  id: number;
  account: { id: number; name: string };
  /**
   * The inviting user's name; null when that user is gone or the host's staff or a job invited (a
   * `system` name is the host's own word, not shown to invitees, as neither the email nor the link's page does).
   */
  inviter: { name: string } | null;
  permissions: string[];
  expiresAt: Date;
}

const userIdInput = z.object({ userId: idSchema });
const byIdInput = z.object({ userId: idSchema, invitationId: idSchema });

/**
 * The invitee acting in the app, without the email's link: only a login whose address something
 * proved (EmailUnverifiedError, 403, otherwise). Anyone may sign up with any address; an address
 * nobody proved says nothing about who reads its mail, so it cannot stand in for the link.
 */
async function verifiedUserById(kit: Kit, userId: number): Promise<AccountUser> {
  const user = await kit.users.findById(userId);
  if (!user) throw new NotFoundError('error.noSuchUser');
  requireVerifiedAddress(user);
  return user;
}

/** Pending, unexpired invitations addressed to the user's verified email, oldest first. */
export async function invitationsFor(kit: Kit, input: { userId?: unknown }): Promise<WaitingInvitation[]> {
  const { userId } = parseInput(userIdInput, input);
  const user = await verifiedUserById(kit, userId);
  const rows = await kit.store.invitations.listPendingForEmail(kit.knex, normaliseEmail(user.email), kit.now(), MOST_WAITING);
  const inviters = new Map((await findUsers(kit, [...new Set(rows.map((r) => r.invitedBy).filter((id) => id > 0))])).map((u) => [u.id, u.name]));
  return rows.map((r) => {
    const name = inviters.get(r.invitedBy);
    return {
      id: r.id,
      account: { id: r.accountId, name: r.accountName },
      inviter: name === undefined ? null : { name },
      permissions: kit.catalogue.normalise(r.permissions),
      expiresAt: r.expiresAt,
    };
  });
}

/**
 * An invitation the user may act on by id: only one sent to their own, verified address (whatever
 * requireMatchingEmail says: without the link, the proved address is the only proof). Any other id
 * is simply not found, so ids never reveal other people's invitations; an unverified login is
 * refused before any invitation is read.
 */
async function addressedTo(kit: Kit, input: { userId?: unknown; invitationId?: unknown }): Promise<{ user: AccountUser; details: InvitationDetails }> {
  const { userId, invitationId } = parseInput(byIdInput, input);
  const user = await verifiedUserById(kit, userId);
  const row = await kit.store.invitations.findById(kit.knex, invitationId);
  if (!row || row.email !== normaliseEmail(user.email)) throw new NotFoundError('error.noSuchInvitation');
  const account = await kit.store.accounts.findById(kit.knex, row.accountId);
  if (!account) throw new NotFoundError('error.noSuchInvitation');
  throwIfGone(row, account.name, kit.now());
  return {
    user,
    details: {
      invitation: toInvitationView(kit, row, undefined),
      tokenHash: null,
      updatedAt: row.updatedAt,
      account: { id: account.id, name: account.name },
      inviter: null,
    },
  };
}

/** The signed-in invitee accepts in the app, without the email's link. */
export async function acceptInvitation(
  kit: Kit,
  input: { userId?: unknown; invitationId?: unknown },
  ip: string | null = null,
): Promise<{ membership: AccountMembership }> {
  const { user, details } = await addressedTo(kit, input);
  await refuseIfMember(kit, details, user.id);
  const { membership } = await joinAccount(kit, details, user, ip);
  return { membership };
}

/** The signed-in invitee declines in the app. */
export async function declineInvitation(
  kit: Kit,
  input: { userId?: unknown; invitationId?: unknown },
  ip: string | null = null,
): Promise<{ invitation: InvitationView; account: { id: number; name: string } }> {
  const { user, details } = await addressedTo(kit, input);
  return decline(kit, details, user.id, ip);
}
