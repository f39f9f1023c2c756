import { expect } from 'chai';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { apiMember, newLogin, refusedWith } from './support/api.js';
import { DEFAULT_MESSAGES } from '../lib/index.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Suspend and reinstate, and a removed member restored: the membership stays (or its tombstone
 * does), the guard, au.api.can, au.api and the switcher refuse a suspended member on the very
 * next request, and both ways back give exactly what was there, no more.
 */
describe('member lifecycle: suspend and reinstate', () => {
  const { world, owner } = useWorld({}, { owner: 'signed-in' });
  let member: Member;
  let events: Array<{ action: string; subjectUserId?: number | null; details?: Record<string, unknown> }>;
  before(async () => {
    member = await addMember(world, owner, 'bookkeeper@example.com', ['invoices', 'tickets']);
    // An end date, to prove the reinstatement gives back exactly what was there.
    await owner.getJson(`${MOUNT}/users/${member.userId}`);
    const until = new Date(world.host.clock.now().getTime() + 30 * DAY).toISOString();
    expect((await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'tickets'], accessUntil: until })).status).to.equal(
      200,
    );
    events = [];
    world.host.au.events.on('activity', (e) => events.push(e));
  });

  const api = () => world.host.au.api;
  const inAccount = () => ({ actor: { system: 'test' }, accountId: world.account.id });

  it('lets the member in before the suspension (a session opened now)', async () => {
    expect((await member.browser.getJson('/host/invoices')).status).to.equal(200);
  });

  it('suspends through the JSON route with a reason, answering the member with suspended: true', async () => {
    await owner.getJson(`${MOUNT}/users/${member.userId}/suspend`);
    const res = await owner.postJson(`${MOUNT}/users/${member.userId}/suspend`, { reason: 'On leave until March' });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.member).to.include({ suspended: true, suspendedReason: 'On leave until March' });
    expect(res.body.member.permissions).to.deep.equal(['invoices', 'tickets']);
  });

  it('refuses the session opened before on its very next request, naming the account', async () => {
    const res = await member.browser.getJson('/host/invoices');
    expect(res.status).to.equal(403);
    expect(res.body.error.message).to.equal('Your access to Acme Ltd is suspended. Ask the account owner to reinstate it.');
    expect((await member.browser.getJson('/host/tickets')).status).to.equal(403);
  });

  it('answers false from au.api.can', async () => {
    expect(await api().can({ userId: member.userId, accountId: world.account.id }, 'invoices')).to.equal(false);
  });

  it('refuses the member as an au.api actor in that account', async () => {
    const err = await refusedWith(api().listActivity({ actor: { userId: member.userId }, accountId: world.account.id }), 'ForbiddenError');
    expect(err.message).to.include('Acme Ltd').and.to.include('suspended');
  });

  it('refuses a switch into the account and shows "your access to Acme Ltd is suspended" with the reason on the accounts page', async () => {
    const switched = await member.browser.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id });
    expect(switched.status).to.equal(403);
    const json = await member.browser.getJson(`${MOUNT}/accounts`);
    const row = json.body.accounts.find((a: { id: number }) => a.id === world.account.id);
    expect(row).to.include({ suspended: true, suspendedReason: 'On leave until March', switchable: false });
    const html = (await member.browser.get(`${MOUNT}/accounts`)).text;
    expect(html).to.include('Your access to Acme Ltd is suspended.').and.to.include('Reason: On leave until March');
    expect(html).not.to.match(new RegExp(`name="accountId" value="${world.account.id}"`));
  });

  it('emails the member, with the reason and a link to their accounts', async () => {
    const mail = world.smtp.to(member.email).find((m) => m.subject === 'Your access to Acme Ltd is suspended');
    expect(mail, 'suspension email').to.not.equal(undefined);
    expect(mail!.text).to.include('Reason: On leave until March').and.to.include(`${MOUNT}/accounts`);
  });

  it("shows the owner's users page the badge and a Reinstate link", async () => {
    const html = (await owner.get(`${MOUNT}/`)).text;
    expect(html).to.include('au-badge-suspended').and.to.include(`${MOUNT}/users/${member.userId}/reinstate`);
  });

  it('refuses a second suspension with 409', async () => {
    expect((await owner.postJson(`${MOUNT}/users/${member.userId}/suspend`, {})).status).to.equal(409);
  });

  it('reinstates exactly what was there: the same permissions and end date, granted again on the next request', async () => {
    const before = (await api().getMember({ ...inAccount(), userId: member.userId })).member;
    await owner.getJson(`${MOUNT}/users/${member.userId}/reinstate`);
    const res = await owner.postJson(`${MOUNT}/users/${member.userId}/reinstate`, {});
    expect(res.status, res.text).to.equal(200);
    const after = (await api().getMember({ ...inAccount(), userId: member.userId })).member;
    expect(after).to.deep.equal({ ...before, suspended: false, suspendedAt: null, suspendedReason: null });
    expect((await member.browser.getJson('/host/invoices')).status).to.equal(200);
    expect(await api().can({ userId: member.userId, accountId: world.account.id }, 'tickets')).to.equal(true);
    expect(world.smtp.to(member.email).some((m) => m.subject === 'Your access to Acme Ltd is reinstated')).to.equal(true);
  });

  it('records both in the activity log and au.events', async () => {
    const { items } = await api().listActivity(inAccount());
    const suspended = items.find((i) => i.action === 'member.suspended');
    expect(suspended).to.include({ subjectUserId: member.userId, actorUserId: world.ownerId });
    expect(suspended!.details).to.deep.equal({ reason: 'On leave until March' });
    expect(items.some((i) => i.action === 'member.reinstated' && i.subjectUserId === member.userId)).to.equal(true);
    expect(events.map((e) => e.action)).to.include.members(['member.suspended', 'member.reinstated']);
    const html = (await owner.get(`${MOUNT}/activity`)).text;
    expect(html)
      .to.include('Olive Owner &lt;owner@acme.test&gt; suspended Member bookkeeper@example.com')
      .and.to.include('reinstated Member bookkeeper@example.com');
  });

  it('refuses to suspend the owner (a field error naming userId)', async () => {
    const err = await refusedWith(api().suspendMember({ ...inAccount(), userId: world.ownerId }), 'InvalidInputError');
    expect(err.issues?.[0]?.field).to.equal('userId');
  });

  it('refuses a reason over 500 characters with 400 naming the field, and suspends nobody', async () => {
    await owner.getJson(`${MOUNT}/users/${member.userId}/suspend`);
    const res = await owner.postJson(`${MOUNT}/users/${member.userId}/suspend`, { reason: 'x'.repeat(501) });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(['reason']);
    expect((await api().getMember({ ...inAccount(), userId: member.userId })).member.suspended).to.equal(false);
  });

  it('withdraws an ownership offer made to the member when they are suspended, and refuses the offer to a suspended member', async () => {
    const { transfer } = await api().offerOwnership({ ...inAccount(), toUserId: member.userId });
    expect(transfer.status).to.equal('pending');
    await api().suspendMember({ ...inAccount(), userId: member.userId });
    const link = world.smtp
      .to(member.email)
      .reverse()
      .find((m) => /transfer\//.test(m.text ?? ''));
    const token = /transfer\/([A-Za-z0-9_-]{43})/.exec(link!.text ?? '')![1]!;
    // The offer is gone with the suspension: its link finds nothing.
    await refusedWith(api().acceptOwnership({ userId: member.userId, token }), 'NotFoundError');
    const again = await refusedWith(api().offerOwnership({ ...inAccount(), toUserId: member.userId }), 'InvalidInputError');
    expect(again.issues?.[0]?.field).to.equal('toUserId');
    expect((await world.knex('au_accounts').where({ id: world.account.id }).first()).owner_user_id).to.equal(world.ownerId);
    await api().reinstateMember({ ...inAccount(), userId: member.userId });
  });

  it('keeps a suspended member suspended when they accept an invitation to the same account (409, nothing written)', async () => {
    const login = await apiMember(world, ['invoices'], 'twice');
    // A pending invitation addressed to the member's own (new) address: the address changed after it was sent.
    const { invitation } = await api().invite({ ...inAccount(), email: 'twice-new@example.test', permissions: ['invoices', 'orders'], send: false });
    await world.knex('au_users').where({ id: login.userId }).update({ email: 'twice-new@example.test' });
    await api().suspendMember({ ...inAccount(), userId: login.userId });
    await refusedWith(api().acceptInvitation({ userId: login.userId, invitationId: invitation.id }), 'ConflictError');
    const { member: view } = await api().getMember({ ...inAccount(), userId: login.userId });
    expect(view).to.include({ suspended: true });
    expect(view.permissions).to.deep.equal(['invoices']);
  });

  it('guards with one statement a suspended member, first on the chosen account and then on the default', async () => {
    const other = await addMember(world, owner, 'counted-suspended@example.com', ['invoices']);
    expect((await other.browser.getJson('/host/invoices')).status).to.equal(200);
    await api().suspendMember({ ...inAccount(), userId: other.userId });
    const { countQueries } = await import('./support/queries.js');
    for (let i = 0; i < 2; i++) {
      const { result, queries } = await countQueries(world.knex, () => other.browser.getJson('/host/invoices'));
      expect(result.status).to.equal(403);
      expect(
        queries.filter((q) => /au_account_users/.test(q)),
        queries.join('\n'),
      ).to.have.length(1);
      expect(queries, queries.join('\n')).to.have.length(1);
    }
  });
});

describe('member lifecycle: restore a removed member', () => {
  const { world, owner } = useWorld({}, { owner: 'signed-in' });

  const api = () => world.host.au.api;
  const inAccount = () => ({ actor: { system: 'test' }, accountId: world.account.id });

  async function removeOverHttp(userId: number) {
    await owner.getJson(`${MOUNT}/users/${userId}/remove`);
    expect((await owner.postJson(`${MOUNT}/users/${userId}/remove`, {})).status).to.equal(200);
  }

  it('restores within the period exactly what the removal took: permissions, end date and a suspension; emails them', async () => {
    const m = await addMember(world, owner, 'returning@example.com', ['invoices', 'domains']);
    const until = new Date(world.host.clock.now().getTime() + 60 * DAY);
    await api().setPermissions({ ...inAccount(), userId: m.userId, permissions: ['invoices', 'domains'], accessUntil: until });
    await api().suspendMember({ ...inAccount(), userId: m.userId, reason: 'audit' });
    const before = (await api().getMember({ ...inAccount(), userId: m.userId })).member;
    await removeOverHttp(m.userId);
    expect((await m.browser.getJson('/host/invoices')).status).to.equal(403);

    const listed = await api().listRemovedMembers(inAccount());
    expect(listed.items.map((r) => r.userId)).to.include(m.userId);
    expect((await owner.get(`${MOUNT}/`)).text).to.include(`${MOUNT}/users/${m.userId}/restore`);

    world.host.clock.advance(89 * DAY);
    try {
      await owner.getJson(`${MOUNT}/users/${m.userId}/restore`);
      // Extra fields are no way to grant more: a restore gives back what was removed, nothing else.
      const res = await owner.postJson(`${MOUNT}/users/${m.userId}/restore`, { permissions: ['orders', 'profile'], accessUntil: null });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.member.permissions).to.deep.equal(['domains', 'invoices']);
      expect(res.body.member.accessUntil).to.equal(until.toISOString());
      expect(res.body.member).to.include({ suspended: true, suspendedReason: 'audit' });
      expect(res.body.member.permissions).to.deep.equal(before.permissions);
      expect(world.smtp.to(m.email).some((mail) => mail.subject === 'Your access to Acme Ltd is restored')).to.equal(true);
      // Restored once: nothing left to restore.
      expect((await owner.postJson(`${MOUNT}/users/${m.userId}/restore`, {})).status).to.equal(404);
      const { items } = await api().listActivity(inAccount());
      expect(items[0]).to.include({ action: 'member.restored', subjectUserId: m.userId });
    } finally {
      world.host.clock.advance(-89 * DAY);
    }
  });

  it('refuses a restore after the period (404, nothing written)', async () => {
    const m = await addMember(world, owner, 'too-late@example.com', ['invoices']);
    await removeOverHttp(m.userId);
    world.host.clock.advance(90 * DAY + 1);
    try {
      await owner.getJson(`${MOUNT}/`);
      expect((await owner.postJson(`${MOUNT}/users/${m.userId}/restore`, {})).status).to.equal(404);
      await refusedWith(api().restoreMember({ ...inAccount(), userId: m.userId }), 'NotFoundError');
      expect(await world.knex('au_account_users').where({ user_id: m.userId, account_id: world.account.id }).first()).to.equal(undefined);
      expect((await api().listRemovedMembers(inAccount())).items.map((r) => r.userId)).not.to.include(m.userId);
    } finally {
      world.host.clock.advance(-(90 * DAY + 1));
    }
  });

  it('refuses a restore once the login is gone (404, nothing written), listing them without Restore', async () => {
    const m = await addMember(world, owner, 'login-gone@example.com', ['invoices']);
    await removeOverHttp(m.userId);
    // The host deleted the login (the kit's users table has no key pointing at it from the record).
    await world.knex('au_users').where({ id: m.userId }).del();
    const listed = (await api().listRemovedMembers(inAccount())).items.find((r) => r.userId === m.userId);
    expect(listed).to.include({ email: 'login-gone@example.com', loginExists: false, name: null });
    const page = (await owner.get(`${MOUNT}/`)).text;
    expect(page).to.contain('login-gone@example.com').and.not.to.contain(`${MOUNT}/users/${m.userId}/restore`);
    const err = await refusedWith(api().restoreMember({ ...inAccount(), userId: m.userId }), 'NotFoundError');
    expect(err.message).to.equal(DEFAULT_MESSAGES['error.notRestorable']);
    await owner.getJson(`${MOUNT}/`);
    expect((await owner.postJson(`${MOUNT}/users/${m.userId}/restore`, {})).status).to.equal(404);
    expect(await world.knex('au_account_users').where({ user_id: m.userId, account_id: world.account.id }).first()).to.equal(undefined);
    expect(await world.knex('au_removed_members').where({ user_id: m.userId, account_id: world.account.id }).first()).to.not.equal(undefined);
  });

  it('records a restore in the activity log and on au.events: member.restored, after the removal', async () => {
    const events: Array<{ action: string; subjectUserId?: number | null; details?: Record<string, unknown> }> = [];
    const listener = (e: (typeof events)[number]) => events.push(e);
    world.host.au.events.on('activity', listener);
    try {
      const m = await addMember(world, owner, 'evented@example.com', ['tickets']);
      await removeOverHttp(m.userId);
      await api().restoreMember({ ...inAccount(), userId: m.userId });
      const mine = events.filter((e) => e.subjectUserId === m.userId && e.action.startsWith('member.'));
      expect(mine.map((e) => e.action)).to.deep.equal(['member.removed', 'member.restored']);
      expect(mine[1]!.details).to.include({ removedAt: (await api().listActivity(inAccount())).items[0]!.details.removedAt });
      expect(mine[1]!.details!.permissions).to.deep.equal(['tickets']);
    } finally {
      world.host.au.events.off('activity', listener);
    }
  });

  it('refuses to restore someone who was never removed, or is a member', async () => {
    const m = await apiMember(world, ['invoices'], 'present');
    await refusedWith(api().restoreMember({ ...inAccount(), userId: m.userId }), 'NotFoundError');
  });

  it('offers "restore their previous permissions" when re-inviting the address, and the invitation accepted ends the restore', async () => {
    const m = await addMember(world, owner, 'reinvited@example.com', ['tickets', 'quotes']);
    await removeOverHttp(m.userId);
    await owner.getJson(`${MOUNT}/invite`);
    const offered = await owner.postJson(`${MOUNT}/invite`, { email: 'Reinvited@example.com', applyPrevious: '1' });
    expect(offered.status, offered.text).to.equal(200);
    expect(offered.body.checked).to.deep.equal(['quotes', 'tickets']);
    expect(offered.body.previous).to.include({ userId: m.userId, email: 'reinvited@example.com' });
    const html = await owner.post(`${MOUNT}/invite`, { email: 'reinvited@example.com', applyPrevious: '1' });
    expect(html.text).to.include('reinvited@example.com was removed on');
    expect(html.text).to.match(/value="tickets" checked/);
    // The users page's "Invite again" fills the same form.
    expect((await owner.get(`${MOUNT}/invite?restore=${m.userId}`)).text).to.match(/value="quotes" checked/);

    const unknown = await owner.postJson(`${MOUNT}/invite`, { email: 'never-here@example.com', applyPrevious: '1' });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.fields[0].field).to.equal('email');

    const sent = await owner.postJson(`${MOUNT}/invite`, { email: 'reinvited@example.com', permissions: offered.body.checked });
    expect(sent.status, sent.text).to.equal(201);
    const link = world.smtp.linkFor('reinvited@example.com').replace(/^https?:\/\/[^/]+/, '');
    await m.browser.getJson(link);
    expect((await m.browser.postJson(link, {})).status).to.equal(200);
    expect((await api().listRemovedMembers(inAccount())).items.map((r) => r.userId)).not.to.include(m.userId);
  });

  it('restores nothing with restoreWindowMs: 0', async () => {
    const other = new World();
    await other.setUp({ limits: { restoreWindowMs: 0 } });
    try {
      const login = await apiMember(other, ['invoices'], 'gone');
      await other.host.au.api.removeMember({ actor: { system: 'test' }, accountId: other.account.id, userId: login.userId });
      await refusedWith(other.host.au.api.restoreMember({ actor: { system: 'test' }, accountId: other.account.id, userId: login.userId }), 'NotFoundError');
    } finally {
      await other.tearDown();
    }
  });

  it('makes a restored member usable on the next request (not suspended, no end)', async () => {
    const login = await apiMember(world, ['invoices', 'orders'], 'plain');
    await api().removeMember({ ...inAccount(), userId: login.userId });
    expect(await api().can({ userId: login.userId, accountId: world.account.id }, 'invoices')).to.equal(false);
    await api().restoreMember({ ...inAccount(), userId: login.userId });
    expect(await api().can({ userId: login.userId, accountId: world.account.id }, 'invoices', 'orders')).to.equal(true);
  });
});

describe('member lifecycle: the delegate limits', () => {
  const { world, owner } = useWorld({ delegation: true }, { owner: 'signed-in' });
  let delegate: Member;
  before(async () => {
    delegate = await addMember(world, owner, 'delegate@example.com', ['manageusers', 'invoices', 'tickets']);
  });

  const api = () => world.host.au.api;
  const asDelegate = () => ({ actor: { userId: delegate.userId }, accountId: world.account.id });
  const inAccount = () => ({ actor: { system: 'test' }, accountId: world.account.id });

  it('refuses a delegate suspending the owner', async () => {
    await delegate.browser.getJson(`${MOUNT}/`);
    const res = await delegate.browser.postJson(`${MOUNT}/users/${world.ownerId}/suspend`, {});
    expect(res.status).to.equal(403);
  });

  it('refuses a delegate suspending, reinstating or restoring someone holding a permission they lack', async () => {
    const rich = await newLogin(world.host.au, 'rich');
    const { invitation } = await api().invite({ ...inAccount(), email: rich.email, permissions: ['invoices', 'orders'], send: false });
    await api().acceptInvitation({ userId: rich.userId, invitationId: invitation.id });
    await refusedWith(api().suspendMember({ ...asDelegate(), userId: rich.userId }), 'ForbiddenError');
    await api().suspendMember({ ...inAccount(), userId: rich.userId });
    await refusedWith(api().reinstateMember({ ...asDelegate(), userId: rich.userId }), 'ForbiddenError');
    await api().removeMember({ ...inAccount(), userId: rich.userId });
    await refusedWith(api().restoreMember({ ...asDelegate(), userId: rich.userId }), 'ForbiddenError');
  });

  it('refuses a delegate suspending themselves', async () => {
    await refusedWith(api().suspendMember({ ...asDelegate(), userId: delegate.userId }), 'ForbiddenError');
  });

  it('lets a delegate suspend and reinstate a member within their permissions', async () => {
    const plain = await apiMember(world, ['invoices'], 'plain');
    expect((await api().suspendMember({ ...asDelegate(), userId: plain.userId })).member.suspended).to.equal(true);
    expect((await api().reinstateMember({ ...asDelegate(), userId: plain.userId })).member.suspended).to.equal(false);
  });

  it("ends a time-limited delegate's restore no later than their own access", async () => {
    const plain = await apiMember(world, ['tickets'], 'restored');
    await api().removeMember({ ...inAccount(), userId: plain.userId });
    const own = new Date(world.host.clock.now().getTime() + 10 * DAY);
    await api().setPermissions({ ...inAccount(), userId: delegate.userId, permissions: ['manageusers', 'invoices', 'tickets'] as never[], accessUntil: own });
    const { member } = await api().restoreMember({ ...asDelegate(), userId: plain.userId });
    expect(member.accessUntil?.toISOString()).to.equal(own.toISOString());
    await api().setPermissions({ ...inAccount(), userId: delegate.userId, permissions: ['manageusers', 'invoices', 'tickets'] as never[], accessUntil: null });
  });

  it('refuses a suspended delegate everything, reinstating themselves included, on the next request', async () => {
    const target = await apiMember(world, ['invoices'], 'target');
    await api().suspendMember({ ...inAccount(), userId: target.userId });
    await api().suspendMember({ ...inAccount(), userId: delegate.userId });
    const res = await delegate.browser.postJson(`${MOUNT}/users/${delegate.userId}/reinstate`, {});
    expect(res.status).to.equal(403);
    expect((await delegate.browser.getJson(`${MOUNT}/`)).status).to.equal(403);
    await refusedWith(api().reinstateMember({ ...asDelegate(), userId: target.userId }), 'ForbiddenError');
    expect((await api().getMember({ ...inAccount(), userId: delegate.userId })).member.suspended).to.equal(true);
  });
});
