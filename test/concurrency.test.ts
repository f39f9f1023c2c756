import { expect } from 'chai';
import { useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { Browser, pathOf } from './support/client.js';
import { addMember } from './support/members.js';

const PASSWORD = 'racer-password-1';
let userSeq = 0;

/**
 * Real parallel requests. On PostgreSQL and MariaDB they run on separate connections at
 * once; on SQLite (one connection) they interleave between statements.
 */
describe('concurrent requests', function () {
  this.timeout(60_000);
  const { world, owner } = useWorld({ limits: { acceptPerWindow: 10_000, invitationsPerDay: 10_000 } });

  /** A person with a login of their own (owner of another account), signed in on `sessions` browsers. */
  async function personWithLogin(sessions = 1): Promise<{ email: string; userId: number; browsers: Browser[] }> {
    const email = `racer${++userSeq}@example.com`;
    const { owner: user } = await world.host.au.createAccount({ name: `Racer ${userSeq} Co`, owner: { email, name: `Racer ${userSeq}`, password: PASSWORD } });
    const browsers: Browser[] = [];
    for (let i = 0; i < sessions; i++) {
      const b = world.browser();
      await b.login(email, PASSWORD);
      browsers.push(b);
    }
    return { email, userId: user.id, browsers };
  }

  async function inviteAndLink(email: string): Promise<{ id: number; link: string }> {
    const res = await owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] });
    expect(res.status, res.text).to.equal(201);
    return { id: res.body.invitation.id, link: pathOf(world.smtp.linkFor(email)) };
  }

  const membershipsOf = async (userId: number) =>
    Number(((await world.knex('au_account_users').where({ account_id: world.account.id, user_id: userId }).count({ n: '*' }).first()) as { n: unknown }).n);
  const invitation = async (id: number) => (await world.knex('au_invitations').where({ id }).first()) as { status: string; send_count: number | string };

  describe('20 accepts of one token at once', () => {
    it('creates one membership; the 19 others are told "already accepted"', async () => {
      const person = await personWithLogin(20);
      const { id, link } = await inviteAndLink(person.email);
      for (const b of person.browsers) await b.getJson(link);
      const results = await Promise.all(person.browsers.map((b) => b.postJson(link, {})));
      const statuses = results.map((r) => r.status).sort();
      expect(
        statuses.filter((s) => s === 200),
        JSON.stringify(results.map((r) => r.body)),
      ).to.have.length(1);
      const losers = results.filter((r) => r.status !== 200);
      expect(losers).to.have.length(19);
      for (const r of losers) {
        expect(r.status, JSON.stringify(r.body)).to.equal(410);
        expect(r.body.error.code).to.equal('invitation_accepted');
        expect(r.body.error.message).to.equal('This invitation has already been accepted.');
      }
      expect(await membershipsOf(person.userId)).to.equal(1);
      expect((await invitation(id)).status).to.equal('accepted');
      expect(await world.knex('au_activity').where({ action: 'invitation.accepted', subject_user_id: person.userId }).count({ n: '*' }).first()).to.satisfy(
        (r: { n: unknown }) => Number(r.n) === 1,
      );
    });

    it('creates one login and one membership from 20 registrations at once', async () => {
      const email = 'twenty-tabs@example.com';
      const { link } = await inviteAndLink(email);
      const visitors = Array.from({ length: 20 }, () => world.browser());
      for (const v of visitors) await v.getJson(link);
      const users = await world.count('users');
      const results = await Promise.all(visitors.map((v, i) => v.postJson(`${link}/register`, { name: `Tab ${i}`, password: 'a-good-password' })));
      expect(results.filter((r) => r.status === 201)).to.have.length(1);
      for (const r of results.filter((x) => x.status !== 201)) {
        expect(r.status, JSON.stringify(r.body)).to.be.oneOf([400, 410]);
        expect(r.body.error.message).to.match(/already been accepted|already exists/);
      }
      expect(await world.count('users')).to.equal(users + 1);
      const user = (await world.knex('au_users').where({ email }).first()) as { id: number };
      expect(await membershipsOf(user.id)).to.equal(1);
    });
  });

  describe('accept racing cancel', () => {
    it('never leaves both an active membership and a cancelled invitation (8 rounds)', async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < 8; round++) {
        const person = await personWithLogin();
        const { id, link } = await inviteAndLink(person.email);
        const b = person.browsers[0]!;
        await b.getJson(link);
        const [accepted, cancelled] = await Promise.all([b.postJson(link, {}), owner.postJson(`${MOUNT}/invitations/${id}/cancel`, {})]);
        const row = await invitation(id);
        const members = await membershipsOf(person.userId);
        outcomes.push(`${accepted.status}/${cancelled.status}`);
        if (members === 1) {
          expect(row.status).to.equal('accepted');
          expect(accepted.status).to.equal(200);
          expect(cancelled.status).to.equal(409);
        } else {
          expect(members).to.equal(0);
          expect(row.status).to.equal('cancelled');
          expect(cancelled.status).to.equal(200);
          expect(accepted.status).to.be.oneOf([404, 410]);
        }
        // Exactly one of the two won.
        expect([accepted.status, cancelled.status].filter((s) => s === 200)).to.have.length(1);
      }
      expect(outcomes).to.have.length(8);
    });
  });

  describe('accept racing resend', () => {
    it('never leaves both an active membership and a replaced invitation (8 rounds)', async () => {
      for (let round = 0; round < 8; round++) {
        const person = await personWithLogin();
        const { id, link } = await inviteAndLink(person.email);
        const b = person.browsers[0]!;
        await b.getJson(link);
        world.host.clock.advance(61_000); // past the resend cooldown
        const [accepted, resent] = await Promise.all([b.postJson(link, {}), owner.postJson(`${MOUNT}/invitations/${id}/resend`, {})]);
        const row = await invitation(id);
        const members = await membershipsOf(person.userId);
        const mails = world.smtp.to(person.email).length;
        if (members === 1) {
          expect(row.status).to.equal('accepted');
          expect(Number(row.send_count)).to.equal(1);
          expect(resent.status, resent.text).to.equal(409);
          expect(mails).to.equal(1);
        } else {
          expect(members).to.equal(0);
          expect(row.status).to.equal('pending');
          expect(Number(row.send_count)).to.equal(2);
          expect(resent.status).to.equal(200);
          expect(accepted.status).to.be.oneOf([404, 410]);
          // The old link is dead, the new one works.
          expect((await b.postJson(link, {})).status).to.equal(404);
          expect((await b.postJson(pathOf(world.smtp.linkFor(person.email)), {})).status).to.equal(200);
        }
      }
    });
  });

  describe('20 invitations of one address at once', () => {
    it('stores one pending invitation and sends one email', async () => {
      const email = 'popular@example.com';
      const results = await Promise.all(Array.from({ length: 20 }, () => owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices', 'tickets'] })));
      for (const r of results) expect(r.status, r.text).to.be.oneOf([200, 201]);
      expect(results.filter((r) => r.status === 201)).to.have.length(1);
      expect(await world.knex('au_invitations').where({ email }).count({ n: '*' }).first()).to.satisfy((r: { n: unknown }) => Number(r.n) === 1);
      expect(world.smtp.to(email)).to.have.length(1);
      const sent = (await world.knex('au_outbox').where({ recipient: email }).whereNot({ status: 'cancelled' }).count({ n: '*' }).first()) as { n: unknown };
      expect(Number(sent.n)).to.equal(1);
    });
  });

  describe('a member removed while a request of theirs is in flight', () => {
    it('finishes the request already authorised, and refuses the next one', async () => {
      let entered!: () => void;
      let release!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const gate = new Promise<void>((r) => (release = r));
      world.host.app.get('/host/slow-report', world.host.au.requirePermission('invoices'), async (_req, res) => {
        entered();
        await gate;
        res.json({ ok: true });
      });
      const member = await addMember(world, owner, 'mid-request@example.com', ['invoices']);
      const inFlight = member.browser.agent
        .get('/host/slow-report')
        .set('Accept', 'application/json')
        .then((r) => r);
      await inside;
      await owner.getJson(`${MOUNT}/users/${member.userId}/remove`);
      const removed = await owner.postJson(`${MOUNT}/users/${member.userId}/remove`, {});
      expect(removed.status).to.equal(200);
      release();
      expect((await inFlight).status).to.equal(200);
      expect((await member.browser.agent.get('/host/invoices').set('Accept', 'application/json')).status).to.equal(403);
      expect((await member.browser.agent.get('/host/slow-report').set('Accept', 'application/json')).status).to.equal(403);
    });
  });
});
