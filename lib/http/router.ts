import express, { type Router } from 'express';
import { readFileSync } from 'node:fs';
import type { Kit } from '../services/context.js';
import type { Mailer } from '../mail/outbox.js';
import type { Templates } from '../templates.js';
import { createCsrf } from './csrf.js';
import { createResponder } from './respond.js';
import { createErrorHandler } from './error-handler.js';
import { createGuards } from './guard.js';
import { asyncHandler } from './request.js';
import { NotFoundError } from '../errors.js';
import { usersHandlers } from './handlers/users.js';
import { invitationHandlers } from './handlers/invitations.js';
import { acceptHandlers } from './handlers/accept.js';
import { accountHandlers } from './handlers/accounts.js';
import { activityHandlers } from './handlers/activity.js';
import { createFailureLimit, createLoginLimit } from './rate-limits.js';
import { createFrameHeaders } from './frame-headers.js';

export function createHttp(kit: Kit, templates: Templates, mailer: Mailer, assetsDir: string) {
  const csrf = createCsrf();
  const respond = createResponder(templates, csrf.token, kit.catalogue);
  const errors = createErrorHandler({
    templates,
    loginUrl: kit.options.loginUrl,
    logger: kit.logger,
    csrfToken: csrf.token,
    validity: kit.validity,
    catalogue: kit.catalogue,
  });
  const guards = createGuards(kit, errors.respond);
  const deps = { kit, mailer, templates, respond };
  const users = usersHandlers(deps);
  const invitations = invitationHandlers(deps);
  const accept = acceptHandlers(deps);
  const accounts = accountHandlers(deps);
  const activity = activityHandlers(deps);
  const { requireOwner, requireSignedIn } = guards;
  const h = asyncHandler;

  const router: Router = express.Router();
  const frame = createFrameHeaders(kit.options.frameAncestors);
  router.use(frame.set);
  // au.api builds its invitation links from the mountPath option, having no request to learn the
  // mount from: say so once if the router is mounted elsewhere.
  let mountChecked = false;
  router.use(function checkMountPath(req, _res, next) {
    if (!mountChecked && req.baseUrl !== kit.options.mountPath) {
      kit.logger.warn(
        `express-account-users: au.router is mounted at "${req.baseUrl}" but the mountPath option is "${kit.options.mountPath}"; links in invitations made through au.api point to the latter`,
      );
    }
    mountChecked = true;
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }));
  router.use(express.json({ limit: '32kb' }));
  const limits = kit.options.limits;
  // Failed link views are limited generously (a GET changes nothing; guessing a 256-bit token is
  // hopeless anyway), failed accepts tightly. Both count only after the CSRF check: a cross-site
  // page cannot spend an office's attempts by posting from its visitors' browsers.
  const acceptViewLimit = createFailureLimit({
    perWindow: limits.acceptViewsPerWindow,
    windowMs: limits.acceptWindowMs,
    store: kit.rateLimitStore('accept-view'),
    now: kit.now,
    message: 'Too many invitation links that do not work were opened from your network.',
  });
  const acceptLimit = createFailureLimit({
    perWindow: limits.acceptPerWindow,
    windowMs: limits.acceptWindowMs,
    store: kit.rateLimitStore('accept'),
    now: kit.now,
    message: 'Too many attempts to use invitation links from your network.',
  });
  router.use(csrf.protect);
  router.get('/accept/:token', acceptViewLimit);
  router.post(['/accept/:token', '/accept/:token/register', '/accept/:token/decline'], acceptLimit);
  // A Map, not an object: `/assets/__proto__` or `/assets/constructor` must find nothing.
  const assets = new Map<string, readonly [string, Buffer]>([
    ['au.css', ['text/css', readFileSync(`${assetsDir}/au.css`)]],
    ['au.js', ['text/javascript', readFileSync(`${assetsDir}/au.js`)]],
  ]);
  router.get('/assets/:file', (req, res, next) => {
    const asset = assets.get(String(req.params.file));
    if (!asset) return next(new NotFoundError('No such file.'));
    res.type(asset[0]).setHeader('Cache-Control', 'public, max-age=3600');
    res.send(asset[1]);
  });

  // The route table, top to bottom.
  router.get('/', requireOwner, h(users.list));
  router.get('/invite', requireOwner, h(invitations.form));
  router.post('/invite', requireOwner, h(invitations.create));
  router.post('/invitations/:id/resend', requireOwner, h(invitations.resend));
  router.post('/invitations/:id/cancel', requireOwner, h(invitations.cancel));
  router.get('/users/:userId', requireOwner, h(users.edit));
  router.post('/users/:userId/permissions', requireOwner, h(users.savePermissions));
  router.get('/users/:userId/remove', requireOwner, h(users.confirmRemove));
  router.post('/users/:userId/remove', requireOwner, h(users.remove));
  router.get('/accept/:token', h(accept.show));
  router.post('/accept/:token', h(accept.accept));
  router.post('/accept/:token/register', h(accept.register));
  router.post('/accept/:token/decline', h(accept.decline));
  router.post('/accept/:token/signout', h(accept.signOut));
  router.get('/accounts', requireSignedIn, h(accounts.list));
  router.post('/accounts/switch', requireSignedIn, h(accounts.switchTo));
  router.post('/accounts/:accountId/leave', requireSignedIn, h(accounts.leave));
  router.post('/accounts/invitations/:invitationId/accept', requireSignedIn, h(accounts.acceptInvitation));
  router.post('/accounts/invitations/:invitationId/decline', requireSignedIn, h(accounts.declineInvitation));
  router.get('/activity', requireOwner, h(activity.list));

  // Anything else under the mount belongs to the host: its headers as the host set them.
  router.use(frame.restore);
  router.use(errors);
  const loginLimit = createLoginLimit({
    perEmail: limits.loginPerWindow,
    perIp: limits.loginPerIpPerWindow,
    windowMs: limits.loginWindowMs,
    stores: { email: kit.rateLimitStore('login-email'), ip: kit.rateLimitStore('login-ip') },
    now: kit.now,
    logger: kit.logger,
    respond: errors.respond,
  });
  return { router, guards, errors, loginLimit };
}
