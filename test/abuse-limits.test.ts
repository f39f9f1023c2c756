import { expect } from 'chai';
import request from 'supertest';
import { World, OWNER, useWorld } from './support/world.js';
import { MOUNT, type TestHost } from './support/app.js';
import type { Browser } from './support/client.js';
import { pathOf } from './support/client.js';
import { addMember } from './support/members.js';

const DAY_S = 24 * 60 * 60;
const BOGUS_TOKEN = 'A'.repeat(43);

describe('abuse limits', function () {
  this.timeout(60_000);

  describe('invitations per account per day (counted in the database)', () => {
    const world = new World();
    let second: TestHost;
    let ownerOnFirst: Browser;
    let ownerOnSecond: Browser;

    before(async () => {
      await world.setUp();
      second = world.secondInstance();
      ownerOnFirst = await world.ownerBrowser();
      ownerOnSecond = world.browser(second);
      await ownerOnSecond.login(OWNER.email, OWNER.password);
      await ownerOnFirst.getJson(`${MOUNT}/`);
      await ownerOnSecond.getJson(`${MOUNT}/`);
      // 50 invitations, half through each instance: neither instance alone has seen 50.
      for (let i = 0; i < 50; i++) {
        const owner = i % 2 === 0 ? ownerOnFirst : ownerOnSecond;
        const res = await owner.postJson(`${MOUNT}/invite`, { email: `daily${i}@example.com`, permissions: ['invoices'] });
        expect(res.status, res.text).to.equal(201);
      }
    });
    after(() => world.tearDown());

    it('refuses the 51st invitation on either instance with 429, Retry-After and code too_many_requests', async () => {
      for (const owner of [ownerOnFirst, ownerOnSecond]) {
        const res = await owner.postJson(`${MOUNT}/invite`, { email: 'one-too-many@example.com', permissions: ['invoices'] });
        expect(res.status).to.equal(429);
        expect(res.body.error.code).to.equal('too_many_requests');
        const retryAfter = Number(res.headers['retry-after']);
        expect(retryAfter).to.be.within(DAY_S - 120, DAY_S);
        expect(res.body.error.retryAfter).to.equal(retryAfter);
      }
    });

    it('shows a page that says when to try again', async () => {
      await ownerOnSecond.get(`${MOUNT}/invite`);
      const res = await ownerOnSecond.post(`${MOUNT}/invite`, { email: 'page@example.com', permissions: ['invoices'] });
      expect(res.status).to.equal(429);
      expect(res.headers['content-type']).to.match(/html/);
      expect(res.text).to.contain(`Try again in ${res.headers['retry-after']} seconds`);
      expect(res.text).to.contain('50 invitations in the last 24 hours');
    });

    it('writes nothing for a refused invitation', async () => {
      expect(await world.count('invitations')).to.equal(50);
      expect(await world.count('outbox')).to.equal(50);
      expect(world.smtp.messages).to.have.length(50);
    });

    it('counts resends against the same limit', async () => {
      world.host.clock.advance(2 * 60_000);
      const row = (await world.knex('au_invitations').where({ email: 'daily0@example.com' }).first()) as { id: number };
      const res = await ownerOnFirst.postJson(`${MOUNT}/invitations/${row.id}/resend`, {});
      expect(res.status).to.equal(429);
      world.host.clock.advance(-2 * 60_000);
    });

    it('allows invitations again once the oldest is more than 24 hours old', async () => {
      world.host.clock.advance(DAY_S * 1000 + 60_000);
      const res = await ownerOnFirst.postJson(`${MOUNT}/invite`, { email: 'next-day@example.com', permissions: ['invoices'] });
      expect(res.status, res.text).to.equal(201);
    });
  });

  describe('resend cooldown', () => {
    const { world, owner } = useWorld();
    let invitationId: number;
    before(async () => {
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'cooldown@example.com', permissions: ['invoices'] });
      invitationId = res.body.invitation.id;
    });

    it('refuses a resend within 60 seconds with 429 and the seconds left in Retry-After', async () => {
      world.host.clock.advance(15_000);
      const res = await owner.postJson(`${MOUNT}/invitations/${invitationId}/resend`, {});
      expect(res.status).to.equal(429);
      expect(res.body.error.code).to.equal('too_many_requests');
      expect(Number(res.headers['retry-after'])).to.be.within(44, 46);
      expect(world.smtp.to('cooldown@example.com')).to.have.length(1);
    });

    it('shows the cooldown as a page saying when to try again', async () => {
      await owner.get(`${MOUNT}/`);
      const res = await owner.post(`${MOUNT}/invitations/${invitationId}/resend`);
      expect(res.status).to.equal(429);
      expect(res.text).to.contain(`Try again in ${res.headers['retry-after']} seconds`);
    });

    it('allows the resend once the cooldown has passed', async () => {
      world.host.clock.advance(46_000);
      const res = await owner.postJson(`${MOUNT}/invitations/${invitationId}/resend`, {});
      expect(res.status, res.text).to.equal(200);
      expect(world.smtp.to('cooldown@example.com')).to.have.length(2);
    });
  });

  describe('accept, register and decline POSTs of dead links per IP (default: 20 per 15 minutes)', () => {
    const world = new World();
    let visitor: Browser;
    let link: string;

    before(async () => {
      await world.setUp();
      world.host.app.set('trust proxy', 'loopback');
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      await owner.postJson(`${MOUNT}/invite`, { email: 'guesser-target@example.com', permissions: ['invoices'] });
      link = pathOf(world.smtp.linkFor('guesser-target@example.com'));
      visitor = world.browser();
      await visitor.getJson(link);
    });
    after(() => world.tearDown());

    it('answers 404 to the first 20 dead links and 429 with Retry-After to the 21st; an accept without a session (401) is not counted', async () => {
      expect((await visitor.postJson(`${MOUNT}/accept/${BOGUS_TOKEN}`, {})).status).to.equal(401);
      for (let i = 0; i < 20; i++) {
        const path = i % 2 ? `${MOUNT}/accept/${BOGUS_TOKEN}/decline` : `${MOUNT}/accept/${BOGUS_TOKEN}/register`;
        const res = await visitor.postJson(path, { name: 'Guesser', password: 'guess-password' });
        expect(res.status, `attempt ${i + 1}`).to.equal(404);
      }
      const res = await visitor.postJson(`${MOUNT}/accept/${BOGUS_TOKEN}/register`, { name: 'Guesser', password: 'guess-password' });
      expect(res.status).to.equal(429);
      expect(res.body.error.code).to.equal('too_many_requests');
      expect(Number(res.headers['retry-after'])).to.be.within(1, 15 * 60);
    });

    it('refuses the next dead link with a page saying when to try again, creating nothing', async () => {
      const users = await world.count('users');
      const res = await visitor.post(`${MOUNT}/accept/${BOGUS_TOKEN}/register`, { name: 'Real Person', password: 'a-good-password' });
      expect(res.status).to.equal(429);
      expect(res.text).to.contain(`Try again in ${res.headers['retry-after']} seconds`);
      expect(await world.count('users')).to.equal(users);
      expect(await world.count('account_users')).to.equal(1);
    });

    it('does not limit another IP', async () => {
      const res = await visitor.agent
        .post(`${MOUNT}/accept/${BOGUS_TOKEN}/register`)
        .set('X-Forwarded-For', '203.0.113.9')
        .set('Accept', 'application/json')
        .set('x-csrf-token', visitor.csrf)
        .send({ name: 'Real Person', password: 'a-good-password' });
      expect(res.status, res.text).to.equal(404);
    });

    it('never refuses a valid link from that IP: the invitee registers', async () => {
      const res = await visitor.post(`${link}/register`, { name: 'Real Person', password: 'a-good-password' });
      expect(res.status, res.text).to.equal(303);
      expect(await world.count('account_users')).to.equal(2);
    });

    it('does not count GET /accept/:token against this limit (views have their own, more generous one)', async () => {
      const res = await request(world.host.app).get(`${MOUNT}/accept/${BOGUS_TOKEN}`).set('Accept', 'application/json');
      expect(res.status).to.equal(404);
    });
  });

  describe('accept limit with limits.acceptPerWindow: 2', () => {
    const { world, owner } = useWorld({ limits: { acceptPerWindow: 2, acceptWindowMs: 60_000 } }, { owner: 'signed-in' });

    it('does not count successful registrations', async () => {
      for (const email of ['ok1@example.com', 'ok2@example.com', 'ok3@example.com']) await addMember(world, owner, email, ['invoices']);
      expect(await world.count('account_users')).to.equal(4);
    });

    it('refuses the third dead link with 429', async () => {
      const visitor = world.browser();
      await owner.postJson(`${MOUNT}/invite`, { email: 'target@example.com', permissions: ['invoices'] });
      await visitor.getJson(pathOf(world.smtp.linkFor('target@example.com')));
      const attempt = () => visitor.postJson(`${MOUNT}/accept/${BOGUS_TOKEN}/register`, { name: 'Guesser', password: 'guess-password' });
      expect((await attempt()).status).to.equal(404);
      expect((await attempt()).status).to.equal(404);
      const third = await attempt();
      expect(third.status).to.equal(429);
      expect(Number(third.headers['retry-after'])).to.be.within(1, 60);
    });
  });
});
