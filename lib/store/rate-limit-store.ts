import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Logger } from '../logger.js';
import { dialectOf, toNumber } from './db.js';
import { writeTransaction } from './transactions.js';

/**
 * An express-rate-limit store over the kit's database: every app instance sharing the database
 * counts against one limit, with no Redis to run. One store per limiter (`name` keeps their keys
 * apart, and each has its own window). Increments are one atomic upsert on each dialect; time
 * comes from the kit's clock.
 */
export class KnexRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  /** @internal read by knexLoginCounts */
  windowMs = 60_000;

  constructor(
    /** @internal read by knexLoginCounts */
    readonly deps: { knex: Knex; table: string; logger: Logger; now: () => Date },
    name: string,
  ) {
    this.prefix = `${name}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  /** @internal read by knexLoginCounts */
  rowKey(key: string): string {
    return createHash('sha256')
      .update(this.prefix + key)
      .digest('hex');
  }

  private info(row: { hits: unknown; reset_at: unknown } | undefined): ClientRateLimitInfo | undefined {
    return row ? { totalHits: toNumber(row.hits), resetTime: new Date(toNumber(row.reset_at)) } : undefined;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { knex, table, now } = this.deps;
    const row = await knex(table)
      .where({ key: this.rowKey(key) })
      .andWhere('reset_at', '>', now().getTime())
      .first('hits', 'reset_at');
    return this.info(row);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { knex, table } = this.deps;
    const id = this.rowKey(key);
    const now = this.deps.now().getTime();
    const reset = now + this.windowMs;
    // A window that has run out starts again at one hit; otherwise one more, in the same statement.
    const row = await writeTransaction(this.deps, async (trx) => {
      if (dialectOf(trx) === 'mysql') {
        await trx.raw(
          'insert into ?? (`key`, hits, reset_at) values (?, 1, ?) on duplicate key update hits = if(reset_at <= ?, 1, hits + 1), reset_at = if(reset_at <= ?, ?, reset_at)',
          [table, id, reset, now, now, reset],
        );
        // Read in the same transaction, under the row lock the upsert took: our own count.
        return trx(table).where({ key: id }).first('hits', 'reset_at');
      }
      const result = await trx.raw(
        `insert into ?? (key, hits, reset_at) values (?, 1, ?) on conflict (key) do update set
           hits = case when ??.reset_at <= ? then 1 else ??.hits + 1 end,
           reset_at = case when ??.reset_at <= ? then ? else ??.reset_at end
         returning hits, reset_at`,
        [table, id, reset, table, now, table, table, now, reset, table],
      );
      return (Array.isArray(result) ? result[0] : result.rows[0]) as { hits: unknown; reset_at: unknown };
    });
    // Now and then, rows whose window ended long ago go, so the table stays the size of the live windows.
    if (Math.random() < 0.01)
      await knex(table)
        .where('reset_at', '<', now - this.windowMs)
        .del()
        .catch(() => undefined);
    return this.info(row)!;
  }

  async decrement(key: string): Promise<void> {
    const { knex, table, now } = this.deps;
    await knex(table)
      .where({ key: this.rowKey(key) })
      .andWhere('hits', '>', 0)
      .andWhere('reset_at', '>', now().getTime())
      .decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.deps
      .knex(this.deps.table)
      .where({ key: this.rowKey(key) })
      .del();
  }
}

/** A limit's count after one more hit, as one sign-in reads it. */
export interface Hit {
  totalHits: number;
  resetTime: Date;
}

/**
 * The two counts of a sign-in (its IP's and its address's) in as few statements as the database
 * allows: raised together in one upsert that answers with both (PostgreSQL, SQLite; MariaDB/MySQL,
 * which has no RETURNING, one upsert per key that answers through LAST_INSERT_ID), taken back
 * together, and, after a right password, the IP's taken back and the address's cleared in one
 * update. Each statement is atomic on its own, so no transaction is needed: the count a hit
 * answers with is its own, however many sign-ins run at once.
 */
export interface LoginCounts {
  raise(ipKey: string, emailKey: string | undefined): Promise<{ ip: Hit; email: Hit | undefined }>;
  takeBack(ipKey: string, emailKey: string | undefined): Promise<void>;
  /**
   * A right password: the IP's hit taken back, the address's count cleared. `login`: the kit's
   * users table and the login's id, whose last sign-in MariaDB/MySQL records in the same statement
   * (a multi-table update); true when it did, and the caller records it otherwise.
   */
  succeed(ipKey: string, emailKey: string | undefined, login?: { table: string; userId: number; at: Date }): Promise<boolean>;
}

// MariaDB/MySQL: the new count and the window's time left, packed into LAST_INSERT_ID (mysql2's insertId).
const PACK = 1_048_576;

/** LoginCounts over two of the kit's database stores on one table; undefined for other stores (Redis, …). */
export function knexLoginCounts(ip: Store, email: Store): LoginCounts | undefined {
  if (!(ip instanceof KnexRateLimitStore) || !(email instanceof KnexRateLimitStore)) return undefined;
  if (ip.deps.knex !== email.deps.knex || ip.deps.table !== email.deps.table) return undefined;
  const { knex, table, now: clock } = ip.deps;
  const mysql = dialectOf(knex) === 'mysql';
  const pg = dialectOf(knex) === 'pg';

  /**
   * The rows of `keys`, for an update of several: on PostgreSQL a subquery that locks them in key
   * order first (an UPDATE alone locks rows in the order its scan meets them, which two statements
   * need not share, and then deadlocks against a raise); elsewhere the keys as they are (InnoDB
   * meets them in primary-key order, SQLite has one writer).
   */
  function inKeyOrder(keys: string[]): string[] | Knex.QueryBuilder {
    return pg ? knex(table).select('key').whereIn('key', keys).orderBy('key').forUpdate() : keys;
  }

  async function raiseMysql(id: string, windowMs: number, now: number): Promise<Hit> {
    const reset = now + windowMs;
    const result = await knex.raw(
      'insert into ?? (`key`, hits, reset_at) values (?, 1, ?) on duplicate key update ' +
        'hits = if(reset_at <= ?, 1, hits + 1) + least(0, last_insert_id(if(reset_at <= ?, ? * ?, (reset_at - ?) * ?) + least(if(reset_at <= ?, 1, hits + 1), ?))), ' +
        'reset_at = if(reset_at <= ?, ?, reset_at)',
      [table, id, reset, now, now, windowMs, PACK, now, PACK, now, PACK - 1, now, reset],
    );
    const header = (Array.isArray(result) ? result[0] : result) as { insertId?: number; affectedRows?: number };
    // A new row (affectedRows 1) is the window's first hit.
    if (header.affectedRows === 1 || !header.insertId) return { totalHits: 1, resetTime: new Date(reset) };
    const packed = Number(header.insertId);
    return { totalHits: packed % PACK, resetTime: new Date(now + Math.floor(packed / PACK)) };
  }

  return {
    async raise(ipKey, emailKey) {
      const now = clock().getTime();
      const entries: Array<[string, number]> = [[ip.rowKey(ipKey), ip.windowMs]];
      if (emailKey !== undefined) entries.push([email.rowKey(emailKey), email.windowMs]);
      let hits: Hit[];
      if (mysql) {
        hits = await Promise.all(entries.map(([id, w]) => raiseMysql(id, w, now)));
      } else {
        // In key order, as takeBack and succeed lock them: two statements taking the same two rows
        // in opposite orders deadlock on PostgreSQL.
        const ordered = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const values = ordered.map(() => '(?, 1, ?)').join(', ');
        const rows = await knex.raw(
          `insert into ?? (key, hits, reset_at) values ${values} on conflict (key) do update set
             hits = case when ??.reset_at <= ? then 1 else ??.hits + 1 end,
             reset_at = case when ??.reset_at <= ? then excluded.reset_at else ??.reset_at end
           returning key, hits, reset_at`,
          [table, ...ordered.flatMap(([id, w]) => [id, now + w]), table, now, table, table, now, table],
        );
        const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as Array<{ key: string; hits: unknown; reset_at: unknown }>;
        hits = entries.map(([id]) => {
          const r = list.find((x) => x.key === id)!;
          return { totalHits: toNumber(r.hits), resetTime: new Date(toNumber(r.reset_at)) };
        });
      }
      return { ip: hits[0]!, email: hits[1] };
    },
    async takeBack(ipKey, emailKey) {
      const keys = [ip.rowKey(ipKey), ...(emailKey !== undefined ? [email.rowKey(emailKey)] : [])];
      await knex(table).whereIn('key', inKeyOrder(keys)).andWhere('hits', '>', 0).andWhere('reset_at', '>', clock().getTime()).decrement('hits', 1);
    },
    async succeed(ipKey, emailKey, login) {
      const ipId = ip.rowKey(ipKey);
      const now = clock().getTime();
      if (emailKey === undefined) {
        await knex(table).where({ key: ipId }).andWhere('hits', '>', 0).andWhere('reset_at', '>', now).decrement('hits', 1);
        return false;
      }
      if (mysql && login) {
        // The login row always matches; the counters only while their window is open (left join).
        // The sign-in before moves to previous_login_at first (MariaDB assigns left to right).
        await knex.raw(
          'update ?? u left join ?? r on r.`key` in (?, ?) and r.reset_at > ? ' +
            'set u.previous_login_at = u.last_login_at, u.last_login_at = ?, r.hits = if(r.`key` = ?, greatest(r.hits - 1, 0), 0), r.reset_at = if(r.`key` = ?, r.reset_at, ?) where u.id = ?',
          [login.table, table, ipId, email.rowKey(emailKey), now, login.at.getTime(), ipId, ipId, now, login.userId],
        );
        return true;
      }
      // The address's count to nothing (its window then reads as closed), the IP's one less.
      await knex(table)
        .whereIn('key', inKeyOrder([ipId, email.rowKey(emailKey)]))
        .andWhere('reset_at', '>', now)
        .update({
          hits: knex.raw('case when ?? = ? then (case when hits > 0 then hits - 1 else 0 end) else 0 end', ['key', ipId]),
          reset_at: knex.raw('case when ?? = ? then reset_at else ? end', ['key', ipId, now]),
        });
      return false;
    },
  };
}
