import type { Db, Tables } from './db.js';
import { insertReturningId, toNumber } from './db.js';

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
    async insert(db: Db, row: { name: string; ownerUserId: number; now: Date }): Promise<number> {
      return insertReturningId(db, t.accounts, { name: row.name, owner_user_id: row.ownerUserId, created_at: row.now.getTime() });
    },
  };
}
