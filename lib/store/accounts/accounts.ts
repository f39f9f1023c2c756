import type { Db, Tables } from '../db.js';
import { dialectOf, insertReturningId, toDateOrNull, toNumber } from '../db.js';

export interface AccountRow {
  id: number;
  name: string;
  ownerUserId: number;
  /** The owner requires a second factor of everyone in the account. */
  twoFactorRequired: boolean;
  /** Until when members without one may still act (null: no grace, or no rule). */
  twoFactorGraceUntil: Date | null;
}

/** A stored boolean: 1/0 on SQLite and MariaDB, true/false on PostgreSQL. */
export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

export function fromAccountRow(r: Record<string, unknown>): AccountRow {
  return {
    id: toNumber(r.id),
    name: String(r.name),
    ownerUserId: toNumber(r.owner_user_id),
    twoFactorRequired: toBool(r.two_factor_required),
    twoFactorGraceUntil: toDateOrNull(r.two_factor_grace_until),
  };
}

export function accountsTable(t: Tables) {
  return {
    async findById(db: Db, id: number): Promise<AccountRow | undefined> {
      const r = await db(t.accounts).where({ id }).first();
      return r ? fromAccountRow(r) : undefined;
    },
    /**
     * Takes the account's row lock for the rest of the transaction: the writes that decide by
     * counting or by looking (daily limit, resend cooldown, "already a member") run one at a time
     * per account. PostgreSQL's FOR NO KEY UPDATE lets inserts that reference the account through
     * a foreign key go on; SQLite needs nothing, its writes are serialised by its one connection.
     */
    async lockForWrite(db: Db, id: number): Promise<boolean> {
      const dialect = dialectOf(db);
      if (dialect === 'sqlite') return Boolean(await db(t.accounts).where({ id }).first('id'));
      const q = db(t.accounts).where({ id }).select('id');
      const rows = await (dialect === 'pg' ? q.forNoKeyUpdate() : q.forUpdate());
      return rows.length === 1;
    },
    /** Hands the account to a new owner; false when its owner is no longer `from` (a concurrent change won). */
    async setOwner(db: Db, id: number, from: number, to: number): Promise<boolean> {
      return (await db(t.accounts).where({ id, owner_user_id: from }).update({ owner_user_id: to })) === 1;
    },
    /** The owner's two-factor rule; `graceUntil` null: none (or no rule). */
    async setTwoFactorRule(db: Db, id: number, required: boolean, graceUntil: Date | null): Promise<boolean> {
      const n = await db(t.accounts)
        .where({ id })
        .update({ two_factor_required: required, two_factor_grace_until: required && graceUntil ? graceUntil.getTime() : null });
      return n === 1;
    },
    async insert(db: Db, row: { name: string; ownerUserId: number; now: Date }): Promise<number> {
      return insertReturningId(db, t.accounts, { name: row.name, owner_user_id: row.ownerUserId, created_at: row.now.getTime() });
    },
  };
}
