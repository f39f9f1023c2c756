import type { Db, Tables } from '../db.js';
import { isUniqueViolation, toDate, toNumber } from '../db.js';

/** A member who is due the reminder before their account's grace ends. */
export interface ReminderDue {
  accountId: number;
  userId: number;
  graceUntil: Date;
}

export function remindersTable(t: Tables) {
  return {
    /**
     * Members without a factor of accounts whose rule's grace ends within (now, until], who have not
     * had this rule's reminder: one statement, at most `limit` rows.
     */
    async due(db: Db, now: Date, until: Date, limit: number): Promise<ReminderDue[]> {
      const rows = (await db(t.memberships)
        .join(t.accounts, `${t.accounts}.id`, `${t.memberships}.account_id`)
        .leftJoin(t.twoFactor, `${t.twoFactor}.user_id`, `${t.memberships}.user_id`)
        .leftJoin(t.twoFactorReminders, function () {
          this.on(`${t.twoFactorReminders}.account_id`, '=', `${t.memberships}.account_id`)
            .andOn(`${t.twoFactorReminders}.user_id`, '=', `${t.memberships}.user_id`)
            .andOn(`${t.twoFactorReminders}.grace_until`, '=', `${t.accounts}.two_factor_grace_until`);
        })
        .where(`${t.accounts}.two_factor_required`, true)
        .andWhere(`${t.accounts}.two_factor_grace_until`, '>', now.getTime())
        .andWhere(`${t.accounts}.two_factor_grace_until`, '<=', until.getTime())
        .whereNull(`${t.twoFactor}.enabled_at`)
        .whereNull(`${t.twoFactorReminders}.user_id`)
        // A suspended member, or one whose access has ended, cannot use the account: no reminder about it.
        .whereNull(`${t.memberships}.suspended_at`)
        .andWhere((q) => q.whereNull(`${t.memberships}.access_until`).orWhere(`${t.memberships}.access_until`, '>', now.getTime()))
        .select(`${t.memberships}.account_id as account_id`, `${t.memberships}.user_id as user_id`, `${t.accounts}.two_factor_grace_until as grace_until`)
        .orderBy(`${t.memberships}.id`, 'asc')
        .limit(limit)) as Array<Record<string, unknown>>;
      return rows.map((r) => ({ accountId: toNumber(r.account_id), userId: toNumber(r.user_id), graceUntil: toDate(r.grace_until) }));
    },
    /**
     * Claims the reminder of one member and rule; false when it was claimed already (another process,
     * a run before). The primary key decides. On PostgreSQL a key violation aborts the transaction,
     * so the caller claims first and rolls back on false.
     */
    async claim(db: Db, due: ReminderDue, now: Date): Promise<boolean> {
      try {
        await db(t.twoFactorReminders).insert({
          account_id: due.accountId,
          user_id: due.userId,
          grace_until: due.graceUntil.getTime(),
          created_at: now.getTime(),
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
  };
}
