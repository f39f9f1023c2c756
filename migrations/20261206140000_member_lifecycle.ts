import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * A member's whole life: suspension, and a removed member brought back.
 *
 * - account_users.suspended_at (epoch ms; null: not suspended), suspended_by (the user who suspended,
 *   null for the host's staff or a job) and suspended_reason: the membership stays with its
 *   permissions and end date, and the guard's own statement refuses it while suspended_at is set.
 * - removed_members: what a removal took away (permissions, end date, a suspension), one row per
 *   account and user (a later removal replaces it), for `limits.restoreWindowMs` after removed_at.
 *   The email is the address at removal, so a re-invitation of that address finds it.
 * - outbox.user_id: the emails about a member's standing (suspended, reinstated, restored) name
 *   the account (outbox.account_id, added by 20261206130000_two_factor for the rule's email) and
 *   the member; the text is written when the email is sent.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.memberships, (table) => {
    table.bigInteger('suspended_at').nullable();
    table.integer('suspended_by').unsigned().nullable();
    table.string('suspended_reason', 500).nullable();
  });
  await knex.schema.createTable(t.removedMembers, (table) => {
    table.increments('id').primary();
    table.integer('account_id').unsigned().notNullable().references('id').inTable(t.accounts).onDelete('CASCADE');
    table.integer('user_id').unsigned().notNullable();
    table.string('email', 254).notNullable();
    table.text('permissions').notNullable();
    table.bigInteger('access_until').nullable();
    table.bigInteger('suspended_at').nullable();
    table.integer('suspended_by').unsigned().nullable();
    table.string('suspended_reason', 500).nullable();
    table.integer('removed_by').unsigned().nullable();
    table.bigInteger('removed_at').notNullable();
    table.unique(['account_id', 'user_id']);
    table.index(['account_id', 'email']);
    table.index(['account_id', 'removed_at']);
  });
  await knex.schema.alterTable(t.outbox, (table) => {
    table.integer('user_id').unsigned().nullable();
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  // The older code knows no such messages.
  await knex(t.outbox).whereIn('kind', ['member_suspended', 'member_reinstated', 'member_restored']).del();
  await knex.schema.alterTable(t.outbox, (table) => {
    table.dropColumn('user_id');
  });
  await knex.schema.dropTable(t.removedMembers);
  await knex.schema.alterTable(t.memberships, (table) => {
    table.dropColumn('suspended_reason');
    table.dropColumn('suspended_by');
    table.dropColumn('suspended_at');
  });
}
