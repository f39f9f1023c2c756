import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * sessions: express-session's sessions, for `au.sessionStore()` (lib/http/session-store.ts).
 *
 * - sid_hash: the SHA-256 of the session id; the id itself is never stored, so a read of this table
 *   names no cookie (SECURITY.md, "Sessions in the kit's database").
 * - user_id, account_id: the signed-in login and the account the session chose, copied from the
 *   session's JSON at every save, so the read joins the user and the active membership in the same
 *   statement. No foreign keys: the host may keep the users, and a session outlives nothing it names
 *   (the read simply finds no membership). user_id is indexed for "sign out everywhere".
 * - data: the session as JSON text (cookie included).
 * - expires_at: epoch ms; the read ignores a row past it, and au.maintenance.prune deletes it.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.createTable(t.sessions, (table) => {
    table.string('sid_hash', 64).primary();
    table.integer('user_id').unsigned().nullable().index(`${t.sessions}_user`);
    table.integer('account_id').unsigned().nullable();
    // MariaDB/MySQL's text holds 64 KiB; a session with a large flash or host data may need more.
    table.text('data', 'mediumtext').notNullable();
    table.bigInteger('expires_at').notNullable().index(`${t.sessions}_expires`);
  });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.dropTable(t.sessions);
}
