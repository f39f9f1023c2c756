import { requireManager, type Kit } from './context.js';
import { actingIn, type ActingInput } from './acting.js';
import type { Db } from '../store/db.js';
import type { ActivityEntry, ActivityRow } from '../store/accounts/activity.js';
import { parseCursor } from './input.js';

export const PAGE_SIZE = 50;

/** Writes the audit row inside the caller's transaction, so the change and its record land together. */
export async function record(kit: Kit, db: Db, entry: ActivityEntry): Promise<void> {
  await kit.store.activity.insert(db, entry, kit.now());
}

/** Tells the host after the transaction committed; a throwing listener never undoes the change. */
export function emit(kit: Kit, entry: ActivityEntry): void {
  try {
    // One payload for both: a listener of 'activity' and one of the action see the same event.
    const event = { ...entry, at: kit.now() };
    kit.events.emit(entry.action, event);
    kit.events.emit('activity', event);
  } catch (err) {
    kit.logger.error('express-account-users: an event listener threw', err);
  }
}

/**
 * What an entry changed, as differences: the permissions granted and removed (a permission
 * change), the permissions an invitation grants, and when access now ends.
 */
export interface ActivityChanges {
  /** Permission keys added by a permission change, in catalogue order. */
  granted: string[];
  /** Permission keys taken away by a permission change, in catalogue order. */
  removed: string[];
  /** What an invitation (sent, re-sent, accepted) grants; null for other entries or rows from before it was kept. */
  permissions: string[] | null;
  /** When access ends from now on: a moment, null for "no end"; absent when the entry did not change it. */
  accessUntil?: Date | null;
}

/**
 * One entry of the log, with the name and address of the users it names, each its own field (null
 * when not a user, or gone), and what it changed. `subjectEmail` is the address an invitation was
 * sent to, else the subject user's.
 */
export type ActivityItem = ActivityRow & { actorName: string | null; actorEmail: string | null; subjectName: string | null; changes: ActivityChanges };

const keysOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : []);
const momentOf = (value: unknown): Date | null => {
  const date = typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
};

/** The differences an entry records, from its stored details (rows of every version of the kit). */
export function activityChanges(kit: Kit, row: Pick<ActivityRow, 'action' | 'details'>): ActivityChanges {
  const d = row.details;
  const changes: ActivityChanges = { granted: [], removed: [], permissions: null };
  if (row.action === 'member.permissions_changed') {
    const from = new Set(keysOf(d.from));
    const to = new Set(keysOf(d.to));
    changes.granted = kit.catalogue.normalise([...to].filter((k) => !from.has(k)));
    changes.removed = kit.catalogue.normalise([...from].filter((k) => !to.has(k)));
    // Written only when the end date changed (members.ts): null there means "no end" now.
    if ('accessUntil' in d) changes.accessUntil = momentOf(d.accessUntil);
  } else if (row.action === 'invitation.sent' || row.action === 'invitation.resent' || row.action === 'invitation.accepted') {
    if (Array.isArray(d.permissions)) changes.permissions = kit.catalogue.normalise(keysOf(d.permissions));
    if (typeof d.accessUntil === 'string') changes.accessUntil = momentOf(d.accessUntil);
  }
  return changes;
}

export interface ActivityPage {
  items: ActivityItem[];
  /** The cursor of the next (older) page, null on the last. */
  next: number | null;
  /** The cursor of the previous (newer) page, null on the first. */
  previous: number | null;
}

/** The account's log, newest first: for those who manage users (the owner, a delegate, the host's staff). */
export async function listActivity(kit: Kit, input: ActingInput & { after?: unknown; before?: unknown }): Promise<ActivityPage> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const page = await kit.store.activity.listForAccount(kit.knex, actor.accountId, { ...parseCursor(input), limit: PAGE_SIZE });
  const ids = [...new Set(page.rows.flatMap((r) => [r.actorUserId, r.subjectUserId]).filter((v): v is number => v !== null))];
  const users = new Map((await findUsers(kit, ids)).map((u) => [u.id, u]));
  const userOf = (id: number | null) => (id === null ? undefined : users.get(id));
  return {
    items: page.rows.map((r) => ({
      ...r,
      actorName: userOf(r.actorUserId)?.name ?? null,
      actorEmail: userOf(r.actorUserId)?.email ?? null,
      subjectName: userOf(r.subjectUserId)?.name ?? null,
      subjectEmail: r.subjectEmail ?? userOf(r.subjectUserId)?.email ?? null,
      changes: activityChanges(kit, r),
    })),
    next: page.next,
    previous: page.previous,
  };
}

/** "Name <address>" of each user, for the activity export (one column per person). */
export async function userNames(kit: Kit, ids: number[]): Promise<Map<number, string>> {
  const users = await findUsers(kit, ids);
  return new Map(users.map((u) => [u.id, `${u.name} <${u.email}>`]));
}

export async function findUsers(kit: Kit, ids: number[]) {
  if (ids.length === 0) return [];
  if (kit.users.findByIds) return kit.users.findByIds(ids);
  const found = await Promise.all(ids.map((id) => kit.users.findById(id)));
  return found.filter((u) => u !== undefined);
}
