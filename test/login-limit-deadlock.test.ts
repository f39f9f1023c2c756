import { expect } from 'chai';
import request from 'supertest';
import { World } from './support/world.js';

/**
 * The two counts of a sign-in (its IP's and its address's) are two rows that one statement raises
 * and another takes back or clears. On PostgreSQL a statement locks rows in the order it meets them:
 * a raise taking the IP's row then the address's, beside a take-back meeting them the other way
 * round, deadlocked, and the sign-in answered 500 (the cluster rig's burst of wrong passwords from
 * three processes found 16). Every statement now takes the two rows in one order.
 */
describe('simultaneous sign-ins of one address over three instances', function () {
  this.timeout(120_000);
  const world = new World();
  const options = { limits: { loginPerWindow: 10, loginPerIpPerWindow: 100_000 } };
  before(() => world.setUp(options));
  after(() => world.tearDown());

  it('never deadlocks: 150 wrong passwords and 10 right ones (the limit) at once answer 401, 429 or 303, never 500', async () => {
    const hosts = [world.host, world.secondInstance(options), world.secondInstance(options)];
    await world.host.au.createAccount({ name: 'Victim Co', owner: { email: 'victim@acme.test', name: 'Victim', password: 'victim-password-1' } });
    const signIn = (n: number, email: string, password: string) =>
      request(hosts[n % 3]!.app)
        .post('/login')
        .set('Accept', 'application/json')
        .type('form')
        .send({ email, password });
    const answers = await Promise.all([
      ...Array.from({ length: 150 }, (_, i) => signIn(i, 'victim@acme.test', `wrong-guess-${i}`)),
      ...Array.from({ length: 10 }, (_, i) => signIn(i, 'owner@acme.test', 'owner-password-1')),
    ]);
    const statuses = answers.map((r) => r.status);
    expect(
      statuses.filter((s) => s >= 500),
      JSON.stringify(answers.find((r) => r.status >= 500)?.body),
    ).to.deep.equal([]);
    expect(statuses.slice(0, 150).filter((s) => s === 401)).to.have.length(10);
    expect(statuses.slice(150), JSON.stringify(answers.slice(150).find((r) => r.status !== 303)?.body)).to.deep.equal(Array(10).fill(303));
  });
});
