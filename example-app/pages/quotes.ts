import { Router } from 'express';
import type { Quote } from '../records.js';
import { setFlash } from '../flash.js';
import { accountId, idParam, notFound, wrap, type PageDeps } from './deps.js';

export function quotesPage(deps: PageDeps): Router {
  const { au, data, render } = deps;
  const router = Router();
  const guard = au.requirePermission('quotes');

  router.get(
    '/quotes',
    guard,
    wrap(async (req, res) => {
      render.page(req, res, 'quotes', { title: 'Quotes', quotes: await data.list<Quote>(accountId(req), 'quote') });
    }),
  );

  router.post(
    '/quotes/:id/accept',
    guard,
    wrap(async (req, res) => {
      const quote = await data.find<Quote>(accountId(req), 'quote', idParam(req));
      if (!quote) return notFound(deps, req, res);
      await data.update<Quote>(quote, { ...quote.data, status: 'Accepted' });
      setFlash(req, `Quote ${quote.data.number} accepted.`);
      return res.redirect(303, '/quotes');
    }),
  );
  return router;
}
