import type { Knex } from 'knex';

/**
 * The one place that knows how the three supported databases differ:
 * counts come back as strings on PostgreSQL, bigints as strings on pg and
 * mysql2, JSON is stored as text, and unique-violation errors have three shapes.
 * Times are stored as epoch milliseconds (bigint) so no dialect's time-zone or
 * precision rules apply.
 */
export type { Tables } from '../../migrations/support/tables.js';
import type { Tables } from '../../migrations/support/tables.js';

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
    rateLimits: `${prefix}rate_limits`,
    userTokens: `${prefix}user_tokens`,
    userActivity: `${prefix}user_activity`,
    ownershipTransfers: `${prefix}ownership_transfers`,
    userLocales: `${prefix}user_locales`,
    twoFactor: `${prefix}two_factor`,
    twoFactorCodes: `${prefix}two_factor_codes`,
    twoFactorSteps: `${prefix}two_factor_steps`,
    twoFactorDevices: `${prefix}two_factor_devices`,
    twoFactorReminders: `${prefix}two_factor_reminders`,
    passkeys: `${prefix}passkeys`,
    removedMembers: `${prefix}removed_members`,
    sessions: `${prefix}sessions`,
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
  return (
    e.code === '23505' ||
    e.code === 'ER_DUP_ENTRY' ||
    e.errno === 1062 ||
    (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT_UNIQUE')) ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * True for a transaction the database aborted to break a lock cycle or keep it serialisable,
 * which succeeds when run again: PostgreSQL 40001/40P01, MariaDB/MySQL ER_LOCK_DEADLOCK (1213)
 * and ER_LOCK_WAIT_TIMEOUT (1205), SQLite SQLITE_BUSY.
 */
export function isTransientConflict(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  if (!e) return false;
  return (
    e.code === '40001' ||
    e.code === '40P01' ||
    e.code === 'ER_LOCK_DEADLOCK' ||
    e.code === 'ER_LOCK_WAIT_TIMEOUT' ||
    e.errno === 1213 ||
    e.errno === 1205 ||
    (typeof e.code === 'string' && e.code.startsWith('SQLITE_BUSY'))
  );
}

/**
 * True for an error raised by a database driver (it carries SQL, a SQLSTATE or an SQLite code).
 * Its message may hold the statement and the values in it (an invitee's email), so it is logged,
 * never shown.
 */
export function isDatabaseError(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; sqlState?: unknown; sql?: unknown; severity?: unknown; routine?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.sql === 'string' || typeof e.sqlState === 'string') return true;
  if (typeof e.code === 'string' && /^(SQLITE_|ER_)/.test(e.code)) return true;
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && (typeof e.severity === 'string' || typeof e.routine === 'string');
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
  return /Connection terminated|connection is closed|connection is in closed state|Connection ended unexpectedly|encountered a connection error and is not queryable|Cannot enqueue|The database connection is not open|Unable to acquire a connection/i.test(
    e.message ?? '',
  );
}

export function dialectOf(db: Db): 'pg' | 'mysql' | 'sqlite' {
  const client = String((db as Knex).client?.config?.client ?? '');
  if (/pg|postgres/i.test(client)) return 'pg';
  if (/mysql|maria/i.test(client)) return 'mysql';
  return 'sqlite';
}

/**
 * A LIKE pattern matching `text` anywhere, lower-cased, with `%`, `_` and the escape character
 * itself escaped by `!`: written `like ? escape '!'` the same on every dialect (a backslash would
 * need quoting twice on MariaDB and once on PostgreSQL).
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** A LIKE pattern for one permission key inside the stored JSON array text (`["invoices","quotes"]`). */
export function permissionPattern(key: string): string {
  return `%${JSON.stringify(key).replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
