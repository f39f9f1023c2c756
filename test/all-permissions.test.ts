import { expect } from 'chai';
import session from 'express-session';
import { World } from './support/world.js';
import { PERMISSIONS } from '../lib/index.js';
import type { Knex } from 'knex';
import { MOUNT, createHost, type TestHost } from './support/app.js';
import { pathOf, type Browser } from './support/client.js';
import { addMember, type Member } from './support/members.js';
import { newLogin, refusedWith } from './support/api.js';
import { countQueries } from './support/queries.js';

const REPORTS = { key: 'reports', label: 'View Reports' };

/** Everything a refused request could have changed. */
async function everything(world: World): Promise<string> {
  const tables = ['account_users', 'invitations', 'outbox', 'activity', 'removed_members'];
  const dump = await Promise.all(tables.map((t) => world.knex(`au_${t}`).select('*').orderBy('id')));
  return JSON.stringify(dump);
}

/** The same database, later: the host has added a permission ("reports") and guards a page with it. */
function withReportsAdded(world: World, store: session.Store, knex: Knex, extra: object = {}): TestHost {
  const later = createHost(knex, world.smtp, { permissions: [REPORTS], ...extra }, store);
  later.app.get('/host/reports', later.au.requirePermission('reports' as never), (req, res) => res.json({ ok: 'reports', can: res.locals.can('reports') }));
  return later;
}

/** Registers through the emailed link of `email` on `host`: the new member's browser, signed in. */
async function register(world: World, host: TestHost, email: string): Promise<Member> {
  const link = pathOf(world.smtp.linkFor(email));
  const browser = world.browser(host);
  await browser.getJson(link);
  const res = await browser.postJson(`${link}/register`, { name: `Member ${email}`, password: 'member-password-1' });
  expect(res.status, res.text).to.equal(201);
  return { browser, userId: Number(res.body.user.id), email, password: 'member-password-1' };
}

/**
 * "All permissions" is kept as the owner's choice, not as the thirteen boxes it ticks: a
 * permission the host adds later is the member's too, decided in the guard's one statement;
 * every box ticked one by one is not the same grant.
 */
describe('"All permissions" covers permissions the host adds later', function () {
  this.timeout(120_000);
  const world = new World();
  const store = new session.MemoryStore();
  let owner: Browser;
  let all: Member;
  let everyBox: Member;
  let later: TestHost;
  let laterKnex: Knex;

  before(async () => {
    await world.setUp({ delegation: true, presets: [{ key: 'everything', label: 'Everything', permissions: ['*'] }] }, store);
    owner = await world.ownerBrowser();
    // The invite form, as a browser sends it: the "All permissions" box, and the boxes its script ticked.
    await owner.get(`${MOUNT}/invite`);
    const sent = await owner.post(`${MOUNT}/invite`, { email: 'all@example.com', allPermissions: 'on', permissions: ['invoices', 'tickets'] });
    expect(sent.status, sent.text).to.equal(303);
    all = await register(world, world.host, 'all@example.com');
    everyBox = await addMember(
      world,
      owner,
      'every-box@example.com',
      PERMISSIONS.map((p) => p.key),
    );
    laterKnex = world.db.connect();
    later = withReportsAdded(world, store, laterKnex, { delegation: true });
  });
  after(async () => {
    await later?.au.close();
    await laterKnex?.destroy();
    await world.tearDown();
  });

  it('lets a member given "All permissions" through a page guarded by a permission added after they joined, in one statement', async () => {
    const browser = world.browser(later);
    await browser.login(all.email, all.password);
    await browser.getJson('/host/reports');
    const { result, queries } = await countQueries(laterKnex, () => browser.getJson('/host/reports'));
    expect(result.status, result.text).to.equal(200);
    expect(result.body.can).to.equal(true);
    expect(queries, queries.join('\n')).to.have.length(1);
  });

  it('refuses the added permission to a member who was given every box one by one', async () => {
    const browser = world.browser(later);
    await browser.login(everyBox.email, everyBox.password);
    const res = await browser.getJson('/host/reports');
    expect(res.status, res.text).to.equal(403);
  });

  it('answers au.api.can and the member view with the added permission and allPermissions: true', async () => {
    expect(await later.au.api.can({ userId: all.userId, accountId: world.account.id }, 'reports' as never)).to.equal(true);
    expect(await later.au.api.can({ userId: everyBox.userId, accountId: world.account.id }, 'reports' as never)).to.equal(false);
    const { member } = await later.au.api.getMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: all.userId });
    expect(member.allPermissions).to.equal(true);
    expect(member.permissions).to.include('reports');
    const other = await later.au.api.getMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: everyBox.userId });
    expect(other.member.allPermissions).to.equal(false);
  });

  it('does not give user management: Manage Users is granted only by its own box', async () => {
    expect(await world.host.au.api.can({ userId: all.userId, accountId: world.account.id }, 'manageusers' as never)).to.equal(false);
    const res = await all.browser.getJson(`${MOUNT}/`);
    expect(res.status, res.text).to.equal(403);
  });

  it('pre-ticks "All permissions" on the edit form of such a member, and not on that of every box ticked one by one', async () => {
    const page = await owner.get(`${MOUNT}/users/${all.userId}`);
    expect(page.text).to.match(/<input type="checkbox" name="allPermissions" value="on"[^>]* checked>/);
    const other = await owner.get(`${MOUNT}/users/${everyBox.userId}`);
    expect(other.text).to.match(/<input type="checkbox" name="allPermissions" value="on"[^>]*>/);
    expect(other.text).not.to.match(/name="allPermissions" value="on"[^>]* checked>/);
  });

  it('lists the member under a filter by the added permission, and shows "All permissions" on the users page', async () => {
    const ownerLater = world.browser(later);
    await ownerLater.login('owner@acme.test', 'owner-password-1');
    const res = await ownerLater.getJson(`${MOUNT}/?permission=reports`);
    expect(res.status, res.text).to.equal(200);
    const emails = (res.body.members as Array<{ email: string }>).map((m) => m.email);
    expect(emails).to.include(all.email);
    expect(emails).not.to.include(everyBox.email);
    const html = await ownerLater.get(`${MOUNT}/`);
    expect(html.text).to.contain('All permissions');
  });

  it('keeps "All permissions" through a removal and a restore', async () => {
    const au = world.host.au;
    const actor = { userId: world.ownerId };
    await au.api.removeMember({ actor, accountId: world.account.id, userId: all.userId });
    await au.api.restoreMember({ actor, accountId: world.account.id, userId: all.userId });
    expect(await later.au.api.can({ userId: all.userId, accountId: world.account.id }, 'reports' as never)).to.equal(true);
  });

  it('takes "All permissions" back when the box is unticked, keeping the ticked boxes', async () => {
    const login = await newLogin(world.host.au, 'untick');
    const { invitation } = await world.host.au.api.invite({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      email: login.email,
      allPermissions: true,
      send: false,
    });
    expect(invitation.allPermissions).to.equal(true);
    expect(invitation.permissions).to.have.length(13);
    await world.host.au.api.acceptInvitation({ userId: login.userId, invitationId: invitation.id });
    await owner.get(`${MOUNT}/users/${login.userId}`);
    const saved = await owner.post(`${MOUNT}/users/${login.userId}/permissions`, { permissions: ['invoices'] });
    expect(saved.status, saved.text).to.equal(303);
    const { member } = await later.au.api.getMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: login.userId });
    expect(member.allPermissions).to.equal(false);
    expect(member.permissions).to.deep.equal(['invoices']);
  });

  it('applies "All permissions" through a preset naming "*"', async () => {
    const login = await newLogin(world.host.au, 'preset');
    const { invitation } = await world.host.au.api.invite({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      email: login.email,
      preset: 'everything',
      send: false,
    });
    expect(invitation.allPermissions).to.equal(true);
    const page = await owner.post(`${MOUNT}/invite`, { email: 'x@example.com', applyPreset: 'everything' });
    expect(page.text).to.match(/name="allPermissions" value="on"[^>]* checked>/);
  });

  it('is granted by a delegate only if they hold it themselves (JSON and au.api), writing nothing', async () => {
    const delegate = await addMember(world, owner, 'delegate@example.com', ['manageusers', 'invoices', 'tickets']);
    await delegate.browser.getJson(`${MOUNT}/`);
    const before = await everything(world);
    const res = await delegate.browser.postJson(`${MOUNT}/invite`, { email: 'via-delegate@example.com', allPermissions: true, permissions: ['invoices'] });
    expect(res.status, res.text).to.equal(403);
    expect(res.body.error.message).to.contain('All permissions');
    const err = await refusedWith(
      world.host.au.api.invite({
        actor: { userId: delegate.userId },
        accountId: world.account.id,
        email: 'via-delegate@example.com',
        allPermissions: true,
        send: false,
      }),
      'ForbiddenError',
    );
    expect(err.message).to.contain('All permissions');
    const edit = await delegate.browser.postJson(`${MOUNT}/users/${everyBox.userId}/permissions`, { permissions: ['invoices'], allPermissions: true });
    expect(edit.status, edit.text).to.equal(403);
    expect(await everything(world)).to.equal(before);
    // Their form does not offer the box.
    const form = await delegate.browser.get(`${MOUNT}/invite`);
    expect(form.text).not.to.contain('name="allPermissions"');
  });

  it('is granted by a delegate who holds it themselves', async () => {
    const login = await newLogin(world.host.au, 'chief');
    const { invitation } = await world.host.au.api.invite({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      email: login.email,
      allPermissions: true,
      permissions: ['manageusers'] as never[],
      send: false,
    });
    await world.host.au.api.acceptInvitation({ userId: login.userId, invitationId: invitation.id });
    const made = await world.host.au.api.invite({
      actor: { userId: login.userId },
      accountId: world.account.id,
      email: 'by-chief@example.com',
      allPermissions: true,
      send: false,
    });
    expect(made.invitation.allPermissions).to.equal(true);
  });

  it('refuses an invitation with no box and no "All permissions", naming the field', async () => {
    const res = await owner.postJson(`${MOUNT}/invite`, { email: 'none@example.com', allPermissions: false });
    expect(res.status, res.text).to.equal(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(['permissions']);
    const bad = await owner.postJson(`${MOUNT}/invite`, { email: 'none@example.com', allPermissions: 'maybe', permissions: ['invoices'] });
    expect(bad.status, bad.text).to.equal(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).to.include('allPermissions');
  });

  it('refuses "*" sent as a permission key', async () => {
    const res = await owner.postJson(`${MOUNT}/invite`, { email: 'star@example.com', permissions: ['*'] });
    expect(res.status, res.text).to.equal(400);
  });
});
