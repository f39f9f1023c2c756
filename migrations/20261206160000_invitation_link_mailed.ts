import type { Knex } from 'knex';
import type { Tables } from './support/tables.js';

/*
 * invitations.link_mailed: whether the invitation's current link reached the invitee by the kit's
 * own email (or was handed to a `{ system }` actor, the host's word). Only such a link proves the
 * address it was sent to: a link au.api.invite({ send: false }) returned to an inviting user was
 * read by the inviter, who typed the address. Set together with token_hash, so it always describes
 * the link that currently works.
 *
 * Existing rows: a link counts as mailed when the last email of its invitation was sent after the
 * link was minted (the mailer mints the token, then sends), or when a `{ system }` actor made the
 * invitation's last change (invited_by 0: whatever link it has, the host gave or mailed). A link a
 * user's send: false minted after the last email, or with no email at all, stays unproved; it keeps
 * working either way, it only no longer marks the address verified.
 */
export async function up(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.boolean('link_mailed').notNullable().defaultTo(false);
  });
  await knex(t.invitations)
    .whereNotNull('token_hash')
    .andWhere((q) =>
      q.where('invited_by', 0).orWhereExists(
        knex(t.outbox)
          .select(knex.raw('1'))
          .where(`${t.outbox}.invitation_id`, knex.ref(`${t.invitations}.id`))
          .andWhere(`${t.outbox}.status`, 'sent')
          .andWhere(`${t.outbox}.sent_at`, '>=', knex.ref(`${t.invitations}.sent_at`)),
      ),
    )
    .update({ link_mailed: true });
}

export async function down(knex: Knex, t: Tables): Promise<void> {
  await knex.schema.alterTable(t.invitations, (table) => {
    table.dropColumn('link_mailed');
  });
}
