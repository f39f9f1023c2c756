import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Express } from 'express';
import passport from 'passport';
import type session from 'express-session';
import type { Knex } from 'knex';
import type { Transporter } from 'nodemailer';
import { accountUsers, type AccountUsers, type Logger } from '../lib/index.js';
import { ensurePortalSchema, portalData, type PortalData } from './portal-data.js';
import { createRenderer } from './render.js';
import { portalCsrf, securityHeaders, sessions } from './security.js';
import type { MailCatcher } from './mail-catcher.js';
import type { PageDeps } from './pages/deps.js';
import { authPages } from './pages/auth.js';
import { homePage } from './pages/home.js';
import { profilePage } from './pages/profile.js';
import { contactsPage } from './pages/contacts.js';
import { servicesPage } from './pages/services.js';
import { domainsPage } from './pages/domains.js';
import { invoicesPage } from './pages/invoices.js';
import { quotesPage } from './pages/quotes.js';
import { ticketsPage } from './pages/tickets.js';
import { affiliatesPage } from './pages/affiliates.js';
import { emailsPage } from './pages/emails.js';
import { orderPage } from './pages/order.js';
import { devMailPages } from './pages/dev-mail.js';

export const USERS_MOUNT = '/account/users';
export const USER_MOUNT = '/user';

export interface CreateAppOptions {
  knex: Knex;
  /** The public origin, for the links in invitation emails. */
  baseUrl: string;
  mail: { transport: Transporter; from?: string; worker?: boolean };
  /** The in-process catcher whose messages /dev/mail lists; /dev/mail exists only with one, and never in production. */
  catcher?: MailCatcher | undefined;
  sessionSecret: string;
  sessionStore?: session.Store | undefined;
  production?: boolean;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto so the session cookie is Secure. */
  trustProxy?: boolean;
  /** scrypt parameters; the kit's OWASP default unless a test asks for faster ones. */
  passwordHashing?: { N: number; r: number; p: number };
  now?: () => Date;
  logger?: Logger;
}

export interface Portal {
  app: Express;
  au: AccountUsers;
  data: PortalData;
  /** Stops the kit's mail worker and waits for its sends (au.close()); the caller owns the Knex instance and the server. */
  close(): Promise<void>;
}

const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), 'public');

/**
 * Acme Hosting's client area, wired the way the README tells a host to: express-session,
 * passport with the kit's strategy, the kit's router, requirePermission on every page.
 * Applies the migrations; never listens (server.ts does, tests use the app directly).
 */
export async function createApp(options: CreateAppOptions): Promise<Portal> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? console;
  const production = options.production ?? false;
  const csrf = portalCsrf();
  const devMail = Boolean(options.catcher) && !production;
  const render = createRenderer({ csrfToken: csrf.token, devMail });

  const au = accountUsers({
    knex: options.knex,
    baseUrl: options.baseUrl,
    mail: { transport: options.mail.transport, from: options.mail.from ?? 'Acme Hosting <billing@acme-hosting.test>', worker: options.mail.worker ?? false },
    // The emails say which service they come from ("… their account Sunrise Bakery on Acme Hosting.").
    portalName: 'Acme Hosting',
    loginUrl: '/login',
    layout: render.kitLayout,
    now,
    logger,
    // An owner may hand "Manage Users" to a member (a delegate), who then manages users within what they hold.
    delegation: true,
    // Offered beside the checkboxes of the invite and permissions forms.
    presets: [
      { key: 'billing', label: 'Billing contact', permissions: ['invoices', 'quotes', 'orders', 'emails'] },
      { key: 'technical', label: 'Technical contact', permissions: ['products', 'manageproducts', 'domains', 'managedomains', 'tickets'] },
    ],
    // The presets' names in each of the kit's languages; the kit's own strings are built in.
    locales: {
      de: { presets: { billing: 'Ansprechpartner Abrechnung', technical: 'Technischer Ansprechpartner' } },
      fr: { presets: { billing: 'Contact facturation', technical: 'Contact technique' } },
      es: { presets: { billing: 'Contacto de facturación', technical: 'Contacto técnico' } },
      nl: { presets: { billing: 'Contactpersoon facturatie', technical: 'Technisch contactpersoon' } },
      'pt-BR': { presets: { billing: 'Contato de cobrança', technical: 'Contato técnico' } },
      ar: { presets: { billing: 'جهة اتصال الفوترة', technical: 'جهة الاتصال التقنية' } },
    },
    ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
  });
  await au.migrate();
  await ensurePortalSchema(options.knex);
  const data = portalData(options.knex, now);

  const auth = new passport.Passport();
  auth.use(au.passportStrategy());
  auth.serializeUser(au.serializeUser);
  auth.deserializeUser(au.deserializeUser);

  const app = express();
  if (options.trustProxy) app.set('trust proxy', 1);
  app.disable('x-powered-by');
  app.use(securityHeaders(production));
  app.use('/static', express.static(PUBLIC, { maxAge: '1h' }));
  app.use(sessions({ secret: options.sessionSecret, store: options.sessionStore }));
  app.use(auth.initialize());
  app.use(auth.session());

  // The kit parses and CSRF-checks its own forms; loadAccountUser gives its pages our navigation.
  app.use(USERS_MOUNT, au.loadAccountUser, au.router);
  // The signed-in person's own login: profile, password, email, and "Forgot your password?".
  app.use(USER_MOUNT, au.loadAccountUser, au.userRouter);

  app.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 }));
  app.use(csrf.protect);
  const deps: PageDeps = { au, data, render, now };
  app.use(authPages({ ...deps, passport: auth }));
  app.use(homePage(deps));
  for (const page of [profilePage, contactsPage, servicesPage, domainsPage, invoicesPage, quotesPage, ticketsPage, affiliatesPage, emailsPage, orderPage]) {
    app.use(page(deps));
  }
  if (devMail && options.catcher) app.use(devMailPages({ ...deps, catcher: options.catcher }));

  app.use((req, res) => {
    render.page(req, res, 'error', { title: 'Not found', message: 'There is no page at this address.' }, 404);
  });
  const onError: ErrorRequestHandler = (err, req, res, next) => {
    const e = err as { status?: unknown; message?: unknown } | null | undefined;
    const status = typeof e?.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
    if (status >= 500) logger.error('example-app: request failed', err);
    if (res.headersSent) return next(err);
    const message = status < 500 && typeof e?.message === 'string' ? e.message : 'Something went wrong on our side. Please try again.';
    render.page(req, res, 'error', { title: status === 403 ? 'Not allowed' : 'Something went wrong', message }, status);
  };
  app.use(onError);

  return { app, au, data, close: () => au.close() };
}
