import type { Knex } from 'knex';
import type { MigrationOptions, Tables } from './support/tables.js';

/*
 * The whole schema of 0.1. Times are epoch milliseconds (bigint) so that the
 * three dialects agree on them. User ids carry no foreign key: a host may keep
 * its users in a table of its own (the `users` option), and the kit's cleanup
 * runs in code inside the same transactions instead.
 */
export async function up(knex: Knex, t: Tables, options: MigrationOptions = { ownUsersTable: true }): Promise<void> {
  // A host with its own users table (the `users` option) gets no empty one of the kit's.
  if (options.ownUsersTable)
    await knex.schema.createTable(t.users, (table) => {
      table.increments('id').primary();
      table.string('email', 254).notNullable().unique();
      table.string('name', 255).notNullable();
      table.string('password_hash', 255).nullable();
      table.bigInteger('created_at').notNullable();
      table.bigInteger('last_login_at').nullable();
    });

  await knex.schema.createTable(t.accounts, (table) => {
    table.increments('id').primary();
    table.string('name', 255).notNullable();
    table.integer('owner_user_id').unsigned().notNullable().index();
    table.bigInteger('created_at').notNullable();
  });

  await knex.schema.createTable(t.memberships, (table) => {
    table.increments('id').primary();
    table.integer('account_id').unsigned().notNullable().references('id').inTable(t.accounts).onDelete('CASCADE');
    table.integer('user_id').unsigned().notNullable();
    table.text('permissions').notNullable();
    table.integer('invited_by').unsigned().nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.unique(['account_id', 'user_id']);
    // The guard's lookup is (user_id, account_id); the unique index above serves listings by account.
    table.index(['user_id', 'account_id']);
  });

  await knex.schema.createTable(t.invitations, (table) => {
    table.increments('id').primary();
    table.integer('account_id').unsigned().notNullable().references('id').inTable(t.accounts).onDelete('CASCADE');
    table.string('email', 254).notNullable();
    table.text('permissions').notNullable();
    // SHA-256 of the link token, hex. Null until the first email is sent, and after a resend until the next one is.
    table.string('token_hash', 64).nullable().unique();
    // Equals email while the invitation is pending, null otherwise: a unique index on it makes
    // "one pending invitation per (account, email)" a database rule on all three dialects
    // (MariaDB has no partial indexes; NULLs never collide).
    table.string('pending_email', 254).nullable();
    table.string('status', 16).notNullable();
    table.integer('invited_by').unsigned().notNullable();
    table.integer('send_count').notNullable().defaultTo(0);
    table.bigInteger('expires_at').notNullable();
    table.bigInteger('sent_at').nullable();
    table.bigInteger('accepted_at').nullable();
    table.integer('accepted_user_id').unsigned().nullable();
    table.bigInteger('cancelled_at').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.unique(['account_id', 'pending_email']);
    table.index(['account_id', 'created_at']);
  });

  await knex.schema.createTable(t.activity, (table) => {
    table.increments('id').primary();
    table.integer('account_id').unsigned().notNullable().references('id').inTable(t.accounts).onDelete('CASCADE');
    table.integer('actor_user_id').unsigned().nullable();
    table.integer('subject_user_id').unsigned().nullable();
    table.string('subject_email', 254).nullable();
    table.string('action', 40).notNullable();
    table.text('details').nullable();
    table.string('ip', 64).nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['account_id', 'id']);
  });

  await knex.schema.createTable(t.outbox, (table) => {
    table.increments('id').primary();
    table.integer('invitation_id').unsigned().notNullable().references('id').inTable(t.invitations).onDelete('CASCADE');
    table.string('recipient', 254).notNullable();
    // Where the accept link points (baseUrl + mount path + /accept/). The token itself is
    // minted at send time and never stored, so nothing secret sits in this table.
    table.string('link_prefix', 1024).notNullable();
    table.string('status', 16).notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('next_attempt_at').notNullable();
    table.bigInteger('claimed_until').nullable();
    table.string('claim_id', 64).nullable();
    table.text('last_error').nullable();
    table.bigInteger('sent_at').nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['status', 'next_attempt_at']);
    table.index(['invitation_id']);
  });
}

export async function down(knex: Knex, t: Tables, options: MigrationOptions = { ownUsersTable: true }): Promise<void> {
  for (const name of [t.outbox, t.activity, t.invitations, t.memberships, t.accounts, ...(options.ownUsersTable ? [t.users] : [])]) {
    await knex.schema.dropTableIfExists(name);
  }
}
