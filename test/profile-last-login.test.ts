import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT } from './support/app.js';

const MINUTE = 60 * 1000;

/**
 * The profile's "Last login" is the sign-in before this one: the latest sign-in is always the
 * session looking at the page, so showing it told the person nothing (and hid someone else's).
 */
describe('the profile\'s "Last login"', function () {
  this.timeout(60_000);
  const world = new World();

  before(() => world.setUp());
  after(() => world.tearDown());

  it('says there was none before on the first sign-in, not the current session', async () => {
    const b = world.browser();
    await b.login(OWNER.email, OWNER.password);
    const json = await b.getJson(`${USER_MOUNT}/profile`);
    expect(json.status, json.text).to.equal(200);
    expect(json.body.user.previousLoginAt).to.equal(null);
    expect(json.body.user.lastLoginAt).to.be.a('string');
    const page = await b.get(`${USER_MOUNT}/profile`);
    expect(page.text).to.match(/Last login<\/th><td>None before this one<\/td>/);
  });

  it('shows the sign-in before this one, in every session, as a second sign-in moves it', async () => {
    const first = world.host.clock.now().getTime();
    world.host.clock.advance(90 * MINUTE);
    const b = world.browser();
    await b.login(OWNER.email, OWNER.password);
    const json = await b.getJson(`${USER_MOUNT}/profile`);
    expect(new Date(json.body.user.previousLoginAt).getTime()).to.be.closeTo(first, 5_000);
    expect(new Date(json.body.user.lastLoginAt).getTime()).to.be.greaterThan(first + 80 * MINUTE);
    const page = await b.get(`${USER_MOUNT}/profile`);
    const iso = new Date(json.body.user.previousLoginAt).toISOString();
    expect(page.text).to.contain(`Last login</th><td><time datetime="${iso}">`);
  });

  it('is the same in German, with its own words when there was none', async () => {
    const fresh = await world.host.au.createAccount({ name: 'Neu GmbH', owner: { email: 'neu@example.test', name: 'Neu', password: 'neu-password-1' } });
    expect(fresh.owner.id).to.be.a('number');
    const b = world.browser();
    await b.login('neu@example.test', 'neu-password-1');
    const page = await b.agent.get(`${USER_MOUNT}/profile`).set('Accept-Language', 'de');
    expect(page.text).to.match(/Letzte Anmeldung<\/th><td>Keine vor dieser<\/td>/);
  });
});
