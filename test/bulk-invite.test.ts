import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { apiMember, refusedWith } from './support/api.js';
import { addMember } from './support/members.js';
import type { AccountUsers, BulkInviteResult } from '../lib/index.js';

const count = async (world: World, table: string, where: Record<string, unknown> = {}) =>
  Number(((await world.knex(`au_${table}`).where(where).count({ n: '*' }).first()) as { n: unknown }).n);

const outcomes = (results: BulkInviteResult[]) => results.map((r) => r.outcome);
const tally = (results: BulkInviteResult[]) => results.reduce<Record<string, number>>((t, r) => ({ ...t, [r.outcome]: (t[r.outcome] ?? 0) + 1 }), {});

/**
 * Bulk invitation (au.api.inviteMany, POST /invite/bulk): each address answered on its own, all or
 * nothing per address, the daily invitation limit decided address by address under the account's
 * lock by the same helper as a single invitation.
 */
describe('bulk invitation', function () {
  this.timeout(120_000);

  describe('sixty addresses with mixed outcomes', () => {
    const world = new World();
    let au: AccountUsers;
    let results: BulkInviteResult[];
    const fresh = Array.from({ length: 52 }, (_, i) => `fresh-${i}@example.com`);
    let members: string[];
    const pending = ['pending-0@example.com', 'pending-1@example.com', 'pending-2@example.com'];

    before(async () => {
      await world.setUp({ limits: { invitationsPerDay: 50, bulkInviteMax: 60 } });
      au = world.host.au;
      members = [(await apiMember(world, ['invoices'], 'bulk-member')).email, (await apiMember(world, ['tickets'], 'bulk-member')).email];
      // Pending invitations made without email: they hold their address but not the daily limit.
      for (const email of pending)
        await au.api.invite({ actor: { system: 'setup' }, accountId: world.account.id, email, permissions: ['invoices'], send: false });
      const emails = [
        ...members.map((e) => e.toUpperCase()),
        ...pending,
        'not-an-address',
        'x@',
        fresh[0]!, // twice: answered once
        ...fresh,
      ];
      expect(emails).to.have.length(60);
      ({ results } = await au.api.inviteMany({ actor: { userId: world.ownerId }, accountId: world.account.id, emails, permissions: ['invoices', 'tickets'] }));
    });
    after(() => world.tearDown());

    it('answers each distinct address once, in the order given', () => {
      expect(results.map((r) => r.email)).to.deep.equal([...members, ...pending, 'not-an-address', 'x@', ...fresh]);
    });

    it('tells members, pending invitations and invalid addresses apart', () => {
      expect(outcomes(results).slice(0, 7)).to.deep.equal([
        'already_member',
        'already_member',
        'already_invited',
        'already_invited',
        'already_invited',
        'invalid',
        'invalid',
      ]);
      expect(results[2]!.invitation!.permissions).to.deep.equal(['invoices']);
    });

    it('invites exactly as many as the daily limit allows and answers the rest "limited"', async () => {
      expect(outcomes(results).slice(7)).to.deep.equal([...Array(50).fill('invited'), 'limited', 'limited']);
      expect(await count(world, 'invitations', { status: 'pending' })).to.equal(53);
      expect(await count(world, 'outbox')).to.equal(50);
      for (const email of fresh.slice(50)) expect(await count(world, 'invitations', { email }), email).to.equal(0);
    });

    it('emails every invited address once and records each invitation in the activity log', async () => {
      for (const email of fresh.slice(0, 50)) expect(world.smtp.to(email), email).to.have.length(1);
      expect(await count(world, 'activity', { action: 'invitation.sent' })).to.equal(50 + 3 + 2);
      const invited = results.find((r) => r.outcome === 'invited')!;
      expect(invited.invitation!.permissions).to.deep.equal(['invoices', 'tickets']);
      expect(invited.delivery).to.equal('sent');
    });

    it('refuses a list longer than limits.bulkInviteMax with 400 naming the field, writing nothing', async () => {
      const before = await count(world, 'invitations');
      const err = await refusedWith(
        au.api.inviteMany({
          actor: { userId: world.ownerId },
          accountId: world.account.id,
          emails: Array.from({ length: 61 }, (_, i) => `over-${i}@example.com`),
          permissions: ['invoices'],
        }),
        'InvalidInputError',
      );
      expect(err.issues![0]!.field).to.equal('emails');
      expect(err.message).to.contain('at most 60 addresses');
      expect(await count(world, 'invitations')).to.equal(before);
    });
  });

  describe('with a preset and an end date', () => {
    const world = new World();
    let au: AccountUsers;
    const events: Array<{ action: string; subjectEmail?: string | null; details?: Record<string, unknown> }> = [];
    const until = '2099-06-30T17:00:00.000Z';

    before(async () => {
      await world.setUp({ presets: [{ key: 'billing', label: 'Billing', permissions: ['invoices', 'quotes'] }] });
      au = world.host.au;
      au.events.on('activity', (e) => events.push(e));
    });
    after(() => world.tearDown());

    it('gives every address the preset’s permissions and the end date (au.api), one invitation.sent event each', async () => {
      const { results } = await au.api.inviteMany({
        actor: { userId: world.ownerId },
        accountId: world.account.id,
        emails: 'preset-1@example.com\npreset-2@example.com\nnot-an-address',
        preset: 'billing',
        accessUntil: until,
      });
      expect(outcomes(results)).to.deep.equal(['invited', 'invited', 'invalid']);
      for (const r of results.slice(0, 2)) {
        expect(r.invitation!.permissions, r.email).to.deep.equal(['invoices', 'quotes']);
        expect(r.invitation!.accessUntil?.toISOString(), r.email).to.equal(until);
        const row = await world.knex('au_invitations').where({ email: r.email }).first();
        expect(Number(row.access_until), r.email).to.equal(Date.parse(until));
      }
      const sent = events.filter((e) => e.action === 'invitation.sent');
      expect(sent.map((e) => e.subjectEmail)).to.deep.equal(['preset-1@example.com', 'preset-2@example.com']);
      expect(sent[0]!.details).to.include({ accessUntil: until });
      expect(sent[0]!.details!.permissions).to.deep.equal(['invoices', 'quotes']);
    });

    it('carries the end date into the membership when the invitation is accepted', async () => {
      const invitation = await world.knex('au_invitations').where({ email: 'preset-1@example.com' }).first();
      const { owner } = await au.createAccount({
        name: 'Preset One Ltd',
        owner: { email: 'preset-1@example.com', name: 'Preset One', password: 'person-password-1', emailVerified: true },
      });
      await au.api.acceptInvitation({ userId: owner.id, invitationId: Number(invitation.id) });
      const { member } = await au.api.getMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: owner.id });
      expect(member.permissions).to.deep.equal(['invoices', 'quotes']);
      expect(member.accessUntil?.toISOString()).to.equal(until);
    });

    it('applies a preset and an end date sent by the form (JSON), and offers a file input that fills the address box', async () => {
      const owner = await world.ownerBrowser();
      const form = await owner.get(`${MOUNT}/invite/bulk`);
      expect(form.text).to.match(/<input id="au-emails-file" type="file"[^>]*data-au-read-into="au-emails"/);
      expect(form.text).to.contain('<textarea id="au-emails" name="emails"');
      await owner.getJson(`${MOUNT}/invite/bulk`);
      const res = await owner.postJson(`${MOUNT}/invite/bulk`, { emails: ['form-1@example.com'], preset: 'billing', accessUntil: '2099-07-01' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.results[0]).to.include({ email: 'form-1@example.com', outcome: 'invited' });
      expect(res.body.results[0].invitation.permissions).to.deep.equal(['invoices', 'quotes']);
      // A date alone is the end of that day, UTC.
      expect(res.body.results[0].invitation.accessUntil).to.equal('2099-07-01T23:59:59.999Z');
    });
  });

  describe('two bulk invitations of one account at once', () => {
    const world = new World();
    let au: AccountUsers;

    before(async () => {
      await world.setUp({ limits: { invitationsPerDay: 45 } });
      au = world.host.au;
    });
    after(() => world.tearDown());

    it('never pass the daily limit together: exactly 45 of 70 addresses invited, each shared address once', async () => {
      const shared = Array.from({ length: 10 }, (_, i) => `shared-${i}@example.com`);
      const a = [...Array.from({ length: 30 }, (_, i) => `a-${i}@example.com`), ...shared];
      const b = [...shared, ...Array.from({ length: 30 }, (_, i) => `b-${i}@example.com`)];
      const call = (emails: string[]) =>
        au.api.inviteMany({ actor: { userId: world.ownerId }, accountId: world.account.id, emails, permissions: ['invoices'] });
      const [ra, rb] = await Promise.all([call(a), call(b)]);
      const all = [...ra.results, ...rb.results];
      expect(all.filter((r) => r.outcome === 'invited')).to.have.length(45);
      expect(await count(world, 'outbox')).to.equal(45);
      expect(await count(world, 'invitations')).to.equal(45);
      for (const email of shared) {
        const answers = all.filter((r) => r.email === email).map((r) => r.outcome);
        expect(answers.filter((o) => o === 'invited').length, `${email}: ${answers.join(', ')}`).to.be.at.most(1);
        expect(await count(world, 'invitations', { email }), email).to.be.at.most(1);
      }
      expect(Object.keys(tally(all)).sort()).to.satisfy((keys: string[]) => keys.every((k) => ['invited', 'limited', 'already_invited'].includes(k)));
    });
  });

  describe('for a delegate, over HTTP', () => {
    const world = new World();

    before(async () => {
      await world.setUp({ delegation: true });
    });
    after(() => world.tearDown());

    it('refuses a bulk invitation granting a permission the delegate lacks with 403, writing nothing', async () => {
      const owner = await world.ownerBrowser();
      const delegate = await addMember(world, owner, 'delegate@example.com', ['manageusers', 'invoices']);
      await delegate.browser.getJson(`${MOUNT}/invite/bulk`);
      const before = await count(world, 'invitations');
      const res = await delegate.browser.postJson(`${MOUNT}/invite/bulk`, { emails: 'one@example.com\ntwo@example.com', permissions: ['invoices', 'domains'] });
      expect(res.status, res.text).to.equal(403);
      expect(await count(world, 'invitations')).to.equal(before);
    });

    it('answers a JSON bulk invitation with one result per address', async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/invite/bulk`);
      const res = await owner.postJson(`${MOUNT}/invite/bulk`, { emails: 'json-1@example.com, json-2@example.com; nope', permissions: ['tickets'] });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.results.map((r: BulkInviteResult) => [r.email, r.outcome])).to.deep.equal([
        ['json-1@example.com', 'invited'],
        ['json-2@example.com', 'invited'],
        ['nope', 'invalid'],
      ]);
    });

    it('shows the answer page listing each address and its outcome', async () => {
      const owner = await world.ownerBrowser();
      const form = await owner.get(`${MOUNT}/invite/bulk`);
      expect(form.status).to.equal(200);
      expect(form.text).to.contain('name="emails"');
      const res = await owner.post(`${MOUNT}/invite/bulk`, { emails: 'page-1@example.com\njson-1@example.com\n=cmd', permissions: ['invoices'] });
      expect(res.status, res.text).to.equal(200);
      expect(res.text).to.contain('page-1@example.com').and.to.contain('Invited').and.to.contain('Already invited').and.to.contain('Not a valid email address');
    });
  });
});
