import express, { type Router } from 'express';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Kit } from '../services/context.js';
import type { Mailer } from '../mail/outbox.js';
import type { Templates } from '../templates.js';
import { createCsrf } from './csrf.js';
import { createLocaleOf, createRememberLocale } from './locale.js';
import type { Locale } from '../i18n/locale.js';
import { createResponder } from './respond.js';
import { createErrorHandler } from './error-handler.js';
import { createGuards, type Guards } from './guard.js';
import { asyncHandler } from './request.js';
import { NotFoundError } from '../errors.js';
import { MANAGE_USERS } from '../permissions.js';
import { usersHandlers } from './handlers/members/users.js';
import { lifecycleHandlers } from './handlers/members/lifecycle.js';
import { invitationHandlers } from './handlers/invitations/invitations.js';
import { acceptHandlers } from './handlers/invitations/accept.js';
import { accountHandlers } from './handlers/accounts/accounts.js';
import { activityHandlers } from './handlers/members/activity.js';
import { transferHandlers } from './handlers/ownership/transfer.js';
import { bulkInviteHandlers } from './handlers/roster/bulk-invite.js';
import { rosterHandlers } from './handlers/roster/roster.js';
import { exportHandlers } from './handlers/roster/export.js';
import { countDeadLink, createCodeLimit, createDeadLinkLimit, createLoginLimit, type LoginLimit } from './rate-limits.js';
import { securityHandlers } from './handlers/two-factor/security.js';
import { createFrameHeaders } from './frame-headers.js';
import { createUserRouter } from './user-router.js';
import { loginLimitKey, loginLimitKeyOfUser } from '../services/self-service/sign-in.js';
import { watchLogIn } from './login-time.js';
import { openApiDocument, type OpenApiDocument } from './json-api/document.js';
import { builtInViewsDir } from '../templates.js';
import { dirname, join } from 'node:path';

export interface Http {
  router: Router;
  userRouter: Router;
  guards: Guards;
  errors: ReturnType<typeof createErrorHandler>;
  loginLimit: LoginLimit;
  /** The language of a request (the `locale` option, else Accept-Language). */
  localeOf: (req: express.Request) => Locale;
}

/** @simplewebauthn/browser's UMD bundle, found from its package entry (its exports name no subpath). */
function webauthnBrowserBundle(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');
}

export function createHttp(kit: Kit, templates: Templates, mailer: Mailer, assetsDir: string): Http {
  const csrf = createCsrf();
  const limits = kit.options.limits;
  const localeOf = createLocaleOf(kit);
  const rememberLocale = createRememberLocale(kit, localeOf);
  const respond = createResponder(templates, csrf.token, kit.catalogue, localeOf);
  const errors = createErrorHandler({
    templates,
    loginUrl: kit.options.loginUrl,
    userMountPath: kit.options.userMountPath,
    logger: kit.logger,
    csrfToken: csrf.token,
    validity: kit.validity,
    catalogue: kit.catalogue,
    localeOf,
  });
  const guards = createGuards(kit, errors.respond);
  const loginStores = { email: kit.rateLimitStore('login-email'), ip: kit.rateLimitStore('login-ip') };
  const limit = createLoginLimit({
    perEmail: limits.loginPerWindow,
    perIp: limits.loginPerIpPerWindow,
    windowMs: limits.loginWindowMs,
    stores: loginStores,
    counts: kit.loginCounts(loginStores.ip, loginStores.email),
    usersTable: kit.options.users ? undefined : kit.tables.users,
    now: kit.now,
    logger: kit.logger,
    respond: errors.respond,
    keyOf: (email) => loginLimitKey(kit, email),
    keyOfUser: (userId) => loginLimitKeyOfUser(kit, userId),
  });
  // On the host's login route: whatever strategy and serializeUser sign the person in, the session records its password.
  const loginLimit: LoginLimit = {
    ...limit,
    middleware: function loginLimit(req, res, next) {
      watchLogIn(kit, req);
      limit.middleware(req, res, next);
    },
  };
  const codeLimit = createCodeLimit({
    perWindow: limits.twoFactorPerWindow,
    windowMs: limits.loginWindowMs,
    store: kit.rateLimitStore('two-factor-login'),
    now: kit.now,
  });
  const deps = { kit, mailer, templates, respond, localeOf, loginLimit, codeLimit };
  const users = usersHandlers(deps);
  const lifecycle = lifecycleHandlers(deps);
  const invitations = invitationHandlers(deps);
  const accept = acceptHandlers(deps);
  const accounts = accountHandlers(deps);
  const activity = activityHandlers(deps);
  const transfer = transferHandlers(deps);
  const security = securityHandlers(deps);
  const bulk = bulkInviteHandlers(deps);
  const roster = rosterHandlers(deps);
  const exports = exportHandlers(deps);
  const { requireSignedIn } = guards;
  // User management is the owner's; with the `delegation` option a holder of `manageusers` passes
  // too, and the services decide what that holder may touch. Still the guard's one statement.
  const requireManager = kit.options.delegation ? guards.requirePermission(MANAGE_USERS.key) : guards.requireOwner;
  const h = asyncHandler;

  // The OpenAPI document of both routers' JSON routes, built once on first request (the same one
  // the package ships as express-account-users/openapi.json, with this host's mount paths).
  let document: OpenApiDocument | undefined;
  const openApi: express.RequestHandler = function openApiJson(_req, res) {
    if (!document) {
      const { version } = JSON.parse(readFileSync(join(builtInViewsDir(), '..', 'package.json'), 'utf8')) as { version: string };
      document = openApiDocument({ mountPath: kit.options.mountPath, userMountPath: kit.options.userMountPath }, version);
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.json(document);
  };

  const frame = createFrameHeaders(kit.options.frameAncestors);
  // A Map, not an object: `/assets/__proto__` or `/assets/constructor` must find nothing.
  const assets = new Map<string, readonly [string, Buffer]>([
    ['au.css', ['text/css', readFileSync(`${assetsDir}/au.css`)]],
    ['au.js', ['text/javascript', readFileSync(`${assetsDir}/au.js`)]],
    // Passkeys: @simplewebauthn/browser's own bundle (global SimpleWebAuthnBrowser), and the kit's script that uses it.
    ['webauthn.js', ['text/javascript', readFileSync(webauthnBrowserBundle())]],
    ['au-passkeys.js', ['text/javascript', readFileSync(`${assetsDir}/au-passkeys.js`)]],
  ]);

  /**
   * What every router of the kit is: frame headers, its own body parsing, CSRF on every POST,
   * `limited` (rate limits, counted only after the CSRF check: a cross-site page cannot spend a
   * visitor's allowance), its assets, its routes, then the kit's error handler. Anything that
   * falls through belongs to the host, with the host's headers.
   */
  function kitRouter(limited: (router: Router) => void, routes: (router: Router) => void, largeBodies?: (router: Router) => void): Router {
    const router: Router = express.Router();
    router.use(frame.set);
    // Routes that take more than 32 kB parse their own bodies first; the parsers below then leave them be.
    largeBodies?.(router);
    router.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }));
    router.use(express.json({ limit: '32kb' }));
    router.use(csrf.protect);
    router.use(rememberLocale);
    limited(router);
    router.get('/assets/:file', (req, res, next) => {
      const asset = assets.get(String(req.params.file));
      if (!asset) return next(new NotFoundError('error.noSuchFile'));
      res.type(asset[0]).setHeader('Cache-Control', 'public, max-age=3600');
      res.send(asset[1]);
    });
    router.get('/openapi.json', openApi);
    routes(router);
    router.use(countDeadLink);
    router.use(frame.restore);
    router.use(errors);
    return router;
  }

  // Links that match nothing are limited generously (guessing a 256-bit token is hopeless anyway)
  // and only they count: a link that works always opens. POSTs of links that match nothing
  // (accept, register, decline) are limited tightly, and also only they: 20 POSTs of dead links
  // from a coworker's session must not stop the real invitee, behind the same IP, from registering.
  const deadLinks = createDeadLinkLimit({
    perWindow: limits.acceptViewsPerWindow,
    windowMs: limits.acceptWindowMs,
    store: kit.rateLimitStore('accept-view'),
    now: kit.now,
    message: 'limit.deadLinks',
  });
  const deadLinkPosts = createDeadLinkLimit({
    perWindow: limits.acceptPerWindow,
    windowMs: limits.acceptWindowMs,
    store: kit.rateLimitStore('accept'),
    now: kit.now,
    message: 'limit.accept',
  });

  // au.api builds its invitation links from the mountPath option, having no request to learn the
  // mount from: say so once if the router is mounted elsewhere.
  let mountChecked = false;
  const router = kitRouter(
    (r) => {
      r.use(function checkMountPath(req, _res, next) {
        if (!mountChecked && req.baseUrl !== kit.options.mountPath) {
          kit.logger.warn(
            `express-account-users: au.router is mounted at "${req.baseUrl}" but the mountPath option is "${kit.options.mountPath}"; links in invitations made through au.api point to the latter`,
          );
        }
        mountChecked = true;
        next();
      });
      r.get('/accept/:token', deadLinks);
      r.post(['/accept/:token', '/accept/:token/register', '/accept/:token/decline'], deadLinkPosts);
      r.get(['/transfer/:token', '/transfer/:token/decline', '/accept/:token/decline'], deadLinks);
    },
    (r) => {
      // The route table, top to bottom.
      r.get('/', requireManager, h(users.list));
      r.get('/invite', requireManager, h(invitations.form));
      r.post('/invite', requireManager, h(invitations.create));
      r.post('/invitations/:id/resend', requireManager, h(invitations.resend));
      r.get('/invitations/:id/cancel', requireManager, h(invitations.confirmCancel));
      r.post('/invitations/:id/cancel', requireManager, h(invitations.cancel));
      r.get('/invite/bulk', requireManager, h(bulk.form));
      r.post('/invite/bulk', requireManager, h(bulk.create));
      r.get('/roster', requireManager, h(roster.form));
      r.post('/roster', requireManager, h(roster.reconcile));
      r.get('/export/members.csv', requireManager, h(exports.members('csv')));
      r.get('/export/members.json', requireManager, h(exports.members('json')));
      r.get('/export/activity.csv', requireManager, h(exports.activity));
      r.get('/users/:userId', requireManager, h(users.edit));
      r.post('/users/:userId/permissions', requireManager, h(users.savePermissions));
      r.get('/users/:userId/remove', requireManager, h(users.confirmRemove));
      r.post('/users/:userId/remove', requireManager, h(users.remove));
      r.get('/users/:userId/suspend', requireManager, h(lifecycle.confirmSuspend));
      r.post('/users/:userId/suspend', requireManager, h(lifecycle.suspend));
      r.get('/users/:userId/reinstate', requireManager, h(lifecycle.confirmReinstate));
      r.post('/users/:userId/reinstate', requireManager, h(lifecycle.reinstate));
      r.get('/users/:userId/restore', requireManager, h(lifecycle.confirmRestore));
      r.post('/users/:userId/restore', requireManager, h(lifecycle.restore));
      r.get('/accept/:token', h(accept.show));
      r.post('/accept/:token', h(accept.accept));
      r.post('/accept/:token/register', h(accept.register));
      r.get('/accept/:token/decline', h(accept.confirmDecline));
      r.post('/accept/:token/decline', h(accept.decline));
      r.post('/accept/:token/signout', h(accept.signOut));
      r.get('/accounts', requireSignedIn, h(accounts.list));
      r.post('/accounts/switch', requireSignedIn, h(accounts.switchTo));
      r.get('/accounts/:accountId/leave', requireSignedIn, h(accounts.confirmLeave));
      r.post('/accounts/:accountId/leave', requireSignedIn, h(accounts.leave));
      r.post('/accounts/invitations/:invitationId/accept', requireSignedIn, h(accounts.acceptInvitation));
      r.get('/accounts/invitations/:invitationId/decline', requireSignedIn, h(accounts.confirmDeclineInvitation));
      r.post('/accounts/invitations/:invitationId/decline', requireSignedIn, h(accounts.declineInvitation));
      r.post('/accounts/offers/:transferId/accept', requireSignedIn, h(accounts.acceptOffer));
      r.get('/accounts/offers/:transferId/decline', requireSignedIn, h(accounts.confirmDeclineOffer));
      r.post('/accounts/offers/:transferId/decline', requireSignedIn, h(accounts.declineOffer));
      r.get('/activity', requireManager, h(activity.list));
      // Ownership is the owner's alone to give, delegation or not; a delegate is told so in those words.
      const requireTransferOwner = guards.requireOwnerFor('error.ownerOnlyTransfer');
      r.get('/transfer', requireTransferOwner, h(transfer.form));
      r.post('/transfer', requireTransferOwner, h(transfer.offer));
      r.get('/transfer/cancel', requireTransferOwner, h(transfer.confirmCancel));
      r.post('/transfer/cancel', requireTransferOwner, h(transfer.cancel));
      r.get('/transfer/:token', requireSignedIn, h(transfer.show));
      r.post('/transfer/:token', requireSignedIn, h(transfer.accept));
      // The account's two-factor rule is the owner's alone, delegation or not.
      r.get('/security', guards.requireOwner, h(security.form));
      r.post('/security', guards.requireOwner, h(security.save));
      r.get('/transfer/:token/decline', requireSignedIn, h(transfer.confirmDecline));
      r.post('/transfer/:token/decline', requireSignedIn, h(transfer.decline));
    },
    (r) => {
      // A roster of rosterMaxBytes, percent-encoded in a form (up to three bytes each) or escaped in
      // JSON; the service then counts the CSV's own bytes and says so by name when it is too large.
      const limit = limits.rosterMaxBytes * 3 + 4096;
      r.post('/roster', express.urlencoded({ extended: false, limit, parameterLimit: 10 }), express.json({ limit }), express.text({ type: 'text/csv', limit }));
    },
  );

  const userRouter = createUserRouter(deps, guards, kitRouter, deadLinks);
  return { router, userRouter, guards, errors, loginLimit, localeOf };
}
