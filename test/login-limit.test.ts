import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import type { TestHost } from './support/app.js';

const WRONG = 'not-the-password-1';

/** au.loginLimit on the host's login route, as the README puts it there; failures recorded by the kit's strategy. */
describe('failed-login limit (au.loginLimit)', function () {
  this.timeout(60_000);

  describe('per email address (limits.loginPerWindow: 3) and per IP (limits.loginPerIpPerWindow: 6)', () => {
    const world = new World();
    let second: TestHost;

    before(async () => {
      await world.setUp({ limits: { loginPerWindow: 3, loginPerIpPerWindow: 6, loginWindowMs: 60_000 } });
      world.host.app.set('trust proxy', 'loopback');
      second = world.secondInstance({ limits: { loginPerWindow: 3, loginPerIpPerWindow: 6, loginWindowMs: 60_000 } });
      second.app.set('trust proxy', 'loopback');
    });
    after(() => world.tearDown());

    const login = (host: TestHost, email: string, password: string, ip: string, json = true) => {
      const req = request(host.app).post('/login').set('X-Forwarded-For', ip).type('form');
      if (json) req.set('Accept', 'application/json');
      return req.send({ email, password });
    };

    it("answers the first 3 wrong passwords with the host's 401, then 429 with Retry-After for that email, even with the right password", async () => {
      for (let i = 0; i < 3; i++) expect((await login(world.host, OWNER.email, WRONG, '203.0.113.1')).status).to.equal(401);
      const refused = await login(world.host, OWNER.email, OWNER.password, '203.0.113.1');
      expect(refused.status).to.equal(429);
      expect(refused.body.error.code).to.equal('too_many_requests');
      expect(Number(refused.headers['retry-after'])).to.be.within(1, 60);
      expect(refused.body.error.retryAfter).to.equal(Number(refused.headers['retry-after']));
    });

    it('refuses that email from another IP too, and on another app instance (counted in the database)', async () => {
      expect((await login(world.host, OWNER.email, OWNER.password, '198.51.100.7')).status).to.equal(429);
      expect((await login(second, OWNER.email, OWNER.password, '198.51.100.8')).status).to.equal(429);
    });

    it('shows a page saying when to try again to a browser', async () => {
      const res = await login(world.host, OWNER.email, OWNER.password, '198.51.100.9', false);
      expect(res.status).to.equal(429);
      expect(res.headers['content-type']).to.match(/html/);
      expect(res.text).to.contain(`Try again in ${res.headers['retry-after']} seconds`);
    });

    it('counts an unknown email exactly as a known one (the limit tells nothing about who has a login)', async () => {
      for (let i = 0; i < 3; i++) expect((await login(world.host, 'nobody@nowhere.test', WRONG, '192.0.2.50')).status).to.equal(401);
      const refused = await login(world.host, 'nobody@nowhere.test', WRONG, '192.0.2.51');
      expect(refused.status).to.equal(429);
      expect(refused.body.error.message).to.equal('Too many failed sign-in attempts for this email address.');
    });

    it('refuses an IP after 6 failures over any addresses, on either instance; other IPs still log in', async () => {
      const ip = '192.0.2.99';
      for (let i = 0; i < 6; i++) {
        const res = await login(i % 2 ? second : world.host, `spray-${i}@nowhere.test`, WRONG, ip);
        expect(res.status, `attempt ${i + 1}`).to.equal(401);
      }
      const refused = await login(second, 'fresh@nowhere.test', WRONG, ip);
      expect(refused.status).to.equal(429);
      expect(refused.body.error.message).to.equal('Too many failed sign-in attempts from your network.');
      const { owner } = await world.host.au.createAccount({
        name: 'Other Co',
        owner: { email: 'other@acme.test', name: 'Other', password: 'other-password-1' },
      });
      expect(owner.id).to.be.a('number');
      expect((await login(world.host, 'other@acme.test', 'other-password-1', '192.0.2.100')).status).to.equal(303);
    });

    it("lets the email in again once the window has passed (the kit's clock)", async () => {
      world.host.clock.advance(61_000);
      second.clock.advance(61_000);
      expect((await login(world.host, OWNER.email, OWNER.password, '203.0.113.1')).status).to.equal(303);
    });

    it("clears an email's count on a successful login", async () => {
      const ip = '203.0.113.200';
      for (let i = 0; i < 2; i++) expect((await login(world.host, OWNER.email, WRONG, ip)).status).to.equal(401);
      expect((await login(world.host, OWNER.email, OWNER.password, ip)).status).to.equal(303);
      for (let i = 0; i < 2; i++) expect((await login(world.host, OWNER.email, WRONG, ip)).status).to.equal(401);
      expect((await login(world.host, OWNER.email, OWNER.password, ip)).status).to.equal(303);
    });

    it('stores no email address in the clear', async () => {
      const rows = await world.knex('au_rate_limits').select('key');
      expect(rows.length).to.be.greaterThan(0);
      for (const r of rows) expect(r.key).to.match(/^[0-9a-f]{64}$/);
    });
  });

  describe('a host with its own strategy: au.recordFailedLogin', () => {
    const world = new World();
    before(() => world.setUp({ limits: { loginPerWindow: 2 } }));
    after(() => world.tearDown());

    it('counts the failures the host reports, and au.loginLimit refuses after them', async () => {
      const app = express();
      app.use(express.urlencoded({ extended: false }));
      app.post('/signin', world.host.au.loginLimit, async (req, res) => {
        await world.host.au.recordFailedLogin(req, req.body.email);
        res.status(401).json({ error: 'bad credentials' });
      });
      const attempt = () => request(app).post('/signin').set('Accept', 'application/json').type('form').send({ email: 'Someone@Example.com', password: 'x' });
      expect((await attempt()).status).to.equal(401);
      expect((await attempt()).status).to.equal(401);
      const refused = await attempt();
      expect(refused.status).to.equal(429);
      expect(refused.headers['retry-after']).to.match(/^\d+$/);
    });
  });
});
