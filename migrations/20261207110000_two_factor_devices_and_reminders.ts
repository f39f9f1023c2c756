import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * Two-factor sign-in, continued (lib/services/two-factor/README.md).
 *
 * - two_factor_devices: browsers a login asked to remember after a second factor
 *   (`twoFactor.rememberDeviceDays`). Only the SHA-256 of the cookie's random value is kept
 *   (unique), with the login it was made for and when it ends: the lookup at sign-in is
 *   `token_hash = ? and user_id = ? and expires_at > now`. Deleted by a password change or reset,
 *   by removing or resetting the factor, and by the person.
 * - two_factor_reminders: the email before an account's grace ends, claimed once per member and
 *   rule. The primary key (account, member, end of grace) is what makes "once" hold across
 *   processes: the row is inserted in the transaction that queues the email. A new grace (the
 *   owner changes the rule) is a new rule, with its own reminder.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.createTable(t.twoFactorDevices, (table) => {
    table.increments('id').primary();
    table.integer('user_id').unsigned().notNullable();
    table
      .string('token_hash', 64)
      .notNullable()
      .unique({ indexName: `${t.twoFactorDevices}_token` });
    table.string('label', 200).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('last_used_at').notNullable();
    table.bigInteger('expires_at').notNullable();
    table.index(['user_id'], `${t.twoFactorDevices}_user`);
  });
  await knex.schema.createTable(t.twoFactorReminders, (table) => {
    table.integer('account_id').unsigned().notNullable().references('id').inTable(t.accounts).onDelete('CASCADE');
    table.integer('user_id').unsigned().notNullable();
    table.bigInteger('grace_until').notNullable();
    table.bigInteger('created_at').notNullable();
    table.primary(['account_id', 'user_id', 'grace_until'], `${t.twoFactorReminders}_pk`);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.dropTable(t.twoFactorReminders);
  await knex.schema.dropTable(t.twoFactorDevices);
}
