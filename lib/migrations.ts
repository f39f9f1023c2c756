/**
 * The kit's migrations without a kit: for a host's knexfile, which runs before (and without)
 * a Knex instance, a mail transport or a base URL. Public as `express-account-users/migrations`.
 */
import type { Knex } from 'knex';
import { OptionsError } from './errors.js';
import { TABLE_PREFIX_PATTERN, TABLE_PREFIX_RULE, tableNames } from './store/db.js';
import { kitMigrationSource } from './store/migrations.js';

export interface KitMigrationsOptions {
  /** The same `tablePrefix` as given to accountUsers(); default `'au_'`. */
  tablePrefix?: string;
  /**
   * `'host'` when accountUsers() gets a `users` store of the host's: the kit then creates no
   * users table of its own. Default `'kit'`.
   */
  users?: 'kit' | 'host';
}

/** `{ migrationSource, tableName }`: spread it into a knexfile's `migrations`. */
export function kitMigrations(options: KitMigrationsOptions = {}): { migrationSource: Knex.MigrationSource<string>; tableName: string } {
  const prefix = options.tablePrefix ?? 'au_';
  if (!TABLE_PREFIX_PATTERN.test(prefix)) {
    throw new OptionsError(`express-account-users: option \`tablePrefix\` ${TABLE_PREFIX_RULE}; received ${JSON.stringify(prefix)}`);
  }
  if (options.users !== undefined && options.users !== 'kit' && options.users !== 'host') {
    throw new OptionsError(`express-account-users: option \`users\` must be 'kit' or 'host'; received ${JSON.stringify(options.users)}`);
  }
  const tables = tableNames(prefix);
  return { migrationSource: kitMigrationSource(tables, { ownUsersTable: options.users !== 'host' }), tableName: tables.migrations };
}
