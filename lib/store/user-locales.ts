import type { Db, Tables } from './db.js';

/** The language each person last used, by user id: the one their own emails (reset, email change, transfer) are written in. */
export function userLocalesTable(t: Tables) {
  return {
    async find(db: Db, userId: number): Promise<string | undefined> {
      const r = (await db(t.userLocales).select('locale').where({ user_id: userId }).first()) as { locale?: unknown } | undefined;
      return typeof r?.locale === 'string' ? r.locale : undefined;
    },
    /** One statement on every dialect: insert, or replace the language kept. */
    async remember(db: Db, userId: number, locale: string, now: Date): Promise<void> {
      await db(t.userLocales).insert({ user_id: userId, locale, updated_at: now.getTime() }).onConflict('user_id').merge(['locale', 'updated_at']);
    },
  };
}
