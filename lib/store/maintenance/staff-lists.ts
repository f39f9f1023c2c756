import type { Db, Tables } from '../db.js';
import { toDate, toDateOrNull, toNumber } from '../db.js';

export interface AccountListRow {
  id: number;
  name: string;
  ownerUserId: number;
  createdAt: Date;
}

export interface UserListRow {
  id: number;
  email: string;
  name: string;
  emailVerified: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/**
 * `%`, `_` and the escape itself taken literally in a LIKE pattern. `!`, not a backslash: MariaDB
 * reads a backslash in a string literal as an escape, PostgreSQL and SQLite do not.
 */
function likeLiteral(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/** Staff lists, keyset-paged by id (the primary key serves every page; no OFFSET, no count). */
export function staffListsStore(t: Tables) {
  return {
    async accounts(db: Db, after: number, limit: number): Promise<AccountListRow[]> {
      const rows: Array<Record<string, unknown>> = await db(t.accounts)
        .where('id', '>', after)
        .orderBy('id', 'asc')
        .limit(limit)
        .select('id', 'name', 'owner_user_id', 'created_at');
      return rows.map((r) => ({ id: toNumber(r.id), name: String(r.name), ownerUserId: toNumber(r.owner_user_id), createdAt: toDate(r.created_at) }));
    },
    /**
     * The kit's logins whose address or name contains `query`, ignoring case (addresses are stored
     * lower-case; names are compared lower-cased). A substring search reads the table in id order
     * up to the page's end: fine for staff tools, not for a public search box.
     */
    async users(db: Db, query: string, after: number, limit: number): Promise<UserListRow[]> {
      const pattern = `%${likeLiteral(query.toLowerCase())}%`;
      const rows: Array<Record<string, unknown>> = await db(t.users)
        .where('id', '>', after)
        .andWhere((w) => w.whereRaw(`email like ? escape '!'`, [pattern]).orWhereRaw(`lower(name) like ? escape '!'`, [pattern]))
        .orderBy('id', 'asc')
        .limit(limit)
        .select('id', 'email', 'name', 'email_verified_at', 'created_at', 'last_login_at');
      return rows.map((r) => ({
        id: toNumber(r.id),
        email: String(r.email),
        name: String(r.name),
        emailVerified: r.email_verified_at !== null && r.email_verified_at !== undefined,
        createdAt: toDate(r.created_at),
        lastLoginAt: toDateOrNull(r.last_login_at),
      }));
    },
  };
}
