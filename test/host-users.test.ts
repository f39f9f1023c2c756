import { expect } from 'chai';
import request from 'supertest';
import type { ErrorRequestHandler } from 'express';
import type { UserStore } from '../lib/index.js';
import { MOUNT, type TestHost } from './support/app.js';
import { World } from './support/world.js';
import { Browser, pathOf } from './support/client.js';

describe('a host with its own users table (the `users` option)', () => {
  const world = new World();
  let host: TestHost;
  let createdInTransaction: boolean[];
  let userStore: UserStore;
  let accountId: number;
  let ownerId: number;

  const people = async () => (await world.knex('people').select('email').orderBy('id')).map((r: { email: string }) => r.email);

  before(async () => {
    await world.open();
    const users = await world.people();
    createdInTransaction = users.createdInTransaction;
    userStore = users.store;
    host = await world.startHost({ users: users.store });
    const hostErrors: ErrorRequestHandler = (_err, _req, res, _next) => void res.status(500).json({ error: 'host error page' });
    host.app.use(hostErrors);
  });
  after(() => world.tearDown());

  it("creates no users table of the kit's own", async () => {
    expect(await world.knex.schema.hasTable('au_users')).to.equal(false);
    expect(await world.knex.schema.hasTable('au_accounts')).to.equal(true);
  });

  it('creates the account owner in the host table', async () => {
    const { account, owner } = await host.au.createAccount({
      name: 'Acme Ltd',
      owner: { email: 'Olive@Acme.test', name: 'Olive Owner', password: 'owner-password-1' },
    });
    accountId = account.id;
    ownerId = owner.id;
    expect(await people()).to.deep.equal(['olive@acme.test']);
    expect(createdInTransaction).to.deep.equal([true]);
    const membership = await world.knex('au_account_users').where({ account_id: accountId }).first();
    expect(Number(membership.user_id)).to.equal(ownerId);
  });

  it('signs the owner in through au.passportStrategy() against the host table', async () => {
    const olive = new Browser(host.app);
    await olive.login('olive@acme.test', 'owner-password-1');
    const res = await olive.agent.get('/host/invoices').set('Accept', 'application/json');
    expect(res.status).to.equal(200);
    expect(res.body.account).to.equal(accountId);
  });

  it('refuses a wrong password checked by the host store', async () => {
    const res = await request(host.app).post('/login').type('form').send({ email: 'olive@acme.test', password: 'not-her-password' });
    expect(res.status).to.equal(401);
  });

  it('leaves nothing in the host table when registration through an invitation fails midway', async () => {
    const olive = new Browser(host.app);
    await olive.login('olive@acme.test', 'owner-password-1');
    await olive.getJson(`${MOUNT}/`);
    expect((await olive.postJson(`${MOUNT}/invite`, { email: 'unlucky@example.com', permissions: ['invoices'] })).status).to.equal(201);
    const link = pathOf(world.smtp.linkFor('unlucky@example.com'));
    const visitor = new Browser(host.app);
    await visitor.getJson(link);
    // The kit's last write in the transaction fails: the host's row, written with the kit's trx, goes too.
    await world.knex.schema.renameTable('au_activity', 'au_activity_away');
    try {
      // A database error is the kit's 503, its message (SQL) kept out of the answer.
      expect((await visitor.postJson(`${link}/register`, { name: 'Una', password: 'a-good-password' })).status).to.equal(503);
    } finally {
      await world.knex.schema.renameTable('au_activity_away', 'au_activity');
    }
    expect(await people()).to.deep.equal(['olive@acme.test']);
  });

  it('registers an invitee into the host table and lets them through what was granted', async () => {
    const olive = new Browser(host.app);
    await olive.login('olive@acme.test', 'owner-password-1');
    await olive.getJson(`${MOUNT}/`);
    expect((await olive.postJson(`${MOUNT}/invite`, { email: 'anna@example.com', permissions: ['invoices', 'tickets'] })).status).to.equal(201);
    const link = pathOf(world.smtp.linkFor('anna@example.com'));

    const anna = new Browser(host.app);
    await anna.getJson(link);
    const registered = await anna.postJson(`${link}/register`, { name: 'Anna Accountant', password: 'a-good-password' });
    expect(registered.status).to.equal(201);
    expect(await people()).to.deep.equal(['olive@acme.test', 'anna@example.com']);
    expect(createdInTransaction.every(Boolean)).to.equal(true);

    expect((await anna.agent.get('/host/invoices')).status).to.equal(200);
    expect((await anna.agent.get('/host/tickets')).status).to.equal(200);
    expect((await anna.agent.get('/host/domains')).status).to.equal(403);

    // And she signs in again later with the password the host stored.
    const again = new Browser(host.app);
    await again.login('anna@example.com', 'a-good-password');
    expect((await again.agent.get('/host/invoices')).status).to.equal(200);
  });

  it("shows host users' names on the owner's users page", async () => {
    const olive = new Browser(host.app);
    await olive.login('olive@acme.test', 'owner-password-1');
    const res = await olive.getJson(`${MOUNT}/`);
    expect(res.status).to.equal(200);
    expect(res.body.members.map((m: { name: string; email: string }) => [m.name, m.email])).to.deep.equal([
      ['Olive Owner', 'olive@acme.test'],
      ['Anna Accountant', 'anna@example.com'],
    ]);
  });

  it("searches members through the store's matchingIds subquery, and says so when the store has none", async () => {
    const olive = new Browser(host.app);
    await olive.login('olive@acme.test', 'owner-password-1');
    const store = userStore;
    const unsearched = await olive.getJson(`${MOUNT}/?q=anna`);
    expect(unsearched.status).to.equal(200);
    expect(unsearched.body.membersSearched).to.equal(false);
    expect(unsearched.body.members).to.have.length(2);
    expect((await olive.get(`${MOUNT}/?q=anna`)).text).to.contain('The search covers invitations only');
    store.matchingIds = (text) =>
      world
        .knex('people')
        .select('id')
        .where((q) => q.whereRaw('lower(full_name) like ?', [`%${text.toLowerCase()}%`]).orWhere('email', 'like', `%${text.toLowerCase()}%`));
    try {
      const searched = await olive.getJson(`${MOUNT}/?q=ACCOUNTANT`);
      expect(searched.body.membersSearched).to.equal(true);
      expect(searched.body.members.map((m: { email: string }) => m.email)).to.deep.equal(['anna@example.com']);
    } finally {
      delete store.matchingIds;
    }
  });
});
