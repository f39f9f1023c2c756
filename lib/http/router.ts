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
import { usersHandlers } from './handlers/users.js';
import { invitationHandlers } from './handlers/invitations.js';
import { acceptHandlers } from './handlers/accept.js';
import { accountHandlers } from './handlers/accounts.js';
import { activityHandlers } from './handlers/activity.js';
import { createAcceptLimit } from './rate-limits.js';

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
  router.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }));
  router.use(express.json({ limit: '32kb' }));
  // Before the CSRF check, so that refused attempts count too.
  const acceptLimit = createAcceptLimit({ perWindow: kit.options.limits.acceptPerWindow, windowMs: kit.options.limits.acceptWindowMs, store: kit.options.limits.store });
  router.post(['/accept/:token', '/accept/:token/register'], acceptLimit);
  router.use(csrf.protect);
  const assets = {
    'au.css': ['text/css', readFileSync(`${assetsDir}/au.css`)],
    'au.js': ['text/javascript', readFileSync(`${assetsDir}/au.js`)],
  } as const;
  router.get('/assets/:file', (req, res, next) => {
    const asset = assets[req.params.file as keyof typeof assets];
    if (!asset) return next();
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
  router.post('/accept/:token/signout', h(accept.signOut));
  router.get('/accounts', requireSignedIn, h(accounts.list));
  router.post('/accounts/switch', requireSignedIn, h(accounts.switchTo));
  router.post('/accounts/:accountId/leave', requireSignedIn, h(accounts.leave));
  router.get('/activity', requireOwner, h(activity.list));

  router.use(errors);
  return { router, guards, errors };
}
