import type { Knex } from 'knex';
import type { MigrationOptions, Tables } from './support/tables.js';

/*
 * A login that looks after itself: password reset and email-change links, the user's own
 * activity, and the moment before which a user's sessions no longer count.
 *
 * - users.sessions_valid_after: read in the session's own query, so signing out every other
 *   session costs no query per request.
 * - user_tokens: one row per reset or email-change request. Like an invitation's, the token is
 *   minted when the email is sent and only its SHA-256 is kept; null until then.
 * - outbox.kind and outbox.user_token_id: the outbox carries these emails too; invitation rows
 *   keep kind 'invitation' and their invitation_id, which becomes nullable for the new kinds.
 */
export async function up(knex: Knex, t: Tables, options: MigrationOptions = { ownUsersTable: true }): Promise<void> {
  if (options.ownUsersTable) {
    await knex.schema.alterTable(t.users, (table) => {
      table.bigInteger('sessions_valid_after').nullable();
    });
  }

  await knex.schema.createTable(t.userTokens, (table) => {
    table.increments('id').primary();
    table.integer('user_id').unsigned().notNullable();
    // 'password_reset' or 'email_change'
    table.string('purpose', 16).notNullable();
    table.string('token_hash', 64).nullable().unique();
    // The address an email change moves to; null for a reset.
    table.string('new_email', 254).nullable();
    // 'pending', 'used' or 'superseded'
    table.string('status', 16).notNullable();
    table.bigInteger('expires_at').nullable();
    table.bigInteger('used_at').nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['user_id', 'purpose', 'status']);
  });

  await knex.schema.createTable(t.userActivity, (table) => {
    table.increments('id').primary();
    table.integer('user_id').unsigned().notNullable();
    table.string('action', 40).notNullable();
    table.text('details').nullable();
    table.string('ip', 64).nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['user_id', 'id']);
  });

  await knex.schema.alterTable(t.outbox, (table) => {
    table.string('kind', 24).notNullable().defaultTo('invitation');
    table.integer('user_token_id').unsigned().nullable().references('id').inTable(t.userTokens).onDelete('CASCADE');
    table.index(['user_token_id']);
  });
  await invitationIdNullable(knex, t, true);
}

// knex's setNullable writes MariaDB's MODIFY without `unsigned`, which the foreign key refuses.
async function invitationIdNullable(knex: Knex, t: Tables, nullable: boolean): Promise<void> {
  if (/mysql|maria/i.test(String(knex.client.config.client))) {
    await knex.raw(`alter table ?? modify invitation_id int unsigned ${nullable ? 'null' : 'not null'}`, [t.outbox]);
    return;
  }
  await knex.schema.alterTable(t.outbox, (table) => {
    if (nullable) table.setNullable('invitation_id');
    else table.dropNullable('invitation_id');
  });
}

export async function down(knex: Knex, t: Tables, options: MigrationOptions = { ownUsersTable: true }): Promise<void> {
  await knex(t.outbox).whereNot('kind', 'invitation').del();
  await invitationIdNullable(knex, t, false);
  await knex.schema.alterTable(t.outbox, (table) => {
    table.dropForeign(['user_token_id']);
    table.dropIndex(['user_token_id']);
    table.dropColumn('user_token_id');
    table.dropColumn('kind');
  });
  await knex.schema.dropTable(t.userActivity);
  await knex.schema.dropTable(t.userTokens);
  if (options.ownUsersTable) {
    await knex.schema.alterTable(t.users, (table) => {
      table.dropColumn('sessions_valid_after');
    });
  }
}
