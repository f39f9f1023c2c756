/**
 * npm run bench — what the kit costs a host. DATABASE_URL selects the database (default: a
 * SQLite file in a temporary directory); the benchmark makes its own schema and drops it.
 * The server runs in a child process (bench/server.ts); load comes from this process.
 * Prints a Markdown report and writes it to bench/results/<dialect>.md.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { accountUsers } from '../lib/index.js';
import { hashPassword } from '../lib/services/passwords.js';
import { SmtpSink } from '../test/support/smtp.js';
import { createBenchDatabase, type BenchDatabase } from './db.js';
import { fmt, load, type LoadResult } from './load.js';
import { analyze, PASSWORD, seedAccount, seedFiller, seedInvitations } from '../test/support/seed.js';
import { exportMemory, exportReport, type ExportMeasurement } from './export-memory.js';
import { pruneReport, pruneScenario, type PruneBench } from './prune.js';
import { loginStorm, stormReport, type StormResult } from './login-storm.js';
import { startBenchServer } from './server-process.js';

const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 8);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 2);
const PAGE_ROUNDS = Number(env.BENCH_PAGE_ROUNDS ?? 3);
const CONNECTIONS = (env.BENCH_CONNECTIONS ?? '10,100').split(',').map(Number);
const MEMBERSHIPS = Number(env.BENCH_MEMBERSHIPS ?? 100_000);
const BIG = Number(env.BENCH_BIG_ACCOUNT ?? 10_000);
const KDF = { N: Number(env.BENCH_KDF_N ?? 2 ** 17), r: Number(env.BENCH_KDF_R ?? 8), p: Number(env.BENCH_KDF_P ?? 1) };
const REGISTRATIONS = Number(env.BENCH_REGISTRATIONS ?? 24);
const INVITE_CONCURRENCY = Number(env.BENCH_INVITE_CONCURRENCY ?? 8);
const REGISTER_CONCURRENCY = Number(env.BENCH_REGISTER_CONCURRENCY ?? 4);
const SCENARIOS = new Set((env.BENCH_SCENARIOS ?? '1,2,3,4,5,6,7').split(','));
const EXPORT_SIZES = (env.BENCH_EXPORT_SIZES ?? '10000,100000').split(',').map(Number);
const EXPORT_ACTIVITY_SIZES = (env.BENCH_EXPORT_ACTIVITY_SIZES ?? '100000,1000000').split(',').filter(Boolean).map(Number);
const PRUNE_ROWS = Number(env.BENCH_PRUNE_ROWS ?? 250_000);
const PRUNE_BATCH = Number(env.BENCH_PRUNE_BATCH ?? 1000);
const SESSION_STORE = env.BENCH_SESSION_STORE === 'pg' ? 'pg' : 'memory';
const MOUNT = '/account/users';
const HERE = dirname(fileURLToPath(import.meta.url));

const out: string[] = [];
function say(line = ''): void {
  out.push(line);
  console.log(line);
}
function progress(line: string): void {
  console.error(`[bench] ${line}`);
}

// ---------------------------------------------------------------- the server process

function startServer(db: BenchDatabase, smtpPort: number): Promise<{ child: ChildProcess; base: string }> {
  return startBenchServer(
    { ...env, BENCH_DB: JSON.stringify(db.config), BENCH_SMTP_PORT: String(smtpPort), BENCH_KDF: JSON.stringify(KDF), BENCH_SESSION_STORE: SESSION_STORE },
    'bench',
    env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
  );
}

function cookieOf(res: Response, previous = ''): string {
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  return set.length ? set.join('; ') : previous;
}

async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ email, password: PASSWORD }), redirect: 'manual' });
  if (res.status !== 204) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return cookieOf(res);
}

async function get(base: string, path: string, cookie: string, accept = 'application/json'): Promise<Response> {
  const res = await fetch(`${base}${path}`, { headers: { cookie, accept }, redirect: 'manual' });
  await res.arrayBuffer();
  return res;
}

/** The statements the server sent to the database while serving one request. */
async function queriesFor(base: string, path: string, cookie: string, accept?: string): Promise<{ status: number; sql: string[] }> {
  await fetch(`${base}/__bench/queries?reset`).then((r) => r.arrayBuffer());
  const res = await get(base, path, cookie, accept);
  const seen = (await (await fetch(`${base}/__bench/queries?reset`)).json()) as { sql: string[] };
  return { status: res.status, sql: seen.sql };
}

// ---------------------------------------------------------------- reporting helpers

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

function combine(results: LoadResult[]): LoadResult {
  return {
    rps: mean(results.map((r) => r.rps)),
    p50: mean(results.map((r) => r.p50)),
    p99: mean(results.map((r) => r.p99)),
    total: results.reduce((a, r) => a + r.total, 0),
    bytes: mean(results.map((r) => r.bytes)),
    failures: results.reduce((a, r) => a + r.failures, 0),
  };
}

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

// ---------------------------------------------------------------- scenarios

interface Variant {
  key: string;
  label: string;
  path: string;
  cookie: string;
}

async function guardOverhead(variants: Variant[], base: string): Promise<Map<number, Map<string, LoadResult>>> {
  const byConnections = new Map<number, Map<string, LoadResult>>();
  for (const connections of CONNECTIONS) {
    const runs = new Map<string, LoadResult[]>(variants.map((v) => [v.key, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order each round so a drift in machine load does not favour one variant.
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        progress(`scenario 1: ${v.key} ${connections} connections, round ${round + 1}/${ROUNDS}`);
        runs.get(v.key)!.push(await load({ url: `${base}${v.path}`, cookie: v.cookie, connections, seconds: SECONDS, warmupSeconds: WARMUP }));
      }
    }
    byConnections.set(connections, new Map([...runs].map(([k, rs]) => [k, combine(rs)])));
  }
  return byConnections;
}

async function sinkLinks(sink: SmtpSink, expected: number): Promise<Map<string, string>> {
  const deadline = Date.now() + 15_000;
  while (sink.messages.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const links = new Map<string, string>();
  for (const m of sink.messages) {
    const to = (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value ?? []).map((v) => v.address ?? '')[0] ?? '';
    const link = /https?:\/\/\S+\/accept\/[A-Za-z0-9_-]{43}/.exec(m.text ?? '');
    if (link) links.set(to.toLowerCase(), new URL(link[0]).pathname);
  }
  return links;
}

async function registerThrough(base: string, link: string): Promise<{ ok: boolean; postMs: number }> {
  const page = await fetch(`${base}${link}`, { headers: { accept: 'application/json' } });
  const cookie = cookieOf(page);
  const { csrfToken } = (await page.json()) as { csrfToken: string };
  const started = performance.now();
  const res = await fetch(`${base}${link}/register`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie },
    body: JSON.stringify({ name: 'Registered User', password: 'a-long-enough-password-1' }),
  });
  await res.arrayBuffer();
  return { ok: res.status === 201, postMs: performance.now() - started };
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const startLoad = os.loadavg();
  const db = await createBenchDatabase();
  const sink = await new SmtpSink().start();
  let server: { child: ChildProcess; base: string } | undefined;
  /**
   * The guard under the account's two-factor rule and a suspension, measured as (b) is: the rule
   * on with a grace period (the member passes), without one (the member has no factor: refused),
   * and a suspended member; each row's count is what the server sent. Everything is put back after,
   * so the other scenarios measure the account as it was.
   */
  async function twoFactorRuleCounts(base: string, small: { accountId: number; userIds: number[]; emails: string[] }, memberCookie: string) {
    const api = migrator.api;
    const actor = { system: 'bench' };
    const rows: Array<[string, number, number]> = [];
    const measure = async (label: string, cookie: string) => {
      const q = await queriesFor(base, '/kit/guarded', cookie);
      rows.push([label, q.status, q.sql.length]);
    };
    await api.setAccountTwoFactorRule({ actor, accountId: small.accountId, required: true, graceDays: 7 });
    await measure("(b) with the account's two-factor rule on, during its grace", memberCookie);
    await api.setAccountTwoFactorRule({ actor, accountId: small.accountId, required: true, graceDays: 0 });
    await measure("(b) with the account's two-factor rule on, no grace: a member without a factor refused", memberCookie);
    const suspendedCookie = await login(base, small.emails[2]!);
    await api.suspendMember({ actor, accountId: small.accountId, userId: small.userIds[2]!, reason: 'bench' });
    await measure('(b) with the rule on, a suspended member refused', suspendedCookie);
    await api.reinstateMember({ actor, accountId: small.accountId, userId: small.userIds[2]! });
    await api.setAccountTwoFactorRule({ actor, accountId: small.accountId, required: false });
    return rows;
  }

  const migrator = accountUsers({
    knex: db.knex,
    baseUrl: 'http://bench.invalid',
    mail: { transport: nodemailer.createTransport({ jsonTransport: true }), from: 'bench@bench.invalid' },
  });
  try {
    await migrator.migrate();
    progress(`database: ${db.dialect}; hashing the shared password (scrypt N=${KDF.N}, r=${KDF.r}, p=${KDF.p})`);
    const kdfSamples: number[] = [];
    let hash = '';
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      hash = await hashPassword(PASSWORD, KDF);
      kdfSamples.push(performance.now() - t0);
    }
    const kdfMs = mean(kdfSamples.slice(1));
    const small = await seedAccount(db.knex, 'small', 10, hash);
    // ---- scenario 5 first, on its own: its tables are otherwise empty, and nothing else loads the database meanwhile.
    let pruned: PruneBench | undefined;
    if (SCENARIOS.has('5')) pruned = await pruneScenario(db.knex, migrator, small.accountId, PRUNE_ROWS, PRUNE_BATCH, progress);
    server = await startServer(db, sink.port);
    const base = server.base;

    const memberCookie = await login(base, small.emails[1]!);
    const ownerCookie = await login(base, small.emails[0]!);
    // The first guarded request picks the default account and remembers it in the session.
    for (const c of [memberCookie, ownerCookie]) await get(base, '/kit/guarded', c);
    await get(base, `${MOUNT}/`, ownerCookie, 'text/html');

    const variants: Variant[] = [
      { key: 'a', label: '(a) unguarded, kit deserializeUser', path: '/kit/page', cookie: memberCookie },
      { key: 'b', label: "(b) requirePermission('invoices'), member", path: '/kit/guarded', cookie: memberCookie },
      { key: 'c', label: "(c) requirePermission('invoices'), owner", path: '/kit/guarded', cookie: ownerCookie },
      { key: 'f', label: "(f) unguarded, host's own deserializeUser (plain user lookup)", path: '/own/page', cookie: memberCookie },
      { key: 'd', label: "(d) requirePermission('invoices'), member, host's own deserializeUser", path: '/own/guarded', cookie: memberCookie },
    ];

    say(`# express-account-users benchmark — ${db.dialect}`);
    say();
    say(`- Date: ${new Date().toISOString()}`);
    say(
      `- Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    );
    say(`- Load average at start: ${startLoad.map((n) => n.toFixed(2)).join(' ')}`);
    say(`- Node ${process.version}; database: ${await db.version()}`);
    say(
      `- Sessions: express-session with ${SESSION_STORE === 'pg' ? 'connect-pg-simple (PostgreSQL)' : 'MemoryStore'}; passport 0.7; autocannon from the parent process, server in a child process`,
    );
    say(
      `- Settings: BENCH_PAGE_ROUNDS=${PAGE_ROUNDS} BENCH_SECONDS=${SECONDS} BENCH_WARMUP=${WARMUP} BENCH_ROUNDS=${ROUNDS} BENCH_CONNECTIONS=${CONNECTIONS.join(',')} BENCH_MEMBERSHIPS=${MEMBERSHIPS} BENCH_BIG_ACCOUNT=${BIG} BENCH_PRUNE_ROWS=${PRUNE_ROWS} BENCH_PRUNE_BATCH=${PRUNE_BATCH}`,
    );
    say();

    // ---- scenario 2 (small database): queries per request
    const counts: Array<[string, number, number]> = [];
    let guardSql: string[] = [];
    let pageSql: string[] = [];
    if (SCENARIOS.has('2')) {
      for (const v of variants) {
        const q = await queriesFor(base, v.path, v.cookie);
        counts.push([v.label, q.status, q.sql.length]);
        if (v.key === 'b') guardSql = q.sql;
      }
      const page = await queriesFor(base, `${MOUNT}/`, ownerCookie, 'text/html');
      counts.push([`users page, owner, account of 10 users (GET ${MOUNT}/)`, page.status, page.sql.length]);
      counts.push(...(await twoFactorRuleCounts(base, small, memberCookie)));
    }

    // ---- scenario 1: guard overhead
    let overhead: Map<number, Map<string, LoadResult>> | undefined;
    if (SCENARIOS.has('1')) overhead = await guardOverhead(variants, base);

    // ---- scenario 3: scale
    const scale: Array<[string, LoadResult]> = [];
    const guardLatency = async (label: string) => {
      scale.push([
        `guard (b), member, 1 connection — ${label}`,
        await load({ url: `${base}/kit/guarded`, cookie: memberCookie, connections: 1, seconds: SECONDS, warmupSeconds: WARMUP }),
      ]);
      scale.push([
        `guard (d), host's own deserializeUser, 1 connection — ${label}`,
        await load({ url: `${base}/own/guarded`, cookie: memberCookie, connections: 1, seconds: SECONDS, warmupSeconds: WARMUP }),
      ]);
    };
    const pageLatency = async (label: string, path: string, cookie: string) => {
      scale.push([
        label,
        await load({ url: `${base}${path}`, cookie, connections: 1, seconds: SECONDS, warmupSeconds: WARMUP, headers: { accept: 'text/html' } }),
      ]);
    };
    let smallPageBefore: LoadResult | undefined;
    type PageKey = 'small' | 'full' | 'big' | 'deep' | 'search' | 'searchDeep' | 'permission' | 'permissionDeep' | 'rare';
    const pageRounds: Array<Record<PageKey, LoadResult>> = [];
    if (SCENARIOS.has('3')) {
      progress('scenario 3: before the bulk seed');
      await guardLatency(`${10} memberships in the database`);
      await pageLatency('users page, 10-user account, 1 connection — before the bulk seed', `${MOUNT}/`, ownerCookie);
      smallPageBefore = scale[scale.length - 1]![1];
      progress(`scenario 3: seeding an account of ${BIG} users and ${BIG} invitations, then ${MEMBERSHIPS} memberships in all`);
      const t0 = performance.now();
      const big = await seedAccount(db.knex, 'big', BIG, hash);
      await seedInvitations(db.knex, big.accountId, big.userIds[0]!, BIG);
      await seedFiller(db.knex, MEMBERSHIPS, hash, (n) => n % 20_000 < 500 && progress(`  ${n} memberships`));
      await analyze(db.knex, db.dialect);
      const seedSeconds = (performance.now() - t0) / 1000;
      // A control: one full page of each list (50 + 50 rows), so the page's own size and the
      // account's size can be told apart.
      const full = await seedAccount(db.knex, 'fullpage', 50, hash);
      await seedInvitations(db.knex, full.accountId, full.userIds[0]!, 50);
      await analyze(db.knex, db.dialect);
      const fullOwner = await login(base, full.emails[0]!);
      const bigOwner = await login(base, big.emails[0]!);
      await get(base, `${MOUNT}/`, bigOwner, 'text/html');
      // The last page of both lists, reached as a browser would reach it (following Next 199
      // times): by the cursor of the row just before it.
      const lastPage = Math.ceil(BIG / 50);
      const before = (lastPage - 1) * 50 - 1;
      const memberCursor = await db.knex('au_account_users').where({ account_id: big.accountId }).orderBy('id', 'asc').offset(before).first('id');
      const invitationCursor = await db.knex('au_invitations').where({ account_id: big.accountId }).orderBy('id', 'desc').offset(before).first('id');
      const deep = `${MOUNT}/?membersAfter=${memberCursor.id}&invitationsAfter=${invitationCursor.id}`;
      // Search and filters (issue 22): a search and a permission that every row matches, so their
      // page 200 exists and sits where the unfiltered one does; and a search matching one user,
      // the worst case of a LIKE that must look at every row of the account.
      const everyone = 'q=bench.test';
      const permission = 'permission=tickets&status=all';
      const rare = `${MOUNT}/?q=${encodeURIComponent(`big-${BIG - 1}@`)}&status=all`;
      const filtered = (filter: string, path: string) => `${path}${path.includes('?') ? '&' : '?'}${filter}`;
      for (const [label, path, cookie] of [
        [`users page, owner, account of ${BIG} users + ${BIG} invitations, page 1`, `${MOUNT}/`, bigOwner],
        [`users page, owner, account of ${BIG} users + ${BIG} invitations, page ${lastPage} of both lists`, deep, bigOwner],
        [`users page, ${BIG}-user account, search matching all, page ${lastPage}`, filtered(everyone, deep), bigOwner],
        [`users page, ${BIG}-user account, permission filter, page ${lastPage}`, filtered(permission, deep), bigOwner],
        [`users page, ${BIG}-user account, search matching one user`, rare, bigOwner],
        ['users page, owner, account of 10 users, after the bulk seed', `${MOUNT}/`, ownerCookie],
        ['users page, owner, account of 50 users + 50 invitations (one full page)', `${MOUNT}/`, fullOwner],
        [`${variants[1]!.label}, after the bulk seed`, '/kit/guarded', memberCookie],
      ] as const) {
        const q = await queriesFor(base, path, cookie, 'text/html');
        counts.push([label, q.status, q.sql.length]);
        if (path === `${MOUNT}/` && cookie === bigOwner) pageSql = q.sql;
      }
      progress('scenario 3: after the bulk seed');
      await guardLatency(`${MEMBERSHIPS} memberships in the database`);
      // The four pages in rounds, each round starting one further along, so that a passing
      // disturbance of the machine lands on one measurement of one round, not on one page.
      const pages: Array<[PageKey, string, string, string]> = [
        ['small', 'users page, 10-user account, 1 connection — after the bulk seed', `${MOUNT}/`, ownerCookie],
        ['full', 'users page, 50 users + 50 invitations (one full page), 1 connection', `${MOUNT}/`, fullOwner],
        ['big', `users page, ${BIG}-user account, page 1, 1 connection`, `${MOUNT}/`, bigOwner],
        ['deep', `users page, ${BIG}-user account, page ${lastPage} of both lists, 1 connection`, deep, bigOwner],
        ['search', `users page, ${BIG}-user account, search matching all, page 1, 1 connection`, filtered(everyone, `${MOUNT}/`), bigOwner],
        ['searchDeep', `users page, ${BIG}-user account, search matching all, page ${lastPage}, 1 connection`, filtered(everyone, deep), bigOwner],
        ['permission', `users page, ${BIG}-user account, permission filter, page 1, 1 connection`, filtered(permission, `${MOUNT}/`), bigOwner],
        ['permissionDeep', `users page, ${BIG}-user account, permission filter, page ${lastPage}, 1 connection`, filtered(permission, deep), bigOwner],
        ['rare', `users page, ${BIG}-user account, search matching one user, 1 connection`, rare, bigOwner],
      ];
      for (let r = 0; r < PAGE_ROUNDS; r++) {
        progress(`scenario 3: pages, round ${r + 1}/${PAGE_ROUNDS}`);
        const round = {} as Record<PageKey, LoadResult>;
        for (let k = 0; k < pages.length; k++) {
          const [key, label, path, cookie] = pages[(k + r) % pages.length]!;
          round[key] = await load({ url: `${base}${path}`, cookie, connections: 1, seconds: SECONDS, warmupSeconds: WARMUP, headers: { accept: 'text/html' } });
          scale.push([`${label} (round ${r + 1})`, round[key]]);
        }
        pageRounds.push(round);
      }
      say(`(Bulk seed: ${seedSeconds.toFixed(0)} s.)`);
      say();
    }

    // ---- scenario 4: invite and accept throughput
    let throughput: string[] = [];
    if (SCENARIOS.has('4')) {
      progress('scenario 4: invitations');
      const inviter = await seedAccount(db.knex, 'inviter', 1, hash);
      const cookie = await login(base, inviter.emails[0]!);
      const page = await fetch(`${base}${MOUNT}/`, { headers: { cookie, accept: 'application/json' } });
      const { csrfToken } = (await page.json()) as { csrfToken: string };
      const before = sink.messages.length;
      let sent = 0;
      let failed = 0;
      let n = 0;
      const until = performance.now() + SECONDS * 1000;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: INVITE_CONCURRENCY }, async () => {
          while (performance.now() < until) {
            const res = await fetch(`${base}${MOUNT}/invite`, {
              method: 'POST',
              headers: { cookie, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken },
              body: JSON.stringify({ email: `new-${n++}@bench.test`, permissions: ['invoices', 'tickets'] }),
            });
            const body = (await res.json()) as { delivery?: string };
            if (res.status === 201 && body.delivery === 'sent') sent++;
            else failed++;
          }
        }),
      );
      const inviteSeconds = (performance.now() - t0) / 1000;
      const links = await sinkLinks(sink, before + sent);
      const received = sink.messages.length - before;

      progress('scenario 4: registrations');
      const invitees = [...links.values()].slice(0, REGISTRATIONS);
      const sequential = invitees.slice(0, Math.ceil(REGISTRATIONS / 3));
      const concurrent = invitees.slice(sequential.length);
      const postMs: number[] = [];
      let registered = 0;
      const serverKdfMs: number[] = [];
      for (const link of sequential) {
        const r = await registerThrough(base, link);
        if (r.ok) registered++;
        postMs.push(r.postMs);
        serverKdfMs.push(((await (await fetch(`${base}/__bench/kdf`)).json()) as { ms: number }).ms);
      }
      const kdfInServer = mean(serverKdfMs);
      const r0 = performance.now();
      let concurrentOk = 0;
      await pool(concurrent, REGISTER_CONCURRENCY, async (link) => {
        if ((await registerThrough(base, link)).ok) concurrentOk++;
      });
      const registerSeconds = (performance.now() - r0) / 1000;
      const regMs = mean(postMs);
      throughput = [
        row([
          'invitations created and mailed (POST /invite, SMTP sink)',
          `${fmt.rps(sent / inviteSeconds)} /s`,
          `${INVITE_CONCURRENCY} concurrent, ${sent} in ${inviteSeconds.toFixed(1)} s, ${received} emails received, ${failed} failed`,
        ]),
        row([
          'registrations through an invitation link (GET link + POST register)',
          `${(concurrentOk / registerSeconds).toFixed(1)} /s`,
          `${REGISTER_CONCURRENCY} concurrent, ${concurrentOk}/${concurrent.length} succeeded in ${registerSeconds.toFixed(1)} s`,
        ]),
        row(['one registration alone (POST register), mean', `${fmt.ms(regMs)} ms`, `${registered}/${sequential.length} succeeded, one at a time`]),
        row([
          `scrypt N=${KDF.N} r=${KDF.r} p=${KDF.p} (one hash in the server, between registrations), mean`,
          `${fmt.ms(kdfInServer)} ms`,
          kdfInServer >= regMs * 0.98
            ? "share of one registration: ≈100 % (the rest is within the KDF's own run-to-run variation)"
            : `share of one registration: ${((100 * kdfInServer) / regMs).toFixed(0)} %; the rest: ${fmt.ms(regMs - kdfInServer)} ms`,
        ]),
        row([`scrypt N=${KDF.N} r=${KDF.r} p=${KDF.p} (one hash in the benchmark process, idle server), mean`, `${fmt.ms(kdfMs)} ms`, '']),
      ];
    }

    // Scenario 6: peak memory of a members export, 10× the rows (bench/export-memory.ts).
    let exportRuns: ExportMeasurement[] = [];
    if (SCENARIOS.has('6')) exportRuns = await exportMemory(db.knex, db.config, EXPORT_SIZES, hash, progress, EXPORT_ACTIVITY_SIZES);

    // Scenario 7: 50 simultaneous sign-ins on one process, scrypt and argon2id (bench/login-storm.ts).
    let storm: StormResult[] = [];
    if (SCENARIOS.has('7')) storm = await loginStorm(db.knex, db.config, progress);

    // ---------------------------------------------------------------- report
    if (overhead) {
      say('## 1. Guard overhead (throughput ratios; goal ≥ 0.90)');
      say();
      say(row(['connections', 'b/a member', 'c/a owner', "d/f (host's own deserializeUser)", 'a/f (kit session query vs plain user lookup)']));
      say(row(['---', '---', '---', '---', '---']));
      for (const [connections, r] of overhead) {
        const x = (k: string) => r.get(k)!.rps;
        say(row([connections, fmt.ratio(x('b') / x('a')), fmt.ratio(x('c') / x('a')), fmt.ratio(x('d') / x('f')), fmt.ratio(x('a') / x('f'))]));
      }
      say();
      say(row(['variant', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx/errors']));
      say(row(['---', '---', '---', '---', '---', '---', '---']));
      for (const [connections, r] of overhead) {
        for (const v of variants) {
          const m = r.get(v.key)!;
          say(row([v.label, connections, fmt.rps(m.rps), fmt.ms(m.p50), fmt.ms(m.p99), m.total, m.failures]));
        }
      }
      say();
    }
    if (counts.length) {
      say('## 2. SQL statements per request (knex "query" events in the server process)');
      say();
      say(row(['request', 'status', 'queries']));
      say(row(['---', '---', '---']));
      for (const [label, status, n] of counts) say(row([label, status, n]));
      say();
      if (guardSql.length) {
        say('The guarded request (b) sends:');
        say();
        for (const sql of guardSql) say(`    ${sql}`);
        say();
      }
      if (pageSql.length) {
        say(`The users page of the ${BIG}-user account sends:`);
        say();
        for (const sql of pageSql) say(`    ${sql}`);
        say();
      }
    }
    if (scale.length) {
      say('## 3. Scale (1 connection, so p50 is service time)');
      say();
      const p50 = (label: string) => scale.find(([l]) => l.startsWith(label))?.[1].p50 ?? NaN;
      const ratios = (a: PageKey, b: PageKey) => pageRounds.map((r) => r[a].p50 / r[b].p50);
      const median = (xs: number[]) => {
        const s = [...xs].sort((x, y) => x - y);
        return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
      };
      const ratioRow = (label: string, xs: number[]) => row([label, `**${fmt.ratio(median(xs))}**`, xs.map(fmt.ratio).join(', ')]);
      say(row(['comparison (p50)', `median of ${pageRounds.length} rounds`, 'each round']));
      say(row(['---', '---', '---']));
      if (pageRounds.length) {
        say(ratioRow(`users page, ${BIG}-user account page 1 / 10-user account (goal ≤ 2)`, ratios('big', 'small')));
        say(ratioRow(`users page, ${BIG}-user account last page / 10-user account (goal ≤ 2)`, ratios('deep', 'small')));
        say(ratioRow(`users page, ${BIG}-user account page 1 / 50-user account (same 50 + 50 rows on the page)`, ratios('big', 'full')));
        say(ratioRow(`users page, ${BIG}-user account, search matching all: page ${Math.ceil(BIG / 50)} / page 1 (goal ≤ 2)`, ratios('searchDeep', 'search')));
        say(ratioRow(`users page, ${BIG}-user account, search matching all, page 1 / 10-user account (goal ≤ 2)`, ratios('search', 'small')));
        say(
          ratioRow(
            `users page, ${BIG}-user account, permission filter: page ${Math.ceil(BIG / 50)} / page 1 (goal ≤ 2)`,
            ratios('permissionDeep', 'permission'),
          ),
        );
        say(ratioRow(`users page, ${BIG}-user account, permission filter, page 1 / 10-user account (goal ≤ 2)`, ratios('permission', 'small')));
        say(ratioRow(`users page, ${BIG}-user account, search matching one user / 10-user account (every row read)`, ratios('rare', 'small')));
        say(ratioRow(`users page, ${BIG}-user account page ${Math.ceil(BIG / 50)} / page 1, unfiltered (goal ≤ 2)`, ratios('deep', 'big')));
        say(
          ratioRow(
            `users page, 10-user account, ${MEMBERSHIPS} / 10 memberships in the database`,
            pageRounds.map((r) => r.small.p50 / (smallPageBefore?.p50 ?? NaN)),
          ),
        );
      }
      say(
        row([
          `guard (b), ${MEMBERSHIPS} / 10 memberships in the database`,
          fmt.ratio(p50(`guard (b), member, 1 connection — ${MEMBERSHIPS}`) / p50('guard (b), member, 1 connection — 10 ')),
          '',
        ]),
      );
      say(
        row([
          `guard (d), ${MEMBERSHIPS} / 10 memberships in the database`,
          fmt.ratio(
            p50(`guard (d), host's own deserializeUser, 1 connection — ${MEMBERSHIPS}`) / p50("guard (d), host's own deserializeUser, 1 connection — 10 "),
          ),
          '',
        ]),
      );
      say();
      say(row(['measurement', 'req/s', 'p50 ms', 'p99 ms', 'KiB/response', 'non-2xx/errors']));
      say(row(['---', '---', '---', '---', '---', '---']));
      for (const [label, m] of scale) say(row([label, fmt.rps(m.rps), fmt.ms(m.p50), fmt.ms(m.p99), (m.bytes / 1024).toFixed(1), m.failures]));
      say();
    }
    if (throughput.length) {
      say('## 4. Invite and accept throughput');
      say();
      say(row(['measurement', 'figure', 'notes']));
      say(row(['---', '---', '---']));
      for (const line of throughput) say(line);
      say();
    }
    if (exportRuns.length) for (const line of exportReport(exportRuns)) say(line);
    if (storm.length) stormReport(storm, say, row);
    if (pruned) for (const line of pruneReport(pruned, PRUNE_BATCH)) say(line);
    say(
      `Load average at end: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => server!.child.once('exit', r));
    }
    await migrator.close();
    await sink.stop();
    await db.destroy();
  }
  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(join(HERE, 'results', `${db.dialect}${SESSION_STORE === 'pg' ? '-pg-sessions' : ''}.md`), `${out.join('\n')}\n`);
}

main().catch((err) => {
  // A failed bulk insert's message carries the whole statement; the start of it is enough.
  console.error(String((err as Error)?.stack ?? err).slice(0, 2000));
  process.exit(1);
});
