import { Router } from 'express';
import type { Invoice } from '../records.js';
import { setFlash } from '../flash.js';
import { accountId, idParam, notFound, wrap, type PageDeps } from './deps.js';

export function invoicesPage(deps: PageDeps): Router {
  const { au, data, render } = deps;
  const router = Router();
  const guard = au.requirePermission('invoices');

  router.get(
    '/invoices',
    guard,
    wrap(async (req, res) => {
      render.page(req, res, 'invoices', { title: 'Invoices', invoices: await data.list<Invoice>(accountId(req), 'invoice') });
    }),
  );

  router.post(
    '/invoices/:id/pay',
    guard,
    wrap(async (req, res) => {
      const invoice = await data.find<Invoice>(accountId(req), 'invoice', idParam(req));
      if (!invoice) return notFound(deps, req, res);
      await data.update<Invoice>(invoice, { ...invoice.data, status: 'Paid' });
      setFlash(req, `Invoice ${invoice.data.number} paid. Thank you!`);
      return res.redirect(303, '/invoices');
    }),
  );
  return router;
}
