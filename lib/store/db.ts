import type { Knex } from 'knex';

/**
 * The one place that knows how the three supported databases differ:
 * counts come back as strings on PostgreSQL, bigints as strings on pg and
 * mysql2, JSON is stored as text, and unique-violation errors have three shapes.
 * Times are stored as epoch milliseconds (bigint) so no dialect's time-zone or
 * precision rules apply.
 */
export interface Tables {
  users: string;
  accounts: string;
  memberships: string;
  invitations: string;
  activity: string;
  outbox: string;
  migrations: string;
}

/** What a table prefix may be: short enough for MariaDB's 64-character index names. */
export const TABLE_PREFIX_PATTERN = /^[a-z][a-z0-9_]{0,15}$/;
export const TABLE_PREFIX_RULE = 'must be up to 16 lower-case letters, digits or _, starting with a letter';

export function tableNames(prefix: string): Tables {
  return {
    users: `${prefix}users`,
    accounts: `${prefix}accounts`,
    memberships: `${prefix}account_users`,
    invitations: `${prefix}invitations`,
    activity: `${prefix}activity`,
    outbox: `${prefix}outbox`,
    migrations: `${prefix}migrations`,
  };
}

export type Db = Knex | Knex.Transaction;

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  return Number.NaN;
}

export function toDate(value: unknown): Date {
  return new Date(toNumber(value));
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function toJsonText(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJsonText<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'string') return value as T; // mysql2 may already parse JSON columns
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** The id of an inserted row; PostgreSQL needs `returning`, the others report it. */
export async function insertReturningId(db: Db, table: string, row: Record<string, unknown>): Promise<number> {
  const query = db(table).insert(row);
  const result = (await (dialectOf(db) === 'pg' ? query.returning('id') : query)) as unknown[];
  const first = result[0];
  if (typeof first === 'object' && first !== null) return toNumber((first as { id: unknown }).id);
  return toNumber(first);
}

/** True for a unique-constraint violation on PostgreSQL, MariaDB/MySQL or SQLite. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  if (!e) return false;
  return e.code === '23505' || e.code === 'ER_DUP_ENTRY' || e.errno === 1062 || (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT_UNIQUE')) || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when the error means the database itself could not be reached (answered with 503). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string } | null;
  if (!e) return false;
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', '57P01', '57P02', '57P03', '08006', '08003', '08001'];
  if (e.code && codes.includes(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  // A connection lost mid-transaction reaches us as knex's failed ROLLBACK: mysql2 marks it `fatal`
  // ("Can't add new command when connection is in closed state"), pg says "… is not queryable".
  if ((err as { fatal?: unknown }).fatal === true) return true;
  return /Connection terminated|connection is closed|connection is in closed state|Connection ended unexpectedly|encountered a connection error and is not queryable|Cannot enqueue|The database connection is not open|Unable to acquire a connection/i.test(e.message ?? '');
}

export function dialectOf(db: Db): 'pg' | 'mysql' | 'sqlite' {
  const client = String((db as Knex).client?.config?.client ?? '');
  if (/pg|postgres/i.test(client)) return 'pg';
  if (/mysql|maria/i.test(client)) return 'mysql';
  return 'sqlite';
}
