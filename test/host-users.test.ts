import { expect } from 'chai';
import request from 'supertest';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import type { Knex } from 'knex';
import type { AccountUser, UserStore } from '../lib/index.js';
import { freshDatabase, dialect, type TestDatabase } from './support/db.js';
import { SmtpSink } from './support/smtp.js';
import { createHost, MOUNT, type TestHost } from './support/app.js';
import { Browser, pathOf } from './support/client.js';

/** A host that keeps its logins in a `people` table of its own, with its own password format. */
function hostUserStore(knex: Knex) {
  const hash = (password: string, salt = randomBytes(8).toString('hex')) => `${salt}:${scryptSync(password, salt, 32, { N: 1024 }).toString('hex')}`;
  const view = (r: { id: number | string; email: string; full_name: string }): AccountUser => ({ id: Number(r.id), email: r.email, name: r.full_name });
  const createdInTransaction: boolean[] = [];
  const store: UserStore = {
    async findById(id) {
      const r = await knex('people').where({ id }).first();
      return r && view(r);
    },
    async findByEmail(email) {
      const r = await knex('people').where({ email: email.toLowerCase() }).first();
      return r && view(r);
    },
    async create(user, { trx }) {
      createdInTransaction.push(trx.isTransaction === true);
      const row = { email: user.email, full_name: user.name, password: hash(user.password) };
      const inserted = await (dialect() === 'pg' ? trx('people').insert(row).returning('id') : trx('people').insert(row));
      const first = inserted[0] as number | { id: number };
      return { id: Number(typeof first === 'object' ? first.id : first), email: user.email, name: user.name };
    },
    async verifyPassword(user, password) {
      const r = await knex('people').where({ id: user.id }).first();
      if (!r) return false;
      const [salt, expected] = String(r.password).split(':');
      const actual = Buffer.from(hash(password, salt).split(':')[1]!, 'hex');
      return timingSafeEqual(actual, Buffer.from(expected!, 'hex'));
    },
  };
  return { store, createdInTransaction };
}

describe('a host with its own users table (the `users` option)', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let host: TestHost;
  let createdInTransaction: boolean[];
  let userStore: UserStore;
  let accountId: number;
  let ownerId: number;

  const people = async () => (await db.knex('people').select('email').orderBy('id')).map((r: { email: string }) => r.email);

  before(async () => {
    db = await freshDatabase();
    smtp = await new SmtpSink().start();
    await db.knex.schema.createTable('people', (t) => {
      t.increments('id');
      t.string('email', 254).notNullable().unique();
      t.string('full_name', 255).notNullable();
      t.string('password', 255).notNullable();
    });
    const users = hostUserStore(db.knex);
    createdInTransaction = users.createdInTransaction;
    userStore = users.store;
    host = createHost(db.knex, smtp, { users: users.store });
    const hostErrors: ErrorRequestHandler = (_err, _req, res, _next) => void res.status(500).json({ error: 'host error page' });
    host.app.use(hostErrors);
    await host.au.migrate();
  });
  after(async () => {
    await host.au.close();
    await smtp.stop();
    await db.destroy();
  });

  it("creates no users table of the kit's own", async () => {
    expect(await db.knex.schema.hasTable('au_users')).to.equal(false);
    expect(await db.knex.schema.hasTable('au_accounts')).to.equal(true);
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
    const membership = await db.knex('au_account_users').where({ account_id: accountId }).first();
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
    const link = pathOf(smtp.linkFor('unlucky@example.com'));
    const visitor = new Browser(host.app);
    await visitor.getJson(link);
    // The kit's last write in the transaction fails: the host's row, written with the kit's trx, goes too.
    await db.knex.schema.renameTable('au_activity', 'au_activity_away');
    try {
      // A database error is the kit's 503, its message (SQL) kept out of the answer.
      expect((await visitor.postJson(`${link}/register`, { name: 'Una', password: 'a-good-password' })).status).to.equal(503);
    } finally {
      await db.knex.schema.renameTable('au_activity_away', 'au_activity');
    }
    expect(await people()).to.deep.equal(['olive@acme.test']);
  });

  it('registers an invitee into the host table and lets them through what was granted', async () => {
    const olive = new Browser(host.app);
    await olive.login('olive@acme.test', 'owner-password-1');
    await olive.getJson(`${MOUNT}/`);
    expect((await olive.postJson(`${MOUNT}/invite`, { email: 'anna@example.com', permissions: ['invoices', 'tickets'] })).status).to.equal(201);
    const link = pathOf(smtp.linkFor('anna@example.com'));

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
      db
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
