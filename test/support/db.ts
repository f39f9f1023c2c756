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

/**
 * A database of its own for one test file: a new schema on PostgreSQL, a new database on
 * MariaDB, a new in-memory database on SQLite, dropped afterwards, so no run sees another's state.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL ?? '';
  const name = `au_t_${randomBytes(6).toString('hex')}`;
  const pools: Knex[] = [];
  const track = (k: Knex) => (pools.push(k), k);

  switch (dialect()) {
    case 'pg': {
      const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      await admin.raw(`create schema "${name}"`);
      await admin.destroy();
      const connect = () => track(knexFactory({ client: 'pg', connection: url, searchPath: [name], pool: { min: 0, max: 10 } }));
      const knex = connect();
      return {
        knex,
        connect,
        async destroy() {
          await Promise.all(pools.map((p) => p.destroy()));
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
      const connect = () => track(knexFactory({ client: 'mysql2', connection: { ...base, database: name }, pool: { min: 0, max: 10 } }));
      const knex = connect();
      return {
        knex,
        connect,
        async destroy() {
          await Promise.all(pools.map((p) => p.destroy()));
          const cleanup = knexFactory({ client: 'mysql2', connection: base, pool: { min: 0, max: 1 } });
          await cleanup.raw(`drop database if exists \`${name}\``);
          await cleanup.destroy();
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
