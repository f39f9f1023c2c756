import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * The users page lists an account's memberships by id, 50 at a time. With (account_id, id)
 * the page is read straight off the index instead of sorting every membership of a large account.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.memberships, (table) => {
    table.index(['account_id', 'id']);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.memberships, (table) => {
    table.dropIndex(['account_id', 'id']);
  });
}
