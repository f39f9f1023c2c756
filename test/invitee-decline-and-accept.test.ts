import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { escapeHtml, invite, linkPath, rows } from './support/invitations.js';
import { newLogin } from './support/api.js';

describe("the invitee's side: waiting invitations in the app, accept and decline", () => {
  const world = new World();
  let owner: Browser;
  let gus: Awaited<ReturnType<typeof newLogin>>;
  let gusBrowser: Browser;
  const events: Array<Record<string, unknown>> = [];
  // What the invitee's actions emitted (the owner's invitations aside).
  const seen = () => events.filter((e) => e.action !== 'invitation.sent');

  beforeEach(async () => {
    await world.setUp();
    owner = await world.ownerBrowser();
    gus = await newLogin(world.host.au, 'gus');
    gusBrowser = world.browser();
    await gusBrowser.login(gus.email, gus.password);
    events.length = 0;
    world.host.au.events.on('activity', (e) => events.push(e));
  });
  afterEach(() => world.tearDown());

  it('GET /accounts lists the invitations waiting for the signed-in user, with Accept and Decline', async () => {
    const invitation = await invite(owner, gus.email, ['invoices', 'tickets']);
    await invite(owner, 'someone-else@example.test');
    const page = await gusBrowser.get(`${MOUNT}/accounts`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(escapeHtml('Olive Owner invited you to Acme Ltd.'));
    expect(page.text).to.contain(`action="${MOUNT}/accounts/invitations/${invitation.id}/accept"`);
    expect(page.text).to.contain(`href="${MOUNT}/accounts/invitations/${invitation.id}/decline"`);
    expect(page.text).to.contain('View &amp; Pay Invoices');
    const json = await gusBrowser.getJson(`${MOUNT}/accounts`);
    expect(json.body.invitations).to.have.length(1);
    expect(json.body.invitations[0]).to.deep.include({
      id: invitation.id,
      account: { id: world.account.id, name: 'Acme Ltd' },
      inviter: { name: 'Olive Owner' },
      permissions: ['invoices', 'tickets'],
    });
  });

  it("does not list expired, cancelled or other addresses' invitations", async () => {
    const cancelled = await invite(owner, gus.email);
    await owner.postJson(`${MOUNT}/invitations/${cancelled.id}/cancel`, {});
    const json = await gusBrowser.getJson(`${MOUNT}/accounts`);
    expect(json.body.invitations).to.deep.equal([]);
    await invite(owner, gus.email);
    world.host.clock.advance(8 * 24 * 3600 * 1000);
    expect((await gusBrowser.getJson(`${MOUNT}/accounts`)).body.invitations).to.deep.equal([]);
  });

  it('accepts in the app without the link: a member with the invited permissions, the account made active', async () => {
    const invitation = await invite(owner, gus.email, ['domains']);
    await gusBrowser.get(`${MOUNT}/accounts`);
    const res = await gusBrowser.post(`${MOUNT}/accounts/invitations/${invitation.id}/accept`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${MOUNT}/accounts`);
    const after = await gusBrowser.get(`${MOUNT}/accounts`);
    expect(after.text).to.contain(escapeHtml('Welcome! You now have access to Acme Ltd.'));
    expect(after.text).to.not.contain(`/accounts/invitations/${invitation.id}/accept`);
    const memberships = await world.host.au.api.accountsOf({ userId: gus.userId });
    expect(memberships.find((m) => m.account.id === world.account.id)?.permissions).to.deep.equal(['domains']);
    expect((await gusBrowser.agent.get('/host/domains')).status).to.equal(200);
    // The emailed link is dead now.
    expect((await world.browser().get(linkPath(world, gus.email))).status).to.equal(410);
    expect(seen().map((e) => e.action)).to.deep.equal(['invitation.accepted']);
  });

  it('declines in the app: the owner sees "declined" with Resend, one activity row, one event', async () => {
    const invitation = await invite(owner, gus.email);
    await gusBrowser.getJson(`${MOUNT}/accounts`);
    const res = await gusBrowser.postJson(`${MOUNT}/accounts/invitations/${invitation.id}/decline`, {});
    expect(res.status, res.text).to.equal(200);
    expect(res.body.invitation).to.deep.include({ id: invitation.id, status: 'declined' });
    expect(res.body.message).to.equal('You declined the invitation to Acme Ltd.');
    expect(seen().map((e) => [e.action, e.actorUserId, e.subjectEmail])).to.deep.equal([['invitation.declined', gus.userId, gus.email]]);
    const activity = (await rows(world, 'activity')).filter((r) => r.action === 'invitation.declined');
    expect(activity).to.have.length(1);
    const list = await owner.getJson(`${MOUNT}/?status=declined`);
    expect(list.body.invitations.find((i: { id: number }) => i.id === invitation.id).status).to.equal('declined');
    const page = await owner.get(`${MOUNT}/?status=history`);
    expect(page.text).to.contain('au-status-declined');
    expect(page.text).to.contain(`formaction="${MOUNT}/invitations/${invitation.id}/resend"`);
    expect(page.text).to.not.contain(`formaction="${MOUNT}/invitations/${invitation.id}/cancel"`);
    // The link stops working, and says why.
    const gone = await world.browser().getJson(linkPath(world, gus.email));
    expect(gone.status).to.equal(410);
    expect(gone.body.error).to.deep.include({ code: 'invitation_declined', reason: 'declined' });
  });

  it("the owner's Resend starts a declined invitation over: pending, a new email, a link that works", async () => {
    const invitation = await invite(owner, gus.email);
    await gusBrowser.getJson(`${MOUNT}/accounts`);
    await gusBrowser.postJson(`${MOUNT}/accounts/invitations/${invitation.id}/decline`, {});
    const before = world.smtp.to(gus.email).length;
    const res = await owner.postJson(`${MOUNT}/invitations/${invitation.id}/resend`, {});
    expect(res.status, res.text).to.equal(200);
    expect(res.body.invitation.status).to.equal('pending');
    expect(world.smtp.to(gus.email)).to.have.length(before + 1);
    const visitor = world.browser();
    expect((await visitor.get(linkPath(world, gus.email))).status).to.equal(200);
    expect((await gusBrowser.getJson(`${MOUNT}/accounts`)).body.invitations.map((i: { id: number }) => i.id)).to.deep.equal([invitation.id]);
  });

  it('accepts in the app with the permissions of the latest re-invite', async () => {
    const api = world.host.au.api;
    const as = { actor: { userId: world.ownerId }, accountId: world.account.id };
    const first = await api.invite({ ...as, email: gus.email, permissions: ['invoices'], send: false });
    // The owner re-invites the same address with more permissions: the same invitation, changed.
    // (Compared by its permissions: two writes may share a millisecond, so updated_at need not move.)
    const seenRow = (await world.knex('au_invitations').where({ id: first.invitation.id }).first()) as { permissions: unknown };
    await api.invite({ ...as, email: gus.email, permissions: ['invoices', 'profile'], send: false });
    const changed = (await world.knex('au_invitations').where({ id: first.invitation.id }).first()) as { permissions: unknown };
    expect(changed.permissions).to.not.deep.equal(seenRow.permissions);
    const { membership } = await api.acceptInvitation({ userId: gus.userId, invitationId: first.invitation.id });
    expect(membership.permissions).to.deep.equal(['profile', 'invoices']);
  });

  it('refuses accepting or declining an invitation sent to another address, as not found', async () => {
    const invitation = await invite(owner, 'somebody@example.test');
    await gusBrowser.getJson(`${MOUNT}/accounts`);
    expect((await gusBrowser.postJson(`${MOUNT}/accounts/invitations/${invitation.id}/accept`, {})).status).to.equal(404);
    expect((await gusBrowser.postJson(`${MOUNT}/accounts/invitations/${invitation.id}/decline`, {})).status).to.equal(404);
    expect((await gusBrowser.postJson(`${MOUNT}/accounts/invitations/999999/decline`, {})).status).to.equal(404);
    expect(seen()).to.deep.equal([]);
  });

  it('needs a signed-in user and the CSRF token', async () => {
    const invitation = await invite(owner, gus.email);
    const anonymous = world.browser();
    const res = await anonymous.post(`${MOUNT}/accounts/invitations/${invitation.id}/accept`);
    expect(res.status).to.equal(403); // no session, so no CSRF token either
    await gusBrowser.get(`${MOUNT}/accounts`);
    expect((await gusBrowser.post(`${MOUNT}/accounts/invitations/${invitation.id}/decline`, {}, { csrf: 'forged' })).status).to.equal(403);
    expect((await owner.getJson(`${MOUNT}/`)).body.invitations[0].status).to.equal('pending');
  });

  describe('declining by link', () => {
    it('a visitor who is not signed in declines from the link page', async () => {
      await invite(owner, 'newcomer@example.test');
      const visitor = world.browser();
      const link = linkPath(world, 'newcomer@example.test');
      const page = await visitor.get(link);
      expect(page.text).to.contain(`href="${link}/decline"`).and.contain('Decline');
      const res = await visitor.post(`${link}/decline`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain(escapeHtml('You declined the invitation to Acme Ltd.'));
      expect(seen().map((e) => [e.action, e.actorUserId, e.subjectEmail])).to.deep.equal([['invitation.declined', null, 'newcomer@example.test']]);
      expect((await visitor.get(link)).status).to.equal(410);
      expect((await visitor.post(`${link}/decline`)).status).to.equal(410);
      expect(seen()).to.have.length(1);
      const activity = await owner.get(`${MOUNT}/activity`);
      expect(activity.text).to.contain('newcomer@example.test declined the invitation');
    });

    it('a signed-in invitee sees Decline beside Accept', async () => {
      await invite(owner, gus.email);
      const link = linkPath(world, gus.email);
      const page = await gusBrowser.get(link);
      expect(page.text).to.contain(`action="${link}"`).and.contain(`href="${link}/decline"`);
      const res = await gusBrowser.postJson(`${link}/decline`, {});
      expect(res.status).to.equal(200);
      expect(res.body.invitation.status).to.equal('declined');
    });

    it('refuses a decline without the CSRF token, and an unknown link as not found', async () => {
      await invite(owner, 'newcomer@example.test');
      const visitor = world.browser();
      const link = linkPath(world, 'newcomer@example.test');
      await visitor.get(link);
      expect((await visitor.post(`${link}/decline`, {}, { csrf: null })).status).to.equal(403);
      expect((await visitor.post(`${MOUNT}/accept/${'A'.repeat(43)}/decline`)).status).to.equal(404);
      expect(seen()).to.deep.equal([]);
    });
  });
});
