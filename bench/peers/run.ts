/**
 * npm run bench:peers — the kit beside Better Auth's organization plugin, on PostgreSQL, in one run.
 *
 * Six servers, each a child process: the kit with express-session's MemoryStore, with
 * connect-pg-simple and with its own au.sessionStore() (bench/server.ts), and Better Auth 1.x as documented, with its cookie cache,
 * and with `advanced.database.joins` (bench/peers/better-auth-server.ts), each on its own database.
 * Every server has a plain route (session only) and a route guarded by the `invoices` permission.
 * The twelve routes are loaded in rounds of alternating order from this process; each figure is the
 * median of the rounds, each ratio the median of the ratios within a round. Then: who is refused
 * after a revocation, and what one login costs. Prints Markdown, also written to bench/results/peers.md.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import knexFactory from 'knex';
import nodemailer from 'nodemailer';
import { accountUsers } from '../../lib/index.js';
import { hashPassword, loadArgon2, type PasswordHashing } from '../../lib/services/passwords.js';
import { createBenchDatabase } from '../db.js';
import { startBenchServer } from '../server-process.js';
import { fmt, load, type LoadResult } from '../load.js';
import type { MeterReading } from '../meter.js';
import { PASSWORD, seedAccount } from '../../test/support/seed.js';

const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 4);
const WARMUP = Number(env.BENCH_WARMUP ?? 1);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10);
const LOGINS = Number(env.BENCH_LOGINS ?? 5);
const CONCURRENT_LOGINS = Number(env.BENCH_CONCURRENT_LOGINS ?? 8);
const KDF = { N: 2 ** 17, r: 8, p: 1 };
const HERE = dirname(fileURLToPath(import.meta.url));
const MOUNT = '/account/users';

const out: string[] = [];
const say = (line = '') => {
  out.push(line);
  console.log(line);
};
const progress = (line: string) => console.error(`[bench:peers] ${line}`);
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// ---------------------------------------------------------------- servers

interface Server {
  key: string;
  label: string;
  child: ChildProcess;
  base: string;
}

async function start(key: string, label: string, script: string, extraEnv: Record<string, string>): Promise<Server> {
  return { key, label, ...(await startBenchServer({ ...env, ...extraEnv }, key, [], script)) };
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

async function meter(server: Server, query = 'reset'): Promise<MeterReading> {
  return (await (await fetch(`${server.base}/__bench/meter?${query}`)).json()) as MeterReading;
}

function cookieOf(res: Response, previous = ''): string {
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  return set.length ? set.join('; ') : previous;
}

async function status(base: string, path: string, cookie: string): Promise<number> {
  const res = await fetch(`${base}${path}`, { headers: { cookie, accept: 'application/json' }, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

async function kitLogin(base: string, email: string, password = PASSWORD): Promise<{ status: number; cookie: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ email, password }), redirect: 'manual' });
  await res.arrayBuffer();
  return { status: res.status, cookie: cookieOf(res), ms: performance.now() - t0 };
}

/** Better Auth's own sign-in endpoint, as its client calls it. */
async function peerLogin(base: string, email: string, password = PASSWORD): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:3000' },
    body: JSON.stringify({ email, password }),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

/** A database of its own for each Better Auth server, on the same PostgreSQL. */
async function peerDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `au_bench_peer_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`create database "${name}"`);
  await admin.destroy();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const again = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      await again.raw(`drop database if exists "${name}" with (force)`);
      await again.destroy();
    },
  };
}

// ---------------------------------------------------------------- measurements

interface Target {
  key: string;
  server: Server;
  path: string;
  cookie: string;
  guarded: boolean;
  label: string;
}

interface Sample extends LoadResult {
  statements: number;
  cpuMs: number;
}

async function measure(t: Target): Promise<Sample> {
  if (WARMUP) await load({ url: `${t.server.base}${t.path}`, cookie: t.cookie, connections: CONNECTIONS, seconds: WARMUP });
  await meter(t.server);
  const r = await load({ url: `${t.server.base}${t.path}`, cookie: t.cookie, connections: CONNECTIONS, seconds: SECONDS });
  // The requests autocannon left in flight finish (and are counted) before the window closes.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const m = await meter(t.server);
  const served = Math.max(1, m.requests);
  return { ...r, statements: m.statements / served, cpuMs: m.cpuMicros / 1000 / served };
}

async function sqlOfOne(t: Target): Promise<string[]> {
  await meter(t.server);
  const code = await status(t.server.base, t.path, t.cookie);
  const m = await meter(t.server);
  if (code !== 200) throw new Error(`${t.label}: ${code}`);
  return m.sql;
}

/**
 * One hash alone (median of three) and `concurrent` at once, in this process: wall time and the
 * most resident memory above the start (sampled every 2 ms; the hashes run on libuv's pool).
 */
async function hashCost(params: PasswordHashing, concurrent: number): Promise<{ one: number; oneMiB: number; many: number; manyMiB: number }> {
  const run = async (n: number) => {
    const start = process.memoryUsage.rss();
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, () => hashPassword('a-long-enough-password-1', params)));
    const ms = performance.now() - t0;
    clearInterval(sampler);
    return { ms, mib: (peak - start) / (1024 * 1024) };
  };
  const ones = [await run(1), await run(1), await run(1)];
  const many = await run(concurrent);
  return { one: median(ones.map((o) => o.ms)), oneMiB: median(ones.map((o) => o.mib)), many: many.ms, manyMiB: many.mib };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const url = env.DATABASE_URL ?? '';
  if (!/^postgres(ql)?:/.test(url)) throw new Error('bench:peers runs on PostgreSQL: set DATABASE_URL=postgres://…');
  const started = new Date();
  const startLoad = os.loadavg();
  const t0 = performance.now();
  const db = await createBenchDatabase();
  const peerDbs: Array<{ url: string; drop(): Promise<void> }> = [];
  const servers: Server[] = [];
  const migrator = accountUsers({
    knex: db.knex,
    baseUrl: 'http://bench.invalid',
    mail: { transport: nodemailer.createTransport({ jsonTransport: true }), from: 'bench@bench.invalid' },
  });
  try {
    await migrator.migrate();
    progress(`hashing the seeded password (scrypt N=${KDF.N}, r=${KDF.r}, p=${KDF.p})`);
    const small = await seedAccount(db.knex, 'small', 10, await hashPassword(PASSWORD, KDF));
    const kitEnv = { BENCH_DB: JSON.stringify(db.config), BENCH_SMTP_PORT: '0', BENCH_KDF: JSON.stringify(KDF) };
    const serverScript = join(HERE, '..', 'server.ts');
    const peerScript = join(HERE, 'better-auth-server.ts');
    progress('starting six servers');
    const kitMemory = await start('kit', 'kit, MemoryStore sessions', serverScript, { ...kitEnv, BENCH_SESSION_STORE: 'memory' });
    servers.push(kitMemory);
    const kitPg = await start('kit-pg', 'kit, connect-pg-simple sessions', serverScript, { ...kitEnv, BENCH_SESSION_STORE: 'pg' });
    servers.push(kitPg);
    const kitStore = await start('kit-store', 'kit + au.sessionStore()', serverScript, { ...kitEnv, BENCH_SESSION_STORE: 'kit' });
    servers.push(kitStore);
    const peers: Server[] = [];
    for (const [key, label, extra] of [
      ['ba', 'Better Auth', {}],
      ['ba-cache', 'Better Auth, cookie cache', { BENCH_BA_COOKIE_CACHE: '1' }],
      ['ba-joins', 'Better Auth, database joins', { BENCH_BA_JOINS: '1' }],
    ] as const) {
      const peerDb = await peerDatabase(url);
      peerDbs.push(peerDb);
      const s = await start(key, label, peerScript, { BENCH_BA_URL: peerDb.url, ...extra });
      servers.push(s);
      peers.push(s);
    }
    const [owner, member] = [small.emails[0]!, small.emails[1]!];
    const kitCookies = new Map<Server, { owner: string; member: string }>();
    for (const s of [kitMemory, kitPg, kitStore]) {
      const c = { owner: (await kitLogin(s.base, owner)).cookie, member: (await kitLogin(s.base, member)).cookie };
      // The first guarded request picks the default account and remembers it in the session.
      for (const cookie of Object.values(c)) await status(s.base, '/kit/guarded', cookie);
      kitCookies.set(s, c);
    }
    const peerCookies = new Map<Server, { owner: string; member: string }>();
    for (const s of peers) peerCookies.set(s, (await (await fetch(`${s.base}/__bench/session`)).json()) as { owner: string; member: string });

    const targets: Target[] = [];
    for (const s of [kitMemory, kitPg, kitStore]) {
      targets.push({ key: `${s.key}:plain`, server: s, path: '/kit/page', cookie: kitCookies.get(s)!.member, guarded: false, label: `${s.label}: plain` });
      targets.push({
        key: `${s.key}:guarded`,
        server: s,
        path: '/kit/guarded',
        cookie: kitCookies.get(s)!.member,
        guarded: true,
        label: `${s.label}: guarded`,
      });
    }
    for (const s of peers) {
      targets.push({ key: `${s.key}:plain`, server: s, path: '/peer/page', cookie: peerCookies.get(s)!.member, guarded: false, label: `${s.label}: plain` });
      targets.push({
        key: `${s.key}:guarded`,
        server: s,
        path: '/peer/guarded',
        cookie: peerCookies.get(s)!.member,
        guarded: true,
        label: `${s.label}: guarded`,
      });
    }
    // BENCH_ONLY=kit (a prefix of the route keys) measures some routes alone, e.g. to look closer at one ratio.
    if (env.BENCH_ONLY) targets.splice(0, targets.length, ...targets.filter((t) => env.BENCH_ONLY!.split(',').some((p) => t.key.startsWith(p))));
    const sql = new Map<string, string[]>();
    for (const t of targets) sql.set(t.key, await sqlOfOne(t));

    // ---------------------------------------------------------------- load, alternating rounds
    const rounds: Array<Map<string, Sample>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      const samples = new Map<string, Sample>();
      for (const t of order) {
        progress(`round ${round + 1}/${ROUNDS}: ${t.label}`);
        samples.set(t.key, await measure(t));
      }
      rounds.push(samples);
    }

    // ---------------------------------------------------------------- revocation
    progress('revocation');
    const revocation: string[] = [];
    const before = new Map<Server, number>();
    for (const s of [kitMemory, kitPg, kitStore]) before.set(s, await status(s.base, '/kit/guarded', kitCookies.get(s)!.member));
    for (const s of peers) before.set(s, await status(s.base, '/peer/guarded', peerCookies.get(s)!.member));
    // The kit's owner removes the member through the users pages; both kit servers share the database.
    const removePage = await fetch(`${kitMemory.base}${MOUNT}/users/${small.userIds[1]}/remove`, {
      headers: { cookie: kitCookies.get(kitMemory)!.owner, accept: 'application/json' },
    });
    const { csrfToken } = (await removePage.json()) as { csrfToken: string };
    const removed = await fetch(`${kitMemory.base}${MOUNT}/users/${small.userIds[1]}/remove`, {
      method: 'POST',
      headers: { cookie: kitCookies.get(kitMemory)!.owner, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: '{}',
    });
    await removed.arrayBuffer();
    if (removed.status >= 300) throw new Error(`kit remove: ${removed.status}`);
    for (const s of peers) await (await fetch(`${s.base}/__bench/revoke-member`, { method: 'POST' })).arrayBuffer();
    const afterMember = new Map<Server, number>();
    for (const s of [kitMemory, kitPg, kitStore]) afterMember.set(s, await status(s.base, '/kit/guarded', kitCookies.get(s)!.member));
    for (const s of peers) afterMember.set(s, await status(s.base, '/peer/guarded', peerCookies.get(s)!.member));
    // Sign out everywhere: every session of the owner ends; then the owner's next request.
    const ownerBefore = new Map<Server, number>();
    const afterSessions = new Map<Server, number>();
    for (const s of [kitMemory, kitPg, kitStore]) {
      ownerBefore.set(s, await status(s.base, '/kit/guarded', kitCookies.get(s)!.owner));
      await (await fetch(`${s.base}/__bench/revoke-sessions?user=${small.userIds[0]}`, { method: 'POST' })).arrayBuffer();
      afterSessions.set(s, await status(s.base, '/kit/guarded', kitCookies.get(s)!.owner));
    }
    for (const s of peers) {
      ownerBefore.set(s, await status(s.base, '/peer/guarded', peerCookies.get(s)!.owner));
      await (await fetch(`${s.base}/__bench/revoke-sessions`, { method: 'POST' })).arrayBuffer();
      afterSessions.set(s, await status(s.base, '/peer/guarded', peerCookies.get(s)!.owner));
    }
    const verdict = (code: number) => (code === 200 ? `${code}, still served` : `${code}, refused`);
    for (const s of servers) revocation.push(row([s.label, before.get(s)!, verdict(afterMember.get(s)!), ownerBefore.get(s)!, verdict(afterSessions.get(s)!)]));

    // ---------------------------------------------------------------- login cost
    progress('login cost');
    const loginRows: string[] = [];
    const timed = async (label: string, server: Server, attempt: (i: number) => Promise<{ status: number; ms: number }>, expect: number) => {
      const ms: number[] = [];
      await meter(server);
      let wrong = 0;
      for (let i = 0; i < LOGINS; i++) {
        const r = await attempt(i);
        if (r.status !== expect) wrong++;
        ms.push(r.ms);
      }
      const m = await meter(server);
      loginRows.push(
        row([
          label,
          fmt.ms(median(ms)),
          `${fmt.ms(Math.min(...ms))}–${fmt.ms(Math.max(...ms))}`,
          fmt.ms(m.cpuMicros / 1000 / LOGINS),
          (m.statements / LOGINS).toFixed(1),
          wrong ? `${wrong} unexpected status` : `${expect}`,
        ]),
      );
      return median(ms);
    };
    const known = await timed('kit: known email, right password', kitMemory, () => kitLogin(kitMemory.base, small.emails[2]!), 204);
    const unknown = await timed('kit: unknown email', kitMemory, (i) => kitLogin(kitMemory.base, `nobody-${i}@bench.test`), 401);
    await timed('kit: known email, wrong password', kitMemory, () => kitLogin(kitMemory.base, small.emails[3]!, 'wrong-password-1'), 401);
    const peerKnown = await timed('Better Auth: known email, right password', peers[0]!, () => peerLogin(peers[0]!.base, 'member@bench.test'), 200);
    const peerUnknown = await timed('Better Auth: unknown email', peers[0]!, (i) => peerLogin(peers[0]!.base, `nobody-${i}@bench.test`), 401);

    // Memory: one hash alone, then more logins at once than libuv has threads.
    await meter(kitMemory, 'reset&rss');
    await kitLogin(kitMemory.base, small.emails[4]!);
    const one = await meter(kitMemory);
    await new Promise((r) => setTimeout(r, 500));
    await meter(kitMemory, 'reset&rss');
    const c0 = performance.now();
    const burst = await Promise.all(Array.from({ length: CONCURRENT_LOGINS }, (_, i) => kitLogin(kitMemory.base, small.emails[2 + (i % 8)]!)));
    const burstMs = performance.now() - c0;
    const many = await meter(kitMemory);
    await meter(kitMemory);
    const MiB = 1024 * 1024;
    const threadPool = env.UV_THREADPOOL_SIZE ?? '4 (default)';
    progress('one hash alone: scrypt, then argon2id if @node-rs/argon2 is installed');
    const ARGON2_OWASP = { algorithm: 'argon2id', memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
    const hashes: Array<[string, Awaited<ReturnType<typeof hashCost>> | undefined]> = [
      [`scrypt N=${KDF.N}, r=${KDF.r}, p=${KDF.p}`, await hashCost(KDF, CONCURRENT_LOGINS)],
    ];
    const argon2 = await loadArgon2().then(
      () => true,
      () => false,
    );
    hashes.push(['argon2id m=19456 KiB, t=2, p=1 (@node-rs/argon2)', argon2 ? await hashCost(ARGON2_OWASP, CONCURRENT_LOGINS) : undefined]);

    // ---------------------------------------------------------------- report
    const samples = (key: string) => rounds.flatMap((r) => r.get(key) ?? []);
    const med = (key: string, f: (s: Sample) => number) => median(samples(key).map(f));
    const ratio = (a: string, b: string, f: (s: Sample) => number = (s) => s.rps) =>
      rounds.flatMap((r) => (r.has(a) && r.has(b) ? [f(r.get(a)!) / f(r.get(b)!)] : []));
    const ratioCell = (xs: number[]) => `**${fmt.ratio(median(xs))}** (${xs.map(fmt.ratio).join(', ')})`;

    say(`## Against the alternatives: the kit and Better Auth ${peerVersion()} (organization plugin), PostgreSQL`);
    say();
    say(`- Date: ${started.toISOString()}; ${((performance.now() - t0) / 1000).toFixed(0)} s in all`);
    say(
      `- Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, shared with PostgreSQL, the six servers and autocannon; load average at start ${startLoad.map((n) => n.toFixed(2)).join(' ')}`,
    );
    say(`- Node ${process.version}; ${await db.version()}`);
    say(
      `- ${ROUNDS} rounds of alternating order, ${CONNECTIONS} connections, ${SECONDS} s measured after ${WARMUP} s of warm-up per route; figures are medians of the rounds, ratios the medians of the ratios within each round (the rounds in brackets)`,
    );
    say(
      "- Statements: every statement sent through pg's Client#query in the server process over the measured window (knex, connect-pg-simple and Kysely alike, BEGIN/COMMIT included), divided by the requests it served; CPU: process.cpuUsage() of the server process over the same window, per request",
    );
    say();
    const kg = 'kit:guarded';
    say(row(['ratio', 'median (rounds)']));
    say(row(['---', '---']));
    for (const p of peers) say(row([`kit guarded / ${p.label} guarded, req/s (goal ≥ 3)`, ratioCell(ratio(kg, `${p.key}:guarded`))]));
    for (const p of peers) say(row([`kit with connect-pg-simple guarded / ${p.label} guarded, req/s`, ratioCell(ratio('kit-pg:guarded', `${p.key}:guarded`))]));
    say(
      row([
        'kit + au.sessionStore() guarded / kit with connect-pg-simple guarded, req/s (goal ≥ 1.5)',
        ratioCell(ratio('kit-store:guarded', 'kit-pg:guarded')),
      ]),
    );
    say(row(['kit + au.sessionStore() guarded / kit with MemoryStore guarded, req/s', ratioCell(ratio('kit-store:guarded', kg))]));
    for (const s of servers)
      say(row([`${s.label}: guarded / plain, req/s${s === kitMemory ? ' (goal ≥ 0.95)' : ''}`, ratioCell(ratio(`${s.key}:guarded`, `${s.key}:plain`))]));
    for (const p of peers) say(row([`CPU per guarded request, kit / ${p.label}`, ratioCell(ratio(kg, `${p.key}:guarded`, (s) => s.cpuMs))]));
    say();
    say(row(['route', 'req/s', 'p50 ms', 'p99 ms', 'statements/request', 'CPU ms/request', 'requests', 'non-2xx/errors']));
    say(row(['---', '---', '---', '---', '---', '---', '---', '---']));
    for (const t of targets) {
      say(
        row([
          t.label,
          fmt.rps(med(t.key, (s) => s.rps)),
          fmt.ms(med(t.key, (s) => s.p50)),
          fmt.ms(med(t.key, (s) => s.p99)),
          med(t.key, (s) => s.statements).toFixed(2),
          fmt.ms(med(t.key, (s) => s.cpuMs)),
          samples(t.key).reduce((a, s) => a + s.total, 0),
          samples(t.key).reduce((a, s) => a + s.failures, 0),
        ]),
      );
    }
    say();
    const peerFewest = Math.min(...peers.map((p) => med(`${p.key}:guarded`, (s) => s.statements)));
    const goals = [
      [`kit guarded ≥ 3 × Better Auth guarded (as documented)`, median(ratio(kg, 'ba:guarded')) >= 3],
      [`kit guarded ≥ 3 × Better Auth guarded (its fastest configuration)`, Math.min(...peers.map((p) => median(ratio(kg, `${p.key}:guarded`)))) >= 3],
      [
        `kit statements per guarded request (${med(kg, (s) => s.statements).toFixed(2)}) ≤ Better Auth's fewest (${peerFewest.toFixed(2)})`,
        med(kg, (s) => s.statements) <= peerFewest + 0.005,
      ],
      [`kit guarded / plain ≥ 0.95`, median(ratio(kg, 'kit:plain')) >= 0.95],
      [`kit + au.sessionStore() guarded ≥ 1.5 × kit with connect-pg-simple guarded`, median(ratio('kit-store:guarded', 'kit-pg:guarded')) >= 1.5],
      [
        `kit + au.sessionStore(): statements per guarded request (${med('kit-store:guarded', (s) => s.statements).toFixed(2)}) = 1`,
        med('kit-store:guarded', (s) => s.statements) <= 1.005,
      ],
    ] as const;
    say(row(['goal', 'met']));
    say(row(['---', '---']));
    for (const [label, met] of goals) say(row([label, met ? 'yes' : '**no**']));
    say();
    say('One guarded request sends:');
    say();
    for (const t of targets.filter((x) => x.guarded)) {
      say(`- ${t.server.label} (${sql.get(t.key)!.length}):`);
      for (const s of sql.get(t.key)!) say(`  - \`${s.replace(/\s+/g, ' ').slice(0, 240)}\``);
    }
    say();
    say('### Revocation: the next request after it');
    say();
    say(row(['server', 'member, before', 'member removed by the owner', 'owner, before', 'every session of the owner revoked']));
    say(row(['---', '---', '---', '---', '---']));
    for (const line of revocation) say(line);
    say();
    say(`### What one login costs (scrypt N=${KDF.N}, r=${KDF.r}, p=${KDF.p} for the kit; ${LOGINS} logins each, one at a time)`);
    say();
    say(row(['login', 'median ms', 'range ms', 'server CPU ms', 'statements', 'status']));
    say(row(['---', '---', '---', '---', '---', '---']));
    for (const line of loginRows) say(line);
    say();
    say(`Unknown / known email, kit: ${fmt.ratio(unknown / known)}; Better Auth: ${fmt.ratio(peerUnknown / peerKnown)}.`);
    say();
    say(row(['memory (kit server RSS)', 'figure']));
    say(row(['---', '---']));
    say(row(['one scrypt hash holds (128 · N · r)', `${(128 * KDF.N * KDF.r) / MiB} MiB`]));
    say(row(['peak RSS above the start, one login', `${((one.peakRss - one.startRss) / MiB).toFixed(0)} MiB (from ${(one.startRss / MiB).toFixed(0)} MiB)`]));
    say(
      row([
        `peak RSS above the start, ${CONCURRENT_LOGINS} logins at once (libuv thread pool: ${threadPool})`,
        `${((many.peakRss - many.startRss) / MiB).toFixed(0)} MiB (from ${(many.startRss / MiB).toFixed(0)} MiB); all ${CONCURRENT_LOGINS} in ${fmt.ms(burstMs)} ms, ${burst.filter((b) => b.status === 204).length} succeeded`,
      ]),
    );
    say();
    say(`One hash alone, in the benchmark process (libuv thread pool: ${threadPool}):`);
    say();
    say(row(['hash', 'one, median ms', 'one, peak RSS above start', `${CONCURRENT_LOGINS} at once, ms`, `${CONCURRENT_LOGINS} at once, peak RSS above start`]));
    say(row(['---', '---', '---', '---', '---']));
    for (const [label, h] of hashes)
      say(row(h ? [label, fmt.ms(h.one), `${h.oneMiB.toFixed(0)} MiB`, fmt.ms(h.many), `${h.manyMiB.toFixed(0)} MiB`] : [label, 'not installed', '', '', '']));
    say();
    say(
      `Load average at end: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    for (const s of servers) await stop(s);
    await migrator.close();
    await db.destroy();
    for (const d of peerDbs) await d.drop().catch((err) => console.error(err));
  }
  mkdirSync(join(HERE, '..', 'results'), { recursive: true });
  writeFileSync(join(HERE, '..', 'results', 'peers.md'), `${out.join('\n')}\n`);
}

function peerVersion(): string {
  return (JSON.parse(readFileSync(join(HERE, '..', '..', 'node_modules', 'better-auth', 'package.json'), 'utf8')) as { version: string }).version;
}

main().catch((err) => {
  console.error(String((err as Error)?.stack ?? err).slice(0, 2000));
  process.exit(1);
});
