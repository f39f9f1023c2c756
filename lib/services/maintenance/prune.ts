/**
 * Maintenance: what a host's jobs and staff tools need to run the kit for years — keeping its
 * growing tables small and finding accounts and logins without reading the kit's tables.
 *
 * - `au.maintenance.prune()` (this file): sent mail, dead links, stale rate-limit counters, expired
 *   sessions of au.sessionStore() and remembered browsers, finished ownership offers, reminder
 *   claims of ended graces, removals past their restore window and, when asked, old activity,
 *   deleted in bounded batches (lib/store/maintenance/prune.ts).
 * - `au.api.listAccounts`, `au.api.searchUsers` (staff-lists.ts): keyset-paged lists for `{ system }` actors.
 * Tables: every `au_*` table but the accounts, memberships and users themselves. No routes.
 */
import { z } from 'zod';
import type { Kit } from '../context.js';
import { parseInput } from '../input.js';
import type { Batch } from '../../store/maintenance/prune.js';

export interface PruneOptions {
  /** Rows done with for longer than this are removed: a `Date` (before it), or an age in milliseconds. */
  olderThan: Date | number;
  /** Also the account and login activity logs before this (`Date`) or older than this age (ms); left out, activity is kept. */
  activityOlderThan?: Date | number;
  /** Rows per delete statement; default 1000. */
  batchSize?: number;
}

/** Rows removed per table (`invitationTokens`: invitations whose dead link hash was cleared; the invitations stay). */
export interface PruneResult {
  outbox: number;
  userTokens: number;
  invitationTokens: number;
  rateLimits: number;
  /** au.sessionStore()'s expired sessions (none with another session store). */
  sessions: number;
  /** Browsers remembered after a second factor whose time ran out (`twoFactor.rememberDeviceDays`). */
  rememberedBrowsers: number;
  /** Ownership offers accepted, declined, cancelled or expired before the cutoff, with their emails. */
  ownershipTransfers: number;
  /** Claims of the two-factor reminder for graces that ended before the cutoff. */
  twoFactorReminders: number;
  /** What removals took away, for removals whose restore window (`limits.restoreWindowMs`) closed before the cutoff. */
  removedMembers: number;
  activity: number;
  userActivity: number;
}

const moment = z.union([z.date(), z.number().int().nonnegative('must be an age in milliseconds (0 or more) or a Date')], {
  error: 'must be a Date or an age in milliseconds',
});
const pruneInput = z.strictObject({
  olderThan: moment,
  activityOlderThan: moment.optional(),
  batchSize: z.number().int().min(1).max(100_000).default(1000),
});

/** Lets the event loop (and, between statements, the database) serve others between batches. */
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function drain<C extends number | string>(first: C, step: (after: C) => Promise<Batch>): Promise<number> {
  let total = 0;
  let after: C | null = first;
  while (after !== null) {
    const batch = await step(after);
    total += batch.changed;
    after = batch.next as C | null;
    await yieldTurn();
  }
  return total;
}

/**
 * au.maintenance.prune: removes what no page, link or limit will read again. Never a pending
 * invitation or its latest email, a live link, a running ownership offer or a limit counter whose
 * window is open. Safe to run while the app serves, and from several instances (a row deleted by
 * one is simply not found by the other).
 */
export async function prune(kit: Kit, input: PruneOptions): Promise<PruneResult> {
  const { olderThan, activityOlderThan, batchSize } = parseInput(pruneInput, input);
  const now = kit.now().getTime();
  const cutoffOf = (m: Date | number) => (m instanceof Date ? m.getTime() : now - m);
  const cutoff = cutoffOf(olderThan);
  // Never later than now for what still runs on a clock of its own (a grace's reminders, a
  // removal's restore window): an `olderThan` date in the future must not cut those short.
  const settled = Math.min(cutoff, now);
  const store = kit.store.prune;
  const db = kit.knex;
  const result: PruneResult = {
    outbox: await drain(0, (after) => store.outbox(db, cutoff, after, batchSize)),
    userTokens: await drain(0, (after) => store.userTokens(db, cutoff, after, batchSize)),
    invitationTokens: await drain(0, (after) => store.invitationTokens(db, cutoff, after, batchSize)),
    // With `limits.store` (Redis, …) the counters live there and expire there; this table is then empty.
    rateLimits: await drain('', (after) => store.rateLimits(db, now, after, batchSize)),
    sessions: await drain('', (after) => store.sessions(db, now, after, batchSize)),
    rememberedBrowsers: await drain(0, (after) => store.rememberedBrowsers(db, now, after, batchSize)),
    ownershipTransfers: await drain(0, (after) => store.ownershipTransfers(db, cutoff, after, batchSize)),
    twoFactorReminders: await drain('', (after) => store.twoFactorReminders(db, settled, after, batchSize)),
    removedMembers: await drain(0, (after) => store.removedMembers(db, settled - kit.options.limits.restoreWindowMs, after, batchSize)),
    activity: 0,
    userActivity: 0,
  };
  if (activityOlderThan !== undefined) {
    const activityCutoff = cutoffOf(activityOlderThan);
    result.activity = await drain(0, (after) => store.activity(db, activityCutoff, after, batchSize));
    result.userActivity = await drain(0, (after) => store.userActivity(db, activityCutoff, after, batchSize));
  }
  return result;
}
