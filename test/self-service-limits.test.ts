import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT } from './support/app.js';

/**
 * Requests for reset links and email changes are limited per address and per IP, counted in the
 * kit's database so that every instance counts against one limit: 429 with Retry-After and a page
 * saying when.
 */
describe('limits on password-reset and email-change requests', function () {
  this.timeout(20_000);
  const world = new World();

  before(() => world.setUp({ limits: { passwordResetPerWindow: 2, passwordResetPerIpPerWindow: 5, emailChangePerWindow: 1, emailChangePerIpPerWindow: 50 } }));
  after(() => world.tearDown());

  async function forgot(email: string, host = world.host) {
    const b = world.browser(host);
    await b.get(`${USER_MOUNT}/password/forgot`);
    return b.post(`${USER_MOUNT}/password/forgot`, { email });
  }

  it('refuses a third reset request for one address with 429, Retry-After and a page saying when, across instances', async () => {
    expect((await forgot('limited@acme.test')).status).to.equal(303);
    // The second request reaches another instance on the same database: it counts against the same limit.
    const other = world.secondInstance({ limits: { passwordResetPerWindow: 2, passwordResetPerIpPerWindow: 5 } });
    expect((await forgot('limited@acme.test', other)).status).to.equal(303);
    const res = await forgot('LIMITED@acme.test');
    expect(res.status).to.equal(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).to.be.within(3500, 3600);
    expect(res.text).to.contain('Too many password reset requests for this address.');
    expect(res.text).to.contain(`Try again in ${retryAfter} seconds.`);
    await other.au.close();
  });

  it('refuses reset requests from one IP beyond its limit, whatever the addresses', async () => {
    // Three so far from this IP (two above plus one refused); the limit is five.
    expect((await forgot('a@acme.test')).status).to.equal(303);
    expect((await forgot('b@acme.test')).status).to.equal(303);
    const res = await forgot('c@acme.test');
    expect(res.status).to.equal(429);
    expect(res.text).to.contain('Too many password reset requests from your network.');
  });

  it('answers the limit as JSON when asked', async () => {
    const b = world.browser();
    await b.getJson(`${USER_MOUNT}/password/forgot`);
    const res = await b.postJson(`${USER_MOUNT}/password/forgot`, { email: 'limited@acme.test' });
    expect(res.status).to.equal(429);
    expect(res.body.error).to.include({ code: 'too_many_requests' });
    expect(res.body.error.retryAfter).to.be.a('number');
  });

  it('refuses a second email change to one address with 429', async () => {
    const b = world.browser();
    await b.login(OWNER.email, OWNER.password);
    await b.get(`${USER_MOUNT}/profile`);
    expect((await b.post(`${USER_MOUNT}/email`, { email: 'wanted@acme.test', currentPassword: OWNER.password })).status).to.equal(303);
    await b.get(`${USER_MOUNT}/profile`);
    const res = await b.post(`${USER_MOUNT}/email`, { email: 'wanted@acme.test', currentPassword: OWNER.password });
    expect(res.status).to.equal(429);
    expect(res.headers['retry-after']).to.match(/^\d+$/);
    expect(res.text).to.contain('Too many email changes requested for this address.');
  });

  it('counts in the database, storing no address in the clear', async () => {
    const keys = (await world.knex('au_rate_limits').select('key')).map((r: { key: string }) => r.key);
    expect(keys.length).to.be.greaterThan(0);
    for (const key of keys) expect(key).to.match(/^[0-9a-f]{64}$/);
  });
});
