import { expect } from 'chai';
import request from 'supertest';
import { World } from './support/world.js';
import { MOUNT, type TestHost } from './support/app.js';
import { pathOf, type Browser } from './support/client.js';

const BOGUS_TOKEN = 'B'.repeat(43);

/**
 * The per-IP limits on invitation links count only requests that passed the CSRF check, so a
 * cross-site page cannot lock an office out; views of unknown links are limited too (generously,
 * and never a link that works), and the counts live in the kit's database, shared by every instance.
 */
describe('invitation link limits', function () {
  this.timeout(60_000);

  describe('cross-site POSTs (no session cookie, no CSRF token)', () => {
    const world = new World();
    let owner: Browser;

    before(async () => {
      await world.setUp();
      world.host.app.set('trust proxy', 'loopback');
      owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      await owner.postJson(`${MOUNT}/invite`, { email: 'office-worker@example.com', permissions: ['invoices'] });
    });
    after(() => world.tearDown());

    it('are refused as CSRF (403) and not counted: after 30 of them the real invitee, behind the same IP, registers', async () => {
      const link = pathOf(world.smtp.linkFor('office-worker@example.com'));
      for (let i = 0; i < 30; i++) {
        const path = i % 2 ? `${MOUNT}/accept/${BOGUS_TOKEN}` : `${link}/register`;
        const res = await request(world.host.app)
          .post(path)
          .set('X-Forwarded-For', '203.0.113.77')
          .type('form')
          .send({ name: 'x', password: 'guess-password' });
        expect(res.status, `attempt ${i + 1}`).to.equal(403);
      }
      const invitee = world.browser();
      await invitee.agent
        .get(link)
        .set('X-Forwarded-For', '203.0.113.77')
        .set('Accept', 'application/json')
        .then((r) => (invitee.csrf = r.body.csrfToken));
      const res = await invitee.agent
        .post(`${link}/register`)
        .set('X-Forwarded-For', '203.0.113.77')
        .set('Accept', 'application/json')
        .set('x-csrf-token', invitee.csrf)
        .send({ name: 'Real Worker', password: 'a-good-password' });
      expect(res.status, res.text).to.equal(201);
      const user = await world.knex('au_users').where({ email: 'office-worker@example.com' }).first();
      expect(await world.knex('au_account_users').where({ account_id: world.account.id, user_id: user.id }).first()).to.not.equal(undefined);
      expect(world.smtp.to('office-worker@example.com')).to.have.length(1);
    });
  });

  describe('failed views of GET /accept/:token (limits.acceptViewsPerWindow: 3)', () => {
    const world = new World();
    let second: TestHost;
    let owner: Browser;
    let link: string;

    before(async () => {
      await world.setUp({ limits: { acceptViewsPerWindow: 3, acceptWindowMs: 60_000 } });
      second = world.secondInstance({ limits: { acceptViewsPerWindow: 3, acceptWindowMs: 60_000 } });
      owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      await owner.postJson(`${MOUNT}/invite`, { email: 'viewer@example.com', permissions: ['invoices'] });
      link = pathOf(world.smtp.linkFor('viewer@example.com'));
    });
    after(() => world.tearDown());

    it('does not count views of a link that works', async () => {
      for (let i = 0; i < 5; i++) expect((await request(world.host.app).get(link)).status).to.equal(200);
    });

    it('answers 404 to 3 unknown links, over two instances, then 429 with Retry-After (a page, or JSON); the link that works still opens', async () => {
      expect((await request(world.host.app).get(`${MOUNT}/accept/${BOGUS_TOKEN}`)).status).to.equal(404);
      expect((await request(second.app).get(`${MOUNT}/accept/${BOGUS_TOKEN}`)).status).to.equal(404);
      expect((await request(world.host.app).get(`${MOUNT}/accept/${'C'.repeat(43)}`)).status).to.equal(404);
      const page = await request(second.app).get(`${MOUNT}/accept/${'D'.repeat(43)}`);
      expect(page.status).to.equal(429);
      expect(page.text).to.contain(`Try again in ${page.headers['retry-after']} seconds`);
      const json = await request(world.host.app)
        .get(`${MOUNT}/accept/${'E'.repeat(43)}`)
        .set('Accept', 'application/json');
      expect(json.status).to.equal(429);
      expect(json.body.error.code).to.equal('too_many_requests');
      expect(Number(json.headers['retry-after'])).to.be.within(1, 60);
      expect((await request(second.app).get(link)).status).to.equal(200);
    });

    it('keeps the invitation; unknown links are answered 404 again after the window', async () => {
      world.host.clock.advance(61_000);
      expect((await request(world.host.app).get(`${MOUNT}/accept/${BOGUS_TOKEN}`)).status).to.equal(404);
      expect((await request(world.host.app).get(link)).status).to.equal(200);
      expect(await world.count('invitations')).to.equal(1);
    });
  });
});
