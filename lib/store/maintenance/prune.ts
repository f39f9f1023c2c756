import type { Knex } from 'knex';
import type { Db, Tables } from '../db.js';
import { toNumber } from '../db.js';

/**
 * The deletes of `au.maintenance.prune`, one bounded batch at a time. Each batch is two short
 * statements: the ids of up to `limit` rows past a cursor that match (read by primary key order,
 * no lock held), then a delete of exactly those ids *with the condition checked again*, so a row
 * that came back to life in between (an invitation resent, a limit counter restarted) stays. No
 * statement holds locks on more than `limit` rows, so invitations, sign-ins and the mail worker go
 * on between batches.
 */
export interface Batch {
  /** Rows deleted (or tokens cleared) in this batch. */
  changed: number;
  /** The cursor for the next batch; null when no row is left. */
  next: number | string | null;
}

type Where = (q: Knex.QueryBuilder) => void;

async function batchById(db: Db, table: string, where: Where, after: number, limit: number, change: 'delete' | Record<string, unknown>): Promise<Batch> {
  const rows: Array<{ id: unknown }> = await db(table).where('id', '>', after).where(where).orderBy('id', 'asc').limit(limit).select('id');
  if (rows.length === 0) return { changed: 0, next: null };
  const ids = rows.map((r) => toNumber(r.id));
  const q = db(table).whereIn('id', ids).where(where);
  const changed = change === 'delete' ? await q.del() : await q.update(change);
  return { changed, next: rows.length < limit ? null : ids[ids.length - 1]! };
}

export function pruneStore(t: Tables) {
  return {
    /**
     * Sent, given-up and cancelled emails older than `cutoff`, except those of an invitation, link
     * or ownership offer still pending (the users page shows their delivery state).
     */
    outbox(db: Db, cutoff: number, after: number, limit: number): Promise<Batch> {
      return batchById(
        db,
        t.outbox,
        (q) =>
          q
            .whereIn('status', ['sent', 'failed', 'cancelled'])
            .where((w) => w.where('sent_at', '<', cutoff).orWhere((x) => x.whereNull('sent_at').andWhere('created_at', '<', cutoff)))
            .whereNotExists((s) =>
              s
                .select(db.raw('1'))
                .from(t.invitations)
                .whereRaw(`${t.invitations}.id = ${t.outbox}.invitation_id`)
                .andWhere(`${t.invitations}.status`, 'pending'),
            )
            .whereNotExists((s) =>
              s.select(db.raw('1')).from(t.userTokens).whereRaw(`${t.userTokens}.id = ${t.outbox}.user_token_id`).andWhere(`${t.userTokens}.status`, 'pending'),
            )
            .whereNotExists((s) =>
              s
                .select(db.raw('1'))
                .from(t.ownershipTransfers)
                .whereRaw(`${t.ownershipTransfers}.id = ${t.outbox}.transfer_id`)
                .andWhere(`${t.ownershipTransfers}.status`, 'pending'),
            ),
        after,
        limit,
        'delete',
      );
    },
    /**
     * Password-reset, email-change and verification links used, superseded or cancelled before
     * `cutoff`, and pending ones that expired before it. A live link (pending, unexpired) is never
     * touched. Their outbox rows go with them (ON DELETE CASCADE).
     */
    userTokens(db: Db, cutoff: number, after: number, limit: number): Promise<Batch> {
      return batchById(
        db,
        t.userTokens,
        (q) =>
          q.where((w) =>
            w
              .where((a) =>
                a
                  .whereIn('status', ['used', 'superseded', 'cancelled'])
                  .where((b) => b.where('used_at', '<', cutoff).orWhere((c) => c.whereNull('used_at').andWhere('created_at', '<', cutoff))),
              )
              .orWhere((a) => a.where('status', 'pending').andWhere('expires_at', '<', cutoff)),
          ),
        after,
        limit,
        'delete',
      );
    },
    /**
     * The link hashes of invitations that can no longer be answered (accepted, declined, cancelled
     * before `cutoff`, or pending but expired before it): the row stays for the users page and the
     * log; an old link then answers as unknown. An expired invitation can still be resent (a new link).
     */
    invitationTokens(db: Db, cutoff: number, after: number, limit: number): Promise<Batch> {
      return batchById(
        db,
        t.invitations,
        (q) =>
          q
            .whereNotNull('token_hash')
            .where((w) =>
              w
                .where((a) => a.whereIn('status', ['accepted', 'declined', 'cancelled']).andWhere('updated_at', '<', cutoff))
                .orWhere((a) => a.where('status', 'pending').andWhere('expires_at', '<', cutoff)),
            ),
        after,
        limit,
        { token_hash: null },
      );
    },
    /** The account and login activity logs before `cutoff`. */
    activity(db: Db, cutoff: number, after: number, limit: number): Promise<Batch> {
      return batchById(db, t.activity, (q) => q.where('created_at', '<', cutoff), after, limit, 'delete');
    },
    userActivity(db: Db, cutoff: number, after: number, limit: number): Promise<Batch> {
      return batchById(db, t.userActivity, (q) => q.where('created_at', '<', cutoff), after, limit, 'delete');
    },
    /**
     * Rate-limit counters whose window closed before `now`: the limits read them as zero already
     * (the next hit starts a new window), so nothing a limit counts is lost. Keyed by a hash, so
     * the cursor is the key.
     */
    async rateLimits(db: Db, now: number, after: string, limit: number): Promise<Batch> {
      const rows: Array<{
        key: unknown;
      }> = await db(t.rateLimits).where('key', '>', after).andWhere('reset_at', '<=', now).orderBy('key', 'asc').limit(limit).select('key');
      if (rows.length === 0) return { changed: 0, next: null };
      const keys = rows.map((r) => String(r.key));
      const changed = await db(t.rateLimits).whereIn('key', keys).andWhere('reset_at', '<=', now).del();
      return { changed, next: rows.length < limit ? null : keys[keys.length - 1]! };
    },
  };
}
