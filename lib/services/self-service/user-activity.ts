import type { Kit } from '../context.js';
import type { Db } from '../../store/db.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';

/** Writes the user's own activity row inside the caller's transaction, so the change and its record land together. */
export async function recordUserActivity(kit: Kit, db: Db, entry: UserActivityEntry): Promise<void> {
  await kit.store.userActivity.insert(db, entry, kit.now());
}

/**
 * Tells the host after the transaction committed, as the action's event ('user.password_changed',
 * …). Not on 'activity', whose listeners expect an account's entries; a throwing listener never
 * undoes the change.
 */
export function emitUserActivity(kit: Kit, entry: UserActivityEntry): void {
  try {
    kit.events.emit(entry.action, { ...entry, at: kit.now() });
  } catch (err) {
    kit.logger.error('express-account-users: an event listener threw', err);
  }
}
