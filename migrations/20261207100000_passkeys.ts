import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * Passkeys (WebAuthn) as a second factor and a sign-in (lib/services/two-factor/README.md).
 *
 * - passkeys: one row per registered credential. `credential_hash` (SHA-256 of the base64url
 *   credential id) is unique, so one credential belongs to one login (a credential id may be up to
 *   1,023 bytes: too long for a MariaDB unique index itself). `public_key` is the COSE key as
 *   base64url, `counter` the authenticator's signature count (moved only forward), `user_handle` the
 *   WebAuthn user id given to the authenticator (random, the same for a login's passkeys).
 * - two_factor.totp_enabled_at: the `two_factor` row now says "this login has a second factor"
 *   (`enabled_at`, read by the guard's one statement as before) whichever kind it is; the app's own
 *   state moves to `totp_enabled_at` (an empty `totp_secret`: no app). Existing rows are apps.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.createTable(t.passkeys, (table) => {
    table.increments('id').primary();
    table.integer('user_id').unsigned().notNullable();
    table.string('credential_hash', 64).notNullable();
    table.text('credential_id').notNullable();
    table.string('user_handle', 64).notNullable();
    table.text('public_key').notNullable();
    table.bigInteger('counter').notNullable().defaultTo(0);
    table.string('transports', 255).notNullable().defaultTo('');
    table.string('name', 100).notNullable();
    table.boolean('backed_up').notNullable().defaultTo(false);
    table.bigInteger('created_at').notNullable();
    table.bigInteger('last_used_at').nullable();
    table.unique(['credential_hash'], { indexName: `${t.passkeys}_credential` });
    table.index(['user_id'], `${t.passkeys}_user`);
  });
  await knex.schema.alterTable(t.twoFactor, (table) => {
    table.bigInteger('totp_enabled_at').nullable();
  });
  await knex(t.twoFactor)
    .whereNotNull('enabled_at')
    .update({ totp_enabled_at: knex.ref('enabled_at') });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  // Logins whose only factor was a passkey have no factor left (nor recovery codes).
  const passkeyOnly = knex(t.twoFactor).whereNull('totp_enabled_at').whereNotNull('enabled_at').select('user_id');
  await knex(t.twoFactorCodes).whereIn('user_id', passkeyOnly).del();
  await knex(t.twoFactor).whereNull('totp_enabled_at').whereNotNull('enabled_at').del();
  await knex.schema.alterTable(t.twoFactor, (table) => {
    table.dropColumn('totp_enabled_at');
  });
  await knex.schema.dropTable(t.passkeys);
}
