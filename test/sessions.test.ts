import { expect } from 'chai';
import request from 'supertest';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Response } from 'supertest';
import { World, OWNER } from './support/world.js';
import { dialect } from './support/db.js';
import { MOUNT, type TestHost } from './support/app.js';
import { pathOf } from './support/client.js';
import { addMember, setPermissions, type Member } from './support/members.js';

const STORE_NAME = dialect() === 'pg' ? 'connect-pg-simple on PostgreSQL' : 'a shared MemoryStore';

/** The `connect.sid` value a response set, if it set one. */
function sidOf(res: Response): string | undefined {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = raw.find((c) => c.startsWith('connect.sid='));
  return cookie ? cookie.split(';')[0]!.slice('connect.sid='.length) : undefined;
}

describe(`sessions (store: ${STORE_NAME})`, function () {
  this.timeout(60_000);
  const world = new World();
  let store: session.Store & { close?: () => Promise<void> | void };
  let first: TestHost;
  let second: TestHost;

  before(async () => {
    await world.open();
    const schema = (world.knex.client.config as { searchPath?: string[] }).searchPath?.[0];
    const PgStore = connectPgSimple(session);
    store =
      dialect() === 'pg'
        ? new PgStore({ conString: process.env.DATABASE_URL, schemaName: schema, createTableIfMissing: true, pruneSessionInterval: false })
        : new session.MemoryStore();
    // The store lives in this world's schema: the host starts once it exists.
    await world.startHost({}, store);
    await world.createAccount();
    first = world.host;
    second = world.secondInstance({}, store);
  });
  after(async () => {
    await store?.close?.();
    await world.tearDown();
  });

  describe('the session id changes', () => {
    it('on login, and the pre-login id no longer signs anyone in', async () => {
      // Any kit page that hands out a CSRF token gives a visitor a session before signing in.
      const member = await addMember(world, await ownerBrowser(), 'login-rotation@example.com', ['invoices']);
      const visitor = request.agent(first.app);
      const before = sidOf(await visitor.get(`${MOUNT}/accept/${'A'.repeat(43)}`));
      expect(before, 'a session before login').to.be.a('string');
      const login = await visitor.post('/login').type('form').send({ email: member.email, password: member.password });
      expect(login.status).to.equal(303);
      const after = sidOf(login);
      expect(after).to.be.a('string').and.not.equal(before);
      const replay = await request(first.app).get('/host/invoices').set('Cookie', `connect.sid=${before}`).set('Accept', 'application/json');
      expect(replay.status).to.equal(401);
    });

    it('on registration through an invitation', async () => {
      const owner = await ownerBrowser();
      await owner.postJson(`${MOUNT}/invite`, { email: 'register-rotation@example.com', permissions: ['invoices'] });
      const link = pathOf(world.smtp.linkFor('register-rotation@example.com'));
      const visitor = world.browser();
      const page = await visitor.getJson(link);
      const before = sidOf(page);
      expect(before).to.be.a('string');
      const registered = await visitor.postJson(`${link}/register`, { name: 'Rita Rotation', password: 'a-good-password' });
      expect(registered.status).to.equal(201);
      const after = sidOf(registered);
      expect(after).to.be.a('string').and.not.equal(before);
      const replay = await request(first.app).get('/host/invoices').set('Cookie', `connect.sid=${before}`).set('Accept', 'application/json');
      expect(replay.status).to.equal(401);
    });

    it('on accepting an invitation while signed in', async () => {
      await world.host.au.createAccount({ name: 'Accepter Co', owner: { email: 'accepter@example.com', name: 'Ace', password: 'accepter-password' } });
      const owner = await ownerBrowser();
      await owner.postJson(`${MOUNT}/invite`, { email: 'accepter@example.com', permissions: ['invoices'] });
      const link = pathOf(world.smtp.linkFor('accepter@example.com'));
      const b = world.browser();
      const login = await b.login('accepter@example.com', 'accepter-password');
      const before = sidOf(login);
      await b.getJson(link);
      const accepted = await b.postJson(link, {});
      expect(accepted.status).to.equal(200);
      const after = sidOf(accepted);
      expect(after).to.be.a('string').and.not.equal(before);
    });

    it('on account switch, and the old id no longer works', async () => {
      // accepter@example.com owns "Accepter Co" and is now a member of Acme: two accounts.
      const b = world.browser();
      const login = await b.login('accepter@example.com', 'accepter-password');
      const before = sidOf(login)!;
      const accounts = await b.getJson(`${MOUNT}/accounts`);
      const target = accounts.body.accounts.find((a: { active: boolean }) => !a.active);
      const switched = await b.postJson(`${MOUNT}/accounts/switch`, { accountId: String(target.id) });
      expect(switched.status).to.equal(200);
      const after = sidOf(switched);
      expect(after).to.be.a('string').and.not.equal(before);
      const replay = await request(first.app).get(`${MOUNT}/accounts`).set('Cookie', `connect.sid=${before}`).set('Accept', 'application/json');
      expect(replay.status).to.equal(401);
      const fresh = await request(first.app).get(`${MOUNT}/accounts`).set('Cookie', `connect.sid=${after}`).set('Accept', 'application/json');
      expect(fresh.body.activeAccountId).to.equal(target.id);
    });

    it('logout ends the session: its cookie no longer signs anyone in', async () => {
      const b = world.browser();
      const sid = sidOf(await b.login(OWNER.email, OWNER.password))!;
      expect((await request(first.app).get(`${MOUNT}/`).set('Cookie', `connect.sid=${sid}`).set('Accept', 'application/json')).status).to.equal(200);
      expect((await b.agent.post('/logout')).status).to.equal(303);
      expect((await request(first.app).get(`${MOUNT}/`).set('Cookie', `connect.sid=${sid}`).set('Accept', 'application/json')).status).to.equal(401);
      expect((await request(second.app).get(`${MOUNT}/`).set('Cookie', `connect.sid=${sid}`).set('Accept', 'application/json')).status).to.equal(401);
    });
  });

  describe(`a change made on one instance, the old cookie on another (${STORE_NAME})`, () => {
    let owner: Awaited<ReturnType<typeof ownerBrowser>>;
    before(async () => {
      owner = await ownerBrowser();
    });

    async function cookieOn(host: TestHost, member: Member): Promise<string> {
      const res = await request(host.app).post('/login').type('form').send({ email: member.email, password: member.password });
      expect(res.status).to.equal(303);
      return `connect.sid=${sidOf(res)}`;
    }
    const get = (host: TestHost, path: string, cookie: string) => request(host.app).get(path).set('Cookie', cookie).set('Accept', 'application/json');

    it('refuses a revoked permission on the next request', async () => {
      const member = await addMember(world, owner, 'revoke-me@example.com', ['invoices', 'tickets']);
      const cookie = await cookieOn(second, member);
      expect((await get(second, '/host/invoices', cookie)).status).to.equal(200);
      await setPermissions(owner, member.userId, ['tickets']);
      expect((await get(second, '/host/invoices', cookie)).status).to.equal(403);
      expect((await get(second, '/host/tickets', cookie)).status).to.equal(200);
    });

    it('refuses a removed member on the next request, on both instances', async () => {
      const member = await addMember(world, owner, 'remove-me@example.com', ['invoices']);
      const cookie = await cookieOn(second, member);
      expect((await get(first, '/host/invoices', cookie)).status).to.equal(200);
      expect((await get(second, '/host/invoices', cookie)).status).to.equal(200);
      await owner.getJson(`${MOUNT}/users/${member.userId}/remove`);
      expect((await owner.postJson(`${MOUNT}/users/${member.userId}/remove`, {})).status).to.equal(200);
      expect((await get(second, '/host/invoices', cookie)).status).to.equal(403);
      expect((await get(first, '/host/invoices', cookie)).status).to.equal(403);
    });

    it('keeps the member signed in (the login survives; only access to the account went)', async () => {
      const member = await addMember(world, owner, 'still-signed-in@example.com', ['invoices']);
      const cookie = await cookieOn(second, member);
      await owner.getJson(`${MOUNT}/users/${member.userId}/remove`);
      await owner.postJson(`${MOUNT}/users/${member.userId}/remove`, {});
      const accounts = await get(second, `${MOUNT}/accounts`, cookie);
      expect(accounts.status).to.equal(200);
      expect(accounts.body.accounts).to.deep.equal([]);
    });

    it('keeps the sessions of both instances in the one shared store', async function () {
      if (dialect() !== 'pg') {
        const all = await new Promise<Record<string, unknown>>((resolve, reject) =>
          store.all!((err, s) => (err ? reject(err) : resolve((s ?? {}) as Record<string, unknown>))),
        );
        expect(Object.keys(all).length).to.be.greaterThan(0);
        return;
      }
      const rows = (await world.knex('session').count({ n: '*' }).first()) as { n: unknown };
      expect(Number(rows.n)).to.be.greaterThan(0);
    });
  });

  async function ownerBrowser() {
    const b = world.browser();
    await b.login(OWNER.email, OWNER.password);
    await b.getJson(`${MOUNT}/`);
    return b;
  }
});
