import type { Knex } from 'knex';
import type { MigrationOptions, Tables } from './support/tables.js';

/*
 * A login's address counts for in-app invitations only once something proved it (an invitation
 * or reset link, an email-change confirmation, the kit's verification link, or the host saying
 * so). users.email_verified_at: when that happened, epoch ms; null while unproved.
 *
 * Existing logins start unverified, all of them. The data cannot tell which ever proved their
 * address: an accept through the link and one in the app leave the same invitation row, and a
 * sign-up followed at once by an in-app accept looks like a registration through the link.
 * A host whose own sign-up proved addresses marks them (au.api.markEmailVerified, or one UPDATE).
 * A host with its own users table (the `users` option) keeps the flag itself: nothing to add.
 */
export async function up(knex: Knex, t: Tables, options: MigrationOptions = { ownUsersTable: true }): Promise<void> {
  if (!options.ownUsersTable) return;
  await knex.schema.alterTable(t.users, (table) => {
    table.bigInteger('email_verified_at').nullable();
  });
}

export async function down(knex: Knex, t: Tables, options: MigrationOptions = { ownUsersTable: true }): Promise<void> {
  // Verification links exist with a host's users table too; the older code knows no such rows.
  await knex(t.outbox).where({ kind: 'email_verify' }).del();
  await knex(t.userTokens).where({ purpose: 'email_verify' }).del();
  if (!options.ownUsersTable) return;
  await knex.schema.alterTable(t.users, (table) => {
    table.dropColumn('email_verified_at');
  });
}
