import type { Db, Tables } from './db.js';
import { createHash } from 'node:crypto';
import { dialectOf, toDateOrNull, toNumber } from './db.js';
import { COLUMNS as membershipColumns, fromRow as membershipFromRow, UNUSABLE, type MembershipRow } from './accounts/memberships.js';
import { userFromRow, type UserRow } from './users.js';

/**
 * The sessions of `au.sessionStore()` (migration 20261207120000_sessions). Keyed by the SHA-256 of
 * the session id. The read joins what the guard needs (the user, the active membership, the
 * login's second factor), so a guarded request sends this one statement and nothing else.
 */

export interface SessionRow {
  /** The session as stored (JSON text). */
  data: string;
  expiresAt: number;
  userId: number | null;
  accountId: number | null;
}

/** What came with the session row: absent when the row names no user. */
export interface SessionLogin {
  /** The kit's user row (without its password hash); undefined with a host's users store. */
  user: UserRow | undefined;
  membership: MembershipRow | undefined;
  twoFactorEnabledAt: Date | null;
}

export interface SessionWrite {
  sidHash: string;
  userId: number | null;
  accountId: number | null;
  data: string;
  expiresAt: number;
}

const nullableId = (v: unknown) => (v === null || v === undefined ? null : toNumber(v));

/**
 * A prepared statement the server no longer has (`26000`, a pooler gave this client another server
 * connection), already has under that name (`42P05`, prepared there by another client), or can no
 * longer run as planned (`0A000`, "cached plan must not change result type", after a migration).
 */
export function isPreparedStatementLost(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '26000' || code === '42P05' || code === '0A000';
}

export function sessionsTable(t: Tables) {
  // One name per statement text (the table's name, the shape with the kit's users or a host's, this
  // version of the kit), within PostgreSQL's 63 bytes: two kits, or two versions of one during a
  // rolling deploy, never bind each other's statement. Worked out on the first read of each shape.
  const statementNames = new Map<boolean, string>();
  const statementName = (withUser: boolean, sql: () => string) => {
    let name = statementNames.get(withUser);
    if (!name) statementNames.set(withUser, (name = `au_session_read_${createHash('sha256').update(sql()).digest('hex').slice(0, 16)}`));
    return name;
  };
  return {
    /**
     * The session with its login, in one statement: the user (when the kit keeps them) and the
     * membership the session acts under, as findUserWithMembership chooses it (the chosen account,
     * else the default one), by the ids the row was saved with. A row past its expiry is not found.
     *
     * `prepared`: on PostgreSQL, a named prepared statement, planned once per connection. Planning
     * this five-table read costs the server several times what running it does (0.35 ms against
     * 0.07 ms measured), and it is every guarded request's one statement. A pooler that moves
     * statements between server connections refuses it with `26000` or `42P05`
     * (isPreparedStatementLost); the caller then reads unprepared.
     */
    async read(
      db: Db,
      sidHash: string,
      now: Date,
      withUser: boolean,
      prepared = false,
    ): Promise<{ session: SessionRow; login: SessionLogin | undefined } | undefined> {
      const s = t.sessions;
      const query = db(s)
        .leftJoin(t.memberships, (on) => {
          on.on(`${t.memberships}.user_id`, '=', `${s}.user_id`).andOn((w) =>
            w.onNull(`${s}.account_id`).orOn(`${t.memberships}.account_id`, '=', `${s}.account_id`),
          );
        })
        .leftJoin(t.accounts, `${t.accounts}.id`, `${t.memberships}.account_id`)
        .leftJoin(t.twoFactor, `${t.twoFactor}.user_id`, `${s}.user_id`)
        .select([
          `${s}.data as session_data`,
          `${s}.expires_at as session_expires_at`,
          `${s}.user_id as session_user_id`,
          `${s}.account_id as session_account_id`,
          ...membershipColumns(t, db, now),
        ])
        .where(`${s}.sid_hash`, sidHash)
        .andWhere(`${s}.expires_at`, '>', now.getTime())
        // With no account chosen, the default one first (the order findDefault uses); with one, at most one row.
        .orderByRaw(UNUSABLE(t), [now.getTime()])
        .orderByRaw(`case when ${t.accounts}.owner_user_id = ${s}.user_id then 0 else 1 end`)
        .orderBy(`${t.memberships}.account_id`, 'asc');
      if (withUser) {
        query
          .leftJoin(t.users, `${t.users}.id`, `${s}.user_id`)
          .select([
            `${t.users}.id as id`,
            `${t.users}.email as email`,
            `${t.users}.name as name`,
            `${t.users}.last_login_at as last_login_at`,
            `${t.users}.sessions_valid_after as sessions_valid_after`,
          ]);
      }
      if (prepared && dialectOf(db) === 'pg') query.options({ name: statementName(withUser, () => query.toSQL().sql) });
      const r: Record<string, unknown> | undefined = await query.first();
      if (!r) return undefined;
      const session: SessionRow = {
        data: String(r.session_data),
        expiresAt: toNumber(r.session_expires_at),
        userId: nullableId(r.session_user_id),
        accountId: nullableId(r.session_account_id),
      };
      if (session.userId === null) return { session, login: undefined };
      const hasUser = withUser && r.id !== null && r.id !== undefined;
      const hasMembership = r.account_id !== null && r.account_id !== undefined;
      return {
        session,
        login: {
          user: hasUser ? userFromRow(r) : undefined,
          membership: hasMembership ? membershipFromRow(r) : undefined,
          twoFactorEnabledAt: toDateOrNull(r.two_factor_enabled_at),
        },
      };
    },
    /** The whole session, one upsert: the last save wins (as with connect-pg-simple and connect-redis). */
    async write(db: Db, row: SessionWrite): Promise<void> {
      await db(t.sessions)
        .insert({ sid_hash: row.sidHash, user_id: row.userId, account_id: row.accountId, data: row.data, expires_at: row.expiresAt })
        .onConflict('sid_hash')
        .merge(['user_id', 'account_id', 'data', 'expires_at']);
    },
    async touch(db: Db, sidHash: string, expiresAt: number): Promise<void> {
      await db(t.sessions).where({ sid_hash: sidHash }).update({ expires_at: expiresAt });
    },
    async destroy(db: Db, sidHash: string): Promise<void> {
      await db(t.sessions).where({ sid_hash: sidHash }).del();
    },
    /** Every session of one login ("sign out everywhere"). */
    async destroyForUser(db: Db, userId: number): Promise<number> {
      return db(t.sessions).where({ user_id: userId }).del();
    },
    async clear(db: Db): Promise<void> {
      await db(t.sessions).del();
    },
    async count(db: Db, now: Date): Promise<number> {
      const r = await db(t.sessions).where('expires_at', '>', now.getTime()).count({ n: '*' }).first();
      return toNumber(r?.n ?? 0);
    },
  };
}
