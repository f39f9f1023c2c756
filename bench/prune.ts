/**
 * Scenario 5: au.maintenance.prune on large tables while invitations go on. `BENCH_PRUNE_ROWS`
 * rows prune will remove are seeded into each table it touches (PRUNED_TABLES: the outbox, user
 * tokens, invitations' link hashes, rate limits, sessions, remembered browsers, ownership offers,
 * two-factor reminder claims, removed members, account and login activity; the issue's target is
 * 1,000,000 each; the default is sized to finish in a few minutes on a small machine), then prune
 * runs while a second task invites through au.api as fast as it can. The report gives the prune's
 * time and rate, and the invitations' latency before and during it: a prune that locked the
 * tables would show as invitations stalled for the length of the prune.
 */
import type { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import type { AccountUsers } from '../lib/index.js';
import { fmt } from './load.js';

const DAY = 24 * 60 * 60 * 1000;

/** Every table au.maintenance.prune removes rows from (or, for invitations, clears link hashes in): each is seeded. */
const PRUNED_TABLES = [
  'au_outbox',
  'au_user_tokens',
  'au_invitations',
  'au_rate_limits',
  'au_sessions',
  'au_two_factor_devices',
  'au_ownership_transfers',
  'au_two_factor_reminders',
  'au_removed_members',
  'au_activity',
  'au_user_activity',
];

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function insertChunked(
  knex: Knex,
  table: string,
  count: number,
  row: (i: number) => Record<string, unknown>,
  onProgress: (n: number) => void,
): Promise<void> {
  const size = 500;
  for (let i = 0; i < count; i += size) {
    const rows = Array.from({ length: Math.min(size, count - i) }, (_, j) => row(i + j));
    await knex(table).insert(rows);
    if ((i / size) % 100 === 0) onProgress(i);
  }
}

export interface PruneBench {
  rows: number;
  seedMs: number;
  pruneMs: number;
  removed: Record<string, number>;
  invitesBefore: number[];
  invitesDuring: number[];
}

export async function pruneScenario(
  knex: Knex,
  au: AccountUsers,
  accountId: number,
  rows: number,
  batchSize: number,
  progress: (line: string) => void,
): Promise<PruneBench> {
  // Older than every cut-off: olderThan and activityOlderThan (30 days), and the removed members'
  // restore window (limits.restoreWindowMs, 90 days) on top of it.
  const old = Date.now() - 200 * DAY;
  const t0 = performance.now();
  const seed = (table: string, row: (i: number) => Record<string, unknown>) =>
    insertChunked(knex, `au_${table}`, rows, row, (n) => progress(`prune seed: ${table} ${n}/${rows}`));
  // A distinct 64-character hex value per row, as the SHA-256 columns hold.
  const hash = (i: number) => i.toString(16).padStart(64, '0');
  await seed('outbox', (i) => ({
    kind: 'notice',
    recipient: `old-${i}@bench.test`,
    link_prefix: '',
    status: 'sent',
    attempts: 1,
    next_attempt_at: old,
    sent_at: old + i,
    created_at: old + i,
  }));
  await seed('user_tokens', (i) => ({ user_id: 1, purpose: 'password_reset', status: 'used', used_at: old + i, created_at: old + i }));
  // Answered invitations whose link hash prune clears (the rows stay).
  await seed('invitations', (i) => ({
    account_id: accountId,
    email: `old-invitee-${i}@bench.test`,
    permissions: '["invoices"]',
    token_hash: hash(i),
    status: 'accepted',
    invited_by: 1,
    expires_at: old + i,
    created_at: old + i,
    updated_at: old + i,
  }));
  await seed('rate_limits', (i) => ({ key: `bench-${String(i).padStart(12, '0')}`, hits: 1, reset_at: old + i }));
  await seed('sessions', (i) => ({ sid_hash: hash(i), user_id: null, account_id: null, data: '{}', expires_at: old + i }));
  await seed('two_factor_devices', (i) => ({
    user_id: 1,
    token_hash: hash(i),
    label: 'bench',
    created_at: old + i,
    last_used_at: old + i,
    expires_at: old + i,
  }));
  await seed('ownership_transfers', (i) => ({
    account_id: accountId,
    from_user_id: 1,
    to_user_id: 2,
    status: 'cancelled',
    expires_at: old + i,
    created_at: old + i,
    updated_at: old + i,
  }));
  // One claim per member (the key is account, member, grace end): many members of one account.
  await seed('two_factor_reminders', (i) => ({ account_id: accountId, user_id: 1_000_000 + i, grace_until: old + i, created_at: old + i }));
  await seed('removed_members', (i) => ({
    account_id: accountId,
    user_id: 1_000_000 + i,
    email: `old-member-${i}@bench.test`,
    permissions: '["invoices"]',
    removed_at: old + i,
  }));
  await seed('activity', (i) => ({ account_id: accountId, actor_user_id: null, action: 'invitation.sent', details: '{}', created_at: old + i }));
  await seed('user_activity', (i) => ({ user_id: 1, action: 'password.changed', created_at: old + i }));
  const seedMs = performance.now() - t0;

  let n = 0;
  const inviteOnce = async (): Promise<number> => {
    const s = performance.now();
    await au.api.invite({ actor: { system: 'bench' }, accountId, email: `prune-bench-${++n}@bench.test`, permissions: ['invoices'], send: false });
    return performance.now() - s;
  };
  const invitesBefore: number[] = [];
  for (let i = 0; i < 50; i++) invitesBefore.push(await inviteOnce());

  progress(`prune: ${rows} rows in each of ${PRUNED_TABLES.length} tables, batches of ${batchSize}, invitations meanwhile`);
  const invitesDuring: number[] = [];
  let pruning = true;
  const inviting = (async () => {
    while (pruning) {
      invitesDuring.push(await inviteOnce());
      // As requests arrive, through the event loop: better-sqlite3 answers synchronously, so a bare
      // loop of awaits would never let the prune's next batch (or anything else) run.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const p0 = performance.now();
  const removed = await au.maintenance.prune({ olderThan: 30 * DAY, activityOlderThan: 30 * DAY, batchSize });
  const pruneMs = performance.now() - p0;
  pruning = false;
  await inviting;
  // Every table prune touches was seeded with `rows` rows it removes: a count below that is a table
  // this scenario no longer fills (or a prune that no longer removes them).
  const short = Object.entries(removed).filter(([, n]) => n < rows);
  if (short.length > 0) progress(`prune: fewer rows removed than seeded: ${short.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return { rows, seedMs, pruneMs, removed: { ...removed }, invitesBefore, invitesDuring };
}

export function pruneReport(r: PruneBench, batchSize: number): string[] {
  const total = Object.values(r.removed).reduce((a, b) => a + b, 0);
  const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [
    '## 5. Pruning large tables while invitations go on',
    '',
    `${r.rows} old rows in each of ${PRUNED_TABLES.join(', ')} (seeded in ${(r.seedMs / 1000).toFixed(1)} s); \`au.maintenance.prune({ olderThan: 30 days, activityOlderThan: 30 days, batchSize: ${batchSize} })\` while one task invites through \`au.api.invite\` (send: false) back to back on the same pool.`,
    '',
    row(['measurement', 'figure']),
    row(['---', '---']),
    row(['prune time', `${(r.pruneMs / 1000).toFixed(1)} s`]),
    row([
      'rows removed',
      `${total} (${Object.entries(r.removed)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    ]),
    row(['rows removed per second', Math.round(total / (r.pruneMs / 1000))]),
    row([
      'invitations before the prune: p50 / p99 / max ms',
      `${fmt.ms(percentile(r.invitesBefore, 50))} / ${fmt.ms(percentile(r.invitesBefore, 99))} / ${fmt.ms(Math.max(...r.invitesBefore))}`,
    ]),
    row(['invitations during the prune: count', r.invitesDuring.length]),
    row([
      'invitations during the prune: p50 / p99 / max ms',
      `${fmt.ms(percentile(r.invitesDuring, 50))} / ${fmt.ms(percentile(r.invitesDuring, 99))} / ${fmt.ms(Math.max(...r.invitesDuring))}`,
    ]),
    '',
  ];
}
