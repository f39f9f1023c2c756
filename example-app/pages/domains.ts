import { Router } from 'express';
import type { Domain } from '../records.js';
import { setFlash } from '../flash.js';
import { accountId, field, idParam, notFound, wrap, type PageDeps } from './deps.js';

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function domainsPage(deps: PageDeps): Router {
  const { au, data, render } = deps;
  const router = Router();

  router.get(
    '/domains',
    au.requirePermission('domains'),
    wrap(async (req, res) => {
      render.page(req, res, 'domains', { title: 'Domains', domains: await data.list<Domain>(accountId(req), 'domain') });
    }),
  );

  router.post(
    '/domains/:id/nameservers',
    au.requirePermission('domains', 'managedomains'),
    wrap(async (req, res) => {
      const domain = await data.find<Domain>(accountId(req), 'domain', idParam(req));
      if (!domain) return notFound(deps, req, res);
      const nameservers = [field(req, 'ns1', 253), field(req, 'ns2', 253)].filter(Boolean);
      if (nameservers.length === 0 || !nameservers.every((ns) => HOSTNAME.test(ns))) {
        setFlash(req, 'Nameservers not saved: enter host names such as ns1.example.com.');
        return res.redirect(303, '/domains');
      }
      await data.update<Domain>(domain, { ...domain.data, nameservers });
      setFlash(req, `Nameservers for ${domain.data.name} saved.`);
      return res.redirect(303, '/domains');
    }),
  );
  return router;
}
