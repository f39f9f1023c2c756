import { expect } from 'chai';
import type { Browser } from './client.js';
import { pathOf } from './client.js';
import { MOUNT, type TestHost } from './app.js';
import type { World } from './world.js';

export interface Member {
  browser: Browser;
  userId: number;
  email: string;
  password: string;
}

/**
 * Adds a member the way a host's customers do: the owner invites over the JSON API, the
 * invitee follows the emailed link and registers (and is then signed in on `host`).
 * An empty permission list is granted by inviting with one key and then editing it away.
 */
export async function addMember(
  world: World,
  owner: Browser,
  email: string,
  permissions: string[],
  opts: { host?: TestHost; name?: string; password?: string } = {},
): Promise<Member> {
  const password = opts.password ?? 'member-password-1';
  await owner.getJson(`${MOUNT}/`);
  const invited = await owner.postJson(`${MOUNT}/invite`, { email, permissions: permissions.length ? permissions : ['invoices'] });
  expect(invited.status, `invite ${email}: ${invited.text}`).to.equal(201);
  const link = pathOf(world.smtp.linkFor(email));
  const browser = world.browser(opts.host);
  await browser.getJson(link);
  const registered = await browser.postJson(`${link}/register`, { name: opts.name ?? `Member ${email}`, password });
  expect(registered.status, `register ${email}: ${registered.text}`).to.equal(201);
  const userId = Number(registered.body.user.id);
  if (permissions.length === 0) await setPermissions(owner, userId, []);
  return { browser, userId, email, password };
}

/** The owner's "Manage permissions" form, over the JSON API. */
export async function setPermissions(owner: Browser, userId: number, permissions: string[]) {
  await owner.getJson(`${MOUNT}/users/${userId}`);
  const res = await owner.postJson(`${MOUNT}/users/${userId}/permissions`, { permissions });
  expect(res.status, `set permissions of ${userId}: ${res.text}`).to.equal(200);
  return res;
}
