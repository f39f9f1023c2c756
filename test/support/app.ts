import express, { type Express } from 'express';
import session from 'express-session';
import passport from 'passport';
import type { Knex } from 'knex';
import { accountUsers, PERMISSIONS, type AccountUsers, type AccountUsersOptions } from '../../lib/index.js';
import type { SmtpSink } from './smtp.js';

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

export interface TestHost {
  app: Express;
  au: AccountUsers;
  clock: TestClock;
  logs: string[];
}

/**
 * A host billing portal as the README tells hosts to build one: express-session, passport
 * with the kit's strategy, the kit's router at /account/users, and one guarded route per permission.
 */
export function createHost(knex: Knex, smtp: SmtpSink, overrides: Partial<AccountUsersOptions> = {}, sessionStore?: session.Store): TestHost {
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
      ...(sessionStore ? { store: sessionStore } : {}),
    }),
  );
  const auth = new passport.Passport();
  auth.use(au.passportStrategy());
  auth.serializeUser(au.serializeUser);
  auth.deserializeUser(au.deserializeUser);
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(express.urlencoded({ extended: false }));

  app.post('/login', au.loginLimit, (req, res, next) => {
    auth.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err) return next(err);
      if (!user) return res.status(401).json({ error: 'bad credentials' });
      req.login(user, (loginErr) => {
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
