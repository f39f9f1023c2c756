import { Router } from 'express';
import type { Contact } from '../records.js';
import { accountId, wrap, type PageDeps } from './deps.js';

export function contactsPage({ au, data, render }: PageDeps): Router {
  const router = Router();
  router.get(
    '/contacts',
    au.requirePermission('contacts'),
    wrap(async (req, res) => {
      render.page(req, res, 'contacts', { title: 'Contacts', contacts: await data.list<Contact>(accountId(req), 'contact') });
    }),
  );
  return router;
}
