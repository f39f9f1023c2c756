import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * Two-step ownership transfer: the owner offers, the member accepts with a link.
 *
 * - ownership_transfers: one row per offer. `pending_account_id` holds the account's id while the
 *   offer is pending and null afterwards: a unique column (NULLs never collide, on every dialect)
 *   is the database's own guarantee of one pending offer per account. Like an invitation's, the
 *   token is minted when the email is sent and only its SHA-256 is kept.
 * - outbox.transfer_id: the offer's emails go through the outbox with the same retries.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.createTable(t.ownershipTransfers, (table) => {
    table.increments('id').primary();
    table.integer('account_id').unsigned().notNullable().references('id').inTable(t.accounts).onDelete('CASCADE');
    table.integer('pending_account_id').unsigned().nullable().unique();
    table.integer('from_user_id').unsigned().notNullable();
    table.integer('to_user_id').unsigned().notNullable();
    table.string('token_hash', 64).nullable().unique();
    // 'pending', 'accepted', 'cancelled' or 'expired'
    table.string('status', 16).notNullable();
    table.bigInteger('expires_at').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['to_user_id', 'status']);
    table.index(['account_id', 'id']);
  });
  await knex.schema.alterTable(t.outbox, (table) => {
    table.integer('transfer_id').unsigned().nullable().references('id').inTable(t.ownershipTransfers).onDelete('CASCADE');
    table.index(['transfer_id']);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex(t.outbox).whereNotNull('transfer_id').del();
  await knex.schema.alterTable(t.outbox, (table) => {
    table.dropForeign(['transfer_id']);
    table.dropIndex(['transfer_id']);
    table.dropColumn('transfer_id');
  });
  await knex.schema.dropTable(t.ownershipTransfers);
}
