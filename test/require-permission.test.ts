import { expect } from 'chai';
import request from 'supertest';
import { OptionsError, PERMISSIONS, type PermissionKey } from '../lib/index.js';
import { World, OWNER } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf, type Browser } from './support/client.js';
import { addMember, setPermissions, type Member } from './support/members.js';

const KEYS: PermissionKey[] = PERMISSIONS.map((p) => p.key);

describe('requirePermission', () => {
  const world = new World();
  let owner: Browser;

  before(async () => {
    await world.setUp();
    // A host route that shows what the guard hands on to handlers and templates.
    world.host.app.get('/probe', world.host.au.requirePermission('tickets'), (req, res) => {
      res.json({ accountUser: req.accountUser, can: Object.fromEntries([...KEYS, 'invocies'].map((k) => [k, res.locals.can(k)])) });
    });
    owner = await world.ownerBrowser();
  });
  after(() => world.tearDown());

  describe('for every permission key', () => {
    let member: Member;
    before(async () => {
      member = await addMember(world, owner, 'member@example.com', ['invoices']);
    });

    for (const key of KEYS) {
      it(`lets a member granted ${key} reach /host/${key}`, async () => {
        await setPermissions(owner, member.userId, [key]);
        const res = await member.browser.agent.get(`/host/${key}`).set('Accept', 'application/json');
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ ok: key, account: world.account.id, can: true });
      });

      it(`refuses a member holding every other key but not ${key} with 403`, async () => {
        await setPermissions(
          owner,
          member.userId,
          KEYS.filter((k) => k !== key),
        );
        const res = await member.browser.agent.get(`/host/${key}`).set('Accept', 'application/json');
        expect(res.status).to.equal(403);
      });
    }

    it('lets a member holding one key through that route only', async () => {
      await setPermissions(owner, member.userId, ['quotes']);
      const statuses: Record<string, number> = {};
      for (const key of KEYS) statuses[key] = (await member.browser.agent.get(`/host/${key}`)).status;
      expect(statuses).to.deep.equal(Object.fromEntries(KEYS.map((k) => [k, k === 'quotes' ? 200 : 403])));
    });

    it('lets the owner through every host route', async () => {
      const statuses: Record<string, number> = {};
      for (const key of KEYS) statuses[key] = (await owner.agent.get(`/host/${key}`)).status;
      expect(statuses).to.deep.equal(Object.fromEntries(KEYS.map((k) => [k, 200])));
    });
  });

  describe('refusals', () => {
    let member: Member;
    before(async () => {
      member = await addMember(world, owner, 'refused@example.com', ['invoices']);
    });

    it('redirects an anonymous HTML request to the login page with returnTo', async () => {
      const res = await request(world.host.app).get('/host/invoices').set('Accept', 'text/html');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/login?returnTo=%2Fhost%2Finvoices');
    });

    it('keeps the query string in returnTo', async () => {
      const res = await request(world.host.app).get('/host/invoices?page=2&sort=due').set('Accept', 'text/html');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal(`/login?returnTo=${encodeURIComponent('/host/invoices?page=2&sort=due')}`);
    });

    it('answers an anonymous JSON request with 401 and {error:{code,message}}', async () => {
      const res = await request(world.host.app).get('/host/invoices').set('Accept', 'application/json');
      expect(res.status).to.equal(401);
      expect(res.body).to.have.all.keys('error');
      expect(res.body.error).to.have.all.keys('code', 'message');
      expect(res.body.error.code).to.equal('unauthenticated');
      expect(res.body.error.message).to.be.a('string').that.is.not.empty;
    });

    it('answers a JSON request without the permission with 403 naming the missing permission', async () => {
      const res = await member.browser.agent.get('/host/domains').set('Accept', 'application/json');
      expect(res.status).to.equal(403);
      expect(res.body).to.have.all.keys('error');
      expect(res.body.error).to.have.all.keys('code', 'message');
      expect(res.body.error.code).to.equal('forbidden');
      expect(res.body.error.message).to.contain('View Domains');
    });

    it('answers an HTML request without the permission with a 403 page', async () => {
      const res = await member.browser.agent.get('/host/domains').set('Accept', 'text/html');
      expect(res.status).to.equal(403);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text).to.contain('View Domains');
    });

    it('refuses with 403 a signed-in user who belongs to no account', async () => {
      const leaver = await addMember(world, owner, 'leaver@example.com', ['invoices']);
      await leaver.browser.getJson(`${MOUNT}/accounts`);
      const left = await leaver.browser.postJson(`${MOUNT}/accounts/${world.account.id}/leave`, {});
      expect(left.status).to.equal(200);
      const res = await leaver.browser.agent.get('/host/invoices').set('Accept', 'application/json');
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
    });
  });

  describe('a membership in a foreign account', () => {
    // Mia is a member of Acme (account A) with no permissions, and of Beta (account B) with all of them.
    let mia: Member;
    let beta: { id: number };
    let gamma: { id: number };

    async function switchTo(browser: Browser, accountId: number) {
      await browser.getJson(`${MOUNT}/accounts`);
      return browser.postJson(`${MOUNT}/accounts/switch`, { accountId });
    }

    before(async () => {
      mia = await addMember(world, owner, 'mia@example.com', []);
      ({ account: beta } = await world.host.au.createAccount({
        name: 'Beta GmbH',
        owner: { email: 'bea@beta.test', name: 'Bea', password: 'bea-password-1' },
      }));
      ({ account: gamma } = await world.host.au.createAccount({
        name: 'Gamma Inc',
        owner: { email: 'gus@gamma.test', name: 'Gus', password: 'gus-password-1' },
      }));
      const bea = world.browser();
      await bea.login('bea@beta.test', 'bea-password-1');
      await bea.getJson(`${MOUNT}/`);
      expect((await bea.postJson(`${MOUNT}/invite`, { email: 'mia@example.com', permissions: KEYS })).status).to.equal(201);
      const link = pathOf(world.smtp.linkFor('mia@example.com'));
      await mia.browser.getJson(link);
      expect((await mia.browser.postJson(link, {})).status).to.equal(200);
    });

    it('refuses every host route in the active account where the user holds nothing', async () => {
      expect((await switchTo(mia.browser, world.account.id)).status).to.equal(200);
      const statuses: Record<string, number> = {};
      for (const key of KEYS) statuses[key] = (await mia.browser.agent.get(`/host/${key}`)).status;
      expect(statuses).to.deep.equal(Object.fromEntries(KEYS.map((k) => [k, 403])));
    });

    it('grants in the foreign account only once it is the active one', async () => {
      expect((await switchTo(mia.browser, beta.id)).status).to.equal(200);
      const res = await mia.browser.agent.get('/host/invoices').set('Accept', 'application/json');
      expect(res.status).to.equal(200);
      expect(res.body.account).to.equal(beta.id);
    });

    it('refuses to make an account the user does not belong to the active one', async () => {
      expect((await switchTo(mia.browser, world.account.id)).status).to.equal(200);
      const refused = await switchTo(mia.browser, gamma.id);
      expect(refused.status).to.equal(404);
      // Still acting in Acme, where Mia holds nothing.
      expect((await mia.browser.agent.get('/host/invoices')).status).to.equal(403);
    });

    it('does not carry ownership of one account into another', async () => {
      const bea = world.browser();
      await bea.login('bea@beta.test', 'bea-password-1');
      await owner.getJson(`${MOUNT}/`);
      expect((await owner.postJson(`${MOUNT}/invite`, { email: 'bea@beta.test', permissions: ['tickets'] })).status).to.equal(201);
      // Bea, owner of Beta, accepts Acme's invitation signed in; accepting makes Acme her active account.
      const link = pathOf(world.smtp.linkFor('bea@beta.test'));
      await bea.getJson(link);
      expect((await bea.postJson(link, {})).status).to.equal(200);
      expect((await bea.agent.get('/host/tickets').set('Accept', 'application/json')).body.account).to.equal(world.account.id);
      expect((await bea.agent.get('/host/invoices')).status).to.equal(403);
    });
  });

  describe('what a guarded handler sees', () => {
    it("sets req.accountUser and res.locals.can to a member's standing", async () => {
      const member = await addMember(world, owner, 'probe@example.com', ['tickets', 'invoices']);
      const res = await member.browser.agent.get('/probe').set('Accept', 'application/json');
      expect(res.status).to.equal(200);
      const { accountUser, can } = res.body;
      expect(accountUser.account).to.deep.equal({ id: world.account.id, name: 'Acme Ltd', ownerUserId: world.ownerId });
      expect(accountUser.user).to.include({ id: member.userId, email: 'probe@example.com' });
      expect(accountUser.permissions).to.deep.equal(['invoices', 'tickets']);
      expect(accountUser.isOwner).to.equal(false);
      expect(can).to.deep.equal({ ...Object.fromEntries(KEYS.map((k) => [k, k === 'invoices' || k === 'tickets'])), invocies: false });
    });

    it("sets req.accountUser and res.locals.can to the owner's standing: every key, and no key the catalogue lacks", async () => {
      const res = await owner.agent.get('/probe').set('Accept', 'application/json');
      expect(res.status).to.equal(200);
      expect(res.body.accountUser.user).to.include({ id: world.ownerId, email: OWNER.email });
      expect(res.body.accountUser.isOwner).to.equal(true);
      expect(res.body.accountUser.permissions).to.deep.equal(KEYS);
      expect(res.body.can).to.deep.equal({ ...Object.fromEntries(KEYS.map((k) => [k, true])), invocies: false });
    });
  });

  describe('creating a guard', () => {
    it('throws OptionsError for an unknown key when the route is defined, not at the first request', () => {
      expect(() => world.host.au.requirePermission('invocies' as PermissionKey)).to.throw(OptionsError, /invocies/);
    });

    it('throws OptionsError when no key is named', () => {
      const requirePermission = world.host.au.requirePermission as (...keys: string[]) => unknown;
      expect(() => requirePermission()).to.throw(OptionsError, /at least one/);
    });
  });
});
