import { requireManager, type Acting, type Kit } from '../context.js';
import { ALL_PERMISSIONS, MANAGE_USERS } from '../../permissions.js';
import { parseCursor, usersFilterParser, type Cursor, type UsersFilter } from '../input.js';
import type { MemberFilter } from '../../store/accounts/memberships.js';
import type { InvitationFilter } from '../../store/invitations/invitations.js';
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
  /** The filter both lists were read with. */
  filter: UsersFilter;
  /** False when a search text was given but the user store cannot search (see UserStore.matchingIds): the members are not filtered by it. */
  membersSearched: boolean;
}

/** The store's filters from the page's: a search text becomes a subquery of the matching user ids. */
function storeFilters(kit: Kit, filter: UsersFilter) {
  const members: MemberFilter = {};
  // The kit's own users are joined; a host's store searches its own table, as a subquery.
  const own = kit.options.users === undefined;
  const searchable = own || kit.users.matchingIds !== undefined;
  if (filter.q !== undefined && own) members.text = filter.q;
  else if (filter.q !== undefined && searchable) members.userIds = kit.users.matchingIds!(filter.q);
  // "All permissions" grants every key but manageusers (lib/permissions.ts).
  const coveredBy = filter.permission !== undefined && filter.permission !== MANAGE_USERS.key ? { permissionCoveredBy: ALL_PERMISSIONS } : {};
  if (filter.permission !== undefined) Object.assign(members, { permission: filter.permission, ...coveredBy });
  const invitations: InvitationFilter = { state: filter.status, now: kit.now() };
  if (filter.q !== undefined) invitations.text = filter.q;
  if (filter.permission !== undefined) Object.assign(invitations, { permission: filter.permission, ...coveredBy });
  return { members, invitations, membersSearched: filter.q === undefined || searchable };
}

const NO_FILTER: UsersFilter = { q: undefined, permission: undefined, status: 'pending' };

/**
 * The owner's "User Management" page: one page of members and one of invitations (the pending
 * ones unless the filter asks for the history), with the names and the delivery state they show.
 * Five statements whatever the size of the account and whatever the filter: two keyset pages
 * (a search is a subquery of the first), the recently removed members, one user lookup for the
 * members, the inviters and the removed together, and one for the invitations' latest messages.
 */
export async function usersPage(
  kit: Kit,
  actor: Acting,
  cursors: { members: Cursor; invitations: Cursor },
  filter: UsersFilter = NO_FILTER,
): Promise<UsersPage> {
  requireManager(kit, actor);
  const filters = storeFilters(kit, filter);
  // Two rounds of two independent reads each; on a pool they overlap (SQLite's one connection
  // simply takes them in turn).
  const [members, invitations, removed] = await Promise.all([
    kit.store.memberships.listForAccount(kit.knex, actor.accountId, { ...cursors.members, limit: PAGE_SIZE }, kit.now(), filters.members),
    kit.store.invitations.listForAccount(kit.knex, actor.accountId, { ...cursors.invitations, limit: PAGE_SIZE }, filters.invitations),
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
    filter,
    membersSearched: filters.membersSearched,
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
  /** Part of a name or an address. */
  q?: unknown;
  /** A permission key: only those holding (or granted) it. */
  permission?: unknown;
}

export interface InvitationListInput extends ListInput {
  /** Which invitations (INVITATION_LIST_STATES); au.api lists them all unless told. */
  status?: unknown;
}

// Built once: a zod schema costs more to build than to run. The catalogue is per kit.
const parsers = new WeakMap<Kit, { page: ReturnType<typeof usersFilterParser>; api: ReturnType<typeof usersFilterParser> }>();
/** The users page's filter parser (pending invitations by default) and au.api's (all of them by default). */
export function usersFilterOf(kit: Kit, which: 'page' | 'api'): ReturnType<typeof usersFilterParser> {
  let found = parsers.get(kit);
  if (!found) parsers.set(kit, (found = { page: usersFilterParser(kit.catalogue, 'pending'), api: usersFilterParser(kit.catalogue, 'all') }));
  return found[which];
}

/** The members list of the users page, on its own: the same rows, order and cursors. */
export async function listMembers(kit: Kit, input: ListInput): Promise<ListPage<MemberView>> {
  const cursor = parseCursor(input);
  const filter = usersFilterOf(kit, 'api')({ q: input.q, permission: input.permission });
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const { members } = storeFilters(kit, filter);
  const page = await kit.store.memberships.listForAccount(kit.knex, actor.accountId, { ...cursor, limit: PAGE_SIZE }, kit.now(), members);
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
export async function listInvitations(kit: Kit, input: InvitationListInput): Promise<ListPage<InvitationView & { inviterName: string | null }>> {
  const cursor = parseCursor(input);
  const filter = usersFilterOf(kit, 'api')({ q: input.q, permission: input.permission, status: input.status });
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const { invitations } = storeFilters(kit, filter);
  const page = await kit.store.invitations.listForAccount(kit.knex, actor.accountId, { ...cursor, limit: PAGE_SIZE }, invitations);
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
