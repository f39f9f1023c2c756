import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { escapeHtml, rows } from './support/invitations.js';
import { newLogin, refusedWith } from './support/api.js';
import { hashToken } from '../lib/services/tokens.js';
import type { AccountUsers } from '../lib/index.js';

describe('au.api.invite with send: false, for hosts that deliver the link themselves', () => {
  const world = new World();
  let au: AccountUsers;
  beforeEach(async () => {
    await world.setUp();
    au = world.host.au;
  });
  afterEach(() => world.tearDown());

  it('returns the accept link once, queues no email, and stores only the link token hash', async () => {
    const result = await au.api.invite({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      email: ' New@Example.TEST ',
      permissions: ['invoices', 'tickets'],
      send: false,
    });
    expect(result.outcome).to.equal('sent');
    expect(result.delivery).to.equal('not sent');
    expect(result.link).to.match(new RegExp(`^https://portal\\.example\\.com${MOUNT}/accept/[A-Za-z0-9_-]{43}$`));
    expect(result.invitation).to.deep.include({
      email: 'new@example.test',
      status: 'pending',
      permissions: ['invoices', 'tickets'],
      invitedBy: world.ownerId,
      invitedBySystem: null,
    });
    expect(await world.count('outbox')).to.equal(0);
    await au.mail.flush();
    expect(world.smtp.messages).to.have.length(0);
    const [row] = await rows(world, 'invitations');
    const token = result.link!.split('/').pop()!;
    expect(row!.token_hash).to.equal(hashToken(token));
    expect(JSON.stringify(await world.knex('au_invitations').select('*'))).to.not.contain(token);
    // Expiry as when sent: now + invitationTtl.
    expect(new Date(result.invitation.expiresAt).getTime() - world.host.clock.now().getTime()).to.be.closeTo(7 * 24 * 3600 * 1000, 5000);
  });

  it('gives a link that works: the invitee registers through it and joins with the permissions', async () => {
    const { link } = await au.api.invite({
      actor: { system: 'provisioning' },
      accountId: world.account.id,
      email: 'dev@example.test',
      permissions: ['domains'],
      send: false,
    });
    const visitor = world.browser();
    const page = await visitor.get(pathOf(link!));
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(escapeHtml('Acme Ltd'));
    const registered = await visitor.postJson(`${pathOf(link!)}/register`, { name: 'Dev', password: 'dev-password-1' });
    expect(registered.status, registered.text).to.equal(201);
    expect(registered.body.membership.permissions).to.deep.equal(['domains']);
  });

  it('resendInvitation of such an invitation emails a new link, and the old one stops working', async () => {
    const { invitation, link } = await au.api.invite({
      actor: { system: 'provisioning' },
      accountId: world.account.id,
      email: 'later@example.test',
      permissions: ['invoices'],
      send: false,
    });
    world.host.clock.advance(61_000);
    const resent = await au.api.resendInvitation({ actor: { system: 'provisioning' }, accountId: world.account.id, invitationId: invitation.id });
    expect(resent.delivery).to.equal('sent');
    expect(resent).to.not.have.property('link');
    expect(world.smtp.to('later@example.test')).to.have.length(1);
    expect((await world.browser().get(pathOf(link!))).status).to.equal(404);
    expect((await world.browser().get(pathOf(world.smtp.linkFor('later@example.test')))).status).to.equal(200);
  });

  it('re-inviting a pending address without email re-arms it with a new link and cancels its queued email', async () => {
    const owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    world.smtp.messages.length = 0;
    // Queued but not yet delivered: the mail server is down for a moment.
    await world.knex('au_outbox').del();
    const first = await au.api.invite({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      email: 'twice@example.test',
      permissions: ['invoices'],
      send: false,
    });
    const second = await au.api.invite({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      email: 'twice@example.test',
      permissions: ['quotes'],
      send: false,
    });
    expect(second.outcome).to.equal('resent');
    expect(second.invitation.id).to.equal(first.invitation.id);
    expect(second.invitation.permissions).to.deep.equal(['quotes']);
    expect(second.link).to.not.equal(first.link);
    expect((await world.browser().get(pathOf(first.link!))).status).to.equal(404);
    expect((await world.browser().get(pathOf(second.link!))).status).to.equal(200);
  });

  it('refuses send that is not a boolean, naming the field, and writes nothing', async () => {
    const err = await refusedWith(
      au.api.invite({ actor: { userId: world.ownerId }, accountId: world.account.id, email: 'x@example.test', permissions: ['invoices'], send: 'no' as never }),
      'InvalidInputError',
    );
    expect(err.issues).to.deep.equal([{ field: 'send', message: 'must be true or false' }]);
    expect(await world.count('invitations')).to.equal(0);
  });

  it('validates email and permissions as the invite form does', async () => {
    const err = await refusedWith(
      au.api.invite({ actor: { userId: world.ownerId }, accountId: world.account.id, email: 'nope', permissions: ['invocies' as never] }),
      'InvalidInputError',
    );
    expect(err.issues!.map((i) => i.field)).to.deep.equal(['email', 'permissions']);
    const member = await newLogin(au);
    await au.api.acceptInvitation({
      userId: member.userId,
      invitationId: (
        await au.api.invite({ actor: { userId: world.ownerId }, accountId: world.account.id, email: member.email, permissions: ['invoices'], send: false })
      ).invitation.id,
    });
    const already = await refusedWith(
      au.api.invite({ actor: { userId: world.ownerId }, accountId: world.account.id, email: member.email, permissions: ['invoices'] }),
      'InvalidInputError',
    );
    expect(already.issues).to.deep.equal([{ field: 'email', message: `${member.email} is already a user of this account` }]);
  });

  describe('the mountPath option', () => {
    it('puts the links of au.api invitations under it, and the router warns once when mounted elsewhere', async () => {
      await world.tearDown();
      await world.setUp({ mountPath: '/team/' });
      const { link } = await world.host.au.api.invite({
        actor: { userId: world.ownerId },
        accountId: world.account.id,
        email: 'a@example.test',
        permissions: ['invoices'],
        send: false,
      });
      expect(link).to.match(/^https:\/\/portal\.example\.com\/team\/accept\/[A-Za-z0-9_-]{43}$/);
      await world.browser().get(`${MOUNT}/accept/${'A'.repeat(43)}`);
      await world.browser().get(`${MOUNT}/accept/${'A'.repeat(43)}`);
      expect(world.host.logs.filter((l) => l.includes('mountPath'))).to.deep.equal([
        'warn: express-account-users: au.router is mounted at "/account/users" but the mountPath option is "/team"; links in invitations made through au.api point to the latter',
      ]);
    });

    it('is refused at start-up unless it is a path', async () => {
      await world.tearDown();
      await refusedWith(world.setUp({ mountPath: 'team' }), 'OptionsError');
    });
  });

  describe('a system actor', () => {
    it('is recorded in the activity log by name and shown on the activity page', async () => {
      const events: Array<{ actorUserId: unknown; actorSystem: unknown }> = [];
      au.events.on('invitation.sent', (e) => events.push(e));
      await au.api.invite({ actor: { system: 'Support: Jane' }, accountId: world.account.id, email: 'staff-invited@example.test', permissions: ['invoices'] });
      expect(events).to.have.length(1);
      expect(events[0]).to.deep.include({ actorUserId: null, actorSystem: 'Support: Jane' });
      const { items } = await au.api.listActivity({ actor: { userId: world.ownerId }, accountId: world.account.id });
      expect(items[0]).to.deep.include({ action: 'invitation.sent', actorUserId: null, actorSystem: 'Support: Jane', actorName: null });
      const owner = await world.ownerBrowser();
      const page = await owner.get(`${MOUNT}/activity`);
      expect(page.text).to.contain('Support: Jane invited staff-invited@example.test');
      const users = await owner.get(`${MOUNT}/`);
      expect(users.status).to.equal(200);
      const { items: invitations } = await au.api.listInvitations({ actor: { system: 'x' }, accountId: world.account.id });
      expect(invitations[0]).to.deep.include({ invitedBy: null, invitedBySystem: 'Support: Jane', inviterName: 'Support: Jane' });
      // Invitees never see the system name: their list and the email speak of the account.
      const invitee = await newLogin(au, 'invitee');
      await au.api.invite({ actor: { system: 'Support: Jane' }, accountId: world.account.id, email: invitee.email, permissions: ['invoices'], send: false });
      expect((await au.api.invitationsFor({ userId: invitee.userId }))[0]!.inviter).to.equal(null);
      const [mail] = world.smtp.to('staff-invited@example.test');
      expect(mail!.text).to.contain('Acme Ltd has invited you').and.not.contain('Support: Jane');
    });
  });
});
