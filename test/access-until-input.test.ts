import { expect } from 'chai';
import { useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { apiMember, refusedWith } from './support/api.js';
import { DEFAULT_MESSAGES } from '../lib/index.js';

/** Strings that are not an ISO 8601 moment with a zone, nor a date alone, each with the reason the field gives. */
const REFUSED: ReadonlyArray<[string, string]> = [
  ['2030-01-01 00:00', DEFAULT_MESSAGES['field.accessUntil']],
  ['01/02/2030', DEFAULT_MESSAGES['field.accessUntil']],
  ['Tue, 01 Jan 2030 00:00:00 GMT', DEFAULT_MESSAGES['field.accessUntil']],
  ['2030-01-01T00:00', DEFAULT_MESSAGES['field.accessUntilZone']],
  ['2030-01-01T00:00:00.000', DEFAULT_MESSAGES['field.accessUntilZone']],
  ['2030-02-30', DEFAULT_MESSAGES['field.noSuchDate']],
  ['2030-13-01', DEFAULT_MESSAGES['field.noSuchDate']],
  ['2030-02-29T10:00Z', DEFAULT_MESSAGES['field.noSuchDate']],
  ['2030-01-01T24:61Z', DEFAULT_MESSAGES['field.noSuchDate']],
  ['2030-01-01T23:00:60Z', DEFAULT_MESSAGES['field.noSuchDate']],
  ['2030-01-01T10:00+24:00', DEFAULT_MESSAGES['field.noSuchDate']],
];

/**
 * Finding 14 of issue 21: `accessUntil` strings that were not ISO instants ("2030-01-01 00:00")
 * were read in the server's time zone, and 2030-02-30 became 2 March. JSON and au.api now take
 * ISO 8601 with an explicit zone, or a date alone (the end of that day, UTC), and refuse anything
 * else, impossible dates included, naming `accessUntil` and writing nothing. The HTML form's
 * datetime-local value (no zone) is read as UTC, as the form says. A Date stays accepted.
 */
describe('accessUntil input', function () {
  this.timeout(30_000);
  const { world, owner } = useWorld({ limits: { invitationsPerDay: 1000 } }, { owner: 'signed-in' });
  let member: { userId: number };
  before(async () => {
    member = await apiMember(world);
    await owner.getJson(`${MOUNT}/`);
  });

  const snapshot = async () => ({
    invitations: await world.knex('au_invitations').select('id', 'email', 'status', 'access_until').orderBy('id'),
    memberships: await world.knex('au_account_users').select('user_id', 'permissions', 'access_until').orderBy('user_id'),
    outbox: await world.count('outbox'),
    mails: world.smtp.messages.length,
  });

  describe('JSON (POST /invite, POST /users/:userId/permissions)', () => {
    for (const [value, reason] of REFUSED) {
      it(`refuses ${JSON.stringify(value)} with 400 on accessUntil ("${reason}") and writes nothing`, async () => {
        const before = await snapshot();
        const invited = await owner.postJson(`${MOUNT}/invite`, { email: 'json-dates@example.com', permissions: ['invoices'], accessUntil: value });
        expect(invited.status, invited.text).to.equal(400);
        expect(invited.body.error.fields).to.deep.equal([{ field: 'accessUntil', message: reason }]);
        const edited = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['tickets'], accessUntil: value });
        expect(edited.status, edited.text).to.equal(400);
        expect(edited.body.error.fields).to.deep.equal([{ field: 'accessUntil', message: reason }]);
        expect(await snapshot()).to.deep.equal(before);
      });
    }

    it('reads a date alone as the end of that day in UTC', async () => {
      const invited = await owner.postJson(`${MOUNT}/invite`, { email: 'date-only@example.com', permissions: ['invoices'], accessUntil: '2032-02-29' });
      expect(invited.status, invited.text).to.equal(201);
      expect(invited.body.invitation.accessUntil).to.equal('2032-02-29T23:59:59.999Z');
    });

    it('takes a zone as given: Z, or an offset from UTC', async () => {
      const edited = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, {
        permissions: ['invoices'],
        accessUntil: '2031-06-01T12:30+02:00',
      });
      expect(edited.status, edited.text).to.equal(200);
      expect(edited.body.member.accessUntil).to.equal('2031-06-01T10:30:00.000Z');
      const again = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, {
        permissions: ['invoices'],
        accessUntil: '2031-06-01T12:30:15.1234Z',
      });
      expect(again.body.member.accessUntil).to.equal('2031-06-01T12:30:15.123Z');
      const behind = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, {
        permissions: ['invoices'],
        accessUntil: '2031-12-31T22:00-05:00',
      });
      expect(behind.body.member.accessUntil).to.equal('2032-01-01T03:00:00.000Z');
    });
  });

  describe('the HTML forms', () => {
    it("read the datetime-local field's value (no zone) as UTC, as the form says", async () => {
      await owner.get(`${MOUNT}/invite`);
      const sent = await owner.post(`${MOUNT}/invite`, { email: 'form-dates@example.com', permissions: 'invoices', accessUntil: '2031-03-04T17:30' });
      expect(sent.status, sent.text).to.equal(303);
      const row = await world.host.au.api.listInvitations({ actor: { system: 'test' }, accountId: world.account.id });
      expect(row.items.find((i) => i.email === 'form-dates@example.com')!.accessUntil!.toISOString()).to.equal('2031-03-04T17:30:00.000Z');

      await owner.get(`${MOUNT}/users/${member.userId}`);
      const saved = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: 'invoices', accessUntil: '2031-03-05T08:15' });
      expect(saved.status, saved.text).to.equal(303);
      const { member: after } = await world.host.au.api.getMember({ actor: { system: 'test' }, accountId: world.account.id, userId: member.userId });
      expect(after.accessUntil!.toISOString()).to.equal('2031-03-05T08:15:00.000Z');
    });

    it('refuse an impossible date with the form again, the field marked, and nothing written', async () => {
      const before = await snapshot();
      await owner.get(`${MOUNT}/invite`);
      const page = await owner.post(`${MOUNT}/invite`, { email: 'form-feb@example.com', permissions: 'invoices', accessUntil: '2031-02-30T10:00' });
      expect(page.status).to.equal(400);
      expect(page.text).to.contain('id="access-until-error"').and.contain(DEFAULT_MESSAGES['field.noSuchDate']);
      await owner.get(`${MOUNT}/users/${member.userId}`);
      const edit = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: 'tickets', accessUntil: '2031-01-01T24:61' });
      expect(edit.status).to.equal(400);
      expect(edit.text).to.contain('id="access-until-error"');
      expect(await snapshot()).to.deep.equal(before);
    });
  });

  describe('au.api', () => {
    const actor = { system: 'support' };

    for (const [value] of REFUSED) {
      it(`invite and setPermissions refuse ${JSON.stringify(value)} (InvalidInputError on accessUntil), writing nothing`, async () => {
        const before = await snapshot();
        const api = world.host.au.api;
        const e1 = await refusedWith(
          api.invite({ actor, accountId: world.account.id, email: 'api-dates@example.com', permissions: ['invoices'], accessUntil: value }),
          'InvalidInputError',
        );
        expect(e1.issues!.map((i) => i.field)).to.deep.equal(['accessUntil']);
        const e2 = await refusedWith(
          api.setPermissions({ actor, accountId: world.account.id, userId: member.userId, permissions: ['tickets'], accessUntil: value }),
          'InvalidInputError',
        );
        expect(e2.issues!.map((i) => i.field)).to.deep.equal(['accessUntil']);
        expect(await snapshot()).to.deep.equal(before);
      });
    }

    it('accepts a Date as it is, and refuses an invalid one', async () => {
      const until = new Date('2033-07-08T09:10:11.012Z');
      const { member: set } = await world.host.au.api.setPermissions({
        actor,
        accountId: world.account.id,
        userId: member.userId,
        permissions: ['invoices'],
        accessUntil: until,
      });
      expect(set.accessUntil!.toISOString()).to.equal(until.toISOString());
      const err = await refusedWith(
        world.host.au.api.setPermissions({
          actor,
          accountId: world.account.id,
          userId: member.userId,
          permissions: ['invoices'],
          accessUntil: new Date('nonsense'),
        }),
        'InvalidInputError',
      );
      expect(err.issues!.map((i) => i.field)).to.deep.equal(['accessUntil']);
    });

    it('takes an ISO string with a zone, and a date alone as the end of that day (UTC)', async () => {
      const { invitation } = await world.host.au.api.invite({
        actor,
        accountId: world.account.id,
        email: 'api-date-only@example.com',
        permissions: ['invoices'],
        accessUntil: '2034-12-31',
        send: false,
      });
      expect(invitation.accessUntil!.toISOString()).to.equal('2034-12-31T23:59:59.999Z');
      const { member: set } = await world.host.au.api.setPermissions({
        actor,
        accountId: world.account.id,
        userId: member.userId,
        permissions: ['invoices'],
        accessUntil: '2034-01-01T00:00:00+01:00',
      });
      expect(set.accessUntil!.toISOString()).to.equal('2033-12-31T23:00:00.000Z');
    });
  });
});
