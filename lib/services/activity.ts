import { requireManager, type Kit } from './context.js';
import { actingIn, type ActingInput } from './acting.js';
import type { Db } from '../store/db.js';
import type { ActivityEntry, ActivityRow } from '../store/activity.js';
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
 * One entry of the log, with the name and address of the users it names, each its own field (null
 * when not a user, or gone). `subjectEmail` is the address an invitation was sent to, else the
 * subject user's.
 */
export type ActivityItem = ActivityRow & { actorName: string | null; actorEmail: string | null; subjectName: string | null };

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
    })),
    next: page.next,
    previous: page.previous,
  };
}

export async function findUsers(kit: Kit, ids: number[]) {
  if (ids.length === 0) return [];
  if (kit.users.findByIds) return kit.users.findByIds(ids);
  const found = await Promise.all(ids.map((id) => kit.users.findById(id)));
  return found.filter((u) => u !== undefined);
}
