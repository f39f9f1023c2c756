import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { newLogin } from './support/api.js';

/** The cells of one account's row on the accounts page. */
function rowOf(html: string, accountId: number): string {
  const start = html.indexOf(`data-account-id="${accountId}"`);
  expect(start, `row of account ${accountId}`).to.be.greaterThan(-1);
  return html.slice(start).split('</tr>')[0]!;
}

/** The accessible names of a row's actions, in order (links and buttons). */
function actionsOf(row: string): string[] {
  const actions = row.slice(row.indexOf('au-actions'));
  return [...actions.matchAll(/<(?:a|button)[^>]*aria-label="([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * Where an invitee lands after accepting: the accounts page, where the account just joined offers
 * "Open" (the portal's pages, `homeUrl`) first, never Leave; its role names what they may do; and
 * someone who was working in their own account is told they switched.
 */
describe('landing after accepting an invitation', function () {
  this.timeout(60_000);
  const world = new World();

  before(() => world.setUp({ homeUrl: '/dashboard' }));
  after(() => world.tearDown());

  it('offers Open (to homeUrl) as the first action of the account just joined, Leave last, and names the permissions', async () => {
    const owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    expect((await owner.postJson(`${MOUNT}/invite`, { email: 'joiner@example.com', permissions: ['invoices', 'tickets'] })).status).to.equal(201);
    const link = pathOf(world.smtp.linkFor('joiner@example.com'));
    const b = world.browser();
    await b.get(link);
    const done = await b.post(`${link}/register`, { name: 'Jo Iner', password: 'joiner-password-1' });
    expect(done.status, done.text).to.equal(303);
    expect(done.headers.location).to.equal(`${MOUNT}/accounts`);
    const page = await b.get(`${MOUNT}/accounts`);
    expect(page.text).to.contain('Welcome! You now have access to Acme Ltd');
    const row = rowOf(page.text, world.account.id);
    expect(actionsOf(row)).to.deep.equal(['Open Acme Ltd', 'Leave Acme Ltd']);
    expect(row).to.contain('<a href="/dashboard" class="au-button au-button-primary" aria-label="Open Acme Ltd">Open</a>');
    expect(row).to.contain('User (2 permissions)');
    expect(row).to.contain('View &amp; Pay Invoices');
    expect(row).to.contain('View &amp; Open Support Tickets');
  });

  it('tells an owner of their own account that they switched, and offers Switch back and Open for the new one', async () => {
    const login = await newLogin(world.host.au, 'owner-elsewhere');
    const owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    expect((await owner.postJson(`${MOUNT}/invite`, { email: login.email, allPermissions: true })).status).to.equal(201);
    const link = pathOf(world.smtp.linkFor(login.email));
    const b = world.browser();
    await b.login(login.email, login.password);
    await b.get(link);
    const done = await b.post(link, {});
    expect(done.status, done.text).to.equal(303);
    const page = await b.get(`${MOUNT}/accounts`);
    expect(page.text).to.match(/You are now working in Acme Ltd instead of owner-elsewhere \d+ Ltd/);
    const joined = rowOf(page.text, world.account.id);
    expect(actionsOf(joined)[0]).to.equal('Open Acme Ltd');
    expect(joined).to.contain('All permissions');
    const own = rowOf(page.text, login.ownAccountId);
    expect(actionsOf(own)[0]).to.match(/^Switch to /);
  });

  it('refuses a homeUrl that leaves the site at start-up', () => {
    expect(() => world.secondInstance({ homeUrl: '//evil.example' })).to.throw(/homeUrl/);
    expect(() => world.secondInstance({ homeUrl: 'https://evil.example/' })).to.throw(/homeUrl/);
  });
});
