import type { Db, Tables } from '../db.js';
import { dialectOf, insertReturningId, toNumber } from '../db.js';

export interface AccountRow {
  id: number;
  name: string;
  ownerUserId: number;
}

export function fromAccountRow(r: Record<string, unknown>): AccountRow {
  return { id: toNumber(r.id), name: String(r.name), ownerUserId: toNumber(r.owner_user_id) };
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
    async insert(db: Db, row: { name: string; ownerUserId: number; now: Date }): Promise<number> {
      return insertReturningId(db, t.accounts, { name: row.name, owner_user_id: row.ownerUserId, created_at: row.now.getTime() });
    },
  };
}
