import { requireOwner, type Actor, type Kit } from './context.js';
import type { Cursor } from './input.js';
import { findUsers, PAGE_SIZE } from './activity.js';
import { toMemberView, type MemberView } from './members.js';
import { toInvitationView, type InvitationView } from './invitations.js';

export interface UsersPage {
  members: MemberView[];
  /** Cursors of the next and previous page of members (null at either end). */
  membersPage: { next: number | null; previous: number | null };
  invitations: Array<InvitationView & { inviterName: string | null }>;
  /** Cursors of the next (older) and previous (newer) page of invitations. */
  invitationsPage: { next: number | null; previous: number | null };
}

/**
 * The owner's "User Management" page: one page of members and one of invitations, with the
 * names and the delivery state they show. Four statements whatever the size of the account:
 * two keyset pages, one user lookup for the members and the inviters together, and one for
 * the invitations' latest messages.
 */
export async function usersPage(kit: Kit, actor: Actor, cursors: { members: Cursor; invitations: Cursor }): Promise<UsersPage> {
  requireOwner(actor);
  // Two rounds of two independent reads each; on a pool they overlap (SQLite's one connection
  // simply takes them in turn).
  const [members, invitations] = await Promise.all([
    kit.store.memberships.listForAccount(kit.knex, actor.accountId, { ...cursors.members, limit: PAGE_SIZE }),
    kit.store.invitations.listForAccount(kit.knex, actor.accountId, { ...cursors.invitations, limit: PAGE_SIZE }),
  ]);
  const userIds = new Set([...members.rows.map((m) => m.userId), ...invitations.rows.map((i) => i.invitedBy)]);
  const [found, outbox] = await Promise.all([
    findUsers(kit, [...userIds]),
    kit.store.outbox.latestForInvitations(
      kit.knex,
      invitations.rows.map((i) => i.id),
    ),
  ]);
  const users = new Map(found.map((u) => [u.id, u]));
  return {
    members: members.rows.map((m) => toMemberView(kit, m, users.get(m.userId))),
    membersPage: { next: members.next, previous: members.previous },
    invitations: invitations.rows.map((i) => ({ ...toInvitationView(kit, i, outbox.get(i.id)), inviterName: users.get(i.invitedBy)?.name ?? null })),
    invitationsPage: { next: invitations.next, previous: invitations.previous },
  };
}
