/**
 * The cluster rig: N worker processes (Node's cluster, round robin on one port), each the README's
 * host with `mail.worker: true` (test/cluster/worker.ts), over one database, driven by virtual users
 * from this process (the cluster's primary), with faults injected on purpose, and checks made at
 * the end from the database and the SMTP sink. `runRig()` returns the figures and the list of
 * checks that failed; test/cluster/cluster.cluster.ts asserts on them.
 */
import cluster, { type Worker } from 'node:cluster';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { createClient } from 'redis';
import { createScratch } from '../support/db.js';
import { SmtpSink } from '../support/smtp.js';
import { createHost, MOUNT } from '../support/app.js';
import { exchanges, VirtualUser, type Answer } from './client.js';
import { RIG_LIMITS, type WorkerMessage, type WorkerSpec } from './spec.js';

export type ConfigName = 'pg' | 'pgbouncer' | 'mariadb' | 'redis';
export const PG_URL = process.env.CLUSTER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.CLUSTER_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const PGBOUNCER_PORT = 6439;
const PASSWORD = 'cluster-password-1';
const PERMS = ['invoices', 'tickets'];

export interface RigOptions {
  config: ConfigName;
  workers: number;
  /** Owners; each invites `invitees` people, and one more who already has a login (an account switch). */
  owners: number;
  invitees: number;
  /** The bursts at the limits and the faults; off for the small broken-claim run. */
  bursts: boolean;
  faults: boolean;
  /** How long the SMTP server stays away in the faults (the issue's minute by default). */
  smtpOutageMs?: number;
  /** The outbox claim broken on purpose in every worker (worker.ts `breakClaim`). */
  breakClaim?: boolean;
}

export interface RigResult {
  line: string;
  figures: Record<string, number | string>;
  failures: string[];
}

/** The workers' `mail.claimLeaseMs`: above the longest wait for a pooled connection under the rig's load. */
const CLAIM_LEASE_MS = 30_000;
const verbose = process.env.CLUSTER_VERBOSE === '1';
let clock = Date.now();
/** CLUSTER_VERBOSE=1: each phase as it happens, with the seconds since the run began. */
function phase(what: string): void {
  if (verbose) console.log(`    ${((Date.now() - clock) / 1000).toFixed(1)} s  ${what}`);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => Date.now();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** PgBouncer from the repository's config, run as the postgres user (it refuses root). */
class PgBouncer {
  private child: ChildProcess | undefined;
  async start(): Promise<void> {
    const config = fileURLToPath(new URL('./pgbouncer.ini', import.meta.url));
    const args = process.getuid?.() === 0 ? ['-u', 'postgres', config] : [config];
    this.child = spawn('pgbouncer', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; i < 100; i++) {
      if (await portOpen(PGBOUNCER_PORT)) return;
      if (this.child.exitCode !== null) throw new Error(`pgbouncer exited: ${stderr}`);
      await sleep(50);
    }
    throw new Error(`pgbouncer did not listen on ${PGBOUNCER_PORT}: ${stderr}`);
  }
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    while (await portOpen(PGBOUNCER_PORT)) await sleep(20);
  }
}

interface Scratch {
  /** The primary's own connection (direct, never through PgBouncer). */
  direct: Knex.Config;
  /** What the workers use. */
  workers: Knex.Config;
  sessions: WorkerSpec['sessions'];
  redisLimits?: string;
  drop(): Promise<void>;
}

async function scratchFor(config: ConfigName, name: string): Promise<Scratch> {
  // The workers wait at most 15 s for a pooled connection, below the rig’s claim lease (30 s), as
  // knex's default 60 s is below the kit's default lease of 5 minutes: a claim that waited for a
  // connection must still hold its lease when it runs (docs/deployment.md, the outbox).
  const pool = { min: 0, max: 6 };
  const acquireConnectionTimeout = 15_000;
  if (config === 'mariadb') {
    const s = await createScratch(MYSQL_URL, name);
    return { direct: s.config, workers: { ...s.config, pool, acquireConnectionTimeout }, sessions: { kind: 'redis', prefix: `${name}:sess:` }, drop: s.drop };
  }
  if (config === 'pgbouncer') {
    const s = await createScratch(PG_URL, name, { pgDatabase: true });
    const through = new URL(s.config.connection as string);
    through.port = String(PGBOUNCER_PORT);
    return {
      direct: s.config,
      workers: { client: 'pg', connection: through.toString(), pool, acquireConnectionTimeout },
      sessions: { kind: 'pg', connectionString: through.toString(), schema: 'public' },
      drop: s.drop,
    };
  }
  const s = await createScratch(PG_URL, name);
  const workers = { ...s.config, pool, acquireConnectionTimeout };
  return config === 'redis'
    ? { direct: s.config, workers, sessions: { kind: 'redis', prefix: `${name}:sess:` }, redisLimits: `${name}:limits`, drop: s.drop }
    : { direct: s.config, workers, sessions: { kind: 'pg', connectionString: PG_URL, schema: name }, drop: s.drop };
}

/** Fires the callback for each message of each worker; keeps the workers apart by what they were forked for. */
class Cluster {
  readonly workers = new Set<Worker>();
  readonly paused: Array<{ point: string; at: number; messageId?: string; worker: Worker }> = [];
  /** The kit's log lines about outbox rows, from every worker, with when and where they were logged. */
  readonly logs: Array<{ at: number; pid: number | undefined; line: string }> = [];
  /** Which worker handed each message (by Message-ID) to the SMTP server. */
  readonly senders = new Map<string, Worker>();
  /** When each worker the rig SIGKILLed died. */
  readonly killedAt = new Map<Worker, number>();
  private waiting: Array<(w: Worker, m: WorkerMessage) => void> = [];
  constructor(
    private readonly port: number,
    private readonly base: Omit<WorkerSpec, 'listen' | 'pause' | 'workerIntervalMs'>,
  ) {
    cluster.setupPrimary({ exec: fileURLToPath(new URL('./worker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] });
  }

  async fork(extra: Partial<WorkerSpec> = {}): Promise<Worker> {
    const spec: WorkerSpec = { ...this.base, listen: true, workerIntervalMs: 1000, ...extra };
    const worker = cluster.fork({ CLUSTER_WORKER: JSON.stringify(spec), CLUSTER_PORT: String(this.port) });
    this.workers.add(worker);
    phase(`forked worker ${worker.process.pid ?? '?'}${extra.pause ? ` (pauses at ${extra.pause})` : ''}${extra.breakClaim ? ' (broken claim)' : ''}`);
    worker.on('exit', () => this.workers.delete(worker));
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'paused') this.paused.push({ point: m.point, at: now(), worker, ...(m.messageId ? { messageId: m.messageId } : {}) });
      if (m.type === 'log') this.logs.push({ at: now(), pid: worker.process.pid, line: m.line });
      if (m.type === 'sending') this.senders.set(m.messageId, worker);
      for (const w of [...this.waiting]) w(worker, m);
    });
    await this.next(worker, 'ready', 60_000);
    return worker;
  }

  next(worker: Worker | undefined, type: WorkerMessage['type'], timeoutMs: number): Promise<WorkerMessage | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const listener = (w: Worker, m: WorkerMessage) => {
        if ((!worker || w === worker) && m.type === type) done(m);
      };
      const done = (m: WorkerMessage | undefined) => {
        clearTimeout(timer);
        this.waiting = this.waiting.filter((l) => l !== listener);
        resolve(m);
      };
      this.waiting.push(listener);
    });
  }

  async kill(worker: Worker): Promise<void> {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.process.kill('SIGKILL');
    this.killedAt.set(worker, now());
    await exited;
  }

  /** SIGTERM every worker: each stops listening, lets the kit drain its sends, closes its pools. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.workers].map(async (w) => {
        const exited = new Promise((resolve) => w.once('exit', resolve));
        w.process.kill('SIGTERM');
        await Promise.race([exited, sleep(15_000).then(() => w.process.kill('SIGKILL'))]);
      }),
    );
  }
}

/** Waits for the newest email to `address` from the account named `account`; its accept link's path. */
async function linkFor(smtp: SmtpSink, address: string, account: string, timeoutMs: number): Promise<string> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    const mail = smtp
      .to(address)
      .filter((m) => m.subject?.startsWith(`${account} has invited you`))
      .at(-1);
    const match = mail && /https?:\/\/\S+\/accept\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '');
    if (match) return new URL(match[0]).pathname;
    await sleep(100);
  }
  throw new Error(`no email to ${address} from ${account} within ${timeoutMs} ms`);
}

export async function runRig(options: RigOptions): Promise<RigResult> {
  const started = now();
  clock = started;
  const name = `au_c_${options.config}_${randomBytes(4).toString('hex')}`;
  const failures: string[] = [];
  const figures: Record<string, number | string> = {};
  const outages: Array<{ from: number; to: number; what: string }> = [];
  const smtpOutage: { from?: number; to?: number } = {};
  exchanges.length = 0;

  const bouncer = options.config === 'pgbouncer' ? new PgBouncer() : undefined;
  await bouncer?.start();
  const scratch = await scratchFor(options.config, name);
  const smtp = await new SmtpSink().start();
  const knex = knexFactory(scratch.direct);
  const setup = createHost(knex, smtp, { limits: RIG_LIMITS, mail: { transport: smtp.transport(), from: 'Billing <billing@example.com>', retryDelayMs: 100 } });
  const redis = createClient({ url: 'redis://127.0.0.1:6379' });
  await redis.connect();
  let rig: Cluster | undefined;
  try {
    await setup.au.migrate();
    if (scratch.sessions.kind === 'pg')
      await knex.raw(
        `create table "${scratch.sessions.schema}"."session" (sid varchar not null primary key, sess json not null, expire timestamp(6) not null)`,
      );

    // The owners, made through the kit's own API (a portal's sign-up would).
    const owners: Array<{ email: string; accountId: number }> = [];
    for (let i = 0; i < options.owners + 2; i++) {
      const email = `owner-${i}@vu.test`;
      const { account } = await setup.au.createAccount({ name: `Account ${i}`, owner: { email, name: `Owner ${i}`, password: PASSWORD, emailVerified: true } });
      owners.push({ email, accountId: account.id });
    }
    const [limitOwner, resendOwner] = owners.splice(options.owners, 2) as [(typeof owners)[0], (typeof owners)[0]];

    const port = await freePort();
    rig = new Cluster(port, {
      knex: scratch.workers,
      sessions: scratch.sessions,
      ...(scratch.redisLimits ? { redisLimits: scratch.redisLimits } : {}),
      smtpPort: smtp.port,
      // Above the transport's timeouts (worker.ts: 1 s to connect, 3 s of silence) and the pool's
      // wait for a connection (15 s), so a slow send is never taken over while it still runs; a
      // killed worker's claims are taken over after it.
      claimLeaseMs: CLAIM_LEASE_MS,
      ...(options.breakClaim ? { breakClaim: true } : {}),
    });
    const forkStarted = now();
    await Promise.all(Array.from({ length: options.workers }, () => rig!.fork(options.breakClaim ? { workerIntervalMs: 60_000 } : {})));
    figures['workers up (ms)'] = now() - forkStarted;
    phase('workers up');

    if (options.breakClaim) return await brokenClaimRun(rig, setup, smtp, knex, owners[0]!, figures, failures, started);

    // Faults, first part: workers that stop (for good, until SIGKILLed) at the account lock, inside
    // an accept transaction, and in a flush right after the SMTP server accepted an email (this one
    // serves no HTTP and flushes every 100 ms, so it takes what the others left queued).
    const [lockWorker, acceptWorker, mailWorker] = options.faults
      ? await Promise.all([rig.fork({ pause: 'lock' }), rig.fork({ pause: 'accept' }), rig.fork({ pause: 'mail', listen: false, workerIntervalMs: 100 })])
      : [];
    phase('fault workers up');

    const flows = { started: 0, completed: 0, failed: [] as string[] };
    const invited201 = new Set<number>();
    const vus: VirtualUser[] = [];
    const expectations: Array<{ vu: VirtualUser; signedIn: true }> = [];
    // An email queued while the SMTP server is away is retried with a delay that doubles (the
    // kit's backoff): one that failed all through an outage of L may wait about L more once the
    // server is back. The wait for an emailed link allows for that.
    const linkWaitMs = 120_000 + 2 * (options.smtpOutageMs ?? 60_000);
    const vu = (label: string) => {
      const v = new VirtualUser(port, label);
      vus.push(v);
      return v;
    };
    const expectStatus = (what: string, answer: Answer, ...statuses: number[]) => {
      if (!statuses.includes(answer.status)) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}; trail: ${answer.trail}`);
      return answer;
    };
    const flow = async (label: string, work: () => Promise<void>) => {
      flows.started++;
      try {
        await work();
        flows.completed++;
        phase(`flow done: ${label}`);
      } catch (err) {
        flows.failed.push(`${label}: ${(err as Error).message}`);
        phase(`flow failed: ${label}: ${(err as Error).message}`);
      }
    };

    // The seed flow: an owner invites, invitees register through the emailed link and use what
    // they were granted; the owner edits one, removes another; one person already holding a login
    // (an invitee of the previous owner) accepts a second account's invitation and switches to it.
    const ownerFlow = async (i: number) => {
      const owner = owners[i]!;
      const o = vu(`owner ${i}`);
      expectStatus('owner login', await o.retry(() => o.login(owner.email, PASSWORD)), 303);
      expectStatus('users page', await o.retry(() => o.get(`${MOUNT}/`)), 200);
      const invitees = Array.from({ length: options.invitees }, (_, k) => `p-${i}-${k}@vu.test`);
      const crossInvitee = crossInviteeOf(i);
      const ids = new Map<string, number>();
      for (const email of options.owners > 1 ? [...invitees, crossInvitee] : invitees) {
        const sent = await o.retry(() => o.post(`${MOUNT}/invite`, { email, permissions: PERMS }));
        // A first request a killed worker made but never answered, sent again after the person who
        // already has a login accepted it through its email: "already a user". That invitation
        // answered 201 to nobody; it is checked like the others.
        if (email === crossInvitee && sent.status === 400 && /already a user/.test(String(sent.body?.error?.message))) {
          const made: { id: unknown } | undefined = await knex('au_invitations').where({ account_id: owner.accountId, email, status: 'accepted' }).first('id');
          if (made) {
            invited201.add(Number(made.id));
            figures['invitations accepted before their lost answer was sent again'] =
              Number(figures['invitations accepted before their lost answer was sent again'] ?? 0) + 1;
            continue;
          }
        }
        const answer = expectStatus(`invite ${email}`, sent, 201, 200);
        if (answer.status === 201) invited201.add(Number(answer.body.invitation.id));
        ids.set(email, Number(answer.body.invitation.id));
      }
      const joined = await Promise.all(
        invitees.map((email, k) => {
          return inviteeFlow(i, k, email);
        }),
      );
      // Edit the first invitee's permissions, remove the second's membership; never the last
      // invitee, who also joins the next owner's account and switches to it meanwhile.
      const [first, second] = joined.slice(0, Math.max(0, options.invitees - 1));
      if (first) {
        expectStatus('users page', await o.retry(() => o.get(`${MOUNT}/users/${first.userId}`)), 200);
        expectStatus('edit', await o.retry(() => o.post(`${MOUNT}/users/${first.userId}/permissions`, { permissions: [...PERMS, 'domains'] })), 200);
        expectStatus('granted domains', await first.vu.retry(() => first.vu.get('/host/domains')), 200);
      }
      if (second) {
        expectStatus('remove', await o.retry(() => o.post(`${MOUNT}/users/${second.userId}/remove`)), 200);
        expectStatus('removed member refused', await second.vu.retry(() => second.vu.get('/host/invoices')), 403);
      }
      expectations.push({ vu: o, signedIn: true });
    };

    /** Owner i's invitee who already has a login: the previous owner's last invitee. */
    function crossInviteeOf(i: number): string {
      return `p-${(i + options.owners - 1) % options.owners}-${options.invitees - 1}@vu.test`;
    }
    const registered = new Map<string, { vu: VirtualUser; userId: number }>();
    const registeredWaiters = new Map<string, Array<() => void>>();
    const settledInvitees = new Set<string>();
    const settle = (email: string) => {
      settledInvitees.add(email);
      for (const w of registeredWaiters.get(email) ?? []) w();
      registeredWaiters.delete(email);
    };
    const inviteeFlow = async (i: number, k: number, email: string): Promise<{ vu: VirtualUser; userId: number } | undefined> => {
      let result: { vu: VirtualUser; userId: number } | undefined;
      await flow(`invitee ${email}`, async () => {
        const p = vu(email);
        const link = await linkFor(smtp, email, `Account ${i}`, linkWaitMs);
        expectStatus('accept page', await p.retry(() => p.get(link)), 200);
        let answer = await p.retry(() => p.post(`${link}/register`, { name: `Person ${i}-${k}`, password: PASSWORD }));
        if (answer.status !== 201) {
          // Registered by a request whose answer was lost to a killed worker: sign in, accept.
          expectStatus('sign in after a lost answer', await p.retry(() => p.login(email, PASSWORD)), 303);
          await p.retry(() => p.get(link));
          answer = await p.retry(() => p.get('/user/profile'));
        }
        const userId = Number(answer.body.user.id);
        expectStatus('granted invoices', await p.retry(() => p.get('/host/invoices')), 200);
        expectStatus('not granted domains', await p.retry(() => p.get('/host/domains')), 403);
        result = { vu: p, userId };
        registered.set(email, result);
        expectations.push({ vu: p, signedIn: true });
      });
      // Whether this flow joined or failed, the switch flow waiting on this person goes on (it
      // fails on its own if they never registered): a waiter never woken hung the whole run.
      settle(email);
      return result;
    };

    // The person invited by a second owner: already signed in, accepts through the link, switches.
    const switchFlow = async (i: number) => {
      const email = crossInviteeOf(i);
      await flow(`switch ${email}`, async () => {
        if (!settledInvitees.has(email)) await new Promise<void>((resolve) => registeredWaiters.set(email, [...(registeredWaiters.get(email) ?? []), resolve]));
        const joined = registered.get(email);
        if (!joined) throw new Error(`${email} never registered (their own invitee flow failed)`);
        const { vu: p } = joined;
        const link = await linkFor(smtp, email, `Account ${i}`, linkWaitMs);
        expectStatus('accept page (signed in)', await p.retry(() => p.get(link)), 200);
        expectStatus('accept', await p.retry(() => p.post(link)), 200, 410);
        const accountId = owners[i]!.accountId;
        expectStatus('accounts page', await p.retry(() => p.get(`${MOUNT}/accounts`)), 200);
        expectStatus('switch', await p.retry(() => p.post(`${MOUNT}/accounts/switch`, { accountId })), 200);
        const now = expectStatus('guarded in the new account', await p.retry(() => p.get('/host/tickets')), 200);
        if (Number(now.body.account) !== accountId) throw new Error(`switched to ${accountId}, guard saw ${now.body.account}`);
      });
    };

    // The bursts at the limits, spread over every process by the round robin.
    const bursts = async () => {
      if (!options.bursts) return;
      const owner = vu('limit owner');
      expectStatus('login', await owner.retry(() => owner.login(limitOwner.email, PASSWORD)), 303);
      expectStatus('users page', await owner.retry(() => owner.get(`${MOUNT}/`)), 200);
      const invites = await Promise.all(
        Array.from({ length: 150 }, (_, n) => owner.retry(() => owner.post(`${MOUNT}/invite`, { email: `burst-${n}@vu.test`, permissions: PERMS }))),
      );
      for (const a of invites) if (a.status === 201) invited201.add(Number(a.body.invitation.id));
      figures['invite burst 201'] = invites.filter((a) => a.status === 201).length;
      figures['invite burst 429'] = invites.filter((a) => a.status === 429).length;
      // A request whose connection was lost (a worker killed under it, a connection handed to a
      // dying worker) is sent again; if the first one had been made, the second answers 200, unchanged.
      figures['invite burst 200 (sent again after a lost answer)'] = invites.filter((a) => a.status === 200).length;
      const others = invites.filter((a) => ![200, 201, 429].includes(a.status)).map((a) => a.status);
      if (others.length) figures['invite burst, other answers'] = others.join(', ');
      phase('invite burst done');

      const r = vu('resend owner');
      expectStatus('login', await r.retry(() => r.login(resendOwner.email, PASSWORD)), 303);
      expectStatus('users page', await r.retry(() => r.get(`${MOUNT}/`)), 200);
      // 200: made by a first request whose answer a killed worker lost, then sent again (unchanged).
      const made = expectStatus('invite', await r.retry(() => r.post(`${MOUNT}/invite`, { email: 'resend-me@vu.test', permissions: PERMS })), 201, 200);
      invited201.add(Number(made.body.invitation.id));
      await sleep(RIG_LIMITS.resendCooldownMs + 300);
      const resends = await Promise.all(Array.from({ length: 30 }, () => r.retry(() => r.post(`${MOUNT}/invitations/${made.body.invitation.id}/resend`))));
      figures['resend burst 200'] = resends.filter((a) => a.status === 200).length;
      figures['resend burst 429'] = resends.filter((a) => a.status === 429).length;
      phase('resend burst done');

      const guesses = await Promise.all(
        Array.from({ length: 50 }, (_, n) => {
          const g = vu(`guesser ${n}`);
          return g.retry(() => g.login(owners[0]!.email, `wrong-password-${n}`));
        }),
      );
      figures['wrong passwords 401'] = guesses.filter((a) => a.status === 401).length;
      figures['wrong passwords 429'] = guesses.filter((a) => a.status === 429).length;
      phase('login burst done');
    };

    // The faults, second part, beside the load.
    const faults = async () => {
      if (!options.faults) return;
      const killPaused = async (worker: Worker | undefined, point: string) => {
        if (!worker) return;
        const paused = await rig!.next(worker, 'paused', 90_000);
        phase(`${point}: ${paused ? 'paused' : 'not reached'}`);
        if (!paused) {
          failures.push(`the ${point} fault was not reached`);
          await rig!.kill(worker);
          return;
        }
        await sleep(500);
        await rig!.kill(worker);
        figures[`SIGKILL at ${point}`] = 'done, restarted';
        await rig!.fork();
        phase(`${point}: killed and replaced`);
      };
      await Promise.all([killPaused(lockWorker, 'the account lock'), killPaused(acceptWorker, 'an accept transaction')]);

      // The SMTP server away for a while; meanwhile a worker that dies right after its first email
      // is accepted (before marking it sent), mid-flush.
      await sleep(500);
      const smtpDown = now();
      smtpOutage.from = smtpDown;
      await smtp.stop();
      phase('SMTP stopped');
      await sleep(options.smtpOutageMs ?? 60_000);
      await smtp.start(smtp.port);
      figures['SMTP outage (ms)'] = now() - smtpDown;
      smtpOutage.to = now();
      phase('SMTP back');
      const paused = rig!.paused.find((p) => p.point === 'mail') ?? (await rig!.next(mailWorker, 'paused', 90_000));
      phase(`mid-flush: ${paused ? 'paused' : 'not reached'}`);
      if (!mailWorker) return;
      if (paused) {
        await rig!.kill(mailWorker);
        figures['SIGKILL mid-flush (after the SMTP accept)'] = 'done, restarted';
        await rig!.fork({ listen: false });
      } else {
        failures.push('the mid-flush fault was not reached');
        await rig!.kill(mailWorker);
      }

      if (bouncer) {
        const probe = new VirtualUser(port, 'probe');
        const down = now();
        await bouncer.stop();
        phase('PgBouncer stopped');
        await sleep(2_000);
        await bouncer.start();
        phase('PgBouncer started');
        const up = now();
        let recovered = 0;
        while (now() - up < 30_000) {
          const ok = await probe.get('/health').then(
            (a) => a.status === 200,
            () => false,
          );
          if (ok) {
            // Every process answers again: as many probes in a row as there are workers.
            let all = true;
            for (let n = 0; n < rig!.workers.size && all; n++) all = (await probe.get('/health')).status === 200;
            if (all) {
              recovered = now();
              break;
            }
          }
          await sleep(50);
        }
        outages.push({ from: down, to: (recovered || now()) + 1_000, what: 'PgBouncer restart' });
        figures['PgBouncer down (ms)'] = up - down;
        figures['recovery after the PgBouncer restart (ms)'] = recovered ? recovered - up : 'not recovered';
        if (!recovered) failures.push('no recovery within 30 s of the PgBouncer restart');
      }
    };

    const loadStarted = now();
    await Promise.all([
      // An owner flow that failed before its invitees' flows began leaves them settled too, so the
      // switch flow waiting on its last invitee fails instead of waiting for ever.
      ...owners.map((_, i) =>
        flow(`owner ${i}`, () => ownerFlow(i)).then(() => {
          for (let k = 0; k < options.invitees; k++) settle(`p-${i}-${k}@vu.test`);
        }),
      ),
      ...(owners.length > 1 ? owners.map((_, i) => switchFlow(i)) : []),
      // A burst or fault step that throws (a request given up after its retries) is a failed
      // check, not the end of the run: the flows beside it go on and the figures are still taken.
      bursts().catch((err: Error) => void failures.push(`bursts: ${err.message}`)),
      faults().catch((err: Error) => void failures.push(`faults: ${err.message}`)),
    ]);
    figures['load (ms)'] = now() - loadStarted;
    phase('load done');

    // Every session on every process (a new connection each time: the round robin moves it on).
    let sessionFailures = 0;
    let singleProcess = 0;
    const answeredBy = new Set<number>();
    await Promise.all(
      expectations.map(async ({ vu: v }) => {
        const pids = new Set<number>();
        for (let n = 0; n < 12 && pids.size < 2; n++) {
          const a = await v.get('/user/profile').catch(() => undefined);
          if (a?.status !== 200) sessionFailures++;
          else pids.add(a.pid);
          answeredBy.add(a?.pid ?? 0);
        }
        if (pids.size < 2) singleProcess++;
      }),
    );
    figures['sessions checked'] = expectations.length;
    const listening = [...rig.workers].filter((w) => w.isConnected()).length;
    figures['processes that answered the session checks'] = `${answeredBy.size} (${listening} running)`;
    if (sessionFailures) failures.push(`${sessionFailures} session checks were not signed in`);
    if (singleProcess) failures.push(`${singleProcess} sessions were only ever answered by one process`);

    // The outbox settles: what the killed workers claimed is taken over after the lease.
    const settleStarted = now();
    for (;;) {
      const open = (await knex('au_outbox').whereIn('status', ['queued', 'sending']).count({ n: '*' }).first()) as { n: unknown };
      if (Number(open.n) === 0 || now() - settleStarted > 60_000) break;
      await sleep(200);
    }
    figures['outbox settled (ms)'] = now() - settleStarted;
    phase('sessions checked, outbox settled');
    await rig.stopAll();
    phase('workers stopped (SIGTERM)');
    figures['flows'] = `${flows.completed} of ${flows.started}`;
    for (const f of flows.failed.slice(0, 10)) failures.push(`flow failed: ${f}`);
    if (flows.failed.length > 10) failures.push(`… and ${flows.failed.length - 10} more flows failed`);

    if (options.bursts) {
      const made = Number(figures['invite burst 201']) + Number(figures['invite burst 200 (sent again after a lost answer)']);
      if (made !== RIG_LIMITS.invitationsPerDay || figures['invite burst, other answers'] !== undefined)
        failures.push(`invite burst: ${made} made (201, or 200 when sent again), the limit is ${RIG_LIMITS.invitationsPerDay}`);
      const limited = (await knex('au_invitations').where({ account_id: limitOwner.accountId }).count({ n: '*' }).first()) as { n: unknown };
      if (Number(limited.n) !== RIG_LIMITS.invitationsPerDay) failures.push(`invite burst: ${String(limited.n)} invitations in the database`);
      if (figures['resend burst 200'] !== 1) failures.push(`resend burst: ${figures['resend burst 200']} resent, expected 1`);
      if (figures['wrong passwords 401'] !== RIG_LIMITS.loginPerWindow)
        failures.push(`login burst: ${figures['wrong passwords 401']} passwords checked, the limit is ${RIG_LIMITS.loginPerWindow}`);
    }
    return await finalChecks({ knex, smtp, rig, invited201, outages, smtpOutage, flows: flows.completed, figures, failures, started });
  } finally {
    if (rig) await rig.stopAll();
    await smtp.stop();
    await knex.destroy();
    const keys = await redis.keys(`${name}:*`);
    if (keys.length) await redis.del(keys);
    await redis.quit();
    await bouncer?.stop();
    await scratch.drop();
  }
}

/**
 * The small run with the claim broken: emails left queued while SMTP was away, then every
 * worker flushing at once. The same checks as the full run must catch the double sends.
 */
async function brokenClaimRun(
  rig: Cluster,
  setup: ReturnType<typeof createHost>,
  smtp: SmtpSink,
  knex: Knex,
  owner: { accountId: number },
  figures: Record<string, number | string>,
  failures: string[],
  started: number,
): Promise<RigResult> {
  await smtp.stop();
  const invited201 = new Set<number>();
  for (let n = 0; n < 30; n++) {
    const { invitation } = await setup.au.api.invite({
      actor: { system: 'rig' },
      accountId: owner.accountId,
      email: `queued-${n}@vu.test`,
      permissions: PERMS as never[],
    });
    invited201.add(invitation.id);
  }
  await smtp.start(smtp.port);
  await sleep(300);
  const workers = [...rig.workers];
  const flushed = workers.map((w) => rig.next(w, 'flushed', 30_000));
  for (const w of workers) w.send({ cmd: 'flush' });
  await Promise.all(flushed);
  await rig.stopAll();
  return finalChecks({ knex, smtp, rig, invited201, outages: [], flows: 0, figures, failures, started });
}

async function finalChecks(c: {
  knex: Knex;
  smtp: SmtpSink;
  rig: Cluster;
  invited201: Set<number>;
  outages: Array<{ from: number; to: number; what: string }>;
  /** When the SMTP server was stopped and started again (the faults), if it was. */
  smtpOutage?: { from?: number; to?: number };
  flows: number;
  figures: Record<string, number | string>;
  failures: string[];
  started: number;
}): Promise<RigResult> {
  const { knex, smtp, figures, failures } = c;
  // What the sink received, by outbox row: the Message-ID is <au.<outbox id>.<claim id>@host>.
  const partsOf = (messageId: string | undefined) => {
    const match = /^<au\.(\d+)\.([0-9a-f-]+)@/.exec(messageId ?? '');
    return match ? { rowId: Number(match[1]), claimId: match[2]! } : undefined;
  };
  const copies = new Map<number, string[]>();
  const receivedAt = new Map<string, number>();
  let foreign = 0;
  for (const [i, m] of smtp.messages.entries()) {
    if (m.messageId) receivedAt.set(m.messageId, smtp.receivedAt[i] ?? 0);
    const parts = partsOf(m.messageId);
    if (!parts) {
      foreign++;
      continue;
    }
    copies.set(parts.rowId, [...(copies.get(parts.rowId) ?? []), m.messageId!]);
  }
  // For a row found sent twice or after its cancellation: when each copy arrived and what the workers logged about the row (s since the run began).
  const since = (at: number | undefined) => (at === undefined ? '?' : `${((at - c.started) / 1000).toFixed(1)} s`);
  const received = (messageId: string) => `${messageId} (received at ${since(receivedAt.get(messageId))})`;
  const logOf = (id: unknown) =>
    c.rig.logs
      .filter((l) => l.line.includes(` email ${String(id)} `))
      .map((l) => `\n        ${since(l.at)} worker ${l.pid ?? '?'}: ${l.line}`)
      .join('');
  const rows: Array<{ id: unknown; status: string; invitation_id: unknown; kind: string; last_error: unknown; claim_id: unknown }> = await knex(
    'au_outbox',
  ).select('id', 'status', 'invitation_id', 'kind', 'last_error', 'claim_id');
  const rowById = new Map(rows.map((r) => [Number(r.id), r]));
  // The copies a worker sent and was killed before marking: at-least-once, de-duplicated here by
  // Message-ID. The mid-flush fault does it on purpose; the other kills (at the account lock, in an
  // accept transaction) may catch their process in the same gap, its send done and its mark not:
  // a copy whose sender the rig SIGKILLed within one lease of the SMTP server taking it (the
  // worker may not even have heard the reply), and whose row was never marked sent under that
  // copy's claim.
  const killedMidSend = new Set(c.rig.paused.filter((p) => p.point === 'mail' && p.messageId).map((p) => p.messageId!));
  for (const [messageId, worker] of c.rig.senders) {
    const at = receivedAt.get(messageId);
    const killed = c.rig.killedAt.get(worker);
    const parts = partsOf(messageId);
    if (at === undefined || !parts) continue;
    const row = rowById.get(parts.rowId);
    const markedByIt = row?.status === 'sent' && row.claim_id === parts.claimId;
    // The sink notes a message once it has parsed it, which may be just after the sender died.
    if (killed !== undefined && at <= killed + 2_000 && killed - at <= CLAIM_LEASE_MS && !markedByIt) killedMidSend.add(messageId);
  }
  figures['sent by a worker SIGKILLed before it marked them'] = [...killedMidSend].length;
  // A living worker whose mark came after its lease (lib/mail/outbox.ts warns): at-least-once too;
  // its row was recorded as sent if cancelled meanwhile, and any second copy is counted below.
  figures["sent after another worker took them over (the kit's warning)"] = c.rig.logs.filter((l) =>
    l.line.includes('was sent after another worker took it over'),
  ).length;
  // A row the next worker cancelled after a SIGKILL between the SMTP accept and the mark (its
  // invitation had been accepted through that very email meanwhile): its one copy went out.
  const sentBeforeKill = (r: { id: unknown; status: string }) =>
    r.status === 'cancelled' && (copies.get(Number(r.id)) ?? []).length > 0 && copies.get(Number(r.id))!.every((id) => killedMidSend.has(id));
  // A row whose send the SMTP server took as it was being stopped, while the client saw the
  // connection cut (SMTP's reply never arrived): the kit recorded a failed attempt and queued a
  // retry, the invitee accepted through the copy that did arrive, and the accept cancelled the
  // retry. One copy went out, never a second: at-least-once, as SMTP allows no better.
  const { from: stopAt, to: backAt } = c.smtpOutage ?? {};
  if (stopAt !== undefined) figures['SMTP server away (s since the run began)'] = `${since(stopAt)} to ${since(backAt)}`;
  const cutAtSmtpStop = (r: { id: unknown; status: string; last_error: unknown }) => {
    const got = copies.get(Number(r.id)) ?? [];
    const at = got.length === 1 ? receivedAt.get(got[0]!) : undefined;
    return r.status === 'cancelled' && r.last_error !== null && stopAt !== undefined && at !== undefined && at >= stopAt - 2_000 && at <= (backAt ?? stopAt);
  };
  const expected = rows.filter((r) => r.status !== 'cancelled' || sentBeforeKill(r) || cutAtSmtpStop(r));
  figures['delivered as the SMTP server stopped (its reply cut; the retry cancelled by the accept)'] = rows.filter(cutAtSmtpStop).length;
  let delivered = 0;
  let duplicates = 0;
  let redelivered = 0;
  let lost = 0;
  let failing = 0;
  for (const r of expected) {
    const got = copies.get(Number(r.id)) ?? [];
    if (got.length > 0) delivered++;
    else if (r.status === 'failed') failing++;
    else lost++;
    const extra = Math.max(0, got.length - 1);
    const explained = got.filter((id) => killedMidSend.has(id)).length;
    redelivered += Math.min(extra, explained);
    duplicates += extra - Math.min(extra, explained);
    if (extra > explained)
      figures[`duplicate: outbox row ${String(r.id)}`] =
        `${r.status}, ${r.kind}, copies ${got.map(received).join(' ')}, killed mid-send ${[...killedMidSend].join(' ')}${logOf(r.id)}`;
  }
  const strays = [...copies.keys()].filter((id) => !expected.some((r) => Number(r.id) === id));
  for (const id of strays.slice(0, 5)) {
    const row = rowById.get(id);
    figures[`stray: outbox row ${id}`] = `${row ? `${row.status}, ${row.kind}` : 'no row'}, copies ${copies.get(id)!.map(received).join(' ')}${logOf(id)}`;
  }
  const stray = strays.length;
  if (stray) failures.push(`${stray} emails went out for outbox rows that were cancelled or do not exist`);
  if (foreign) failures.push(`${foreign} emails without the kit's Message-ID`);

  // Every invitation that answered 201 has its email (or a visible failing state).
  const byInvitation = new Map<number, string[]>();
  for (const r of rows)
    if (r.invitation_id !== null)
      byInvitation.set(Number(r.invitation_id), [
        ...(byInvitation.get(Number(r.invitation_id)) ?? []),
        sentBeforeKill(r) || cutAtSmtpStop(r) ? 'sent' : r.status,
      ]);
  let withoutEmail = 0;
  for (const id of c.invited201) {
    const statuses = byInvitation.get(id) ?? [];
    if (!statuses.some((s) => s === 'sent' || s === 'failed')) withoutEmail++;
  }
  if (withoutEmail) failures.push(`${withoutEmail} invitations answered 201 have no email sent and no failing state`);
  if (duplicates) failures.push(`${duplicates} duplicate emails`);
  if (lost) failures.push(`${lost} emails lost`);

  // No half-written rows: an accepted invitation has its member (or the removal's tombstone); a
  // login made through an invitation belongs somewhere; nothing is left claimed.
  const orphanAccepts = (await knex('au_invitations as i')
    .where('i.status', 'accepted')
    .whereNotExists(
      knex('au_account_users as m')
        .join('au_users as u', 'u.id', 'm.user_id')
        .whereRaw('m.account_id = i.account_id')
        .whereRaw('lower(u.email) = lower(i.email)'),
    )
    .whereNotExists(
      knex('au_removed_members as r')
        .join('au_users as u', 'u.id', 'r.user_id')
        .whereRaw('r.account_id = i.account_id')
        .whereRaw('lower(u.email) = lower(i.email)'),
    )
    .count({ n: '*' })
    .first()) as { n: unknown };
  const homeless = (await knex('au_users as u')
    .where('u.email', 'like', 'p-%')
    .whereNotExists(knex('au_account_users as m').whereRaw('m.user_id = u.id'))
    .whereNotExists(knex('au_removed_members as r').whereRaw('r.user_id = u.id'))
    .count({ n: '*' })
    .first()) as { n: unknown };
  const claimed = rows.filter((r) => r.status === 'sending').length;
  figures['half-written rows'] = Number(orphanAccepts.n) + Number(homeless.n) + claimed;
  if (Number(orphanAccepts.n)) failures.push(`${String(orphanAccepts.n)} accepted invitations without a membership`);
  if (Number(homeless.n)) failures.push(`${String(homeless.n)} logins made through an invitation belong to no account`);
  if (claimed) failures.push(`${claimed} outbox rows still claimed at the end`);

  // 5xx only inside an outage (and there, 503 only).
  const inOutage = (at: number) => c.outages.some((o) => at >= o.from && at <= o.to);
  const fiveHundreds = exchanges.filter((e) => e.status >= 500);
  const outside = fiveHundreds.filter((e) => !inOutage(e.at)).length;
  const not503 = fiveHundreds.filter((e) => inOutage(e.at) && e.status !== 503).length;
  if (outside)
    failures.push(
      `${outside} 5xx answers outside the outages: ${[...new Set(fiveHundreds.filter((e) => !inOutage(e.at)).map((e) => `${e.status} ${e.method} ${e.path}`))].slice(0, 5).join(', ')}`,
    );
  if (not503) failures.push(`${not503} 5xx answers other than 503 during the outages`);
  figures['requests'] = exchanges.length;
  figures['503 during outages'] = fiveHundreds.filter((e) => inOutage(e.at)).length;
  figures['connections cut by a SIGKILL (retried)'] = exchanges.filter((e) => e.error).length;
  figures['invitations answered 201'] = c.invited201.size;
  figures['redelivered after a SIGKILL between SMTP accept and mark (same outbox row, de-duplicated by Message-ID)'] = redelivered;
  figures['failing (visible)'] = failing;
  figures['total (s)'] = Math.round((now() - c.started) / 100) / 10;
  const line = `cluster: ${c.flows} flows, ${expected.length} emails expected, ${delivered} delivered, ${duplicates} duplicates, ${lost} lost, ${outside} 5xx outside outages`;
  return { line, figures, failures };
}
