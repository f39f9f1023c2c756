import type { Db, Tables } from '../db.js';
import { isUniqueViolation } from '../db.js';

export function usedStepsTable(t: Tables) {
  return {
    /**
     * Records that a login used a TOTP time step; false when it already had (a replayed code). The
     * primary key decides, so two instances accepting one code at once cannot both succeed. Run it
     * on its own, not inside a transaction: PostgreSQL aborts a transaction on a key violation.
     */
    async claim(db: Db, userId: number, step: number, now: Date): Promise<boolean> {
      try {
        await db(t.twoFactorSteps).insert({ user_id: userId, step, created_at: now.getTime() });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    /** Steps older than the window can never be presented again: forgotten. */
    async pruneBefore(db: Db, userId: number, step: number): Promise<void> {
      await db(t.twoFactorSteps).where({ user_id: userId }).andWhere('step', '<', step).del();
    },
    async removeAll(db: Db, userId: number): Promise<void> {
      await db(t.twoFactorSteps).where({ user_id: userId }).del();
    },
  };
}
