import { Router } from 'express';
import type { Ticket } from '../records.js';
import { setFlash } from '../flash.js';
import { accountId, field, wrap, type PageDeps } from './deps.js';

export function ticketsPage({ au, data, render, now }: PageDeps): Router {
  const router = Router();
  const guard = au.requirePermission('tickets');

  router.get(
    '/tickets',
    guard,
    wrap(async (req, res) => {
      render.page(req, res, 'tickets', { title: 'Support tickets', tickets: await data.list<Ticket>(accountId(req), 'ticket') });
    }),
  );

  router.post(
    '/tickets',
    guard,
    wrap(async (req, res) => {
      const subject = field(req, 'subject', 200);
      if (subject) {
        await data.insert<Ticket>(accountId(req), 'ticket', { subject, department: 'Support', status: 'Open', updated: now().toISOString().slice(0, 10) });
        setFlash(req, `Ticket "${subject}" opened.`);
      }
      res.redirect(303, '/tickets');
    }),
  );
  return router;
}
