import type { Knex } from 'knex';
import type { Db, Tables } from '../db.js';
import { toNumber } from '../db.js';

/**
 * The deletes of `au.maintenance.prune`, one bounded id range at a time. Each batch is two short
 * statements: the id `limit` rows past the cursor (a walk of the primary key, nothing else read),
 * then one delete (or update) of the rows in that id range that match. The range, not the
 * condition, bounds the statement: whatever index the planner picks for the condition, it reads
 * and locks at most `limit` rows, so invitations, sign-ins and the mail worker go on between
 * batches, and a row that came back to life before the statement (an invitation resent, a limit
 * window restarted) no longer matches and stays.
 */
export interface Batch {
  /** Rows deleted (or tokens cleared) in this batch. */
  changed: number;
  /** The cursor for the next batch; null when the table has been walked to its end. */
  next: number | string | null;
}

type Where = (q: Knex.QueryBuilder) => void;

/** The key `limit` rows past `after` in key order, or null when fewer are left (the last range). */
async function rangeEnd(db: Db, table: string, column: string, after: number | string, limit: number): Promise<number | string | null> {
  const row: Record<string, unknown> | undefined = await db(table)
    .where(column, '>', after)
    .orderBy(column, 'asc')
    .offset(limit - 1)
    .first(column);
  const value = row?.[column];
  if (value === undefined || value === null) return null;
  // Ids come back as strings from pg and mysql2 (bigint); keys are strings already.
  return typeof after === 'number' ? toNumber(value) : typeof value === 'string' ? value : toNumber(value);
}

async function batchByRange(
  db: Db,
  table: string,
  column: string,
  where: Where,
  after: number | string,
  limit: number,
  change: 'delete' | Record<string, unknown>,
): Promise<Batch> {
  const end = await rangeEnd(db, table, column, after, limit);
  const q = db(table).where(column, '>', after);
  if (end !== null) q.andWhere(column, '<=', end);
  q.where(where);
  const changed = change === 'delete' ? await q.del() : await q.update(change);
  return { changed, next: end };
}

const batchById = (db: Db, table: string, where: Where, after: number, limit: number, change: 'delete' | Record<string, unknown>) =>
  batchByRange(db, table, 'id', where, after, limit, change);

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
    rateLimits(db: Db, now: number, after: string, limit: number): Promise<Batch> {
      return batchByRange(db, t.rateLimits, 'key', (q) => q.where('reset_at', '<=', now), after, limit, 'delete');
    },
    /**
     * Remembered browsers past their end (`twoFactor.rememberDeviceDays`): the sign-in's lookup and
     * the two-factor page ignore them already, so nothing reads them again.
     */
    rememberedBrowsers(db: Db, now: number, after: number, limit: number): Promise<Batch> {
      return batchById(db, t.twoFactorDevices, (q) => q.where('expires_at', '<=', now), after, limit, 'delete');
    },
    /**
     * Ownership offers accepted, declined, cancelled or expired before `cutoff` (a pending one is
     * never touched, even past its end: the service finishes it, with its activity entry, when it
     * next reads it, and there is at most one per account). Their emails go with them (ON DELETE
     * CASCADE), so an offer with an email still to send (a notice to the other side) waits for it.
     * The activity log keeps the history; an old offer's id or link then answers as unknown.
     */
    ownershipTransfers(db: Db, cutoff: number, after: number, limit: number): Promise<Batch> {
      return batchById(
        db,
        t.ownershipTransfers,
        (q) =>
          q
            .whereNot('status', 'pending')
            .andWhere('updated_at', '<', cutoff)
            .whereNotExists((s) =>
              s
                .select(db.raw('1'))
                .from(t.outbox)
                .whereRaw(`${t.outbox}.transfer_id = ${t.ownershipTransfers}.id`)
                .whereIn(`${t.outbox}.status`, ['queued', 'sending']),
            ),
        after,
        limit,
        'delete',
      );
    },
    /**
     * Claims of the reminder before a grace that ended before `cutoff`: the reminder query only
     * looks at graces still running, so a claim of an ended one is never read again. The table's
     * key is (account, member, grace end), with no id: the cursor is the (account, member) pair
     * (`"<account>:<member>"`, '' at first), a prefix of that key, so a batch holds `limit` rows
     * plus the other graces of its last member (one per rule the account had).
     */
    async twoFactorReminders(db: Db, cutoff: number, after: string, limit: number): Promise<Batch> {
      const [a, u] = after === '' ? [0, 0] : after.split(':').map(Number);
      const past = (q: Knex.QueryBuilder) => q.where('account_id', '>', a!).orWhere((w) => w.where('account_id', a!).andWhere('user_id', '>', u!));
      const endRow: Record<string, unknown> | undefined = await db(t.twoFactorReminders)
        .where(past)
        .orderBy([
          { column: 'account_id', order: 'asc' },
          { column: 'user_id', order: 'asc' },
        ])
        .offset(limit - 1)
        .first('account_id', 'user_id');
      const end = endRow ? ([toNumber(endRow.account_id), toNumber(endRow.user_id)] as const) : null;
      const q = db(t.twoFactorReminders).where(past);
      if (end) q.andWhere((w) => w.where('account_id', '<', end[0]).orWhere((x) => x.where('account_id', end[0]).andWhere('user_id', '<=', end[1])));
      const changed = await q.andWhere('grace_until', '<', cutoff).del();
      return { changed, next: end ? `${end[0]}:${end[1]}` : null };
    },
    /**
     * What removals took away, once they can no longer be restored (removed at or before
     * `closedBefore`: the restore window closed before the cutoff). Every reader asks for removals
     * within the window already; the row holds an address and permissions for nothing.
     */
    removedMembers(db: Db, closedBefore: number, after: number, limit: number): Promise<Batch> {
      return batchById(db, t.removedMembers, (q) => q.where('removed_at', '<=', closedBefore), after, limit, 'delete');
    },
    /** au.sessionStore()'s sessions past their expiry (the store's read ignores them already); the cursor is the id's hash. */
    sessions(db: Db, now: number, after: string, limit: number): Promise<Batch> {
      return batchByRange(db, t.sessions, 'sid_hash', (q) => q.where('expires_at', '<=', now), after, limit, 'delete');
    },
  };
}
