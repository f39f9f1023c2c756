import { expect } from 'chai';
import type { ErrorRequestHandler } from 'express';
import { InvalidInputError, NotFoundError, PERMISSIONS, type AccountUsers, type CreateAccountInput, type PermissionKey } from '../lib/index.js';
import { World, OWNER } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { addMember, type Member } from './support/members.js';

const KEYS = PERMISSIONS.map((p) => p.key);
const newOwner = (email: string) => ({ email, name: 'Nora New', password: 'nora-password-1' });

describe('accounts and their owners', () => {
  const world = new World();
  before(async () => {
    await world.setUp();
    // Errors the kit does not own (a database failure) reach the host's handler.
    const hostErrors: ErrorRequestHandler = (_err, _req, res, _next) => void res.status(500).json({ error: 'host error page' });
    world.host.app.use(hostErrors);
  });
  after(() => world.tearDown());

  const counts = async () => ({
    users: await world.count('users'),
    accounts: await world.count('accounts'),
    memberships: await world.count('account_users'),
    invitations: await world.count('invitations'),
    outbox: await world.count('outbox'),
  });

  async function storedPermissions(accountId: number, userId: number): Promise<string[]> {
    const row = (await world.knex('au_account_users').where({ account_id: accountId, user_id: userId }).first()) as { permissions: string };
    return JSON.parse(row.permissions) as string[];
  }

  async function rejection(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (err) {
      return err as Error;
    }
    return expect.fail('expected a rejection');
  }

  describe('au.createAccount', () => {
    it('creates an account with a new owner who is a member holding every permission', async () => {
      const { account, owner } = await world.host.au.createAccount({ name: 'Beta GmbH', owner: newOwner('nora@beta.test') });
      expect(account).to.deep.equal({ id: account.id, name: 'Beta GmbH', ownerUserId: owner.id });
      expect(owner).to.include({ email: 'nora@beta.test', name: 'Nora New' });
      expect(await storedPermissions(account.id, owner.id)).to.deep.equal(KEYS);
    });

    it('stores the owner email trimmed and lower-cased, and signs in with any letter case', async () => {
      const { owner } = await world.host.au.createAccount({ name: 'Case Ltd', owner: newOwner('  Mixed.Case@Example.COM ') });
      expect(owner.email).to.equal('mixed.case@example.com');
      const row = (await world.knex('au_users').where({ id: owner.id }).first()) as { email: string };
      expect(row.email).to.equal('mixed.case@example.com');
      await world.browser().login('MIXED.case@example.com', 'nora-password-1');
    });

    it('lets the new owner through every host route', async () => {
      await world.host.au.createAccount({ name: 'Gamma Inc', owner: newOwner('gina@gamma.test') });
      const gina = world.browser();
      await gina.login('gina@gamma.test', 'nora-password-1');
      const statuses: Record<string, number> = {};
      for (const key of KEYS) statuses[key] = (await gina.agent.get(`/host/${key}`)).status;
      expect(statuses).to.deep.equal(Object.fromEntries(KEYS.map((k) => [k, 200])));
    });

    it('creates an account owned by an existing user, without a new login', async () => {
      const before = await counts();
      const { account, owner } = await world.host.au.createAccount({ name: 'Side Project', owner: { userId: world.ownerId } });
      expect(owner).to.include({ id: world.ownerId, email: OWNER.email });
      expect(account.ownerUserId).to.equal(world.ownerId);
      expect(await counts()).to.deep.equal({ ...before, accounts: before.accounts + 1, memberships: before.memberships + 1 });
      expect(await storedPermissions(account.id, world.ownerId)).to.deep.equal(KEYS);

      const olive = await world.ownerBrowser();
      await olive.getJson(`${MOUNT}/accounts`);
      expect((await olive.postJson(`${MOUNT}/accounts/switch`, { accountId: account.id })).status).to.equal(200);
      const res = await olive.agent.get('/host/orders').set('Accept', 'application/json');
      expect(res.status).to.equal(200);
      expect(res.body.account).to.equal(account.id);
    });

    it('refuses an unknown owner userId with NotFoundError and writes nothing', async () => {
      const before = await counts();
      const err = await rejection(world.host.au.createAccount({ name: 'Nobody Ltd', owner: { userId: 987654 } }));
      expect(err).to.be.instanceOf(NotFoundError);
      expect(await counts()).to.deep.equal(before);
    });

    it('refuses an email that already has a login, naming the email field, and writes nothing', async () => {
      const before = await counts();
      const err = await rejection(world.host.au.createAccount({ name: 'Again Ltd', owner: newOwner(OWNER.email.toUpperCase()) }));
      expect(err).to.be.instanceOf(InvalidInputError);
      expect((err as InvalidInputError).issues.map((i) => i.field)).to.deep.equal(['email']);
      expect(await counts()).to.deep.equal(before);
    });

    it('accepts a name of exactly 255 characters and a password of exactly 1024 bytes', async () => {
      const password = 'é'.repeat(512); // two bytes each
      const { account } = await world.host.au.createAccount({
        name: 'n'.repeat(255),
        owner: { email: 'long@example.com', name: 'o'.repeat(255), password },
      });
      expect(account.name).to.have.length(255);
      await world.browser().login('long@example.com', password);
    });
  });

  describe('bad input to createAccount', () => {
    const good = { name: 'Delta Ltd', owner: newOwner('delta@example.com') };
    const cases: Array<[string, CreateAccountInput, string, RegExp]> = [
      ['a malformed email', { ...good, owner: { ...good.owner, email: 'not-an-email' } }, 'owner.email', /valid email/],
      ['an email with a line break', { ...good, owner: { ...good.owner, email: 'a@b.test\r\nBcc: x@y.test' } }, 'owner.email', /./],
      ['an account name over 255 characters', { ...good, name: 'x'.repeat(256) }, 'name', /at most 255/],
      ['an owner name over 255 characters', { ...good, owner: { ...good.owner, name: 'x'.repeat(256) } }, 'owner.name', /at most 255/],
      ['an empty password', { ...good, owner: { ...good.owner, password: '' } }, 'owner.password', /at least/],
      ['a password over 1024 bytes', { ...good, owner: { ...good.owner, password: 'é'.repeat(513) } }, 'owner.password', /at most 1024 bytes/],
    ];
    for (const [what, input, field, message] of cases) {
      it(`refuses ${what} with InvalidInputError naming ${field}, and writes nothing`, async () => {
        const before = await counts();
        const err = await rejection(world.host.au.createAccount(input));
        expect(err).to.be.instanceOf(InvalidInputError);
        const issue = (err as InvalidInputError).issues.find((i) => i.field === field);
        expect(issue, JSON.stringify((err as InvalidInputError).issues)).to.not.equal(undefined);
        expect(issue!.message).to.match(message);
        expect(err.message).to.contain(field);
        expect(await counts()).to.deep.equal(before);
      });
    }
  });

  describe('bad input over HTTP', () => {
    let link: string;
    before(async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      expect((await owner.postJson(`${MOUNT}/invite`, { email: 'newcomer@example.com', permissions: ['invoices'] })).status).to.equal(201);
      link = pathOf(world.smtp.linkFor('newcomer@example.com'));
    });

    const registerCases: Array<[string, Record<string, string>, string]> = [
      ['an empty password', { name: 'Nina', password: '' }, 'password'],
      ['a password over 1024 bytes', { name: 'Nina', password: 'x'.repeat(1025) }, 'password'],
      ['a name over 255 characters', { name: 'x'.repeat(256), password: 'a-good-password' }, 'name'],
      ['a missing name', { password: 'a-good-password' }, 'name'],
    ];
    for (const [what, body, field] of registerCases) {
      it(`answers registration with ${what} with 400 naming ${field}, and writes nothing`, async () => {
        const before = await counts();
        const visitor = world.browser();
        await visitor.getJson(link);
        const res = await visitor.postJson(`${link}/register`, body);
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal('invalid_input');
        expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal([field]);
        expect(await counts()).to.deep.equal(before);
        expect((await world.knex('au_invitations').where({ email: 'newcomer@example.com' }).first()).status).to.equal('pending');
      });
    }

    it('answers an invitation to a malformed email with 400 naming email, and sends nothing', async () => {
      const owner = await world.ownerBrowser();
      const before = await counts();
      const mails = world.smtp.messages.length;
      await owner.getJson(`${MOUNT}/`);
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'someone@', permissions: ['invoices'] });
      expect(res.status).to.equal(400);
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(['email']);
      expect(await counts()).to.deep.equal(before);
      expect(world.smtp.messages.length).to.equal(mails);
    });

    it('answers an invitation with an unknown permission key with 400 naming it, and writes nothing', async () => {
      const owner = await world.ownerBrowser();
      const before = await counts();
      await owner.getJson(`${MOUNT}/`);
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'keys@example.com', permissions: ['invoices', 'invocies'] });
      expect(res.status).to.equal(400);
      expect(res.body.error.fields).to.have.length(1);
      expect(res.body.error.fields[0].field).to.equal('permissions');
      expect(res.body.error.fields[0].message).to.contain('invocies');
      expect(await counts()).to.deep.equal(before);
    });

    it('answers an edit with an unknown permission key with 400 naming it, and leaves the grant as it was', async () => {
      const owner = await world.ownerBrowser();
      const member: Member = await addMember(world, owner, 'edited@example.com', ['tickets']);
      await owner.getJson(`${MOUNT}/users/${member.userId}`);
      const res = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'superuser'] });
      expect(res.status).to.equal(400);
      expect(res.body.error.fields[0].field).to.equal('permissions');
      expect(res.body.error.fields[0].message).to.contain('superuser');
      expect(await storedPermissions(world.account.id, member.userId)).to.deep.equal(['tickets']);
    });
  });

  describe('a database error mid-operation', () => {
    // The failure is real: the table the last write of the operation needs is renamed away for the moment.
    async function withTableRenamed<T>(table: string, run: () => Promise<T>): Promise<T> {
      await world.knex.schema.renameTable(table, `${table}_away`);
      try {
        return await run();
      } finally {
        await world.knex.schema.renameTable(`${table}_away`, table);
      }
    }

    it('leaves no user or account behind when the owner membership cannot be written', async () => {
      const before = await counts();
      const err = await withTableRenamed('au_account_users', () =>
        rejection(world.host.au.createAccount({ name: 'Half Ltd', owner: newOwner('half@example.com') })),
      );
      expect(err).to.not.be.instanceOf(InvalidInputError);
      expect(await counts()).to.deep.equal(before);
      expect(await world.knex('au_users').where({ email: 'half@example.com' }).first()).to.equal(undefined);
      // Nothing stands in the way of trying again.
      await world.host.au.createAccount({ name: 'Half Ltd', owner: newOwner('half@example.com') });
    });

    it('leaves no login and a still-pending invitation when registration fails at its last write', async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      expect((await owner.postJson(`${MOUNT}/invite`, { email: 'unlucky@example.com', permissions: ['invoices'] })).status).to.equal(201);
      const link = pathOf(world.smtp.linkFor('unlucky@example.com'));
      const visitor = world.browser();
      await visitor.getJson(link);
      const before = await counts();

      const failed = await withTableRenamed('au_activity', () => visitor.postJson(`${link}/register`, { name: 'Una', password: 'a-good-password' }));
      // A database error is the kit's 503, its message (SQL) kept out of the answer.
      expect(failed.status).to.equal(503);
      expect(failed.body.error.code).to.equal('unavailable');
      expect(failed.text).not.to.contain('au_activity');
      expect(await counts()).to.deep.equal(before);
      expect(await world.knex('au_users').where({ email: 'unlucky@example.com' }).first()).to.equal(undefined);
      expect((await world.knex('au_invitations').where({ email: 'unlucky@example.com' }).first()).status).to.equal('pending');

      // The same link still works once the database is back.
      const retried = await visitor.postJson(`${link}/register`, { name: 'Una', password: 'a-good-password' });
      expect(retried.status).to.equal(201);
    });
  });

  describe('permissions added after the account was created', () => {
    const REPORTS = { key: 'reports', label: 'View Reports', description: 'Usage reports' };
    let member: Member;
    let upgraded: ReturnType<World['secondInstance']>;

    before(async () => {
      member = await addMember(world, await world.ownerBrowser(), 'everything@example.com', KEYS);
      // The same database, served by a kit that now knows one more permission.
      upgraded = world.secondInstance({ permissions: [REPORTS] });
      const au = upgraded.au as unknown as AccountUsers<PermissionKey | 'reports'>;
      upgraded.app.get('/host/reports', au.requirePermission('reports'), (req, res) => res.json({ permissions: req.accountUser?.permissions }));
    });

    it('lets the owner through a permission added later, with no change to the stored row', async () => {
      const stored = await storedPermissions(world.account.id, world.ownerId);
      const olive = world.browser(upgraded);
      await olive.login(OWNER.email, OWNER.password);
      const res = await olive.agent.get('/host/reports').set('Accept', 'application/json');
      expect(res.status).to.equal(200);
      expect(res.body.permissions).to.deep.equal([...KEYS, 'reports']);
      expect(await storedPermissions(world.account.id, world.ownerId)).to.deep.equal(stored);
    });

    it('does not give a member holding every built-in key the permission added later', async () => {
      const browser = world.browser(upgraded);
      await browser.login(member.email, member.password);
      expect((await browser.agent.get('/host/reports')).status).to.equal(403);
      expect((await browser.agent.get('/host/invoices')).status).to.equal(200);
    });
  });
});
