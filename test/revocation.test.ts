import { expect } from 'chai';
import request from 'supertest';
import session from 'express-session';
import { World } from './support/world.js';
import { MOUNT, type TestHost } from './support/app.js';
import type { Browser } from './support/client.js';
import { addMember, setPermissions, type Member } from './support/members.js';

/**
 * Two app instances on one database and one session store, as behind a load balancer:
 * a change made through one is enforced by the other on the very next request.
 */
describe('revocation across app instances', () => {
  const world = new World();
  const store = new session.MemoryStore();
  let first: TestHost;
  let second: TestHost;
  let ownerOnFirst: Browser;
  let ownerOnSecond: Browser;

  /** Signs in on the first instance and returns the session cookie, to be replayed on either. */
  async function cookieFor(member: Member): Promise<string> {
    const res = await request(first.app).post('/login').type('form').send({ email: member.email, password: member.password });
    expect(res.status).to.equal(303);
    return String(res.headers['set-cookie']![0]).split(';')[0]!;
  }

  const get = (host: TestHost, path: string, cookie: string) => request(host.app).get(path).set('Cookie', cookie).set('Accept', 'application/json');

  function sessionsOf(userId: number): Promise<Array<{ passport?: { user?: number } }>> {
    return new Promise((resolve, reject) =>
      store.all((err, all) =>
        err
          ? reject(err)
          : resolve(
              Object.values(all ?? {}).filter((s) => (s as { passport?: { user?: number } }).passport?.user === userId) as Array<{
                passport?: { user?: number };
              }>,
            ),
      ),
    );
  }

  before(async () => {
    await world.setUp({}, store);
    first = world.host;
    second = world.secondInstance({}, store);
    ownerOnFirst = await world.ownerBrowser();
    ownerOnSecond = world.browser(second);
    await ownerOnSecond.login('owner@acme.test', 'owner-password-1');
  });
  after(() => world.tearDown());

  it('serves one signed-in session on both instances', async () => {
    const member = await addMember(world, ownerOnFirst, 'both@example.com', ['invoices']);
    const cookie = await cookieFor(member);
    expect((await get(first, '/host/invoices', cookie)).status).to.equal(200);
    expect((await get(second, '/host/invoices', cookie)).status).to.equal(200);
  });

  it('refuses a revoked permission on the other instance at the very next request', async () => {
    const member = await addMember(world, ownerOnFirst, 'revoked@example.com', ['invoices', 'tickets']);
    const cookie = await cookieFor(member);
    expect((await get(second, '/host/invoices', cookie)).status).to.equal(200);
    await setPermissions(ownerOnFirst, member.userId, ['tickets']);
    expect((await get(second, '/host/invoices', cookie)).status).to.equal(403);
    expect((await get(second, '/host/tickets', cookie)).status).to.equal(200);
  });

  it('honours a new grant on the other instance at the very next request', async () => {
    const member = await addMember(world, ownerOnFirst, 'granted@example.com', ['invoices']);
    const cookie = await cookieFor(member);
    expect((await get(second, '/host/domains', cookie)).status).to.equal(403);
    await setPermissions(ownerOnFirst, member.userId, ['invoices', 'domains']);
    expect((await get(second, '/host/domains', cookie)).status).to.equal(200);
  });

  it('refuses a removed member on the other instance at the very next request, with the session untouched', async () => {
    const member = await addMember(world, ownerOnFirst, 'removed@example.com', ['invoices', 'tickets']);
    const cookie = await cookieFor(member);
    expect((await get(second, '/host/tickets', cookie)).status).to.equal(200);
    await ownerOnFirst.getJson(`${MOUNT}/users/${member.userId}/remove`);
    expect((await ownerOnFirst.postJson(`${MOUNT}/users/${member.userId}/remove`, {})).status).to.equal(200);
    // Nobody touched the member's session: the login is still in the shared store.
    expect(await sessionsOf(member.userId)).to.not.be.empty;
    expect((await get(second, '/host/tickets', cookie)).status).to.equal(403);
    expect((await get(second, '/host/invoices', cookie)).status).to.equal(403);
    expect((await get(first, '/host/tickets', cookie)).status).to.equal(403);
  });

  it('refuses on the first instance a member removed through the second', async () => {
    const member = await addMember(world, ownerOnFirst, 'removed-too@example.com', ['orders']);
    const cookie = await cookieFor(member);
    expect((await get(first, '/host/orders', cookie)).status).to.equal(200);
    await ownerOnSecond.getJson(`${MOUNT}/users/${member.userId}/remove`);
    expect((await ownerOnSecond.postJson(`${MOUNT}/users/${member.userId}/remove`, {})).status).to.equal(200);
    expect((await get(first, '/host/orders', cookie)).status).to.equal(403);
  });
});
