import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { World, OWNER } from './support/world.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The login must not tell which addresses have a login by how long it takes: an unknown email
 * costs the same scrypt work as a known one with a wrong password. Ratios of medians are compared,
 * never absolute times, with parameters slow enough (N=2^14, about 15-50 ms a hash) that a skipped
 * hash would show as a ratio of 10 or more.
 */
describe('login timing (no enumeration of registered emails)', function () {
  this.timeout(120_000);
  const world = new World();

  before(() => world.setUp({ passwordHashing: { N: 2 ** 14, r: 8, p: 1 }, limits: { loginPerWindow: 1000, loginPerIpPerWindow: 1000 } }));
  after(() => world.tearDown());

  async function timeLogin(email: string): Promise<number> {
    const start = performance.now();
    const res = await request(world.host.app).post('/login').type('form').send({ email, password: 'not-the-password-1' });
    const elapsed = performance.now() - start;
    expect(res.status).to.equal(401);
    return elapsed;
  }

  it('answers an unknown email within 25 % of the time of a known one (median of 21 back-to-back pairs)', async () => {
    // Warm-up: the dummy hash, connections and JIT are made before anything is measured.
    await timeLogin(OWNER.email);
    await timeLogin('warm-up@nowhere.test');
    const known: number[] = [];
    const unknown: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < 21; i++) {
      // Each pair runs back to back, in alternating order, so a burst of load elsewhere on the
      // machine falls on both of its logins; the median of the pairs' ratios discards the rest.
      const unknownFirst = i % 2 === 1;
      const u1 = unknownFirst ? await timeLogin(`nobody-${i}@nowhere.test`) : 0;
      const k = await timeLogin(OWNER.email);
      const u = unknownFirst ? u1 : await timeLogin(`nobody-${i}@nowhere.test`);
      known.push(k);
      unknown.push(u);
      ratios.push(u / k);
    }
    const ratio = median(ratios);
    console.log(`      login timing: median known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms, median ratio ${ratio.toFixed(2)}`);
    expect(ratio).to.be.within(0.75, 1.25);
  });
});
