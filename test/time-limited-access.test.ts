import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf, type Browser } from './support/client.js';
import { addMember, type Member } from './support/members.js';
import { refusedWith, newLogin } from './support/api.js';
import { DATE_OPTIONS } from '../lib/i18n/format.js';

/** A moment as English pages and messages write it: "Nov 29, 2026, 9:07 PM UTC". */
const english = (date: Date) => new Intl.DateTimeFormat('en', DATE_OPTIONS).format(date);

const HOUR = 60 * 60 * 1000;

/**
 * Time-limited access: a member whose `accessUntil` has come is refused everywhere from that
 * very moment (the guard, au.api.can, au.api as an actor, the account switcher), with no
 * scheduler: the clock is moved, nothing else runs. The owner extends or clears it.
 */
describe('time-limited access', () => {
  const world = new World();
  // A clock that stands still unless moved, so "exactly at accessUntil" means exactly.
  let at = Date.now();
  const now = () => new Date(at);
  let owner: Browser;

  before(async () => {
    await world.setUp({ now });
    owner = await world.ownerBrowser();
  });
  after(() => world.tearDown());

  async function memberUntil(email: string, until: Date): Promise<Member> {
    const member = await addMember(world, owner, email, ['invoices']);
    const set = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: until.toISOString() });
    expect(set.status, set.text).to.equal(200);
    return member;
  }

  describe('ending', () => {
    let member: Member;
    let until: Date;
    before(async () => {
      at = Date.now();
      until = new Date(at + HOUR);
      member = await memberUntil('contractor@example.com', until);
    });

    it('grants everything the member holds until the moment before accessUntil', async () => {
      at = until.getTime() - 1;
      expect((await member.browser.getJson('/host/invoices')).status).to.equal(200);
      expect(await world.host.au.api.can({ userId: member.userId, accountId: world.account.id }, 'invoices')).to.equal(true);
    });

    it('refuses the guard exactly at accessUntil, naming the account and the date', async () => {
      at = until.getTime();
      const res = await member.browser.getJson('/host/invoices');
      expect(res.status).to.equal(403);
      expect(res.body.error.message).to.include('Acme Ltd').and.to.include(english(until));
    });

    it('refuses the next request too', async () => {
      const res = await member.browser.getJson('/host/invoices');
      expect(res.status).to.equal(403);
      expect(res.body.error.message).to.include('Acme Ltd');
      expect((await member.browser.get('/host/invoices')).text).to.include('Acme Ltd');
    });

    it('answers false from au.api.can', async () => {
      expect(await world.host.au.api.can({ userId: member.userId, accountId: world.account.id }, 'invoices')).to.equal(false);
    });

    it('refuses the member as an au.api actor in that account', async () => {
      const err = await refusedWith(world.host.au.api.listMembers({ actor: { userId: member.userId }, accountId: world.account.id }), 'ForbiddenError');
      expect(err.message).to.include('Acme Ltd');
    });

    it('lists the account on the accounts page as ended, without a switch into it', async () => {
      const json = await member.browser.getJson(`${MOUNT}/accounts`);
      expect(json.status).to.equal(200);
      const row = json.body.accounts.find((a: { id: number }) => a.id === world.account.id);
      expect(row.accessEnded).to.equal(true);
      const html = await member.browser.get(`${MOUNT}/accounts`);
      expect(html.text).to.include('access ended');
      expect(html.text).not.to.match(new RegExp(`name="accountId" value="${world.account.id}"`));
      const switched = await member.browser.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id });
      expect(switched.status).to.equal(403);
      expect(switched.body.error.message).to.include('Acme Ltd');
    });

    it('shows the owner\'s users page "access ended …"', async () => {
      const page = await owner.get(`${MOUNT}/`);
      expect(page.text).to.include(`access ended on ${english(until)}`);
    });

    it('grants again once the owner extends it through the permissions form', async () => {
      await owner.get(`${MOUNT}/users/${member.userId}`);
      const later = new Date(at + 24 * HOUR).toISOString().slice(0, 16);
      const saved = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: later });
      expect(saved.status, saved.text).to.equal(303);
      expect((await member.browser.getJson('/host/invoices')).status).to.equal(200);
      expect((await owner.get(`${MOUNT}/`)).text).to.include(`access until ${english(new Date(`${later}Z`))}`);
      // The form shows the stored date in its field.
      expect((await owner.get(`${MOUNT}/users/${member.userId}`)).text).to.include(`name="accessUntil" value="${later}"`);
    });

    it('ends again when the extension runs out', async () => {
      at += 24 * HOUR;
      expect((await member.browser.getJson('/host/invoices')).status).to.equal(403);
    });

    it('grants for good once the owner clears it (an empty field)', async () => {
      await owner.get(`${MOUNT}/users/${member.userId}`);
      const saved = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: '' });
      expect(saved.status, saved.text).to.equal(303);
      at += 1000 * 24 * HOUR;
      expect((await member.browser.getJson('/host/invoices')).status).to.equal(200);
      const { member: view } = await world.host.au.api.getMember({ actor: { system: 'test' }, accountId: world.account.id, userId: member.userId });
      expect(view.accessUntil).to.equal(null);
    });

    it('records who changed the end date in the activity log', async () => {
      const { items } = await world.host.au.api.listActivity({ actor: { system: 'test' }, accountId: world.account.id });
      const changes = items.filter((i) => i.action === 'member.permissions_changed' && (i.details as { accessUntil?: unknown }).accessUntil !== undefined);
      expect(changes.length).to.be.at.least(3);
    });
  });

  describe('an invitation carrying accessUntil', () => {
    it('carries it into the membership on accept, and the access ends then', async () => {
      at = Date.now();
      const until = new Date(at + 2 * HOUR);
      await owner.getJson(`${MOUNT}/`);
      const invited = await owner.postJson(`${MOUNT}/invite`, { email: 'auditor@example.com', permissions: ['invoices'], accessUntil: until.toISOString() });
      expect(invited.status, invited.text).to.equal(201);
      expect(invited.body.invitation.accessUntil).to.equal(until.toISOString());
      // The owner's invitations table and the invitee's page say when the access will end.
      expect((await owner.get(`${MOUNT}/`)).text).to.include(`access until ${english(until)}`);
      const link = pathOf(world.smtp.linkFor('auditor@example.com'));
      const browser = world.browser();
      expect((await browser.get(link)).text).to.include(`Your access will end on ${english(until)}.`);
      await browser.getJson(link);
      const registered = await browser.postJson(`${link}/register`, { name: 'Audrey Auditor', password: 'auditor-password-1' });
      expect(registered.status, registered.text).to.equal(201);
      const userId = Number(registered.body.user.id);
      const { member } = await world.host.au.api.getMember({ actor: { system: 'test' }, accountId: world.account.id, userId });
      expect(member.accessUntil?.toISOString()).to.equal(until.toISOString());
      expect((await browser.getJson('/host/invoices')).status).to.equal(200);
      at = until.getTime();
      expect((await browser.getJson('/host/invoices')).status).to.equal(403);
    });

    it('takes it through au.api.invite and the invite form', async () => {
      at = Date.now();
      const login = await newLogin(world.host.au, 'api-invitee');
      const until = new Date(at + 3 * HOUR);
      const { invitation } = await world.host.au.api.invite({
        actor: { system: 'test' },
        accountId: world.account.id,
        email: login.email,
        permissions: ['tickets'],
        accessUntil: until,
        send: false,
      });
      expect(invitation.accessUntil?.toISOString()).to.equal(until.toISOString());
      const { membership } = await world.host.au.api.acceptInvitation({ userId: login.userId, invitationId: invitation.id });
      expect(membership.accessUntil?.toISOString()).to.equal(until.toISOString());

      await owner.get(`${MOUNT}/invite`);
      const form = await owner.post(`${MOUNT}/invite`, { email: 'form-invitee@example.com', permissions: ['invoices'], accessUntil: '2999-01-31T17:30' });
      expect(form.status, form.text).to.equal(303);
      const row = await world.knex('au_invitations').where({ email: 'form-invitee@example.com' }).first();
      expect(Number(row.access_until)).to.equal(Date.parse('2999-01-31T17:30:00Z'));
    });

    it('refuses to accept once the access it offered has ended', async () => {
      at = Date.now();
      const login = await newLogin(world.host.au, 'late');
      const { invitation } = await world.host.au.api.invite({
        actor: { system: 'test' },
        accountId: world.account.id,
        email: login.email,
        permissions: ['tickets'],
        accessUntil: new Date(at + HOUR),
        send: false,
      });
      at += 2 * HOUR;
      const err = await refusedWith(world.host.au.api.acceptInvitation({ userId: login.userId, invitationId: invitation.id }), 'ConflictError');
      expect(err.message).to.include('Acme Ltd');
    });
  });

  describe('a date in the past', () => {
    it('is refused by au.api.invite as invalid accessUntil, writing nothing', async () => {
      at = Date.now();
      const before = await world.count('invitations');
      const err = await refusedWith(
        world.host.au.api.invite({
          actor: { system: 'test' },
          accountId: world.account.id,
          email: 'past@example.com',
          permissions: ['invoices'],
          accessUntil: new Date(at - 1),
        }),
        'InvalidInputError',
      );
      expect(err.issues).to.deep.equal([{ field: 'accessUntil', message: 'must be in the future' }]);
      expect(await world.count('invitations')).to.equal(before);
    });

    it('is refused by the permissions form with the field named, changing nothing', async () => {
      at = Date.now();
      const member = await addMember(world, owner, 'past-form@example.com', ['invoices']);
      await owner.get(`${MOUNT}/users/${member.userId}`);
      const res = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'tickets'], accessUntil: '2001-01-01T00:00' });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('must be in the future').and.to.include('aria-invalid="true"');
      const { member: view } = await world.host.au.api.getMember({ actor: { system: 'test' }, accountId: world.account.id, userId: member.userId });
      expect(view.permissions).to.deep.equal(['invoices']);
      expect(view.accessUntil).to.equal(null);
    });

    it('is refused over JSON, and so is a value that is not a date', async () => {
      await owner.getJson(`${MOUNT}/`);
      const past = await owner.postJson(`${MOUNT}/invite`, { email: 'past-json@example.com', permissions: ['invoices'], accessUntil: '2001-01-01T00:00:00Z' });
      expect(past.status).to.equal(400);
      expect(past.body.error.fields).to.deep.equal([{ field: 'accessUntil', message: 'must be in the future' }]);
      const garbage = await owner.postJson(`${MOUNT}/invite`, { email: 'past-json@example.com', permissions: ['invoices'], accessUntil: 'next tuesday' });
      expect(garbage.status).to.equal(400);
      expect(garbage.body.error.fields[0].field).to.equal('accessUntil');
    });
  });
});
