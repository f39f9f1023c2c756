import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * The users page lists pending invitations apart from the history (accepted, cancelled, declined,
 * expired). With only (account_id, id), the pending list of an account whose history runs to
 * thousands of accepted invitations would read past all of them to fill a page; (account_id,
 * status, id) seeks straight to the pending ones, newest first, on every page.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.index(['account_id', 'status', 'id'], `${t.invitations}_account_status_id_index`);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropIndex(['account_id', 'status', 'id'], `${t.invitations}_account_status_id_index`);
  });
}
