import express, { type Express } from 'express';
import session from 'express-session';
import passport from 'passport';
import knexFactory, { type Knex } from 'knex';
import nodemailer from 'nodemailer';
import { accountUsers, PERMISSIONS, type AccountUsers, type AccountUsersOptions } from '../../lib/index.js';
import type { SmtpSink } from './smtp.js';
import { Strategy as LocalStrategy } from 'passport-local';
import { verifyPassword } from '../../lib/services/passwords.js';

/** A clock tests can move: the kit reads time only through it. */
export class TestClock {
  private offset = 0;
  now = (): Date => new Date(Date.now() + this.offset);
  advance(ms: number): void {
    this.offset += ms;
  }
}

export const FAST_HASHING = { N: 1024, r: 8, p: 1 };
export const BASE_URL = 'https://portal.example.com';
export const MOUNT = '/account/users';
export const USER_MOUNT = '/user';

/** An in-memory SQLite Knex of its own (for start-up checks, never queried, or a kit without a host app). */
export function memoryKnex(): Knex {
  return knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
}

/**
 * The options a kit needs and no more, plus `overrides`: no host app, no SMTP (a JSON
 * transport), for tests of start-up checks, of migrations and of a kit used without pages.
 */
export function bareOptions(knex: Knex, overrides: Partial<AccountUsersOptions> = {}): AccountUsersOptions {
  return {
    knex,
    baseUrl: BASE_URL,
    mail: { transport: nodemailer.createTransport({ jsonTransport: true }), from: 'Billing <billing@example.com>' },
    ...overrides,
  };
}

export interface TestHost {
  app: Express;
  au: AccountUsers;
  clock: TestClock;
  logs: string[];
}

/** A session store, or a function making one from the host's kit (`(au) => au.sessionStore()`). */
export type SessionStoreOf = session.Store | ((au: AccountUsers) => session.Store);

/** How the host wires passport, where a test needs other than the README's. */
export interface HostWiring {
  /** 'host': the portal's own `passport.serializeUser((user, done) => done(null, user.id))`, as an existing portal keeps it. */
  serializeUser?: 'kit' | 'host';
  /** 'host': a passport-local strategy of the portal's own, reading the kit's users table. */
  strategy?: 'kit' | 'host';
  /** false: no au.loginLimit on POST /login. */
  loginLimit?: boolean;
  /** true: POST /login signs in with passport's `keepSessionInfo` (the session's data carried into the new one). */
  keepSessionInfo?: boolean;
}

/**
 * A host billing portal as the README tells hosts to build one: express-session, passport
 * with the kit's strategy, the kit's router at /account/users, and one guarded route per permission.
 */
export function createHost(
  knex: Knex,
  smtp: SmtpSink,
  overrides: Partial<AccountUsersOptions> = {},
  sessionStore?: SessionStoreOf,
  wiring: HostWiring = {},
): TestHost {
  const clock = new TestClock();
  const logs: string[] = [];
  const au = accountUsers({
    knex,
    baseUrl: BASE_URL,
    mail: { transport: smtp.transport(), from: 'Billing <billing@example.com>' },
    loginUrl: '/login',
    passwordHashing: FAST_HASHING,
    now: clock.now,
    logger: {
      info: (m: string) => logs.push(`info: ${m}`),
      warn: (m: string) => logs.push(`warn: ${m}`),
      error: (m: string, ...rest: unknown[]) => logs.push(`error: ${m} ${rest.map(String).join(' ')}`),
    },
    ...overrides,
  });

  const app = express();
  app.use(
    session({
      secret: 'test-secret',
      resave: false,
      saveUninitialized: false,
      ...(sessionStore ? { store: typeof sessionStore === 'function' ? sessionStore(au) : sessionStore } : {}),
    }),
  );
  const auth = new passport.Passport();
  if (wiring.strategy === 'host') {
    auth.use(
      new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
        (async () => {
          const row = (await knex('au_users').where({ email: email.trim().toLowerCase() }).first()) as { id: number; password_hash: string } | undefined;
          done(null, row && (await verifyPassword(password, row.password_hash)) ? { id: Number(row.id) } : false);
        })().catch(done);
      }),
    );
  } else auth.use(au.passportStrategy());
  if (wiring.serializeUser === 'host') auth.serializeUser((user: Express.User, done) => done(null, (user as { id: number }).id));
  else auth.serializeUser(au.serializeUser);
  auth.deserializeUser(au.deserializeUser);
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(express.urlencoded({ extended: false }));

  const limit: express.RequestHandler = wiring.loginLimit === false ? (_req, _res, next) => next() : au.loginLimit;
  app.post('/login', limit, (req, res, next) => {
    auth.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err) return next(err);
      if (!user) return res.status(401).json({ error: 'bad credentials' });
      req.login(user, { session: true, ...(wiring.keepSessionInfo ? { keepSessionInfo: true } : {}) }, (loginErr) => {
        if (loginErr) return next(loginErr);
        const returnTo = typeof req.query.returnTo === 'string' && req.query.returnTo.startsWith('/') ? req.query.returnTo : '/';
        res.redirect(303, returnTo);
      });
    })(req, res, next);
  });
  app.get('/login', (_req, res) => res.send('login page'));
  app.post('/logout', (req, res, next) => req.logout((err) => (err ? next(err) : res.redirect(303, '/login'))));
  app.use(MOUNT, au.router);
  app.use(USER_MOUNT, au.userRouter);
  for (const p of PERMISSIONS) {
    app.get(`/host/${p.key}`, au.requirePermission(p.key), (req, res) => {
      res.json({ ok: p.key, account: req.accountUser?.account.id, can: res.locals.can(p.key) });
    });
  }
  return { app, au, clock, logs };
}
