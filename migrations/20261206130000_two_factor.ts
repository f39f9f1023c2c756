import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * Two-factor sign-in (lib/services/two-factor/README.md).
 *
 * - two_factor: one row per login with an authenticator app. `totp_secret` is the RFC 6238 secret,
 *   encrypted with the `twoFactor.encryptionKey` option when one is given; `enabled_at` is null while
 *   the enrolment waits for its first code. No foreign key on user_id: the host may keep the users.
 *   The guard left-joins this table by user_id, so it reads a login's factor in its one statement.
 * - two_factor_codes: recovery codes, only their SHA-256 kept; `used_at` set once, so each works once.
 * - two_factor_steps: the TOTP time steps a login has used. The primary key is the database's own
 *   guarantee that one code (one step) signs in once, whichever instance sees it first.
 * - accounts.two_factor_required / two_factor_grace_until: the owner's rule, read with the membership.
 * - outbox.account_id: the email telling an account's members that the rule is on.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.createTable(t.twoFactor, (table) => {
    table.integer('user_id').unsigned().notNullable().primary();
    table.string('totp_secret', 255).notNullable();
    table.bigInteger('enabled_at').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable(t.twoFactorCodes, (table) => {
    table.increments('id').primary();
    table.integer('user_id').unsigned().notNullable();
    table.string('code_hash', 64).notNullable();
    table.bigInteger('used_at').nullable();
    table.bigInteger('created_at').notNullable();
    table.unique(['user_id', 'code_hash'], { indexName: `${t.twoFactorCodes}_user_code` });
  });
  await knex.schema.createTable(t.twoFactorSteps, (table) => {
    table.integer('user_id').unsigned().notNullable();
    table.bigInteger('step').notNullable();
    table.bigInteger('created_at').notNullable();
    table.primary(['user_id', 'step'], `${t.twoFactorSteps}_pk`);
  });
  await knex.schema.alterTable(t.accounts, (table) => {
    table.boolean('two_factor_required').notNullable().defaultTo(false);
    table.bigInteger('two_factor_grace_until').nullable();
  });
  await knex.schema.alterTable(t.outbox, (table) => {
    table.integer('account_id').unsigned().nullable().references('id').inTable(t.accounts).onDelete('CASCADE');
    table.index(['account_id']);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex(t.outbox).whereNotNull('account_id').del();
  await knex.schema.alterTable(t.outbox, (table) => {
    table.dropForeign(['account_id']);
    table.dropIndex(['account_id']);
    table.dropColumn('account_id');
  });
  await knex.schema.alterTable(t.accounts, (table) => {
    table.dropColumn('two_factor_grace_until');
    table.dropColumn('two_factor_required');
  });
  await knex.schema.dropTable(t.twoFactorSteps);
  await knex.schema.dropTable(t.twoFactorCodes);
  await knex.schema.dropTable(t.twoFactor);
}
