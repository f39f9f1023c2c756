import { expect } from 'chai';
import type { Options } from 'express-rate-limit';
import { World } from './support/world.js';
import { KnexRateLimitStore } from '../lib/store/rate-limit-store.js';

/** The default store of the kit's rate limits: the kit's database, one atomic upsert per hit. */
describe('rate-limit store over the kit database', function () {
  this.timeout(60_000);
  const world = new World();
  let store: KnexRateLimitStore;
  let other: KnexRateLimitStore;

  before(async () => {
    await world.setUp();
    const deps = { knex: world.knex, table: 'au_rate_limits', logger: { warn() {}, error() {} }, now: world.host.clock.now };
    store = new KnexRateLimitStore(deps, 'test');
    other = new KnexRateLimitStore({ ...deps, knex: world.db.connect() }, 'test');
    for (const s of [store, other]) s.init({ windowMs: 60_000 } as Options);
  });
  after(() => world.tearDown());

  it('counts 60 simultaneous hits from two connection pools as 1…60, none lost or counted twice', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? other : store).increment('203.0.113.1')));
    expect(results.map((r) => r.totalHits).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 60 }, (_, i) => i + 1));
    expect((await store.get('203.0.113.1'))?.totalHits).to.equal(60);
  });

  it('keeps limits of other names apart', async () => {
    const login = new KnexRateLimitStore({ knex: world.knex, table: 'au_rate_limits', logger: console, now: world.host.clock.now }, 'login-ip');
    login.init({ windowMs: 60_000 } as Options);
    expect((await login.increment('203.0.113.1')).totalHits).to.equal(1);
  });

  it('takes a hit back (decrement) and forgets a key (resetKey)', async () => {
    await store.decrement('203.0.113.1');
    expect((await store.get('203.0.113.1'))?.totalHits).to.equal(59);
    await store.resetKey('203.0.113.1');
    expect(await store.get('203.0.113.1')).to.equal(undefined);
  });

  it('starts a new window at one hit once the old one has ended', async () => {
    await store.increment('198.51.100.1');
    const second = await store.increment('198.51.100.1');
    expect(second.totalHits).to.equal(2);
    expect(second.resetTime!.getTime() - world.host.clock.now().getTime()).to.be.within(59_000, 60_000);
    world.host.clock.advance(60_001);
    expect(await store.get('198.51.100.1')).to.equal(undefined);
    expect((await store.increment('198.51.100.1')).totalHits).to.equal(1);
  });
});
