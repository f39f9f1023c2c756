import type { Db, Tables } from '../db.js';
import { toDate, toDateOrNull, toNumber } from '../db.js';

/**
 * A login's second factor. The row exists once the login has one (an authenticator app, passkeys, or
 * both: `enabledAt`, the moment two-factor was turned on, is what the guard's statement reads) or
 * while an app's enrolment waits for its first code. The app's own state: `sealedSecret` (empty: no
 * app) and `totpEnabledAt`.
 */
export interface FactorRow {
  userId: number;
  /** Sealed when a key is configured; '' when the login has no app (passkeys only). */
  sealedSecret: string;
  /** Two-factor is on since; null while an app's enrolment waits for its first code and nothing else is on. */
  enabledAt: Date | null;
  /** The app is on since; null: no app, or one waiting for its first code. */
  totpEnabledAt: Date | null;
  createdAt: Date;
}

function fromRow(r: Record<string, unknown>): FactorRow {
  return {
    userId: toNumber(r.user_id),
    sealedSecret: typeof r.totp_secret === 'string' ? r.totp_secret : '',
    enabledAt: toDateOrNull(r.enabled_at),
    totpEnabledAt: toDateOrNull(r.totp_enabled_at),
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
     * A new app enrolment's secret, replacing one not yet confirmed. An app already on is never
     * replaced here (`where totp_enabled_at is null`): false then, and the caller refuses.
     */
    async savePending(db: Db, userId: number, sealedSecret: string, now: Date): Promise<boolean> {
      const updated = await db(t.twoFactor)
        .where({ user_id: userId })
        .whereNull('totp_enabled_at')
        .update({ totp_secret: sealedSecret, updated_at: now.getTime() });
      if (updated === 1) return true;
      if (await db(t.twoFactor).where({ user_id: userId }).first('user_id')) return false;
      await db(t.twoFactor).insert({
        user_id: userId,
        totp_secret: sealedSecret,
        enabled_at: null,
        totp_enabled_at: null,
        created_at: now.getTime(),
        updated_at: now.getTime(),
      });
      return true;
    },
    /** Turns the pending app on (and two-factor, if it was off); false when there is none (confirmed meanwhile, or removed). */
    async enable(db: Db, userId: number, now: Date): Promise<boolean> {
      const n = await db(t.twoFactor)
        .where({ user_id: userId })
        .whereNull('totp_enabled_at')
        .andWhereNot('totp_secret', '')
        .update({ totp_enabled_at: now.getTime(), enabled_at: db.raw('coalesce(enabled_at, ?)', [now.getTime()]), updated_at: now.getTime() });
      return n === 1;
    },
    /**
     * A passkey was added: two-factor is on from now if it was not. True when it was off (the caller
     * then makes the recovery codes).
     */
    async enableForPasskey(db: Db, userId: number, now: Date): Promise<boolean> {
      const updated = await db(t.twoFactor).where({ user_id: userId }).whereNull('enabled_at').update({ enabled_at: now.getTime(), updated_at: now.getTime() });
      if (updated === 1) return true;
      if (await db(t.twoFactor).where({ user_id: userId }).first('user_id')) return false;
      await db(t.twoFactor).insert({
        user_id: userId,
        totp_secret: '',
        enabled_at: now.getTime(),
        totp_enabled_at: null,
        created_at: now.getTime(),
        updated_at: now.getTime(),
      });
      return true;
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
