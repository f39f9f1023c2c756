import { expect } from 'chai';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { escapeHtml, invite, linkPath, otherAccount } from './support/invitations.js';
import { addMember, setPermissions } from './support/members.js';

const ACTIONS = [
  'invitation.sent',
  'invitation.resent',
  'invitation.cancelled',
  'invitation.accepted',
  'member.permissions_changed',
  'member.removed',
  'member.left',
] as const;

type Row = Record<string, unknown>;
type Event = Record<string, unknown> & { action: string };

/** One audit row, and one event, for every change to who may use an account. */
describe('activity log', function () {
  this.timeout(60_000);

  describe('each change writes exactly one row and emits the same event', () => {
    const world = new World();
    let owner: Browser;
    let events: Event[];
    let all: Event[];
    let lastId = 0;

    /** Runs one step and returns the one activity row and the one event it produced. */
    async function step(run: () => Promise<unknown>): Promise<{ row: Row; event: Event }> {
      events = [];
      all = [];
      await run();
      const rows = (await world.knex('au_activity').where('id', '>', lastId).orderBy('id')) as Row[];
      expect(rows, 'activity rows written').to.have.length(1);
      expect(events, 'events emitted').to.have.length(1);
      expect(all, "'activity' events emitted").to.have.length(1);
      const row = rows[0]!;
      lastId = Number(row.id);
      const event = events[0]!;
      // The event carries what the row holds.
      expect(event.action).to.equal(row.action);
      expect(event.accountId).to.equal(Number(row.account_id));
      expect(event.actorUserId).to.equal(row.actor_user_id === null ? null : Number(row.actor_user_id));
      expect(event.subjectUserId ?? null).to.equal(row.subject_user_id === null ? null : Number(row.subject_user_id));
      expect(event.subjectEmail ?? null).to.equal(row.subject_email);
      expect(event.ip).to.equal(row.ip);
      expect(event.details).to.deep.equal(JSON.parse(String(row.details)));
      expect(event.at).to.be.instanceOf(Date);
      expect(all[0]).to.deep.equal(event);
      expect(String(row.ip)).to.match(/127\.0\.0\.1|::1/);
      return { row, event };
    }

    before(async () => {
      await world.setUp();
      owner = await world.ownerBrowser();
      for (const action of ACTIONS) world.host.au.events.on(action, (e: Event) => events.push(e));
      world.host.au.events.on('activity', (e: Event) => all.push(e));
      lastId = Number((await world.knex('au_activity').max({ id: 'id' }).first())?.id ?? 0);
    });
    after(() => world.tearDown());

    let invitationId: number;
    let memberId: number;

    it('invite: invitation.sent by the owner, naming the email and the permissions', async () => {
      const { row } = await step(async () => {
        invitationId = (await invite(owner, 'anna@example.com', ['invoices'])).id;
      });
      expect(row).to.include({ action: 'invitation.sent', subject_email: 'anna@example.com' });
      expect(Number(row.actor_user_id)).to.equal(world.ownerId);
      expect(Number(row.account_id)).to.equal(world.account.id);
      expect(JSON.parse(String(row.details))).to.deep.equal({ invitationId, permissions: ['invoices'] });
    });

    it('resend: invitation.resent', async () => {
      world.host.clock.advance(61_000);
      const { row } = await step(() => owner.postJson(`${MOUNT}/invitations/${invitationId}/resend`, {}));
      expect(row).to.include({ action: 'invitation.resent', subject_email: 'anna@example.com' });
      expect(Number(row.actor_user_id)).to.equal(world.ownerId);
    });

    it('cancel: invitation.cancelled', async () => {
      const other = await invite(owner, 'bob@example.com');
      lastId = Number((await world.knex('au_activity').max({ id: 'id' }).first())!.id);
      const { row } = await step(() => owner.postJson(`${MOUNT}/invitations/${other.id}/cancel`, {}));
      expect(row).to.include({ action: 'invitation.cancelled', subject_email: 'bob@example.com' });
      expect(JSON.parse(String(row.details))).to.deep.equal({ invitationId: other.id });
    });

    it('accept: invitation.accepted with the new member as actor and subject', async () => {
      const link = linkPath(world, 'anna@example.com');
      const visitor = world.browser();
      await visitor.getJson(link);
      const { row } = await step(async () => {
        const res = await visitor.postJson(`${link}/register`, { name: 'Anna', password: 'anna-password-1' });
        expect(res.status).to.equal(201);
        memberId = res.body.user.id;
      });
      expect(row).to.include({ action: 'invitation.accepted', subject_email: 'anna@example.com' });
      expect(Number(row.actor_user_id)).to.equal(memberId);
      expect(Number(row.subject_user_id)).to.equal(memberId);
    });

    it('permission change: member.permissions_changed recording from → to', async () => {
      const { row } = await step(() => setPermissions(owner, memberId, ['invoices', 'domains']));
      expect(row.action).to.equal('member.permissions_changed');
      expect(Number(row.subject_user_id)).to.equal(memberId);
      expect(JSON.parse(String(row.details))).to.deep.equal({ from: ['invoices'], to: ['domains', 'invoices'] });
    });

    it('removal: member.removed', async () => {
      const { row } = await step(() => owner.postJson(`${MOUNT}/users/${memberId}/remove`, {}));
      expect(row).to.include({ action: 'member.removed', subject_email: 'anna@example.com' });
      expect(Number(row.subject_user_id)).to.equal(memberId);
      expect(Number(row.actor_user_id)).to.equal(world.ownerId);
    });

    it('leave: member.left by the member themself', async () => {
      const m = await addMember(world, owner, 'carl@example.com', ['tickets']);
      lastId = Number((await world.knex('au_activity').max({ id: 'id' }).first())!.id);
      await m.browser.getJson(`${MOUNT}/accounts`);
      const { row } = await step(() => m.browser.postJson(`${MOUNT}/accounts/${world.account.id}/leave`, {}));
      expect(row.action).to.equal('member.left');
      expect(Number(row.actor_user_id)).to.equal(m.userId);
      expect(Number(row.subject_user_id)).to.equal(m.userId);
    });

    it('writes nothing for a refused change', async () => {
      const before = await world.count('activity');
      events = [];
      await owner.getJson(`${MOUNT}/`);
      await owner.postJson(`${MOUNT}/invite`, { email: 'bad', permissions: ['invoices'] });
      await owner.postJson(`${MOUNT}/users/${world.ownerId}/permissions`, { permissions: [] });
      await owner.postJson(`${MOUNT}/invitations/${invitationId}/cancel`, {}); // already accepted: 409
      expect(await world.count('activity')).to.equal(before);
      expect(events).to.have.length(0);
    });

    it('shows the owner each action on GET /activity, the permission change as what was granted', async () => {
      const page = await owner.get(`${MOUNT}/activity`);
      expect(page.status).to.equal(200);
      const text = page.text;
      for (const phrase of [
        'invited',
        're-sent the invitation to',
        'cancelled the invitation to',
        'accepted the invitation',
        'changed the permissions of',
        'removed',
        'left the account',
      ]) {
        expect(text).to.contain(phrase);
      }
      expect(text).to.contain(': granted View Domains');
    });

    it('keeps activity to its own account', async () => {
      const globex = await otherAccount(world);
      const res = await globex.browser.getJson(`${MOUNT}/activity`);
      expect(res.status).to.equal(200);
      expect(res.body.entries).to.have.length(0);
    });
  });

  describe('GET /activity', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let memberId: number;
    before(async () => {
      memberId = (await addMember(world, owner, 'paged@example.com', ['invoices'])).userId;
      // Two rows so far (sent, accepted); 53 permission changes make 55.
      const keys = ['invoices', 'tickets', 'domains'];
      for (let i = 0; i < 53; i++) await setPermissions(owner, memberId, [keys[i % 3]!]);
      expect(await world.count('activity')).to.equal(55);
    });

    it('lists newest first, 50 to a page, with a cursor to the next', async () => {
      const res = await owner.getJson(`${MOUNT}/activity`);
      expect(res.status).to.equal(200);
      const ids = res.body.entries.map((e: { id: number }) => e.id);
      expect(ids).to.have.length(50);
      expect(ids).to.deep.equal([...ids].sort((a: number, b: number) => b - a));
      const newest = Number((await world.knex('au_activity').max({ id: 'id' }).first())!.id);
      expect(ids[0]).to.equal(newest);
      expect(res.body).to.include({ next: ids[49], previous: null });
    });

    it('serves the rest, oldest last, after that cursor, and leads back to the first page', async () => {
      const first = await owner.getJson(`${MOUNT}/activity`);
      const second = await owner.getJson(`${MOUNT}/activity?after=${first.body.next}`);
      expect(second.body.entries).to.have.length(5);
      expect(second.body.entries[0].id).to.be.below(first.body.entries[49].id);
      expect(second.body.entries.at(-1).action).to.equal('invitation.sent');
      expect(second.body).to.include({ next: null, previous: second.body.entries[0].id });
      const back = await owner.getJson(`${MOUNT}/activity?before=${second.body.previous}`);
      expect(back.body.entries).to.deep.equal(first.body.entries);
      expect(back.body).to.include({ previous: null, next: first.body.next });
    });

    it('links the pages on the page', async () => {
      const first = await owner.getJson(`${MOUNT}/activity`);
      const page = await owner.get(`${MOUNT}/activity`);
      expect(page.text)
        .to.contain(`href="${escapeHtml(`?after=${first.body.next}`)}" rel="next">Older</a>`)
        .and.not.contain('rel="prev"');
      expect(page.text.match(/<tr>/g)!.length).to.equal(51); // header row + 50
      const second = await owner.get(`${MOUNT}/activity?after=${first.body.next}`);
      expect(second.text).to.contain('rel="prev">Newer</a>').and.not.contain('rel="next"');
    });

    it('refuses a cursor that is not a row id, naming the parameter', async () => {
      for (const query of ['after=abc', 'after=-1', 'after=1&before=2', 'after=1&after=2']) {
        const res = await owner.getJson(`${MOUNT}/activity?${query}`);
        expect(res.status, query).to.equal(400);
        expect(res.body.error.fields[0].field, query).to.be.oneOf(['after', 'before']);
      }
    });

    it('is for the owner only', async () => {
      const member = world.browser();
      await member.login('paged@example.com', 'member-password-1');
      expect((await member.getJson(`${MOUNT}/activity`)).status).to.equal(403);
    });
  });
});
