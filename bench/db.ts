import knexFactory, { type Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratch, dialect, type Dialect, type PlainConfig } from '../test/support/db.js';

// The scratch schema/database logic is the test harness's: one copy for both.
export { dialect, type Dialect, type PlainConfig } from '../test/support/db.js';

export interface BenchDatabase {
  dialect: Dialect;
  /** For the server process: the same database, its own pool. */
  config: PlainConfig;
  knex: Knex;
  version(): Promise<string>;
  destroy(): Promise<void>;
}

/** SQLite pragmas cannot travel as JSON; both processes add them when they open the file. */
export function connect(config: PlainConfig): Knex {
  if (config.client !== 'better-sqlite3') return knexFactory(config);
  return knexFactory({
    ...config,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('busy_timeout = 10000');
        conn.pragma('foreign_keys = ON');
        done(null, conn);
      },
    },
  });
}

/**
 * A database of the benchmark's own, dropped afterwards: a new schema on PostgreSQL, a new
 * database on MariaDB/MySQL, a file in a temporary directory on SQLite (two processes share it).
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const url = process.env.DATABASE_URL ?? '';
  const name = `au_bench_${randomBytes(4).toString('hex')}`;
  switch (dialect()) {
    case 'pg':
    case 'mysql': {
      const scratch = await createScratch(url, name);
      const knex = connect(scratch.config);
      return {
        dialect: dialect(),
        config: scratch.config,
        knex,
        version: async () => {
          const result = await knex.raw('select version() as v');
          return String(dialect() === 'pg' ? result.rows[0].v : result[0][0].v);
        },
        async destroy() {
          await knex.destroy();
          await scratch.drop();
        },
      };
    }
    default: {
      const dir = mkdtempSync(join(tmpdir(), 'au-bench-'));
      const config: PlainConfig = { client: 'better-sqlite3', connection: { filename: join(dir, 'bench.sqlite') }, useNullAsDefault: true };
      const knex = connect(config);
      return {
        dialect: 'sqlite',
        config,
        knex,
        version: async () => `SQLite ${String((await knex.raw('select sqlite_version() as v'))[0].v)} (better-sqlite3, WAL, one connection per process)`,
        async destroy() {
          await knex.destroy();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
  }
}
