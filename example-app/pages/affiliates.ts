import { Router } from 'express';
import type { Affiliate } from '../records.js';
import { setFlash } from '../flash.js';
import { accountId, wrap, type PageDeps } from './deps.js';

export function affiliatesPage({ au, data, render }: PageDeps): Router {
  const router = Router();
  const guard = au.requirePermission('affiliates');
  const load = async (id: number) => (await data.list<Affiliate>(id, 'affiliate'))[0];

  router.get(
    '/affiliates',
    guard,
    wrap(async (req, res) => {
      render.page(req, res, 'affiliates', { title: 'Affiliates', affiliate: (await load(accountId(req)))?.data });
    }),
  );

  router.post(
    '/affiliates/withdraw',
    guard,
    wrap(async (req, res) => {
      const item = await load(accountId(req));
      if (item) await data.update<Affiliate>(item, { ...item.data, withdrawalRequested: true });
      setFlash(req, 'Withdrawal requested.');
      res.redirect(303, '/affiliates');
    }),
  );
  return router;
}
