import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * "Only the newest link works", as a constraint: user_tokens.pending_user_id holds the login's id
 * while a request is pending and is null once it was used, superseded or cancelled, and
 * (pending_user_id, purpose) is unique, so a login has at most one pending reset and one pending
 * email change. A nullable column with a plain unique index rather than a partial index: MariaDB
 * has no partial indexes, and all three databases let any number of rows share a null. The same
 * shape as invitations.pending_email and ownership_transfers.pending_account_id.
 *
 * Requests made at the same moment could leave two pending (the race this closes): the older ones
 * are superseded first, and their unsent emails cancelled.
 *
 * Also a new status, 'cancelled': a password reset or change, or a completed email change, ends
 * the login's other pending requests (down() turns it back into 'superseded').
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.userTokens, (table) => {
    table.integer('pending_user_id').unsigned().nullable();
  });
  const pending: Array<{ id: unknown; user_id: unknown; purpose: unknown }> = await knex(t.userTokens)
    .where({ status: 'pending' })
    .orderBy('id', 'desc')
    .select('id', 'user_id', 'purpose');
  const newest = new Set<string>();
  const older: number[] = [];
  for (const row of pending) {
    const key = `${String(row.user_id)}:${String(row.purpose)}`;
    if (newest.has(key)) older.push(Number(row.id));
    else newest.add(key);
  }
  for (let i = 0; i < older.length; i += 500) {
    const ids = older.slice(i, i + 500);
    await knex(t.userTokens).whereIn('id', ids).update({ status: 'superseded' });
    await knex(t.outbox).whereIn('user_token_id', ids).whereIn('status', ['queued', 'failed']).update({ status: 'cancelled' });
  }
  await knex(t.userTokens)
    .where({ status: 'pending' })
    .update({ pending_user_id: knex.ref('user_id') });
  await knex.schema.alterTable(t.userTokens, (table) => {
    table.unique(['pending_user_id', 'purpose']);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex(t.userTokens).where({ status: 'cancelled' }).update({ status: 'superseded' });
  await knex.schema.alterTable(t.userTokens, (table) => {
    table.dropUnique(['pending_user_id', 'purpose']);
  });
  await knex.schema.alterTable(t.userTokens, (table) => {
    table.dropColumn('pending_user_id');
  });
}
