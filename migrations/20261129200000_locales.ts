import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * Emails in the recipient's language. An invitation keeps the language its sender used (its
 * resend too); a queued email keeps the language of the request that queued it; and a person's
 * own language — the one they last signed in or acted in — is kept per user id in a table of the
 * kit's, so it works with a host's own users table as well.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.string('locale', 35).nullable();
  });
  await knex.schema.alterTable(t.outbox, (table) => {
    table.string('locale', 35).nullable();
  });
  await knex.schema.createTable(t.userLocales, (table) => {
    table.integer('user_id').notNullable().primary();
    table.string('locale', 35).notNullable();
    table.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.dropTable(t.userLocales);
  await knex.schema.alterTable(t.outbox, (table) => {
    table.dropColumn('locale');
  });
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropColumn('locale');
  });
}
