import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * The users page now pages invitations by id (newest first) from a cursor instead of by
 * (created_at, id) with an OFFSET, so (account_id, id) is the index that lets every page,
 * the first as the last, start at the cursor. Built before the old one goes, so the
 * account_id foreign key always has an index on MariaDB.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.index(['account_id', 'id']);
  });
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropIndex(['account_id', 'created_at', 'id']);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.index(['account_id', 'created_at', 'id']);
  });
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropIndex(['account_id', 'id']);
  });
}
