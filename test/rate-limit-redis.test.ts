import { expect } from 'chai';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { RedisStore } from 'rate-limit-redis';
import { World, OWNER } from './support/world.js';
import { MOUNT, type TestHost } from './support/app.js';
import { pathOf } from './support/client.js';

/**
 * `limits.store` with rate-limit-redis (node-redis) against the Redis on 127.0.0.1:6379: two
 * app instances, each with a client of its own, share one count per limit.
 */
describe('rate limits in Redis (limits.store with rate-limit-redis)', function () {
  this.timeout(60_000);
  const world = new World();
  type Client = ReturnType<typeof createClient>;
  const clients: Client[] = [];
  const namespace = `au-test-${randomBytes(4).toString('hex')}`;
  let first: TestHost;
  let second: TestHost;

  async function redisLimits() {
    const client: Client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    clients.push(client);
    return {
      loginPerWindow: 3,
      acceptPerWindow: 2,
      store: (name: string) => new RedisStore({ sendCommand: (...args: string[]) => client.sendCommand(args), prefix: `${namespace}:${name}:` }),
    };
  }

  before(async () => {
    await world.setUp({ limits: await redisLimits() });
    first = world.host;
    second = world.secondInstance({ limits: await redisLimits() });
    for (const host of [first, second]) host.app.set('trust proxy', 'loopback');
  });
  after(async () => {
    const keys = await clients[0]!.keys(`${namespace}:*`);
    if (keys.length) await clients[0]!.del(keys);
    for (const c of clients) await c.quit();
    await world.tearDown();
  });

  it('counts failed logins of one email on both instances against one limit', async () => {
    const login = (host: TestHost, password: string) =>
      request(host.app)
        .post('/login')
        .set('Accept', 'application/json')
        .set('X-Forwarded-For', '203.0.113.5')
        .type('form')
        .send({ email: OWNER.email, password });
    expect((await login(first, 'wrong-password-1')).status).to.equal(401);
    expect((await login(second, 'wrong-password-2')).status).to.equal(401);
    expect((await login(first, 'wrong-password-3')).status).to.equal(401);
    const refused = await login(second, OWNER.password);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 15 * 60);
    expect(await clients[0]!.keys(`${namespace}:login-email:*`)).to.have.length(1);
    // Nothing in the kit's own table: the host's store is used instead.
    expect(await world.count('rate_limits')).to.equal(0);
  });

  it('counts failed accepts on both instances against one limit; the invitation is kept', async () => {
    const { owner: created } = await first.au.createAccount({ name: 'Two Ltd', owner: { email: 'boss@two.test', name: 'Boss', password: 'boss-password-1' } });
    expect(created.id).to.be.a('number');
    const boss = world.browser(first);
    await boss.agent
      .post('/login')
      .set('X-Forwarded-For', '198.51.100.2')
      .type('form')
      .send({ email: 'boss@two.test', password: 'boss-password-1' })
      .expect(303);
    await boss.getJson(`${MOUNT}/`);
    expect((await boss.postJson(`${MOUNT}/invite`, { email: 'shared-limit@example.com', permissions: ['invoices'] })).status).to.equal(201);
    const link = pathOf(world.smtp.linkFor('shared-limit@example.com'));

    const attempt = async (host: TestHost) => {
      const b = world.browser(host);
      const page = await b.agent.get(link).set('Accept', 'application/json').set('X-Forwarded-For', '192.0.2.33');
      return b.agent
        .post(`${MOUNT}/accept/${'E'.repeat(43)}/register`)
        .set('Accept', 'application/json')
        .set('X-Forwarded-For', '192.0.2.33')
        .set('x-csrf-token', page.body.csrfToken)
        .send({ name: 'Guesser', password: 'guess-password' });
    };
    expect((await attempt(first)).status).to.equal(404);
    expect((await attempt(second)).status).to.equal(404);
    const refused = await attempt(first);
    expect(refused.status).to.equal(429);
    expect((await attempt(second)).status).to.equal(429);
    expect(await world.knex('au_invitations').where({ email: 'shared-limit@example.com', status: 'pending' }).first()).to.not.equal(undefined);
  });
});
