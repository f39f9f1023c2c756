import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * Time-limited access: the moment a membership stops granting anything (null: no end), and the
 * same moment on an invitation, carried into the membership it becomes. Milliseconds, like every
 * other time the kit stores; the guard's own statement compares it with the clock, so ending
 * access needs no scheduler and no query of its own.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.memberships, (table) => {
    table.bigInteger('access_until').nullable();
  });
  await knex.schema.alterTable(t.invitations, (table) => {
    table.bigInteger('access_until').nullable();
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropColumn('access_until');
  });
  await knex.schema.alterTable(t.memberships, (table) => {
    table.dropColumn('access_until');
  });
}
