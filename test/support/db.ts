import knexFactory, { type Knex } from 'knex';
import { randomBytes } from 'node:crypto';

export type Dialect = 'sqlite' | 'pg' | 'mysql';

/** The backend under test: DATABASE_URL selects PostgreSQL or MariaDB/MySQL, otherwise in-memory SQLite. */
export function dialect(): Dialect {
  const url = process.env.DATABASE_URL ?? '';
  if (/^postgres(ql)?:/.test(url)) return 'pg';
  if (/^(mysql|mariadb):/.test(url)) return 'mysql';
  return 'sqlite';
}

export interface TestDatabase {
  knex: Knex;
  /** A second, independent connection pool to the same database (another app instance). */
  connect(): Knex;
  destroy(): Promise<void>;
}

/** A Knex config that survives JSON (the benchmark hands it to its server process). */
export type PlainConfig = Knex.Config & { client: string };

/**
 * A new schema (PostgreSQL) or database (MariaDB/MySQL) called `name` on the server at `url`:
 * the config that reaches it, and how to drop it again. `pgDatabase`: on PostgreSQL a database
 * rather than a schema, reached with no `search_path` to set, as through a pooler in transaction
 * mode, where a connection's session settings do not follow its transactions.
 */
export async function createScratch(
  url: string,
  name: string,
  { pgDatabase = false }: { pgDatabase?: boolean } = {},
): Promise<{ config: PlainConfig; drop(): Promise<void> }> {
  const once = async (config: Knex.Config, sql: string) => {
    const admin = knexFactory({ ...config, pool: { min: 0, max: 1 } });
    try {
      await admin.raw(sql);
    } finally {
      await admin.destroy();
    }
  };
  if (/^postgres(ql)?:/.test(url)) {
    const server = { client: 'pg', connection: url };
    if (pgDatabase) {
      await once(server, `create database "${name}"`);
      const own = new URL(url);
      own.pathname = `/${name}`;
      return {
        config: { client: 'pg', connection: own.toString(), pool: { min: 0, max: 10 } },
        drop: () => once(server, `drop database if exists "${name}" with (force)`),
      };
    }
    await once(server, `create schema "${name}"`);
    return {
      config: { ...server, searchPath: [name], pool: { min: 0, max: 10 } },
      drop: () => once(server, `drop schema if exists "${name}" cascade`),
    };
  }
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const base = {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    supportBigNumbers: true,
  };
  const server = { client: 'mysql2', connection: base };
  await once(server, `create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  return {
    config: { client: 'mysql2', connection: { ...base, database: name }, pool: { min: 0, max: 10 } },
    drop: () => once(server, `drop database if exists \`${name}\``),
  };
}

/**
 * A database of its own for one test file: a new schema on PostgreSQL, a new database on
 * MariaDB, a new in-memory database on SQLite, dropped afterwards, so no run sees another's state.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL ?? '';
  const name = `au_t_${randomBytes(6).toString('hex')}`;

  switch (dialect()) {
    case 'pg':
    case 'mysql': {
      const scratch = await createScratch(url, name);
      const pools: Knex[] = [];
      const connect = () => {
        const pool = knexFactory(scratch.config);
        pools.push(pool);
        return pool;
      };
      const knex = connect();
      return {
        knex,
        connect,
        async destroy() {
          await Promise.all(pools.map((p) => p.destroy()));
          await scratch.drop();
        },
      };
    }
    default: {
      // One in-memory database behind one connection: a second "instance" shares the pool,
      // which is what two processes sharing one SQLite file amount to.
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: ':memory:' },
        useNullAsDefault: true,
        pool: {
          min: 1,
          max: 1,
          afterCreate: (conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) => {
            conn.pragma('foreign_keys = ON');
            done(null, conn);
          },
        },
      });
      return {
        knex,
        connect: () => knex,
        async destroy() {
          await knex.destroy();
        },
      };
    }
  }
}
