import { expect } from 'chai';
import type { Browser } from './client.js';
import { pathOf } from './client.js';
import { MOUNT } from './app.js';
import type { World } from './world.js';

/** Handlebars' escaping, to look for user text in a page exactly as the page must show it. */
export function escapeHtml(value: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return value.replace(/[&<>"'`=]/g, (c) => map[c]!);
}

/** The owner invites over the JSON API (loading a page first for the CSRF token); asserts success. */
export async function invite(owner: Browser, email: string, permissions: string[] = ['invoices']) {
  if (!owner.csrf) await owner.getJson(`${MOUNT}/`);
  const res = await owner.postJson(`${MOUNT}/invite`, { email, permissions });
  expect(res.status, `invite ${email}: ${res.text}`).to.be.oneOf([200, 201]);
  return res.body.invitation as { id: number; email: string; status: string; permissions: string[]; expiresAt: string };
}

/** The path of the accept link in the newest email to `email`. */
export function linkPath(world: World, email: string): string {
  return pathOf(world.smtp.linkFor(email));
}

/** A second billing account with an owner of its own, signed in on a browser of its own. */
export async function otherAccount(world: World, name = 'Globex Corp', email = 'boss@globex.test') {
  const password = 'globex-password-1';
  const { account, owner } = await world.host.au.createAccount({ name, owner: { email, name: 'Gus Globex', password } });
  const browser = world.browser();
  await browser.login(email, password);
  return { account, ownerId: owner.id, browser, email, password };
}

/** Rows of a kit table (`au_` prefix added), for before/after comparisons. */
export async function rows(world: World, table: string): Promise<Record<string, unknown>[]> {
  return world.knex(`au_${table}`).select('*').orderBy('id');
}
