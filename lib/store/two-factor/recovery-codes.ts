import type { Db, Tables } from '../db.js';
import { toNumber } from '../db.js';

export function recoveryCodesTable(t: Tables) {
  return {
    /** A new set replaces the old one entirely (in the caller's transaction). */
    async replace(db: Db, userId: number, hashes: readonly string[], now: Date): Promise<void> {
      await db(t.twoFactorCodes).where({ user_id: userId }).del();
      await db(t.twoFactorCodes).insert(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null, created_at: now.getTime() })));
    },
    /** Spends one code: the conditional update is the claim, so of two requests with one code exactly one succeeds. */
    async use(db: Db, userId: number, hash: string, now: Date): Promise<boolean> {
      return (await db(t.twoFactorCodes).where({ user_id: userId, code_hash: hash }).whereNull('used_at').update({ used_at: now.getTime() })) === 1;
    },
    async countLeft(db: Db, userId: number): Promise<number> {
      const r = (await db(t.twoFactorCodes).where({ user_id: userId }).whereNull('used_at').count({ n: '*' }).first()) as { n?: unknown } | undefined;
      return toNumber(r?.n ?? 0);
    },
    async removeAll(db: Db, userId: number): Promise<void> {
      await db(t.twoFactorCodes).where({ user_id: userId }).del();
    },
  };
}
