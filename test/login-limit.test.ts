import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { World, OWNER } from './support/world.js';
import type { TestHost } from './support/app.js';
import { dialect } from './support/db.js';
import type { AccountUser, UserStore } from '../lib/index.js';

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

  describe('simultaneous sign-ins (limits.loginPerWindow: 10, the default)', () => {
    const world = new World();
    beforeEach(() => world.setUp());
    afterEach(() => world.tearDown());

    const signIn = (email: string, password: string) =>
      request(world.host.app).post('/login').set('Accept', 'application/json').type('form').send({ email, password });

    it('checks at most 10 of 60 simultaneous wrong passwords for one address; the rest are 429, and the address stays locked', async () => {
      await world.host.au.createAccount({ name: 'Victim Co', owner: { email: 'victim2@acme.test', name: 'Victim', password: 'victim-password-2' } });
      // Each sign-in is counted before its password is checked: none reads the count while the others hash.
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn('victim2@acme.test', `wrong-guess-${i}`)));
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length, `${statuses.filter((s) => s === 401).length} of 60 were checked`).to.equal(10);
      expect(statuses.filter((s) => s === 429).length).to.equal(50);
      expect((await signIn('victim2@acme.test', 'victim-password-2')).status).to.equal(429);
    });

    it('takes back the count of a sign-in that did not fail: 10 at once with the right password sign in, 10 wrong ones after are all checked, and 110 right ones from one IP (limit 100) are never refused', async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => signIn(OWNER.email, OWNER.password)));
      expect(answers.map((r) => r.status)).to.deep.equal(Array(10).fill(303));
      for (let i = 0; i < 10; i++) expect((await signIn(OWNER.email, WRONG)).status).to.equal(401);
      expect((await signIn(OWNER.email, WRONG)).status).to.equal(429);
      await world.host.au.createAccount({ name: 'Regular Co', owner: { email: 'regular@acme.test', name: 'Regular', password: 'regular-password-1' } });
      for (let i = 0; i < 110; i++) expect((await signIn('regular@acme.test', 'regular-password-1')).status).to.equal(303);
    });
  });

  describe('every spelling of a locked address (limits.loginPerWindow: 3)', () => {
    const world = new World();
    before(() => world.setUp({ limits: { loginPerWindow: 3, loginPerIpPerWindow: 1000, loginWindowMs: 60_000 } }));
    after(() => world.tearDown());

    const login = (email: string, password: string) =>
      request(world.host.app).post('/login').set('Accept', 'application/json').type('form').send({ email, password });
    /** The answer signed nobody in: no session cookie was set. */
    const signedNobodyIn = (res: request.Response) =>
      expect(res.headers['set-cookie'] ?? []).to.satisfy((c: string[]) => !c.some((v) => v.startsWith('connect.sid=')));
    // MariaDB/MySQL's utf8mb4_unicode_ci finds the owner's row by these; SQLite and PostgreSQL find no login.
    const ACCENTED = ['ówner@acme.test', 'owner@ácme.test', 'OWNÉR@ACME.TEST'];

    it('refuses the right password with 429 under case and whitespace spellings once the address is locked, and signs nobody in', async () => {
      for (let i = 0; i < 3; i++) expect((await login(OWNER.email, WRONG)).status).to.equal(401);
      for (const spelling of ['OWNER@ACME.TEST', '  Owner@Acme.Test  ', '\towner@acme.test\n', OWNER.email]) {
        const res = await login(spelling, OWNER.password);
        expect(res.status, JSON.stringify(spelling)).to.equal(429);
        signedNobodyIn(res);
      }
    });

    it(`refuses the right password under accented spellings too: ${dialect() === 'mysql' ? '429, the collation finds the locked login by them' : '401, no login has them'}`, async () => {
      for (const spelling of ACCENTED) {
        const res = await login(spelling, OWNER.password);
        expect(res.status, spelling).to.equal(dialect() === 'mysql' ? 429 : 401);
        signedNobodyIn(res);
      }
    });

    it('counts wrong passwords under any spelling against the address, and a spelling the kit would never store signs nobody in', async () => {
      world.host.clock.advance(61_000);
      for (const spelling of ['OWNER@acme.test', ' owner@ACME.test', ACCENTED[0]!]) expect((await login(spelling, WRONG)).status).to.equal(401);
      const res = await login(OWNER.email, OWNER.password);
      // On MariaDB the accented guess found the owner and counted as the third; elsewhere it counted for an address nobody has.
      expect(res.status).to.equal(dialect() === 'mysql' ? 429 : 303);
      world.host.clock.advance(61_000);
      expect((await login(ACCENTED[0]!, OWNER.password)).status).to.equal(401);
    });
  });

  describe('a users store that matches addresses as a collation does (accents and case folded)', () => {
    const world = new World();
    before(() => world.setUp({ users: foldingUserStore(), limits: { loginPerWindow: 3, loginPerIpPerWindow: 1000, loginWindowMs: 60_000 } }));
    after(() => world.tearDown());

    const login = (email: string, password: string) =>
      request(world.host.app).post('/login').set('Accept', 'application/json').type('form').send({ email, password });

    it('counts every spelling that finds the login under its stored address: locked, the right password is refused under any of them', async () => {
      // Each spelling finds the owner, and the store signs in with it while the address is not locked.
      expect((await login('ÓWNER@acme.test', OWNER.password)).status).to.equal(303);
      for (const spelling of [OWNER.email, 'ówner@acme.test', 'owner@ácme.test']) expect((await login(spelling, WRONG)).status).to.equal(401);
      for (const spelling of ['ówner@acme.test', 'öwnér@acme.test', 'OWNER@ACME.TEST', OWNER.email]) {
        expect((await login(spelling, OWNER.password)).status, spelling).to.equal(429);
      }
      // An address no login has keeps a count of its own.
      expect((await login('nobody@acme.test', WRONG)).status).to.equal(401);
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

/**
 * A host's users store whose lookup folds accents and case, as MariaDB's utf8mb4_unicode_ci does:
 * `ówner@acme.test` finds `owner@acme.test`. In memory, so the behaviour is the same on every database.
 */
function foldingUserStore(): UserStore {
  const people: Array<AccountUser & { hash: string }> = [];
  const fold = (email: string) => email.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();
  const hash = (password: string, salt: string) => `${salt}:${scryptSync(password, salt, 32, { N: 1024 }).toString('hex')}`;
  const view = (p: AccountUser): AccountUser => ({ id: p.id, email: p.email, name: p.name });
  return {
    async findById(id) {
      const p = people.find((x) => x.id === id);
      return p && view(p);
    },
    async findByEmail(email) {
      const p = people.find((x) => fold(x.email) === fold(email));
      return p && view(p);
    },
    async create(user) {
      const p = { id: people.length + 1, email: user.email, name: user.name, hash: hash(user.password, randomBytes(8).toString('hex')) };
      people.push(p);
      return view(p);
    },
    async verifyPassword(user, password) {
      const p = people.find((x) => x.id === user.id);
      if (!p) return false;
      const [salt, expected] = p.hash.split(':');
      return timingSafeEqual(Buffer.from(hash(password, salt!).split(':')[1]!, 'hex'), Buffer.from(expected!, 'hex'));
    },
  };
}
