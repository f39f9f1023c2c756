import type { Db, Tables } from '../db.js';
import { fromJsonText, toDate, toJsonText, toNumber } from '../db.js';

/** What a person did to their own login. */
export type UserActivityAction =
  | 'user.password_changed'
  | 'user.password_reset'
  | 'user.email_changed'
  | 'user.email_verified'
  | 'user.profile_changed'
  | 'user.two_factor_enabled'
  | 'user.two_factor_removed'
  | 'user.two_factor_reset'
  | 'user.recovery_codes_generated'
  | 'user.recovery_code_used'
  | 'user.device_remembered'
  | 'user.devices_forgotten'
  | 'user.passkey_added'
  | 'user.passkey_renamed'
  | 'user.passkey_removed'
  | 'user.passkey_sign_in'
  | 'user.passkey_counter_rejected';

export interface UserActivityEntry {
  userId: number;
  action: UserActivityAction;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface UserActivityRow extends Required<Omit<UserActivityEntry, 'details'>> {
  id: number;
  details: Record<string, unknown>;
  createdAt: Date;
}

export function userActivityTable(t: Tables) {
  return {
    async insert(db: Db, entry: UserActivityEntry, now: Date): Promise<void> {
      await db(t.userActivity).insert({
        user_id: entry.userId,
        action: entry.action,
        details: toJsonText(entry.details ?? {}),
        ip: entry.ip ? entry.ip.slice(0, 64) : null,
        created_at: now.getTime(),
      });
    },
    /** A user's own entries, newest first. */
    async listForUser(db: Db, userId: number, limit: number): Promise<UserActivityRow[]> {
      const rows = await db(t.userActivity).where({ user_id: userId }).orderBy('id', 'desc').limit(limit);
      return rows.map((r: Record<string, unknown>) => ({
        id: toNumber(r.id),
        userId: toNumber(r.user_id),
        action: String(r.action) as UserActivityAction,
        details: fromJsonText<Record<string, unknown>>(r.details, {}),
        ip: (r.ip as string | null) ?? null,
        createdAt: toDate(r.created_at),
      }));
    },
  };
}
