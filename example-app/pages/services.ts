import { Router, type Request, type Response } from 'express';
import type { Service } from '../records.js';
import { accountId, idParam, notFound, wrap, type PageDeps } from './deps.js';

/** Services (products), with the two actions WHMCS puts behind their own permissions. */
export function servicesPage(deps: PageDeps): Router {
  const { au, data, render } = deps;
  const router = Router();

  const list = async (req: Request, res: Response, revealed?: { id: number; password: string }) => {
    const services = await data.list<Service>(accountId(req), 'service');
    render.page(req, res, 'services', { title: 'Services', services, revealedId: revealed?.id, revealedPassword: revealed?.password });
  };

  router.get(
    '/services',
    au.requirePermission('products'),
    wrap((req, res) => list(req, res)),
  );

  // A POST, not a GET: a password is shown only on purpose, never to a link prefetcher.
  router.post(
    '/services/:id/password',
    au.requirePermission('products', 'manageproducts'),
    wrap(async (req, res) => {
      const service = await data.find<Service>(accountId(req), 'service', idParam(req));
      if (!service) return notFound(deps, req, res);
      res.setHeader('Cache-Control', 'no-store');
      return list(req, res, { id: service.id, password: service.data.password });
    }),
  );

  router.post(
    '/services/:id/sso',
    au.requirePermission('products', 'productsso'),
    wrap(async (req, res) => {
      const service = await data.find<Service>(accountId(req), 'service', idParam(req));
      if (!service) return notFound(deps, req, res);
      return render.page(req, res, 'control-panel', { title: 'Control panel', service: service.data });
    }),
  );
  return router;
}
