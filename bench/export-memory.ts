/**
 * Scenario 6 of npm run bench: peak memory while exporting an account's members as CSV, for two
 * account sizes ten times apart (BENCH_EXPORT_SIZES, default 10000,100000), and its activity log
 * for two sizes ten times apart (BENCH_EXPORT_ACTIVITY_SIZES, default 100000,1000000; empty: none).
 * The stated bound: the peak RSS grows by at most EXPORT_PEAK_BOUND (1.5×) when the rows grow 10×.
 * Each export runs in a
 * child process of its own (this file, with BENCH_EXPORT_CHILD set) that does nothing else: it
 * builds the kit, reads its resident set size, streams au.api.exportMembers into a sink that
 * discards the bytes, and reports the highest RSS seen (sampled every 5 ms, and the kernel's
 * maxRSS). A streamed export's peak should not grow with the account; a loaded one would grow 10×.
 *
 * Run alone: BENCH_SCENARIOS=6 npm run bench (or `tsx bench/export-memory.ts` for this part only).
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import { accountUsers } from '../lib/index.js';
import { connect, createBenchDatabase, type PlainConfig } from './db.js';
import { seedAccount } from '../test/support/seed.js';
import { insertChunked } from './prune.js';

/** A streamed export's peak RSS may grow by at most this much when its rows grow ten times. */
export const EXPORT_PEAK_BOUND = 1.5;

export interface ExportMeasurement {
  /** What was exported: the members, or the activity log. */
  what: 'members' | 'activity';
  /** Members (what = members) or activity entries (what = activity) in the account. */
  members: number;
  rows: number;
  bytes: number;
  seconds: number;
  /** RSS after start-up, before the export. */
  baselineMb: number;
  /** The highest RSS sampled during the export. */
  peakMb: number;
  /** The kernel's maximum RSS of the child process (start-up included). */
  maxRssMb: number;
}

const MB = 1024 * 1024;
const HERE = fileURLToPath(import.meta.url);

/** In the child: one export, measured. */
async function child(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_DB!) as PlainConfig;
  const { accountId, ownerId, members, what } = JSON.parse(process.env.BENCH_EXPORT_CHILD!) as ExportJob;
  const knex = connect(config);
  const au = accountUsers({
    knex,
    baseUrl: 'http://bench.invalid',
    mail: { transport: nodemailer.createTransport({ jsonTransport: true }), from: 'bench@bench.invalid' },
  });
  // Warm the connection and the kit's code paths on a tiny export first, then settle the heap.
  await knex.raw('select 1');
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  let bytes = 0;
  let rows = 0;
  const started = performance.now();
  const stream =
    what === 'activity'
      ? await au.api.exportActivity({ actor: { userId: ownerId }, accountId, format: 'csv' })
      : await au.api.exportMembers({ actor: { userId: ownerId }, accountId, format: 'csv' });
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        for (const b of chunk) if (b === 10) rows++;
        done();
      },
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result: ExportMeasurement = {
    what,
    members,
    rows: rows - 1,
    bytes,
    seconds,
    baselineMb: baseline / MB,
    peakMb: peak / MB,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  await au.close();
  await knex.destroy();
}

interface ExportJob {
  accountId: number;
  ownerId: number;
  members: number;
  what: 'members' | 'activity';
}

function measure(config: PlainConfig, job: ExportJob): Promise<ExportMeasurement> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', HERE], {
      env: { ...process.env, BENCH_DB: JSON.stringify(config), BENCH_EXPORT_CHILD: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.on('exit', (code) => {
      const m = /RESULT (.+)/.exec(out);
      if (code === 0 && m) resolve(JSON.parse(m[1]!) as ExportMeasurement);
      else reject(new Error(`export child exited with ${code}: ${out.slice(0, 500)}`));
    });
  });
}

/** Seeds one account per size in `knex` and measures an export of each in a child process. */
export async function exportMemory(
  knex: Knex,
  config: PlainConfig,
  sizes: number[],
  passwordHash: string,
  progress: (line: string) => void,
  activitySizes: number[] = [],
): Promise<ExportMeasurement[]> {
  const results: ExportMeasurement[] = [];
  for (const size of sizes) {
    progress(`scenario 6: seeding an account of ${size} members`);
    const { accountId, userIds } = await seedAccount(knex, `export${size}`, size, passwordHash);
    progress(`scenario 6: exporting ${size} members in a child process`);
    results.push(await measure(config, { accountId, ownerId: userIds[0]!, members: size, what: 'members' }));
  }
  for (const size of activitySizes) {
    progress(`scenario 6: seeding an account with ${size} activity entries`);
    const { accountId, userIds } = await seedAccount(knex, `activity${size}`, 2, passwordHash);
    const at = Date.now() - size;
    await insertChunked(
      knex,
      'au_activity',
      size,
      (i) => ({
        account_id: accountId,
        actor_user_id: userIds[0]!,
        action: 'member.permissions_changed',
        details: '{"permissions":["invoices"]}',
        created_at: at + i,
      }),
      (n) => n % 100_000 === 0 && progress(`scenario 6: activity ${n}/${size}`),
    );
    progress(`scenario 6: exporting ${size} activity entries in a child process`);
    results.push(await measure(config, { accountId, ownerId: userIds[0]!, members: size, what: 'activity' }));
  }
  return results;
}

/** The report's lines (Markdown), with the stated bound checked for each kind of export. */
export function exportReport(results: ExportMeasurement[]): string[] {
  const row = (cells: unknown[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    '## 6. Export memory (au.api.exportMembers and exportActivity, CSV, streamed in pages of 500)',
    '',
    row([
      'export',
      'rows in the account',
      'rows written',
      'MB written',
      'seconds',
      'RSS before (MB)',
      'peak RSS during (MB)',
      'peak − before (MB)',
      'maxRSS (MB)',
    ]),
    row(['---', '---', '---', '---', '---', '---', '---', '---', '---']),
    ...results.map((r) =>
      row([
        r.what,
        r.members,
        r.rows,
        (r.bytes / MB).toFixed(1),
        r.seconds.toFixed(1),
        r.baselineMb.toFixed(0),
        r.peakMb.toFixed(0),
        (r.peakMb - r.baselineMb).toFixed(0),
        r.maxRssMb.toFixed(0),
      ]),
    ),
    '',
  ];
  for (const what of ['members', 'activity'] as const) {
    const runs = results.filter((r) => r.what === what);
    if (runs.length < 2) continue;
    const [a, b] = [runs[0]!, runs[runs.length - 1]!];
    const ratio = b.peakMb / a.peakMb;
    lines.push(
      `${what}: peak RSS ratio, ${b.members} vs ${a.members} rows (${(b.members / a.members).toFixed(0)}× the rows): **${ratio.toFixed(2)}** ` +
        `(growth above start-up: ${(b.peakMb - b.baselineMb).toFixed(0)} MB vs ${(a.peakMb - a.baselineMb).toFixed(0)} MB); ` +
        `bound ≤ ${EXPORT_PEAK_BOUND}: **${ratio <= EXPORT_PEAK_BOUND ? 'met' : 'not met'}**.`,
      '',
    );
  }
  return lines;
}

if (process.env.BENCH_EXPORT_CHILD) {
  child().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (process.argv[1] === HERE) {
  // Run alone: a database of its own, the two sizes, the report on stdout.
  void (async () => {
    const db = await createBenchDatabase();
    const au = accountUsers({
      knex: db.knex,
      baseUrl: 'http://bench.invalid',
      mail: { transport: nodemailer.createTransport({ jsonTransport: true }), from: 'bench@bench.invalid' },
    });
    try {
      await au.migrate();
      const sizes = (process.env.BENCH_EXPORT_SIZES ?? '10000,100000').split(',').map(Number);
      const activity = (process.env.BENCH_EXPORT_ACTIVITY_SIZES ?? '100000,1000000').split(',').filter(Boolean).map(Number);
      const results = await exportMemory(db.knex, db.config, sizes, 'x', (l) => console.error(`[bench] ${l}`), activity);
      console.log(exportReport(results).join('\n'));
    } finally {
      await au.close();
      await db.destroy();
    }
  })();
}
