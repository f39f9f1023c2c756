import { Router } from 'express';
import { navFor } from '../nav.js';
import type { PageDeps } from './deps.js';

/** The dashboard: a tile for every section the user may open. */
export function homePage(deps: PageDeps): Router {
  const router = Router();
  router.get('/', deps.au.loadAccountUser, (req, res) => {
    if (!req.user) return res.redirect(302, '/login');
    const context = req.accountUser;
    const localCan: unknown = res.locals.can;
    const can = typeof localCan === 'function' ? (localCan as (key: string) => boolean) : () => false;
    deps.render.page(req, res, 'home', {
      title: 'Client area',
      name: (req.user as { name?: string }).name,
      accountName: context?.account.name,
      isOwner: context?.isOwner ?? false,
      managesUsers: (context?.isOwner ?? false) || can('manageusers'),
      sections: context ? navFor(can) : [],
    });
  });
  return router;
}
