import type { Db, Tables } from '../db.js';
import { dialectOf, fromJsonText, toDate, toDateOrNull, toJsonText, toNumber } from '../db.js';
import { suspensionColumns, type Suspension } from './memberships.js';

/**
 * What a removal took away, kept so the member can be brought back as they were: one row per
 * account and user (a unique constraint; a later removal replaces it). A row removed before the
 * restore window's start counts for nothing: every read names that start (`since`).
 */
export interface RemovedMemberRow {
  id: number;
  accountId: number;
  userId: number;
  /** The address at removal: a re-invitation of it finds this row. */
  email: string;
  permissions: string[];
  accessUntil: Date | null;
  /** Removed while suspended: restored suspended. */
  suspension: Suspension | null;
  removedBy: number | null;
  removedAt: Date;
}

function fromRow(r: Record<string, unknown>): RemovedMemberRow {
  const suspendedAt = toDateOrNull(r.suspended_at);
  const num = (v: unknown) => (v === null || v === undefined ? null : toNumber(v));
  return {
    id: toNumber(r.id),
    accountId: toNumber(r.account_id),
    userId: toNumber(r.user_id),
    email: String(r.email),
    permissions: fromJsonText<string[]>(r.permissions, []),
    accessUntil: toDateOrNull(r.access_until),
    suspension: suspendedAt ? { at: suspendedAt, by: num(r.suspended_by), reason: typeof r.suspended_reason === 'string' ? r.suspended_reason : null } : null,
    removedBy: num(r.removed_by),
    removedAt: toDate(r.removed_at),
  };
}

export function removedMembersTable(t: Tables) {
  return {
    /** Replaces any earlier row of this member, in the caller's transaction (the removal's). */
    async put(db: Db, row: Omit<RemovedMemberRow, 'id'>): Promise<void> {
      await db(t.removedMembers).where({ account_id: row.accountId, user_id: row.userId }).del();
      await db(t.removedMembers).insert({
        account_id: row.accountId,
        user_id: row.userId,
        email: row.email,
        permissions: toJsonText(row.permissions),
        access_until: row.accessUntil ? row.accessUntil.getTime() : null,
        ...suspensionColumns(row.suspension),
        removed_by: row.removedBy,
        removed_at: row.removedAt.getTime(),
      });
    },
    /** The member's row if removed after `since`; locked for the restoring transaction (SQLite needs no lock). */
    async findForWrite(db: Db, accountId: number, userId: number, since: Date): Promise<RemovedMemberRow | undefined> {
      const q = db(t.removedMembers).where({ account_id: accountId, user_id: userId }).andWhere('removed_at', '>', since.getTime());
      const dialect = dialectOf(db);
      if (dialect === 'sqlite') {
        const r = await q.first();
        return r ? fromRow(r) : undefined;
      }
      const rows = (await (dialect === 'pg' ? q.forNoKeyUpdate() : q.forUpdate())) as Record<string, unknown>[];
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async find(db: Db, accountId: number, userId: number, since: Date): Promise<RemovedMemberRow | undefined> {
      const r = await db(t.removedMembers).where({ account_id: accountId, user_id: userId }).andWhere('removed_at', '>', since.getTime()).first();
      return r ? fromRow(r) : undefined;
    },
    /** The latest removal of this address after `since` (an address may have been two logins' in turn). */
    async findByEmail(db: Db, accountId: number, email: string, since: Date): Promise<RemovedMemberRow | undefined> {
      const r = await db(t.removedMembers)
        .where({ account_id: accountId, email })
        .andWhere('removed_at', '>', since.getTime())
        .orderBy('removed_at', 'desc')
        .first();
      return r ? fromRow(r) : undefined;
    },
    /** The account's restorable removals, newest first, at most `limit`. */
    async listForAccount(db: Db, accountId: number, since: Date, limit: number): Promise<RemovedMemberRow[]> {
      const rows = await db(t.removedMembers)
        .where({ account_id: accountId })
        .andWhere('removed_at', '>', since.getTime())
        .orderBy('removed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit);
      return rows.map(fromRow);
    },
    /** The member is back (restored, or joined again through an invitation): nothing left to restore. */
    async delete(db: Db, accountId: number, userId: number): Promise<number> {
      return db(t.removedMembers).where({ account_id: accountId, user_id: userId }).del();
    },
    /** Rows past the window restore nothing: dropped when the account next removes someone. */
    async deleteBefore(db: Db, accountId: number, before: Date): Promise<number> {
      return db(t.removedMembers).where({ account_id: accountId }).andWhere('removed_at', '<=', before.getTime()).del();
    },
  };
}
