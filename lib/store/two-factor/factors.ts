import type { Db, Tables } from '../db.js';
import { toDate, toDateOrNull, toNumber } from '../db.js';

/** A login's authenticator app: its secret as stored (sealed when a key is configured), enabled once confirmed. */
export interface FactorRow {
  userId: number;
  sealedSecret: string;
  /** Null while the enrolment waits for its first code. */
  enabledAt: Date | null;
  createdAt: Date;
}

function fromRow(r: Record<string, unknown>): FactorRow {
  return {
    userId: toNumber(r.user_id),
    sealedSecret: String(r.totp_secret),
    enabledAt: toDateOrNull(r.enabled_at),
    createdAt: toDate(r.created_at),
  };
}

export function factorsTable(t: Tables) {
  return {
    async find(db: Db, userId: number): Promise<FactorRow | undefined> {
      const r = await db(t.twoFactor).where({ user_id: userId }).first();
      return r ? fromRow(r) : undefined;
    },
    /**
     * A new enrolment's secret, replacing one not yet confirmed. An enabled factor is never
     * replaced here (`where enabled_at is null`): false then, and the caller refuses.
     */
    async savePending(db: Db, userId: number, sealedSecret: string, now: Date): Promise<boolean> {
      const updated = await db(t.twoFactor)
        .where({ user_id: userId })
        .whereNull('enabled_at')
        .update({ totp_secret: sealedSecret, created_at: now.getTime(), updated_at: now.getTime() });
      if (updated === 1) return true;
      if (await db(t.twoFactor).where({ user_id: userId }).first('user_id')) return false;
      await db(t.twoFactor).insert({ user_id: userId, totp_secret: sealedSecret, enabled_at: null, created_at: now.getTime(), updated_at: now.getTime() });
      return true;
    },
    /** Turns the pending enrolment on; false when there is none (confirmed meanwhile, or removed). */
    async enable(db: Db, userId: number, now: Date): Promise<boolean> {
      return (await db(t.twoFactor).where({ user_id: userId }).whereNull('enabled_at').update({ enabled_at: now.getTime(), updated_at: now.getTime() })) === 1;
    },
    async remove(db: Db, userId: number): Promise<number> {
      return db(t.twoFactor).where({ user_id: userId }).del();
    },
    /** The members of an account whose login has no factor turned on (the rule's email goes to them). */
    async membersWithoutFactor(db: Db, accountId: number): Promise<number[]> {
      const rows = await db(t.memberships)
        .leftJoin(t.twoFactor, `${t.twoFactor}.user_id`, `${t.memberships}.user_id`)
        .where(`${t.memberships}.account_id`, accountId)
        .whereNull(`${t.twoFactor}.enabled_at`)
        .select(`${t.memberships}.user_id as user_id`)
        .orderBy(`${t.memberships}.id`, 'asc');
      return rows.map((r: { user_id: unknown }) => toNumber(r.user_id));
    },
    /** Which of these logins have a factor turned on (the owner's security page). */
    async enabledAmong(db: Db, userIds: readonly number[]): Promise<Set<number>> {
      if (userIds.length === 0) return new Set();
      const rows = await db(t.twoFactor).select('user_id').whereIn('user_id', userIds).whereNotNull('enabled_at');
      return new Set(rows.map((r: { user_id: unknown }) => toNumber(r.user_id)));
    },
  };
}
