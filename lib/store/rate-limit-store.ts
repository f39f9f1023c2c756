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
  private windowMs = 60_000;

  constructor(
    private readonly deps: { knex: Knex; table: string; logger: Logger; now: () => Date },
    name: string,
  ) {
    this.prefix = `${name}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private rowKey(key: string): string {
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
