import { expect } from 'chai';
import request from 'supertest';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { invite, linkPath, otherAccount } from './support/invitations.js';

/** GET /accounts, POST /accounts/switch and POST /accounts/:accountId/leave. */
describe('switching between accounts', function () {
  this.timeout(30_000);

  const world = new World();
  let gus: Awaited<ReturnType<typeof otherAccount>>;
  let initech: Awaited<ReturnType<typeof otherAccount>>;

  const activeAccount = async () => (await gus.browser.agent.get('/host/invoices')).body.account as number;

  before(async () => {
    await world.setUp();
    gus = await otherAccount(world); // owns Globex Corp
    initech = await otherAccount(world, 'Initech', 'peter@initech.test');
    // Gus joins Acme Ltd with invoices only.
    await invite(await world.ownerBrowser(), gus.email, ['invoices']);
    const link = linkPath(world, gus.email);
    await gus.browser.get(link);
    expect((await gus.browser.post(link)).status).to.equal(303);
  });
  after(() => world.tearDown());

  it('lists the accounts the user owns and the ones they joined, as JSON', async () => {
    const res = await gus.browser.getJson(`${MOUNT}/accounts`);
    expect(res.status).to.equal(200);
    const accounts = res.body.accounts.map((a: { id: number; name: string; isOwner: boolean }) => ({ id: a.id, name: a.name, isOwner: a.isOwner }));
    expect(accounts).to.have.deep.members([
      { id: gus.account.id, name: 'Globex Corp', isOwner: true },
      { id: world.account.id, name: 'Acme Ltd', isOwner: false },
    ]);
    expect(res.body.accounts).to.have.length(2);
    expect(res.body.activeAccountId).to.equal(world.account.id);
  });

  it('lists them on a page with the active one marked and a Switch button for the other', async () => {
    const res = await gus.browser.get(`${MOUNT}/accounts`);
    expect(res.status).to.equal(200);
    const acme = res.text.slice(res.text.indexOf(`data-account-id="${world.account.id}"`)).split('</tr>')[0]!;
    const globex = res.text.slice(res.text.indexOf(`data-account-id="${gus.account.id}"`)).split('</tr>')[0]!;
    expect(acme).to.contain('Acme Ltd').and.contain('Active').and.contain('User (1 permission)').and.not.contain('/accounts/switch');
    expect(globex).to.contain('Globex Corp').and.contain('Owner').and.contain('/accounts/switch').and.not.contain('/leave');
    expect(res.text).to.not.contain('Initech');
  });

  it('changes what guarded host routes see on switching', async () => {
    expect(await activeAccount()).to.equal(world.account.id);
    expect((await gus.browser.agent.get('/host/domains')).status).to.equal(403);

    const res = await gus.browser.post(`${MOUNT}/accounts/switch`, { accountId: String(gus.account.id) });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${MOUNT}/accounts`);
    expect(await activeAccount()).to.equal(gus.account.id);
    expect((await gus.browser.agent.get('/host/domains')).status).to.equal(200);
    expect((await gus.browser.get(`${MOUNT}/accounts`)).text).to.contain('You are now working in Globex Corp.');

    const back = await gus.browser.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id });
    expect(back.status).to.equal(200);
    expect(back.body.account).to.include({ id: world.account.id, name: 'Acme Ltd' });
    expect(await activeAccount()).to.equal(world.account.id);
    expect((await gus.browser.agent.get('/host/domains')).status).to.equal(403);
  });

  it('returns to a same-origin returnTo, and ignores one that leaves the site', async () => {
    await gus.browser.get(`${MOUNT}/accounts`);
    const local = await gus.browser.post(`${MOUNT}/accounts/switch`, { accountId: String(gus.account.id), returnTo: '/host/invoices' });
    expect(local.headers.location).to.equal('/host/invoices');
    await gus.browser.get(`${MOUNT}/accounts`);
    const away = await gus.browser.post(`${MOUNT}/accounts/switch`, { accountId: String(world.account.id), returnTo: '//evil.test/phish' });
    expect(away.headers.location).to.equal(`${MOUNT}/accounts`);
    expect(await activeAccount()).to.equal(world.account.id);
  });

  it('answers a switch to an account the user does not belong to with 404, leaving the active account as it was', async () => {
    await gus.browser.getJson(`${MOUNT}/accounts`);
    for (const accountId of [initech.account.id, 999999, 'abc', '']) {
      const res = await gus.browser.postJson(`${MOUNT}/accounts/switch`, { accountId });
      expect(res.status, String(accountId)).to.equal(404);
      expect(res.body.error.message).to.equal('No such account.');
    }
    expect(await activeAccount()).to.equal(world.account.id);
  });

  it('sends a signed-out visitor to the login page, and answers JSON with 401', async () => {
    const page = await request(world.host.app).get(`${MOUNT}/accounts`);
    expect(page.status).to.equal(302);
    expect(page.headers.location).to.equal(`/login?returnTo=${encodeURIComponent(`${MOUNT}/accounts`)}`);
    const json = await request(world.host.app).get(`${MOUNT}/accounts`).set('Accept', 'application/json');
    expect(json.status).to.equal(401);
  });

  describe('leaving', () => {
    it('refuses the owner leaving their own account with 400, changing nothing', async () => {
      await gus.browser.getJson(`${MOUNT}/accounts`);
      const before = await world.count('account_users');
      const res = await gus.browser.postJson(`${MOUNT}/accounts/${gus.account.id}/leave`, {});
      expect(res.status).to.equal(400);
      expect(res.body.error.fields).to.deep.equal([{ field: 'accountId', message: 'the owner cannot leave their own account' }]);
      expect(await world.count('account_users')).to.equal(before);
    });

    it('answers leaving an account the user does not belong to with 404', async () => {
      const res = await gus.browser.postJson(`${MOUNT}/accounts/${initech.account.id}/leave`, {});
      expect(res.status).to.equal(404);
      expect(await world.knex('au_account_users').where({ account_id: initech.account.id })).to.have.length(1);
    });

    it('lets a member leave: the membership goes, the login and their own account stay', async () => {
      await gus.browser.get(`${MOUNT}/accounts`);
      const res = await gus.browser.post(`${MOUNT}/accounts/${world.account.id}/leave`);
      expect(res.status).to.equal(303);
      expect(await world.knex('au_account_users').where({ account_id: world.account.id, user_id: gus.ownerId })).to.have.length(0);
      expect(await world.knex('au_users').where({ id: gus.ownerId })).to.have.length(1);
      const page = await gus.browser.get(`${MOUNT}/accounts`);
      expect(page.text).to.contain('You have left Acme Ltd.');
      expect(page.text).to.not.contain(`data-account-id="${world.account.id}"`);
    });

    it('falls back to an account they still have on the next request', async () => {
      expect(await activeAccount()).to.equal(gus.account.id);
    });

    it('no longer lets them switch into the account they left (404)', async () => {
      await gus.browser.getJson(`${MOUNT}/accounts`);
      const res = await gus.browser.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id });
      expect(res.status).to.equal(404);
    });
  });
});
