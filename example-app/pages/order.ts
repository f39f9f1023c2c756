import { Router } from 'express';
import { PRODUCTS, type Invoice, type Service } from '../records.js';
import { setFlash } from '../flash.js';
import { accountId, field, wrap, type PageDeps } from './deps.js';

/** Ordering creates a pending service and its first invoice, as a billing system would. */
export function orderPage({ au, data, render, now }: PageDeps): Router {
  const router = Router();
  const guard = au.requirePermission('orders');

  router.get('/order', guard, (req, res) => {
    render.page(req, res, 'order', { title: 'Order', products: PRODUCTS });
  });

  router.post(
    '/order',
    guard,
    wrap(async (req, res) => {
      const product = PRODUCTS.find((p) => p.id === field(req, 'product'));
      const domain = field(req, 'domain', 253).toLowerCase();
      if (!product || !/^[a-z0-9.-]+\.[a-z]{2,63}$/.test(domain)) {
        setFlash(req, 'Order not placed: choose a product and enter a domain such as example.com.');
        return res.redirect(303, '/order');
      }
      const id = accountId(req);
      await data.insert<Service>(id, 'service', {
        product: product.name,
        domain,
        status: 'Pending',
        username: domain.split('.')[0]!.slice(0, 8),
        password: '(set on activation)',
        price: product.price,
      });
      const count = (await data.list<Invoice>(id, 'invoice')).length;
      await data.insert<Invoice>(id, 'invoice', {
        number: `INV-${1001 + count}`,
        date: now().toISOString().slice(0, 10),
        total: product.price.replace('/mo', ''),
        status: 'Unpaid',
      });
      setFlash(req, `Order placed: ${product.name} for ${domain}. An invoice has been created.`);
      return res.redirect(303, '/order');
    }),
  );
  return router;
}
