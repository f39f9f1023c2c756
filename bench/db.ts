import knexFactory, { type Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Dialect = 'sqlite' | 'pg' | 'mysql';

export function dialect(): Dialect {
  const url = process.env.DATABASE_URL ?? '';
  if (/^postgres(ql)?:/.test(url)) return 'pg';
  if (/^(mysql|mariadb):/.test(url)) return 'mysql';
  return 'sqlite';
}

/** A Knex config that survives JSON (it is handed to the server process in an environment variable). */
export type PlainConfig = Knex.Config & { client: string };

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
    case 'pg': {
      const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      await admin.raw(`create schema "${name}"`);
      await admin.destroy();
      const config: PlainConfig = { client: 'pg', connection: url, searchPath: [name], pool: { min: 0, max: 10 } };
      const knex = connect(config);
      return {
        dialect: 'pg',
        config,
        knex,
        version: async () => String((await knex.raw('select version() as v')).rows[0].v),
        async destroy() {
          await knex.destroy();
          const cleanup = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
          await cleanup.raw(`drop schema if exists "${name}" cascade`);
          await cleanup.destroy();
        },
      };
    }
    case 'mysql': {
      const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
      const base = {
        host: parsed.hostname,
        port: Number(parsed.port || 3306),
        user: decodeURIComponent(parsed.username),
        password: decodeURIComponent(parsed.password),
        supportBigNumbers: true,
      };
      const admin = knexFactory({ client: 'mysql2', connection: base, pool: { min: 0, max: 1 } });
      await admin.raw(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
      await admin.destroy();
      const config: PlainConfig = { client: 'mysql2', connection: { ...base, database: name }, pool: { min: 0, max: 10 } };
      const knex = connect(config);
      return {
        dialect: 'mysql',
        config,
        knex,
        version: async () => String((await knex.raw('select version() as v'))[0][0].v),
        async destroy() {
          await knex.destroy();
          const cleanup = knexFactory({ client: 'mysql2', connection: base, pool: { min: 0, max: 1 } });
          await cleanup.raw(`drop database if exists \`${name}\``);
          await cleanup.destroy();
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
