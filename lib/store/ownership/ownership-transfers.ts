import type { Db, Tables } from '../db.js';
import { insertReturningId, toDate, toNumber } from '../db.js';

export type TransferStatus = 'pending' | 'accepted' | 'cancelled' | 'declined' | 'expired';

export interface TransferRow {
  id: number;
  accountId: number;
  fromUserId: number;
  toUserId: number;
  status: TransferStatus;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

function fromRow(r: Record<string, unknown>): TransferRow {
  return {
    id: toNumber(r.id),
    accountId: toNumber(r.account_id),
    fromUserId: toNumber(r.from_user_id),
    toUserId: toNumber(r.to_user_id),
    status: String(r.status) as TransferStatus,
    expiresAt: toDate(r.expires_at),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

export function ownershipTransfersTable(t: Tables) {
  return {
    async findById(db: Db, id: number): Promise<TransferRow | undefined> {
      const r = await db(t.ownershipTransfers).where({ id }).first();
      return r ? fromRow(r) : undefined;
    },
    /** The account's pending offer (expired or not: the caller decides), if any. */
    async findPending(db: Db, accountId: number): Promise<TransferRow | undefined> {
      const r = await db(t.ownershipTransfers).where({ pending_account_id: accountId }).first();
      return r ? fromRow(r) : undefined;
    },
    async findByTokenHash(db: Db, tokenHash: string): Promise<TransferRow | undefined> {
      const r = await db(t.ownershipTransfers).where({ token_hash: tokenHash }).first();
      return r ? fromRow(r) : undefined;
    },
    /** Pending offers made to a user, for their accounts page. */
    async pendingFor(db: Db, userId: number): Promise<TransferRow[]> {
      const rows = await db(t.ownershipTransfers).where({ to_user_id: userId, status: 'pending' }).orderBy('id');
      return rows.map(fromRow);
    },
    async insert(db: Db, row: { accountId: number; fromUserId: number; toUserId: number; expiresAt: Date; now: Date }): Promise<number> {
      return insertReturningId(db, t.ownershipTransfers, {
        account_id: row.accountId,
        pending_account_id: row.accountId,
        from_user_id: row.fromUserId,
        to_user_id: row.toUserId,
        status: 'pending',
        expires_at: row.expiresAt.getTime(),
        created_at: row.now.getTime(),
        updated_at: row.now.getTime(),
      });
    },
    /** Ends a pending offer; false when it was no longer pending. */
    async finish(db: Db, id: number, status: Exclude<TransferStatus, 'pending'>, now: Date): Promise<boolean> {
      const n = await db(t.ownershipTransfers)
        .where({ id, status: 'pending' })
        .update({ status, pending_account_id: null, token_hash: null, updated_at: now.getTime() });
      return n === 1;
    },
    /** The link's token, minted when the email is sent; false when the offer is no longer pending. */
    async setToken(db: Db, id: number, tokenHash: string, now: Date): Promise<boolean> {
      const n = await db(t.ownershipTransfers)
        .where({ id, status: 'pending' })
        .andWhere('expires_at', '>', now.getTime())
        .update({ token_hash: tokenHash, updated_at: now.getTime() });
      return n === 1;
    },
  };
}
