/**
 * Scenario 7 of `npm run bench`: a login storm. 50 sign-ins (BENCH_STORM_LOGINS) arrive at one
 * server process at once, each a different login with the right password, as after a mass
 * password reset; once with the default scrypt (N=2^17, r=8, p=1) and once with argon2id (OWASP's
 * m=19 MiB, t=2, p=1; @node-rs/argon2), each in a server of its own. Per hashing: the p50, p99 and
 * slowest answer, the time until all have answered, the peak resident memory of the server above
 * its start, and the statements per sign-in.
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { hashPassword, loadArgon2, type PasswordHashing } from '../lib/services/passwords.js';
import type { PlainConfig } from './db.js';
import type { MeterReading } from './meter.js';
import { startBenchServer } from './server-process.js';
import { PASSWORD, seedAccount } from '../test/support/seed.js';

const LOGINS = Number(process.env.BENCH_STORM_LOGINS ?? 50);

export interface StormResult {
  label: string;
  logins: number;
  succeeded: number;
  p50: number;
  p99: number;
  max: number;
  allMs: number;
  peakMiB: number;
  startMiB: number;
  statements: number;
}

const HASHINGS: Array<[string, PasswordHashing]> = [
  ['scrypt N=131072, r=8, p=1 (the default)', { algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1 }],
  ['argon2id m=19456 KiB, t=2, p=1', { algorithm: 'argon2id', memoryCost: 19456, timeCost: 2, parallelism: 1 }],
];

function startServer(config: PlainConfig, hashing: PasswordHashing): Promise<{ child: ChildProcess; base: string }> {
  return startBenchServer(
    { ...process.env, BENCH_DB: JSON.stringify(config), BENCH_SMTP_PORT: '0', BENCH_KDF: JSON.stringify(hashing), BENCH_SESSION_STORE: 'memory' },
    'storm',
  );
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A sign-in over node:http with no client timeout (fetch gives up on headers after 300 s, which a
 * storm of 128 MiB hashes on a loaded 2-core machine can exceed); a fresh connection for each.
 */
function signIn(base: string, email: string): Promise<number> {
  const body = new URLSearchParams({ email, password: PASSWORD }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/login`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const meter = async (base: string, query = 'reset') => (await (await fetch(`${base}/__bench/meter?${query}`)).json()) as MeterReading;

/** Nearest-rank percentile. */
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)]!;

export async function loginStorm(knex: Knex, config: PlainConfig, progress: (line: string) => void): Promise<StormResult[]> {
  const results: StormResult[] = [];
  const argon2 = await loadArgon2().then(
    () => true,
    () => false,
  );
  for (const [label, hashing] of HASHINGS) {
    if (hashing.algorithm === 'argon2id' && !argon2) continue;
    progress(`scenario 7: ${LOGINS} simultaneous sign-ins, ${label}`);
    const seeded = await seedAccount(knex, `storm${results.length}`, LOGINS, await hashPassword(PASSWORD, hashing));
    const server = await startServer(config, hashing);
    try {
      // One sign-in first: the server's first hash (and the dummy hash for unknown addresses) is made.
      await signIn(server.base, seeded.emails[0]!);
      await new Promise((r) => setTimeout(r, 500));
      await meter(server.base, 'reset&rss');
      const t0 = performance.now();
      const answers = await Promise.all(
        seeded.emails.map(async (email) => {
          const started = performance.now();
          const status = await signIn(server.base, email);
          return { status, ms: performance.now() - started };
        }),
      );
      const allMs = performance.now() - t0;
      const m = await meter(server.base);
      const ms = answers.map((a) => a.ms);
      results.push({
        label,
        logins: LOGINS,
        succeeded: answers.filter((a) => a.status === 204).length,
        p50: percentile(ms, 50),
        p99: percentile(ms, 99),
        max: Math.max(...ms),
        allMs,
        peakMiB: (m.peakRss - m.startRss) / 2 ** 20,
        startMiB: m.startRss / 2 ** 20,
        statements: m.statements / LOGINS,
      });
    } finally {
      await stopServer(server.child);
    }
  }
  return results;
}

export function stormReport(results: StormResult[], say: (line?: string) => void, row: (cells: Array<string | number>) => string): void {
  say(`## 7. Login storm: ${LOGINS} simultaneous sign-ins on one process`);
  say();
  say(
    `Each a different login with the right password, all sent at once to one server process (libuv thread pool: ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}); the memory is the server's peak resident set above its start (sampled every 2 ms).`,
  );
  say();
  say(row(['hashing', 'p50 ms', 'p99 ms', 'slowest ms', 'all answered after ms', 'peak RSS above start', 'statements/sign-in', 'succeeded']));
  say(row(['---', '---', '---', '---', '---', '---', '---', '---']));
  for (const r of results) {
    say(
      row([
        r.label,
        r.p50.toFixed(0),
        r.p99.toFixed(0),
        r.max.toFixed(0),
        r.allMs.toFixed(0),
        `${r.peakMiB.toFixed(0)} MiB (from ${r.startMiB.toFixed(0)} MiB)`,
        r.statements.toFixed(1),
        `${r.succeeded}/${r.logins}`,
      ]),
    );
  }
  say();
}
