import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * The invitations list is ordered by (created_at desc, id desc). With (account_id, created_at)
 * PostgreSQL must still sort every group of equal created_at values by id, and a deep page
 * sorts the whole account; with id in the index the page is read straight off it, backwards.
 * (MariaDB and SQLite append the primary key to secondary indexes anyway.) The new index is
 * built before the old one goes, so the account_id foreign key always has an index on MariaDB.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.index(['account_id', 'created_at', 'id']);
  });
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropIndex(['account_id', 'created_at']);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.index(['account_id', 'created_at']);
  });
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropIndex(['account_id', 'created_at', 'id']);
  });
}
