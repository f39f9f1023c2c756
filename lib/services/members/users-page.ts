import { requireManager, type Acting, type Kit } from '../context.js';
import { parseCursor, type Cursor } from '../input.js';
import { actingIn, type ActingInput } from '../acting.js';
import { findUsers, PAGE_SIZE } from '../activity.js';
import { toMemberView, type MemberView } from './members.js';
import { toInvitationView, type InvitationView } from '../invitations/invitations.js';
import { MOST_REMOVED, toRemovedView, type RemovedMemberView } from './lifecycle.js';
import { restoreWindowStart } from './members.js';

export interface UsersPage {
  members: MemberView[];
  /** Cursors of the next and previous page of members (null at either end). */
  membersPage: { next: number | null; previous: number | null };
  invitations: Array<InvitationView & { inviterName: string | null }>;
  /** Cursors of the next (older) and previous (newer) page of invitations. */
  invitationsPage: { next: number | null; previous: number | null };
  /** Members removed within the restore window, newest first (at most 50): restored from here or invited again. */
  removedMembers: RemovedMemberView[];
}

/**
 * The owner's "User Management" page: one page of members and one of invitations, with the
 * names and the delivery state they show. Five statements whatever the size of the account:
 * two keyset pages and the recently removed members, one user lookup for all the people they
 * name, and one for the invitations' latest messages.
 */
export async function usersPage(kit: Kit, actor: Acting, cursors: { members: Cursor; invitations: Cursor }): Promise<UsersPage> {
  requireManager(kit, actor);
  // Two rounds of two independent reads each; on a pool they overlap (SQLite's one connection
  // simply takes them in turn).
  const [members, invitations, removed] = await Promise.all([
    kit.store.memberships.listForAccount(kit.knex, actor.accountId, { ...cursors.members, limit: PAGE_SIZE }, kit.now()),
    kit.store.invitations.listForAccount(kit.knex, actor.accountId, { ...cursors.invitations, limit: PAGE_SIZE }),
    kit.store.removedMembers.listForAccount(kit.knex, actor.accountId, restoreWindowStart(kit, kit.now()), MOST_REMOVED),
  ]);
  const userIds = new Set([
    ...members.rows.map((m) => m.userId),
    ...invitations.rows.map((i) => i.invitedBy).filter((id) => id > 0),
    ...removed.map((r) => r.userId),
  ]);
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
    invitations: invitations.rows.map((i) => ({
      ...toInvitationView(kit, i, outbox.get(i.id)),
      inviterName: i.invitedBySystem ?? users.get(i.invitedBy)?.name ?? null,
    })),
    invitationsPage: { next: invitations.next, previous: invitations.previous },
    removedMembers: removed.map((r) => toRemovedView(kit, r, users.get(r.userId)?.name ?? null)),
  };
}

/** One page of a list, with the cursors of its neighbours (null at either end). */
export interface ListPage<T> {
  items: T[];
  /** Pass as `after` for the next page; null on the last. */
  next: number | null;
  /** Pass as `before` for the previous page; null on the first. */
  previous: number | null;
}

export interface ListInput extends ActingInput {
  after?: unknown;
  before?: unknown;
}

/** The members list of the users page, on its own: the same rows, order and cursors. */
export async function listMembers(kit: Kit, input: ListInput): Promise<ListPage<MemberView>> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const page = await kit.store.memberships.listForAccount(kit.knex, actor.accountId, { ...parseCursor(input), limit: PAGE_SIZE }, kit.now());
  const users = new Map(
    (
      await findUsers(
        kit,
        page.rows.map((m) => m.userId),
      )
    ).map((u) => [u.id, u]),
  );
  return { items: page.rows.map((m) => toMemberView(kit, m, users.get(m.userId))), next: page.next, previous: page.previous };
}

/** The invitations list of the users page, on its own, with each one's delivery state and inviter. */
export async function listInvitations(kit: Kit, input: ListInput): Promise<ListPage<InvitationView & { inviterName: string | null }>> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const page = await kit.store.invitations.listForAccount(kit.knex, actor.accountId, { ...parseCursor(input), limit: PAGE_SIZE });
  const [found, outbox] = await Promise.all([
    findUsers(kit, [...new Set(page.rows.map((i) => i.invitedBy).filter((id) => id > 0))]),
    kit.store.outbox.latestForInvitations(
      kit.knex,
      page.rows.map((i) => i.id),
    ),
  ]);
  const users = new Map(found.map((u) => [u.id, u]));
  return {
    items: page.rows.map((i) => ({ ...toInvitationView(kit, i, outbox.get(i.id)), inviterName: i.invitedBySystem ?? users.get(i.invitedBy)?.name ?? null })),
    next: page.next,
    previous: page.previous,
  };
}
