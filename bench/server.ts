/**
 * The host under load, run as a child process of bench/run.ts so the load generator never
 * shares its event loop. Wired as the example app wires the kit: express-session, passport
 * with the kit's strategy and deserializeUser, the kit's router. Prints `READY <port>`.
 */
import express, { type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import nodemailer from 'nodemailer';
import connectPgSimple from 'connect-pg-simple';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { accountUsers } from '../lib/index.js';
import { hashPassword } from '../lib/services/passwords.js';
import { connect, type PlainConfig } from './db.js';
import { installMeter } from './meter.js';

const config = JSON.parse(process.env.BENCH_DB ?? '') as PlainConfig;
const smtpPort = Number(process.env.BENCH_SMTP_PORT ?? 0);
const hashing = JSON.parse(process.env.BENCH_KDF ?? '{"N":131072,"r":8,"p":1}') as { N: number; r: number; p: number };
const knex = connect(config);

// Every statement this process sends, for the queries-per-request counts.
let queries: string[] = [];
knex.on('query', (q: { sql: string }) => queries.push(q.sql));

const au = accountUsers({
  knex,
  baseUrl: 'http://bench.invalid',
  mail: {
    transport: smtpPort
      ? nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 5 })
      : nodemailer.createTransport({ jsonTransport: true }),
    from: 'Billing <billing@bench.invalid>',
  },
  loginUrl: '/login',
  passwordHashing: hashing,
  limits: { invitationsPerDay: 1_000_000, resendCooldownMs: 0 },
  logger: { warn: () => {}, error: (m: string, ...rest: unknown[]) => console.error(m, ...rest) },
});

type PgStore = InstanceType<ReturnType<typeof connectPgSimple>> & {
  query(sql: string, params: unknown[], cb: (err: unknown) => void): void;
  quotedTable(): string;
};

/** express-session's default MemoryStore, connect-pg-simple in the same schema as the kit's tables, or the kit's own (au.sessionStore()). */
function sessionStore(): session.Store {
  if (process.env.BENCH_SESSION_STORE === 'kit') return au.sessionStore();
  if (process.env.BENCH_SESSION_STORE !== 'pg') return new session.MemoryStore();
  const PgStore = connectPgSimple(session);
  const schemaName = (config.searchPath as string[])[0]!;
  return new PgStore({ conString: config.connection as string, schemaName, createTableIfMissing: true, pruneSessionInterval: false });
}

/** "Sign out everywhere" as a host would do it: every stored session of one user ends. */
function revokeSessions(store: session.Store, userId: number, done: (err: unknown) => void): void {
  if (store instanceof session.MemoryStore) {
    store.all((err, all) => {
      if (err || !all) return done(err);
      const ids = Object.entries(all)
        .filter(([, s]) => (s as { passport?: { user?: unknown } }).passport?.user === userId)
        .map(([sid]) => sid);
      let left = ids.length;
      if (!left) return done(null);
      for (const sid of ids) store.destroy(sid, () => --left || done(null));
    });
    return;
  }
  if (process.env.BENCH_SESSION_STORE === 'kit') {
    knex('au_sessions')
      .where({ user_id: userId })
      .del()
      .then(() => done(null), done);
    return;
  }
  const pgStore = store as PgStore;
  pgStore.query(`delete from ${pgStore.quotedTable()} where sess->'passport'->>'user' = $1`, [String(userId)], done);
}

// The kit's deserializeUser (arity 3: the membership comes with the user) ...
const kitAuth = new passport.Passport();
kitAuth.use(au.passportStrategy());
kitAuth.serializeUser(au.serializeUser);
kitAuth.deserializeUser(au.deserializeUser);
// ... and a host's own two-argument deserializeUser: a plain user lookup, and the guard then queries the membership.
const ownAuth = new passport.Passport();
ownAuth.serializeUser(au.serializeUser);
ownAuth.deserializeUser((id: unknown, done: (err: unknown, user?: Express.User | false) => void) => au.deserializeUser(id, done));

/** The host's route: what it does itself is deliberately trivial, so the figures isolate session + guard. */
function hostRoute(req: Request, res: Response) {
  res.json({ ok: true, user: (req.user as { id: number } | undefined)?.id ?? null, account: req.accountUser?.account.id ?? null });
}

const app = express();
app.disable('x-powered-by');
installMeter(app);
const store = sessionStore();
app.use(
  session({
    secret: 'bench-secret',
    resave: false,
    saveUninitialized: false,
    ...(store ? { store } : {}),
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 8 * 60 * 60 * 1000 },
  }),
);

app.get('/__bench/queries', (req, res) => {
  const seen = queries;
  if (req.query.reset !== undefined) queries = [];
  res.json({ count: seen.length, sql: seen });
});

app.post('/__bench/revoke-sessions', (req, res, next) => revokeSessions(store, Number(req.query.user), (err) => (err ? next(err) : res.json({ ok: true }))));

// One password hash with the server's parameters, timed here, beside the registrations it is compared with.
app.get('/__bench/kdf', (_req, res, next) => {
  const started = performance.now();
  hashPassword('a-long-enough-password-1', hashing).then(() => res.json({ ms: performance.now() - started }), next);
});

const kit = express.Router();
kit.use(kitAuth.initialize(), kitAuth.session());
kit.get('/page', hostRoute);
kit.get('/guarded', au.requirePermission('invoices'), hostRoute);
app.use('/kit', kit);

const own = express.Router();
own.use(ownAuth.initialize(), ownAuth.session());
own.get('/page', hostRoute);
own.get('/guarded', au.requirePermission('invoices'), hostRoute);
app.use('/own', own);

// As the README wires it: the failed-login limit (counted in the database) before the strategy.
app.post('/login', kitAuth.initialize(), kitAuth.session(), express.urlencoded({ extended: false }), au.loginLimit, (req, res, next) => {
  kitAuth.authenticate('local', (err: unknown, user: Express.User | false) => {
    if (err) return next(err);
    if (!user) return res.status(401).json({ error: 'bad credentials' });
    req.login(user, (loginErr) => (loginErr ? next(loginErr) : res.status(204).end()));
  })(req, res, next);
});
app.use('/account/users', kitAuth.initialize(), kitAuth.session(), au.router);

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
server.keepAliveTimeout = 60_000;

// Requests still waiting for a pool connection when the load stops (their client has hung up,
// the handler runs on) finish before the pool goes: destroying it first fails them with
// "aborted". Waits at most five seconds.
process.on('SIGTERM', () => {
  server.close();
  const pool = (knex.client as { pool?: { numUsed(): number; numPendingAcquires(): number } }).pool;
  const deadline = Date.now() + 5_000;
  const exitWhenIdle = () => {
    if (pool && pool.numUsed() + pool.numPendingAcquires() > 0 && Date.now() < deadline) {
      setTimeout(exitWhenIdle, 20);
      return;
    }
    void au.close();
    void knex.destroy().finally(() => process.exit(0));
  };
  exitWhenIdle();
});
