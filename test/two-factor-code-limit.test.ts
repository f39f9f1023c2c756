import { expect } from 'chai';
import type { Store } from 'express-rate-limit';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT } from './support/app.js';
import { enrolTotp, freshCode, wrongCodeAt } from './support/two-factor.js';
import { KnexRateLimitStore } from '../lib/store/rate-limit-store.js';

const KEY = 'a-test-key-of-at-least-32-characters!';

/**
 * The kit's database store as a host's network store behaves (Redis across a network): every call
 * answers a few milliseconds later. On SQLite's one connection the requests otherwise run almost
 * one after another, and a limit that reads its count before the check and raises it after would
 * pass by luck; with the latency, simultaneous codes overlap on every database.
 */
function slowStore(world: World, name: string): Store {
  const inner = new KnexRateLimitStore({ knex: world.knex, table: 'au_rate_limits', logger: console, now: () => world.host.clock.now() }, name);
  if (name !== 'two-factor-login') return inner;
  const later = <T>(value: () => Promise<T>) => new Promise<T>((resolve, reject) => setTimeout(() => value().then(resolve, reject), 15));
  return {
    localKeys: false,
    prefix: inner.prefix,
    init: (options) => inner.init(options),
    get: (key) => later(() => inner.get(key)),
    increment: (key) => later(() => inner.increment(key)),
    decrement: (key) => later(() => inner.decrement(key)),
    resetKey: (key) => later(() => inner.resetKey(key)),
  };
}

/** 60 wrong codes at once from one session signed in as OWNER: how many were checked (400) and refused (429). */
async function sixtyWrongCodes(world: World, secret: string) {
  const b = world.browser();
  await b.login(OWNER.email, OWNER.password);
  await b.getJson(`${USER_MOUNT}/two-factor/verify`);
  const wrong = wrongCodeAt(secret, world.host.clock.now());
  const results = await Promise.all(Array.from({ length: 60 }, () => b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: wrong })));
  const statuses = results.map((r) => r.status);
  expect(
    statuses.filter((s) => s !== 400 && s !== 429),
    JSON.stringify(results.find((r) => r.status >= 500)?.body),
  ).to.deep.equal([]);
  return { browser: b, checked: statuses.filter((s) => s === 400).length, refused: statuses.filter((s) => s === 429).length };
}

/**
 * The limit on second-factor codes (limits.twoFactorPerWindow, 10) holds under simultaneous
 * guesses: each code is counted before it is checked, so of many sent at once for one login at
 * most 10 reach the check (400), the rest are refused unchecked (429), and the right code
 * afterwards is refused too. Reading the count first and raising it after a wrong code let every
 * guess that arrived before the first answer be checked (21 of 60 on PostgreSQL, all 60 with a store 15 ms away).
 */
describe('two-factor code limit under simultaneous guesses', function () {
  this.timeout(120_000);

  describe('with the kit’s database store', () => {
    const world = new World();
    let secret: string;
    before(async () => {
      await world.setUp({ twoFactor: { encryptionKey: KEY } });
      ({ secret } = await enrolTotp(await world.ownerBrowser(), world.host, OWNER.password));
    });
    after(() => world.tearDown());

    it('checks at most 10 of 60 wrong codes sent at once for one session, refuses the rest with 429, and then the right code too', async () => {
      const { browser, checked, refused } = await sixtyWrongCodes(world, secret);
      expect(checked, 'codes that reached the check').to.be.at.most(10);
      expect(refused).to.equal(60 - checked);
      expect((await browser.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) })).status).to.equal(429);
      expect((await browser.getJson('/host/invoices')).status).to.equal(401);
    });
  });

  describe('with a store a network away (limits.store)', () => {
    const world = new World();
    let secret: string;
    before(async () => {
      await world.open();
      await world.startHost({ twoFactor: { encryptionKey: KEY }, limits: { store: (name) => slowStore(world, name) } });
      await world.createAccount();
      ({ secret } = await enrolTotp(await world.ownerBrowser(), world.host, OWNER.password));
    });
    after(() => world.tearDown());

    it('still checks at most 10 of 60 wrong codes sent at once, and refuses the right code after them with 429', async () => {
      const { browser, checked, refused } = await sixtyWrongCodes(world, secret);
      expect(checked, 'codes that reached the check').to.be.at.most(10);
      expect(refused).to.equal(60 - checked);
      expect((await browser.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) })).status).to.equal(429);
    });

    it('takes the count of a right code back: the login signs in, and a new session gets the full allowance again', async () => {
      world.host.clock.advance(16 * 60 * 1000);
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      await b.getJson(`${USER_MOUNT}/two-factor/verify`);
      expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) })).status).to.equal(200);
      const { checked } = await sixtyWrongCodes(world, secret);
      expect(checked).to.equal(10);
    });
  });
});
