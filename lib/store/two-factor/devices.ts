import type { Db, Tables } from '../db.js';
import { insertReturningId, toDate, toNumber } from '../db.js';

/** A browser a login asked to remember after a second factor: only its cookie's hash is kept. */
export interface RememberedDeviceRow {
  id: number;
  userId: number;
  /** The browser's user agent when it was remembered, cut to 200 characters: for the person to recognise it. */
  label: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

function fromRow(r: Record<string, unknown>): RememberedDeviceRow {
  return {
    id: toNumber(r.id),
    userId: toNumber(r.user_id),
    label: String(r.label),
    createdAt: toDate(r.created_at),
    lastUsedAt: toDate(r.last_used_at),
    expiresAt: toDate(r.expires_at),
  };
}

export function rememberedDevicesTable(t: Tables) {
  return {
    async add(db: Db, row: { userId: number; tokenHash: string; label: string; now: Date; expiresAt: Date }): Promise<number> {
      return insertReturningId(db, t.twoFactorDevices, {
        user_id: row.userId,
        token_hash: row.tokenHash,
        label: row.label,
        created_at: row.now.getTime(),
        last_used_at: row.now.getTime(),
        expires_at: row.expiresAt.getTime(),
      });
    },
    /**
     * The remembered browser this cookie stands for, for this login only and only before its end,
     * its use noted: false for a cookie of another login, an expired one, or one forgotten.
     */
    async use(db: Db, userId: number, tokenHash: string, now: Date): Promise<boolean> {
      const updated = await db(t.twoFactorDevices)
        .where({ token_hash: tokenHash, user_id: userId })
        .andWhere('expires_at', '>', now.getTime())
        .update({ last_used_at: now.getTime() });
      return updated === 1;
    },
    /** The login's remembered browsers that have not ended, newest first. */
    async listForUser(db: Db, userId: number, now: Date): Promise<RememberedDeviceRow[]> {
      const rows = await db(t.twoFactorDevices)
        .where({ user_id: userId })
        .andWhere('expires_at', '>', now.getTime())
        .orderBy('id', 'desc')
        .select('id', 'user_id', 'label', 'created_at', 'last_used_at', 'expires_at');
      return rows.map(fromRow);
    },
    /** Forgets one of the login's browsers; 0 when the id is not the login's (or gone). */
    async remove(db: Db, userId: number, id: number): Promise<number> {
      return db(t.twoFactorDevices).where({ id, user_id: userId }).del();
    },
    /** Forgets every browser of the login (a password change or reset, the factor removed or reset). */
    async removeAll(db: Db, userId: number): Promise<number> {
      return db(t.twoFactorDevices).where({ user_id: userId }).del();
    },
  };
}
