import type { Knex } from 'knex';
import type { MigrationOptions, Tables } from './support/tables.js';

/*
 * The profile's "Last login" is the sign-in before this one: last_login_at is written as a session
 * signs in, so it only ever showed the current session. users.previous_login_at (epoch ms, null
 * before a second sign-in) takes the old last_login_at in the same UPDATE that writes the new one.
 * Existing logins start with none: the data holds only the latest sign-in. A host with its own
 * users table (the `users` option) returns `previousLoginAt` itself if it keeps one.
 */
export async function up(knex: Knex, t: Tables, options: MigrationOptions = { ownUsersTable: true }): Promise<void> {
  if (!options.ownUsersTable) return;
  await knex.schema.alterTable(t.users, (table) => {
    table.bigInteger('previous_login_at').nullable();
  });
}

export async function down(knex: Knex, t: Tables, options: MigrationOptions = { ownUsersTable: true }): Promise<void> {
  if (!options.ownUsersTable) return;
  await knex.schema.alterTable(t.users, (table) => {
    table.dropColumn('previous_login_at');
  });
}
