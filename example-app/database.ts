import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';

export interface PortalDatabase {
  knex: Knex;
  /** Where sessions live: PostgreSQL when the data does, so several instances can share them. */
  sessionStore: session.Store | undefined;
  /** For the start-up banner. */
  description: string;
}

export const DEFAULT_SQLITE_FILE = resolve(process.cwd(), 'data', 'acme-hosting.sqlite');

/** The embedded SQLite file by default; PostgreSQL (data and sessions) when given a URL. */
export function openDatabase(databaseUrl: string | undefined, sqliteFile = DEFAULT_SQLITE_FILE): PortalDatabase {
  if (databaseUrl) {
    const PgStore = connectPgSimple(session);
    return {
      knex: knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 } }),
      sessionStore: new PgStore({ conString: databaseUrl, createTableIfMissing: true }),
      description: `PostgreSQL (${new URL(databaseUrl).host})`,
    };
  }
  mkdirSync(dirname(sqliteFile), { recursive: true });
  return {
    knex: sqliteKnex(sqliteFile),
    // express-session's MemoryStore: fine for one local process, which is what the SQLite mode is for.
    sessionStore: undefined,
    description: `SQLite (${sqliteFile})`,
  };
}

export function sqliteKnex(filename: string): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) => {
        conn.pragma('foreign_keys = ON');
        conn.pragma('journal_mode = WAL');
        done(null, conn);
      },
    },
  });
}
