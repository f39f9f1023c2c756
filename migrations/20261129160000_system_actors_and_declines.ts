import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * au.api lets the host's staff and jobs act as `{ system: '<who>' }`: the activity log records that
 * name (actor_system) and an invitation they sent records it as its inviter (invited_by_system;
 * invited_by is then 0, never a user's id). Invitees may decline (declined_at). An invitee's own
 * list of waiting invitations is read by address: pending_email gets an index of its own.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.activity, (table) => {
    table.string('actor_system', 64).nullable();
  });
  await knex.schema.alterTable(t.invitations, (table) => {
    table.string('invited_by_system', 64).nullable();
    table.bigInteger('declined_at').nullable();
    table.index(['pending_email'], `${t.invitations}_pending_email_index`);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropIndex(['pending_email'], `${t.invitations}_pending_email_index`);
  });
  // One column per statement: SQLite drops columns one at a time.
  for (const column of ['declined_at', 'invited_by_system']) {
    await knex.schema.alterTable(t.invitations, (table) => table.dropColumn(column));
  }
  await knex.schema.alterTable(t.activity, (table) => table.dropColumn('actor_system'));
}
