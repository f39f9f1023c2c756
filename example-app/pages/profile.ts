import { Router } from 'express';
import type { Profile } from '../records.js';
import { setFlash } from '../flash.js';
import { accountId, field, wrap, type PageDeps } from './deps.js';

export function profilePage({ au, data, render }: PageDeps): Router {
  const router = Router();
  const guard = au.requirePermission('profile');
  const load = async (id: number) => (await data.list<Profile>(id, 'profile'))[0];

  router.get(
    '/profile',
    guard,
    wrap(async (req, res) => {
      render.page(req, res, 'profile', { title: 'Profile', profile: (await load(accountId(req)))?.data });
    }),
  );

  router.post(
    '/profile',
    guard,
    wrap(async (req, res) => {
      const item = await load(accountId(req));
      if (item) {
        await data.update<Profile>(item, {
          ...item.data,
          company: field(req, 'company') || item.data.company,
          address: field(req, 'address'),
          phone: field(req, 'phone', 64),
        });
      }
      setFlash(req, 'Profile saved.');
      res.redirect(303, '/profile');
    }),
  );
  return router;
}
