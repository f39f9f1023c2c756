/**
 * One worker of the cluster rig (test/cluster/rig.ts forks it with Node's cluster): the README's
 * host (test/support/app.ts) with `mail.worker: true`, its sessions in PostgreSQL
 * (connect-pg-simple) or Redis (connect-redis), and its limits in the database or Redis.
 *
 * Rig-only switches, read from CLUSTER_WORKER (JSON), never in the kit:
 * - `pause`: 'lock' | 'accept' | 'mail' stops this process, for good, right after it took an
 *   account's lock, inserted an accepted membership (inside the accept transaction), or had an
 *   email accepted by the SMTP server (before the outbox row is marked sent), and tells the
 *   primary, which then SIGKILLs it.
 * - `breakClaim`: the outbox claim and its renewal always "succeed", the claim leaves the row due,
 *   and PostgreSQL's SKIP LOCKED is dropped: several workers send one message. The rig's checks
 *   must then fail.
 */
import knexFactory from 'knex';
import nodemailer from 'nodemailer';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import { RedisStore as RedisSessionStore } from 'connect-redis';
import { RedisStore as RedisLimitStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import express, { type ErrorRequestHandler } from 'express';
import { createHost, FAST_HASHING } from '../support/app.js';
import type { SmtpSink } from '../support/smtp.js';
import type { MailMessage } from '../../lib/mail/transport.js';
import { isConnectionError } from '../../lib/store/db.js';
import { RIG_LIMITS, type WorkerMessage, type WorkerSpec } from './spec.js';

const spec = JSON.parse(process.env.CLUSTER_WORKER ?? '{}') as WorkerSpec;
const send = (m: WorkerMessage) => process.send?.(m);
const never = () => new Promise<never>(() => undefined);
let paused = false;
function pauseHere(point: 'lock' | 'accept' | 'mail', messageId?: string): Promise<never> {
  paused = true;
  send({ type: 'paused', point, ...(messageId ? { messageId } : {}) });
  return never();
}

const knex = knexFactory(spec.knex);
type QueryFn = (this: unknown, conn: unknown, obj: { sql: string; bindings?: unknown[]; response?: unknown }) => Promise<unknown>;
const proto = Object.getPrototypeOf(knex.client) as { _query: QueryFn };
const original = proto._query;
const LOCK = /^select .*from [`"]?au_accounts[`"]? .*for (no key )?update$/i;
const ACCEPTED = /^insert into [`"]?au_account_users[`"]?/i;
const DUE = / for update skip locked$/i;
// PostgreSQL's statements reach _query with $1 placeholders, MariaDB's with ?.
const CLAIM = /^update [`"]?au_outbox[`"]? set [`"]?status[`"]? = (\?|\$1), [`"]?claim_id[`"]?/i;
// A flush renews each claim as its turn comes (store/outbox.ts renew): broken, it always keeps it.
const RENEW = /^update [`"]?au_outbox[`"]? set [`"]?claimed_until[`"]? = /i;
proto._query = async function (conn, obj) {
  if (spec.breakClaim && DUE.test(obj.sql)) obj.sql = obj.sql.replace(DUE, '');
  // The claim leaves the row due: any other flush takes it again while this one sends it.
  if (spec.breakClaim && CLAIM.test(obj.sql) && obj.bindings?.[0] === 'sending') obj.bindings[0] = 'queued';
  const result = await original.call(this, conn, obj);
  if (spec.breakClaim && (CLAIM.test(obj.sql) || RENEW.test(obj.sql))) {
    const r = obj.response as { rowCount?: number } | Array<{ affectedRows?: number }>;
    if (Array.isArray(r)) r[0]!.affectedRows = 1;
    else r.rowCount = 1;
  }
  if (!paused && spec.pause === 'lock' && LOCK.test(obj.sql)) return pauseHere('lock');
  if (!paused && spec.pause === 'accept' && ACCEPTED.test(obj.sql)) return pauseHere('accept');
  return result;
};

const smtp = nodemailer.createTransport({
  host: '127.0.0.1',
  port: spec.smtpPort,
  secure: false,
  ignoreTLS: true,
  connectionTimeout: 1000,
  greetingTimeout: 1000,
  socketTimeout: 3000,
});
const transport = {
  async sendMail(message: MailMessage): Promise<unknown> {
    if (message.messageId) send({ type: 'sending', messageId: message.messageId });
    const info = await smtp.sendMail(message);
    if (!paused && spec.pause === 'mail') return pauseHere('mail', message.messageId);
    return info;
  },
};

const redis = createClient({ url: 'redis://127.0.0.1:6379' });
const needsRedis = spec.sessions.kind === 'redis' || spec.redisLimits !== undefined;
if (needsRedis) await redis.connect();

let store: session.Store;
let pgPool: { end(): Promise<void> } | undefined;
if (spec.sessions.kind === 'pg') {
  const PgStore = connectPgSimple(session);
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: spec.sessions.connectionString, max: 3 });
  // An idle connection that the pooler or server dropped must not take the process down.
  pool.on('error', () => undefined);
  pgPool = pool;
  store = new PgStore({ pool, schemaName: spec.sessions.schema, tableName: 'session', pruneSessionInterval: false });
} else {
  store = new RedisSessionStore({ client: redis, prefix: spec.sessions.prefix });
}

// CLUSTER_TRACE_SESSIONS=1: every session read and write, with when it began and ended (ms) and
// whether the session held a CSRF token, to find which write of one session landed last.
if (process.env.CLUSTER_TRACE_SESSIONS === '1') {
  const trace = (what: string, sid: string, began: number, extra: string) =>
    console.log(`trace ${process.pid} ${what} ${sid.slice(0, 8)} ${began % 100_000}-${Date.now() % 100_000} ${extra}`);
  const { get, set, touch } = store;
  const said = (err: unknown) => (err ? ` ${err instanceof Error ? err.message : 'error'}` : '');
  store.get = function (sid, cb) {
    const began = Date.now();
    get.call(this, sid, (err, sess) => {
      trace('get', sid, began, `${sess ? `csrf=${'csrfToken' in sess}` : 'none'}${said(err)}`);
      cb(err, sess);
    });
  };
  store.set = function (sid, sess, cb) {
    const began = Date.now();
    set.call(this, sid, sess, (err?: unknown) => {
      trace('set', sid, began, `csrf=${'csrfToken' in sess}${said(err)}`);
      cb?.(err);
    });
  };
  if (touch)
    store.touch = function (sid, sess, cb) {
      const began = Date.now();
      touch.call(this, sid, sess, (err?: unknown) => {
        trace('touch', sid, began, said(err));
        // express-session's typing of touch's callback takes no error, though stores pass one.
        if (cb) Reflect.apply(cb, undefined, [err]);
      });
    };
}

const limits = {
  ...RIG_LIMITS,
  ...(spec.redisLimits
    ? {
        store: (name: string) => new RedisLimitStore({ sendCommand: (...args: string[]) => redis.sendCommand(args), prefix: `${spec.redisLimits}:${name}:` }),
      }
    : {}),
};

const host = createHost(
  knex,
  { transport: () => transport } as unknown as SmtpSink,
  {
    passwordHashing: FAST_HASHING,
    limits,
    mail: {
      transport,
      from: 'Billing <billing@example.com>',
      worker: true,
      workerIntervalMs: spec.workerIntervalMs,
      claimLeaseMs: spec.claimLeaseMs,
      retryDelayMs: 500,
      maxAttempts: 100,
    },
  },
  store,
);
const { au } = host;
// The kit's lines about an outbox row go to the primary, which prints them beside a row found sent twice or after its cancellation.
const push = host.logs.push.bind(host.logs);
host.logs.push = (...lines: string[]) => {
  for (const line of lines) if (/ email \d+ /.test(line)) send({ type: 'log', line });
  return push(...lines);
};

// The host app mounted in an outer one: which process answered (the rig checks every session on
// every process), a health check, and the last error handler.
const app = express();
app.use((_req, res, next) => {
  res.setHeader('X-Worker-Pid', String(process.pid));
  next();
});
// A health check for the load balancer: the database answers, or 503.
app.get('/health', (_req, res) => {
  knex
    .raw('select 1')
    .then(() => res.json({ ok: true }))
    .catch(() => res.status(503).json({ ok: false }));
});
// The host's last error handler: what the kit's routers did not answer themselves (the session
// store's errors, above all) is a 503 while the database cannot be reached, else a 500.
const onError: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const unavailable = isConnectionError(err) || /ECONNREFUSED|ECONNRESET|Connection terminated|server closed the connection/i.test(String(err));
  if (!unavailable) console.error(`worker ${process.pid}:`, err);
  res.status(unavailable ? 503 : 500).json({ error: unavailable ? 'unavailable' : 'internal' });
};
app.use(host.app);
app.use(onError);

process.on('message', (m: { cmd?: string }) => {
  if (m.cmd === 'flush') void au.mail.flush().then((r) => send({ type: 'flushed', ...r }));
});

const server = spec.listen ? app.listen(Number(process.env.CLUSTER_PORT), '127.0.0.1') : undefined;
if (server) await new Promise<void>((resolve) => server.once('listening', () => resolve()));

// Graceful SIGTERM: stop taking requests, let the kit finish its sends and release its claims, then close.
process.once('SIGTERM', () => {
  void (async () => {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await au.close();
    await knex.destroy();
    await pgPool?.end();
    if (needsRedis) await redis.quit();
    send({ type: 'closed' });
    process.exit(0);
  })();
});

send({ type: 'ready' });
