import type { Db, Tables } from '../db.js';
import { dialectOf, insertReturningId, toDate, toDateOrNull, toNumber } from '../db.js';

export type UserTokenPurpose = 'password_reset' | 'email_change' | 'email_verify';
/** 'superseded': a newer request of the same purpose; 'cancelled': a password reset or change, or a completed email change, ended it. */
export type UserTokenStatus = 'pending' | 'used' | 'superseded' | 'cancelled';

/** A password-reset, email-change or verification request. The token itself is never stored, only its SHA-256. */
export interface UserTokenRow {
  id: number;
  userId: number;
  purpose: UserTokenPurpose;
  /** The address an email change moves to, or the one a verification link was sent to (and proves); null for a reset. */
  newEmail: string | null;
  status: UserTokenStatus;
  /** Null until the email carrying the link was sent (the token is minted then). */
  expiresAt: Date | null;
  createdAt: Date;
}

function fromRow(r: Record<string, unknown>): UserTokenRow {
  return {
    id: toNumber(r.id),
    userId: toNumber(r.user_id),
    purpose: String(r.purpose) as UserTokenPurpose,
    newEmail: (r.new_email as string | null) ?? null,
    status: String(r.status) as UserTokenStatus,
    expiresAt: toDateOrNull(r.expires_at),
    createdAt: toDate(r.created_at),
  };
}

export function userTokensTable(t: Tables) {
  return {
    /**
     * Ends the login's pending requests of these purposes: 'superseded' by a newer request, or
     * 'cancelled'. Returns their ids, for their unsent emails. Each leaves the one-pending-per-purpose
     * slot (pending_user_id) free for the request that follows.
     */
    async endPending(db: Db, userId: number, purposes: readonly UserTokenPurpose[], status: 'superseded' | 'cancelled'): Promise<number[]> {
      const q = db(t.userTokens).select('id').where({ pending_user_id: userId }).whereIn('purpose', purposes);
      // Locked where the database can (SQLite's writes are serialised anyway): a request racing this
      // one waits here rather than both counting the same row as theirs.
      const rows = await (dialectOf(db) === 'sqlite' ? q : q.forUpdate());
      const ids = rows.map((r: { id: unknown }) => toNumber(r.id));
      if (ids.length) await db(t.userTokens).whereIn('id', ids).where({ status: 'pending' }).update({ status, pending_user_id: null });
      return ids;
    },
    /** A reset link is armed as it is written (`tokenHash`, `expiresAt`); an email change's when its email is sent (setToken). */
    async insert(
      db: Db,
      row: { userId: number; purpose: UserTokenPurpose; newEmail: string | null; now: Date; tokenHash?: string; expiresAt?: Date },
    ): Promise<number> {
      return insertReturningId(db, t.userTokens, {
        user_id: row.userId,
        purpose: row.purpose,
        new_email: row.newEmail,
        status: 'pending',
        // Unique with purpose: a second pending request of the login is refused by the database.
        pending_user_id: row.userId,
        token_hash: row.tokenHash ?? null,
        expires_at: row.expiresAt ? row.expiresAt.getTime() : null,
        created_at: row.now.getTime(),
      });
    },
    async findById(db: Db, id: number): Promise<UserTokenRow | undefined> {
      const r = await db(t.userTokens).where({ id }).first();
      return r ? fromRow(r) : undefined;
    },
    async findByTokenHash(db: Db, tokenHash: string): Promise<UserTokenRow | undefined> {
      const r = await db(t.userTokens).where({ token_hash: tokenHash }).first();
      return r ? fromRow(r) : undefined;
    },
    /** Arms the link at send time; conditional on the request still being pending (a newer one may have superseded it). */
    async setToken(db: Db, id: number, tokenHash: string, expiresAt: Date): Promise<boolean> {
      const n = await db(t.userTokens).where({ id, status: 'pending' }).update({ token_hash: tokenHash, expires_at: expiresAt.getTime() });
      return n === 1;
    },
    /** Cancels one request if it is still pending; false when it was not. */
    async cancel(db: Db, id: number): Promise<boolean> {
      return (await db(t.userTokens).where({ id, status: 'pending' }).update({ status: 'cancelled', pending_user_id: null })) === 1;
    },
    /** Uses the link once: of two simultaneous uses exactly one sees an updated row. */
    async markUsed(db: Db, id: number, tokenHash: string, now: Date): Promise<boolean> {
      const n = await db(t.userTokens)
        .where({ id, token_hash: tokenHash, status: 'pending' })
        .andWhere('expires_at', '>', now.getTime())
        .update({ status: 'used', pending_user_id: null, used_at: now.getTime() });
      return n === 1;
    },
  };
}
