import { Router } from 'express';
import type { Email } from '../records.js';
import { accountId, wrap, type PageDeps } from './deps.js';

export function emailsPage({ au, data, render }: PageDeps): Router {
  const router = Router();
  router.get(
    '/emails',
    au.requirePermission('emails'),
    wrap(async (req, res) => {
      render.page(req, res, 'emails', { title: 'Email history', emails: await data.list<Email>(accountId(req), 'email') });
    }),
  );
  return router;
}
