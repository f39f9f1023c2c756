import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf, type Browser } from './support/client.js';
import { addMember, type Member } from './support/members.js';
import { apiMember, newLogin, refusedWith } from './support/api.js';
import { DATE_OPTIONS } from '../lib/i18n/format.js';
import type { AccountUsers } from '../lib/index.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** What the delegate holds: user management and two of the thirteen. */
const DELEGATE = ['manageusers', 'invoices', 'tickets'];

/** A moment as English pages and messages write it: "Nov 29, 2026, 9:07 PM UTC". */
const english = (date: Date) => new Intl.DateTimeFormat('en', DATE_OPTIONS).format(date);

/** Everything a refused request could have changed: the kit's rows and the emails sent. */
async function everything(world: World): Promise<string> {
  const tables = ['users', 'accounts', 'account_users', 'invitations', 'outbox', 'activity', 'ownership_transfers'];
  const dump = await Promise.all(tables.map((t) => world.knex(`au_${t}`).select('*').orderBy('id')));
  return JSON.stringify({ dump, emails: world.smtp.messages.length });
}

/** A membership's end date as stored (epoch ms), or null. */
async function accessUntilOf(world: World, userId: number): Promise<number | null> {
  const row = (await world.knex('au_account_users').where({ account_id: world.account.id, user_id: userId }).first()) as { access_until: unknown };
  return row.access_until === null ? null : Number(row.access_until);
}

/**
 * A delegate (a member holding `manageusers`, with `delegation: true`) never changes their own
 * membership, and whatever access a time-limited delegate grants ends no later than their own:
 * invitations, edits of other members, revived members, resent invitations. An empty end date
 * from them means "as long as mine"; an explicit later one is refused with a field error.
 */
describe('a time-limited delegate', function () {
  this.timeout(120_000);

  const world = new World();
  // A clock that stands still unless moved.
  let at = Date.now();
  const now = () => new Date(at);
  let au: AccountUsers;
  let owner: Browser;
  let delegate: Member;
  /** When the delegate's own access ends. */
  let until: Date;
  const accountId = () => world.account.id;

  before(async () => {
    await world.setUp({ delegation: true, now });
    au = world.host.au;
    owner = await world.ownerBrowser();
    delegate = await addMember(world, owner, 'contractor@example.com', DELEGATE);
    until = new Date(at + 20 * DAY);
    await au.api.setPermissions({
      actor: { userId: world.ownerId },
      accountId: accountId(),
      userId: delegate.userId,
      permissions: DELEGATE as never[],
      accessUntil: until,
    });
    await delegate.browser.get(`${MOUNT}/`);
  });
  after(() => world.tearDown());

  describe('their own membership', () => {
    it('refuses clearing or extending their own end date over the form, JSON and au.api; the date stays', async () => {
      const before = await everything(world);
      const later = new Date(until.getTime() + 30 * DAY).toISOString();
      await delegate.browser.get(`${MOUNT}/users/${delegate.userId}`);
      const form = await delegate.browser.post(`${MOUNT}/users/${delegate.userId}/permissions`, { permissions: DELEGATE, accessUntil: '' });
      expect(form.status, form.text).to.equal(403);
      expect(form.text).to.contain('You cannot change or remove your own access to this account');
      for (const accessUntil of [null, '', later]) {
        const res = await delegate.browser.postJson(`${MOUNT}/users/${delegate.userId}/permissions`, { permissions: DELEGATE, accessUntil });
        expect(res.status, res.text).to.equal(403);
        expect(res.body.error.code).to.equal('forbidden');
      }
      await refusedWith(
        au.api.setPermissions({
          actor: { userId: delegate.userId },
          accountId: accountId(),
          userId: delegate.userId,
          permissions: DELEGATE as never[],
          accessUntil: null,
        }),
        'ForbiddenError',
      );
      await refusedWith(
        au.api.setPermissions({
          actor: { userId: delegate.userId },
          accountId: accountId(),
          userId: delegate.userId,
          permissions: DELEGATE as never[],
          accessUntil: later,
        }),
        'ForbiddenError',
      );
      expect(await accessUntilOf(world, delegate.userId)).to.equal(until.getTime());
      expect(await everything(world)).to.equal(before);
    });

    it('shows their own row without a form to change it', async () => {
      const page = await delegate.browser.get(`${MOUNT}/users/${delegate.userId}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('This is your own access: only the account owner can change it.');
      expect(page.text).not.to.contain(`action="${MOUNT}/users/${delegate.userId}/permissions"`);
      const list = await delegate.browser.get(`${MOUNT}/`);
      expect(list.text).not.to.contain(`href="${MOUNT}/users/${delegate.userId}"`);
    });

    it('refuses removing themselves through the manage routes and au.api; they stay a member', async () => {
      const before = await everything(world);
      expect((await delegate.browser.get(`${MOUNT}/users/${delegate.userId}/remove`)).status).to.equal(403);
      await delegate.browser.get(`${MOUNT}/`);
      expect((await delegate.browser.post(`${MOUNT}/users/${delegate.userId}/remove`)).status).to.equal(403);
      const json = await delegate.browser.postJson(`${MOUNT}/users/${delegate.userId}/remove`, {});
      expect(json.status, json.text).to.equal(403);
      expect(json.body.error.message).to.contain('use Leave on your accounts page');
      await refusedWith(au.api.removeMember({ actor: { userId: delegate.userId }, accountId: accountId(), userId: delegate.userId }), 'ForbiddenError');
      expect(await everything(world)).to.equal(before);
    });

    it('leaves a delegate free to leave the account through their own Leave', async () => {
      const other = await addMember(world, owner, 'leaving-delegate@example.com', DELEGATE);
      // The page that asks "Leave Acme Ltd?", then its button.
      await other.browser.get(`${MOUNT}/accounts/${accountId()}/leave`);
      const res = await other.browser.postJson(`${MOUNT}/accounts/${accountId()}/leave`, {});
      expect(res.status, res.text).to.equal(200);
      expect(await world.knex('au_account_users').where({ account_id: accountId(), user_id: other.userId }).first()).to.equal(undefined);
    });
  });

  describe('a second login of theirs', () => {
    it('invited with manageusers and no end date over JSON, ends at the delegate’s end (invitation and membership)', async () => {
      const res = await delegate.browser.postJson(`${MOUNT}/invite`, { email: 'contractor-again@example.com', permissions: ['manageusers', 'invoices'] });
      expect(res.status, res.text).to.equal(201);
      expect(new Date(res.body.invitation.accessUntil).getTime()).to.equal(until.getTime());
      const link = pathOf(world.smtp.linkFor('contractor-again@example.com'));
      const second = world.browser();
      await second.getJson(link);
      const registered = await second.postJson(`${link}/register`, { name: 'Contractor Again', password: 'member-password-1' });
      expect(registered.status, registered.text).to.equal(201);
      expect(await accessUntilOf(world, Number(registered.body.user.id))).to.equal(until.getTime());
      // …and it cannot lift its own end date either.
      const lift = await second.postJson(`${MOUNT}/users/${registered.body.user.id}/permissions`, {
        permissions: ['manageusers', 'invoices'],
        accessUntil: null,
      });
      expect(lift.status).to.equal(403);
    });

    it('invited through the form with the end date left empty, ends at the delegate’s end', async () => {
      const form = await delegate.browser.get(`${MOUNT}/invite`);
      expect(form.text).to.contain(`Your own access ends on ${english(until)}`);
      const res = await delegate.browser.post(`${MOUNT}/invite`, {
        email: 'contractor-form@example.com',
        permissions: ['manageusers', 'invoices'],
        accessUntil: '',
      });
      expect(res.status, res.text).to.equal(303);
      const row = await world.knex('au_invitations').where({ email: 'contractor-form@example.com' }).first();
      expect(Number(row.access_until)).to.equal(until.getTime());
    });

    it('invited through au.api with no end date, ends at the delegate’s end', async () => {
      const { invitation } = await au.api.invite({
        actor: { userId: delegate.userId },
        accountId: accountId(),
        email: 'contractor-api@example.com',
        permissions: ['manageusers', 'invoices'] as never[],
        accessUntil: null,
        send: false,
      });
      expect(invitation.accessUntil!.getTime()).to.equal(until.getTime());
    });

    it('asked for later than the delegate’s end, is refused with a field error and nothing is sent (JSON, form, au.api)', async () => {
      const before = await everything(world);
      const later = new Date(until.getTime() + DAY);
      const res = await delegate.browser.postJson(`${MOUNT}/invite`, {
        email: 'too-long@example.com',
        permissions: ['invoices'],
        accessUntil: later.toISOString(),
      });
      expect(res.status, res.text).to.equal(400);
      expect(res.body.error.fields).to.deep.equal([
        { field: 'accessUntil', message: `must be no later than the end of your own access, on ${english(until)}` },
      ]);
      await delegate.browser.get(`${MOUNT}/invite`);
      const form = await delegate.browser.post(`${MOUNT}/invite`, {
        email: 'too-long@example.com',
        permissions: ['invoices'],
        accessUntil: later.toISOString(),
      });
      expect(form.status).to.equal(400);
      expect(form.text).to.contain('must be no later than the end of your own access');
      const err = await refusedWith(
        au.api.invite({
          actor: { userId: delegate.userId },
          accountId: accountId(),
          email: 'too-long@example.com',
          permissions: ['invoices'],
          accessUntil: later,
        }),
        'InvalidInputError',
      );
      expect(err.issues![0]!.field).to.equal('accessUntil');
      expect(await everything(world)).to.equal(before);
      expect(world.smtp.to('too-long@example.com')).to.have.length(0);
    });

    it('may end earlier than the delegate’s own end', async () => {
      const earlier = new Date(until.getTime() - DAY);
      const res = await delegate.browser.postJson(`${MOUNT}/invite`, {
        email: 'short-stay@example.com',
        permissions: ['invoices'],
        accessUntil: earlier.toISOString(),
      });
      expect(res.status, res.text).to.equal(201);
      expect(new Date(res.body.invitation.accessUntil).getTime()).to.equal(earlier.getTime());
    });
  });

  describe('another member', () => {
    it('is refused a later end date than the delegate’s over JSON, form and au.api; the member’s date stays', async () => {
      const member = await apiMember(world, ['invoices'], 'timed');
      const soon = new Date(at + 2 * DAY);
      await au.api.setPermissions({
        actor: { userId: world.ownerId },
        accountId: accountId(),
        userId: member.userId,
        permissions: ['invoices'],
        accessUntil: soon,
      });
      const before = await everything(world);
      const later = new Date(until.getTime() + DAY).toISOString();
      const json = await delegate.browser.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: later });
      expect(json.status, json.text).to.equal(400);
      expect(json.body.error.fields[0]).to.deep.equal({
        field: 'accessUntil',
        message: `must be no later than the end of your own access, on ${english(until)}`,
      });
      await delegate.browser.get(`${MOUNT}/users/${member.userId}`);
      const form = await delegate.browser.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: later });
      expect(form.status).to.equal(400);
      expect(form.text).to.contain('must be no later than the end of your own access');
      await refusedWith(
        au.api.setPermissions({
          actor: { userId: delegate.userId },
          accountId: accountId(),
          userId: member.userId,
          permissions: ['invoices'],
          accessUntil: later,
        }),
        'InvalidInputError',
      );
      expect(await everything(world)).to.equal(before);
      expect(await accessUntilOf(world, member.userId)).to.equal(soon.getTime());
    });

    it('given no end date by the delegate (form left empty), ends at the delegate’s end', async () => {
      const member = await apiMember(world, ['invoices'], 'cleared');
      await au.api.setPermissions({
        actor: { userId: world.ownerId },
        accountId: accountId(),
        userId: member.userId,
        permissions: ['invoices'],
        accessUntil: new Date(at + 2 * DAY),
      });
      await delegate.browser.get(`${MOUNT}/users/${member.userId}`);
      const form = await delegate.browser.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: '' });
      expect(form.status, form.text).to.equal(303);
      expect(await accessUntilOf(world, member.userId)).to.equal(until.getTime());
      const json = await delegate.browser.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: null });
      expect(new Date(json.body.member.accessUntil).getTime()).to.equal(until.getTime());
    });

    it('whose access has no end (the owner’s grant) keeps it when the delegate only takes permissions away, and may be given an end date', async () => {
      const member = await apiMember(world, ['invoices', 'tickets'], 'unlimited');
      await delegate.browser.get(`${MOUNT}/users/${member.userId}`);
      const form = await delegate.browser.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: '' });
      expect(form.status, form.text).to.equal(303);
      expect(await accessUntilOf(world, member.userId)).to.equal(null);
      const set = new Date(until.getTime() + 10 * DAY);
      const json = await delegate.browser.postJson(`${MOUNT}/users/${member.userId}/permissions`, {
        permissions: ['invoices'],
        accessUntil: set.toISOString(),
      });
      expect(json.status, json.text).to.equal(200);
      expect(await accessUntilOf(world, member.userId)).to.equal(set.getTime());
    });

    it('given a permission they did not hold, ends at the delegate’s end though the owner left them without one (form, JSON, au.api); a later date is refused', async () => {
      for (const via of ['form', 'json', 'api'] as const) {
        const member = await apiMember(world, ['invoices'], `added-${via}`);
        if (via === 'form') {
          await delegate.browser.get(`${MOUNT}/users/${member.userId}`);
          const form = await delegate.browser.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'tickets'], accessUntil: '' });
          expect(form.status, form.text).to.equal(303);
        } else if (via === 'json') {
          const json = await delegate.browser.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'tickets'] });
          expect(json.status, json.text).to.equal(200);
          expect(new Date(json.body.member.accessUntil).getTime()).to.equal(until.getTime());
        } else {
          await au.api.setPermissions({
            actor: { userId: delegate.userId },
            accountId: accountId(),
            userId: member.userId,
            permissions: ['invoices', 'tickets'],
          });
        }
        expect(await accessUntilOf(world, member.userId), via).to.equal(until.getTime());
      }
      const member = await apiMember(world, ['invoices'], 'added-later');
      const before = await everything(world);
      await refusedWith(
        au.api.setPermissions({
          actor: { userId: delegate.userId },
          accountId: accountId(),
          userId: member.userId,
          permissions: ['invoices', 'tickets'],
          accessUntil: new Date(until.getTime() + DAY),
        }),
        'InvalidInputError',
      );
      expect(await everything(world)).to.equal(before);
      expect(await accessUntilOf(world, member.userId)).to.equal(null);
    });

    it('refuses to let a member they gave manageusers revive them after their end date', async () => {
      // A colleague (or a second login of the delegate's) the owner added with no end date.
      const colleague = await apiMember(world, ['invoices'], 'colleague');
      await au.api.setPermissions({
        actor: { userId: delegate.userId },
        accountId: accountId(),
        userId: colleague.userId,
        permissions: ['manageusers', 'invoices'] as never[],
      });
      expect(await accessUntilOf(world, colleague.userId)).to.equal(until.getTime());
      const saved = at;
      at = until.getTime() + DAY;
      try {
        expect(await au.api.can({ userId: delegate.userId, accountId: accountId() }, 'invoices')).to.equal(false);
        const before = await everything(world);
        await refusedWith(
          au.api.setPermissions({
            actor: { userId: colleague.userId },
            accountId: accountId(),
            userId: delegate.userId,
            permissions: DELEGATE as never[],
            accessUntil: null,
          }),
          'ForbiddenError',
        );
        expect(await everything(world)).to.equal(before);
        expect(await au.api.can({ userId: delegate.userId, accountId: accountId() }, 'invoices')).to.equal(false);
      } finally {
        at = saved;
      }
    });

    it('whose access ended is revived no later than the delegate’s end: later refused, empty capped (JSON, au.api)', async () => {
      const member = await apiMember(world, ['invoices'], 'ended');
      const ended = new Date(at + HOUR);
      await au.api.setPermissions({
        actor: { userId: world.ownerId },
        accountId: accountId(),
        userId: member.userId,
        permissions: ['invoices'],
        accessUntil: ended,
      });
      at += 2 * HOUR;
      try {
        expect(await au.api.can({ userId: member.userId, accountId: accountId() }, 'invoices')).to.equal(false);
        const before = await everything(world);
        const later = new Date(until.getTime() + DAY).toISOString();
        const json = await delegate.browser.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: later });
        expect(json.status, json.text).to.equal(400);
        expect(json.body.error.fields[0].field).to.equal('accessUntil');
        await refusedWith(
          au.api.setPermissions({
            actor: { userId: delegate.userId },
            accountId: accountId(),
            userId: member.userId,
            permissions: ['invoices'],
            accessUntil: later,
          }),
          'InvalidInputError',
        );
        expect(await everything(world)).to.equal(before);
        expect(await accessUntilOf(world, member.userId)).to.equal(ended.getTime());
        const { member: revived } = await au.api.setPermissions({
          actor: { userId: delegate.userId },
          accountId: accountId(),
          userId: member.userId,
          permissions: ['invoices'],
          accessUntil: null,
        });
        expect(revived.accessUntil!.getTime()).to.equal(until.getTime());
        expect(revived.accessEnded).to.equal(false);
      } finally {
        at -= 2 * HOUR;
      }
    });
  });

  describe('racing the owner', () => {
    it('never wipes a grant the owner makes at the same moment (20 rounds of simultaneous edits of one member)', async () => {
      const member = await apiMember(world, ['invoices'], 'raced');
      await owner.getJson(`${MOUNT}/`);
      await delegate.browser.getJson(`${MOUNT}/`);
      const outcomes: number[] = [];
      for (let round = 0; round < 20; round++) {
        await au.api.setPermissions({ actor: { userId: world.ownerId }, accountId: accountId(), userId: member.userId, permissions: ['invoices'] });
        const [byOwner, byDelegate] = await Promise.all([
          // The owner grants a key the delegate lacks…
          owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'domains'] }),
          // …while the delegate edits the same member.
          delegate.browser.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['tickets'] }),
        ]);
        expect(byOwner.status, byOwner.text).to.equal(200);
        expect([200, 403], byDelegate.text).to.include(byDelegate.status);
        outcomes.push(byDelegate.status);
        // Either the delegate's edit came first and the owner's grant replaced it, or the delegate
        // saw the grant and was refused: the owner's grant stands either way.
        const { member: after } = await au.api.getMember({ actor: { userId: world.ownerId }, accountId: accountId(), userId: member.userId });
        expect(after.permissions, `round ${round}: delegate ${byDelegate.status}`).to.deep.equal(['domains', 'invoices']);
      }
      expect(outcomes).to.have.length(20);
    });

    it('applies the owner’s cut of the delegate’s own permissions to a grant racing it', async () => {
      const member = await apiMember(world, ['invoices'], 'cut');
      const cutter = await addMember(world, owner, 'racing-delegate@example.com', DELEGATE);
      await cutter.browser.getJson(`${MOUNT}/`);
      for (let round = 0; round < 10; round++) {
        await au.api.setPermissions({ actor: { userId: world.ownerId }, accountId: accountId(), userId: cutter.userId, permissions: DELEGATE as never[] });
        await au.api.setPermissions({ actor: { userId: world.ownerId }, accountId: accountId(), userId: member.userId, permissions: ['invoices'] });
        const [cut, grant] = await Promise.all([
          owner.postJson(`${MOUNT}/users/${cutter.userId}/permissions`, { permissions: ['manageusers', 'invoices'] }),
          cutter.browser.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'tickets'] }),
        ]);
        expect(cut.status, cut.text).to.equal(200);
        const { member: after } = await au.api.getMember({ actor: { userId: world.ownerId }, accountId: accountId(), userId: member.userId });
        // Granted only if it came before the cut: then the delegate still held `tickets`.
        if (grant.status === 200) expect(after.permissions).to.deep.equal(['invoices', 'tickets']);
        else expect(after.permissions, grant.text).to.deep.equal(['invoices']);
      }
    });
  });

  describe('resending', () => {
    it('starts an expired invitation of the owner’s over ending at the delegate’s end', async () => {
      const login = await newLogin(au, 'expired');
      const { invitation } = await au.api.invite({ actor: { userId: world.ownerId }, accountId: accountId(), email: login.email, permissions: ['invoices'] });
      expect(invitation.accessUntil).to.equal(null);
      at += 8 * DAY;
      try {
        await delegate.browser.getJson(`${MOUNT}/`);
        const res = await delegate.browser.postJson(`${MOUNT}/invitations/${invitation.id}/resend`, {});
        expect(res.status, res.text).to.equal(200);
        expect(new Date(res.body.invitation.accessUntil).getTime()).to.equal(until.getTime());
        const invitee = world.browser();
        await invitee.login(login.email, login.password);
        const link = pathOf(world.smtp.linkFor(login.email));
        await invitee.getJson(link);
        const accepted = await invitee.postJson(link, {});
        expect(accepted.status, accepted.text).to.equal(200);
        expect(await accessUntilOf(world, login.userId)).to.equal(until.getTime());
      } finally {
        at -= 8 * DAY;
      }
    });
  });
});
