import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * Counters of the kit's rate limits (failed logins, invitation links), kept in the database so
 * that every app instance counts against the same limit. `key` is the SHA-256 of the limit's name
 * and the client's key (an IP, an email address), so no address is stored in the clear.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.createTable(t.rateLimits, (table) => {
    table.string('key', 64).primary();
    table.integer('hits').notNullable();
    table.bigInteger('reset_at').notNullable().index();
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.dropTable(t.rateLimits);
}
