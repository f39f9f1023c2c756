/**
 * Scenario 5 of npm run bench: peak memory while exporting an account's members as CSV, for two
 * account sizes ten times apart (BENCH_EXPORT_SIZES, default 10000,100000). Each export runs in a
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

export interface ExportMeasurement {
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
  const { accountId, ownerId, members } = JSON.parse(process.env.BENCH_EXPORT_CHILD!) as { accountId: number; ownerId: number; members: number };
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
  const stream = await au.api.exportMembers({ actor: { userId: ownerId }, accountId, format: 'csv' });
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

function measure(config: PlainConfig, job: { accountId: number; ownerId: number; members: number }): Promise<ExportMeasurement> {
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
): Promise<ExportMeasurement[]> {
  const results: ExportMeasurement[] = [];
  for (const size of sizes) {
    progress(`scenario 6: seeding an account of ${size} members`);
    const { accountId, userIds } = await seedAccount(knex, `export${size}`, size, passwordHash);
    progress(`scenario 6: exporting ${size} members in a child process`);
    results.push(await measure(config, { accountId, ownerId: userIds[0]!, members: size }));
  }
  return results;
}

/** The report's lines (Markdown). */
export function exportReport(results: ExportMeasurement[]): string[] {
  const row = (cells: unknown[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    '## 5. Export memory (au.api.exportMembers, CSV, streamed in pages of 500)',
    '',
    row(['members', 'rows written', 'MB written', 'seconds', 'RSS before (MB)', 'peak RSS during (MB)', 'peak − before (MB)', 'maxRSS (MB)']),
    row(['---', '---', '---', '---', '---', '---', '---', '---']),
    ...results.map((r) =>
      row([
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
  ];
  if (results.length >= 2) {
    const [a, b] = [results[0]!, results[results.length - 1]!];
    lines.push(
      '',
      `Peak RSS ratio, ${b.members} vs ${a.members} members (${(b.members / a.members).toFixed(0)}× the rows): ${(b.peakMb / a.peakMb).toFixed(2)} ` +
        `(growth above start-up: ${(b.peakMb - b.baselineMb).toFixed(0)} MB vs ${(a.peakMb - a.baselineMb).toFixed(0)} MB).`,
    );
  }
  lines.push('');
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
      const results = await exportMemory(db.knex, db.config, sizes, 'x', (l) => console.error(`[bench] ${l}`));
      console.log(exportReport(results).join('\n'));
    } finally {
      await au.close();
      await db.destroy();
    }
  })();
}
