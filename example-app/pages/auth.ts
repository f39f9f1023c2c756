import { Router, type Request, type RequestHandler } from 'express';
import type passportModule from 'passport';
import { InvalidInputError, type AccountUser } from '../../lib/index.js';
import { seedAccountData } from '../sample-data.js';
import { field, wrap, type PageDeps } from './deps.js';

/** Only a same-origin path may be a return target: `//evil.test` and `https://…` are refused. */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001f]/.test(value)) return undefined;
  return value;
}

function logIn(req: Request, user: Express.User): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
}

/** Sign-up, log-in (honouring the kit's `returnTo`) and log-out. Signing in itself is the host's job. */
export function authPages(deps: PageDeps & { passport: InstanceType<typeof passportModule.Passport> }): Router {
  const { au, data, render, passport } = deps;
  const router = Router();

  router.get('/login', (req, res) => {
    // au.userRouter sends the browser here after a password reset, with ?notice=password-reset.
    render.page(req, res, 'login', { title: 'Sign in', returnTo: safeReturnTo(req.query.returnTo), passwordReset: req.query.notice === 'password-reset' });
  });

  // Failed logins are limited per address and per IP; the kit's strategy counts them.
  router.post('/login', au.loginLimit, (req, res, next) => {
    const returnTo = safeReturnTo(req.query.returnTo);
    const authenticate = passport.authenticate('local', (err: unknown, user: AccountUser | false) => {
      if (err) return next(err);
      if (!user) {
        return render.page(req, res, 'login', { title: 'Sign in', returnTo, email: field(req, 'email'), error: 'Incorrect email or password.' }, 401);
      }
      // passport regenerates the session id here: no session fixation across sign-in.
      logIn(req, user).then(() => res.redirect(303, returnTo ?? '/'), next);
    }) as RequestHandler;
    authenticate(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => (destroyErr ? next(destroyErr) : res.redirect(303, '/login')));
    });
  });

  router.get('/signup', (req, res) => {
    render.page(req, res, 'signup', { title: 'Sign up', values: {} });
  });

  router.post(
    '/signup',
    wrap(async (req, res) => {
      const values = { name: field(req, 'name'), company: field(req, 'company'), email: field(req, 'email', 320) };
      const { password: given } = (req.body ?? {}) as Record<string, unknown>;
      const password = typeof given === 'string' ? given : '';
      try {
        const { account, owner } = await au.createAccount({
          name: values.company || values.name,
          owner: { email: values.email, name: values.name, password },
        });
        await seedAccountData(data, account.id, account.name, owner.email);
        await logIn(req, owner);
        res.redirect(303, '/');
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        // The kit names the nested owner fields "owner"; say what the person typed instead.
        const label = (f: string) => (f === 'owner' ? 'Your details' : f === 'name' ? 'Company or account name' : f);
        const errors = err.issues.map((i) => ({ field: label(i.field), message: i.message }));
        render.page(req, res, 'signup', { title: 'Sign up', values, errors }, 400);
      }
    }),
  );
  return router;
}
