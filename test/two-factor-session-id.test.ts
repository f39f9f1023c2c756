import { expect } from 'chai';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import { BASE_URL, USER_MOUNT } from './support/app.js';
import { enrolTotp, freshCode } from './support/two-factor.js';
import { SoftAuthenticator, addPasskey, verifyOptions } from './support/passkeys.js';
import type { Browser } from './support/client.js';

/** The session cookie (`connect.sid=…`) a response set, if it set one. */
function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string[] | string | undefined) ?? []);
  return cookies.find((c) => c.startsWith('connect.sid='))?.split(';')[0];
}

/**
 * Session fixation: the session id a browser had while it owed its second factor must not be the
 * one that is fully signed in afterwards. Someone who planted or read that id (a shared computer, a
 * cookie set from a sibling subdomain) would otherwise be signed in the moment the person gives
 * their code. Each way of giving it (an app's code, a recovery code, a passkey) gets a new id, and
 * the old one signs in nobody.
 */
describe('two-factor sign-in: a new session id once the second factor is accepted', () => {
  const world = new World();
  let secret: string;
  let recoveryCodes: string[];
  let auth: SoftAuthenticator;

  before(async () => {
    await world.setUp();
    const owner = await world.ownerBrowser();
    ({ secret, recoveryCodes } = await enrolTotp(owner, world.host, OWNER.password));
    auth = new SoftAuthenticator(BASE_URL);
    const added = await addPasskey(owner, auth, undefined);
    expect(added.status, added.text).to.equal(200);
  });
  after(() => world.tearDown());

  /** Signs in with the password; the id the browser holds while it owes its factor. */
  async function owingSession(): Promise<{ b: Browser; before: string }> {
    const b = world.browser();
    const res = await b.login(OWNER.email, OWNER.password);
    const before = sessionCookie(res);
    expect(before, 'the sign-in sets a session cookie').to.be.a('string');
    await b.getJson(`${USER_MOUNT}/two-factor/verify`);
    return { b, before: before! };
  }

  /** The id before is no longer signed in; the browser, under its new id, is. */
  async function expectNewId(b: Browser, before: string, verified: { status: number; text: string; headers: Record<string, unknown> }) {
    expect(verified.status, verified.text).to.equal(200);
    const after = sessionCookie(verified);
    expect(after, 'the answer sets a new session cookie').to.be.a('string');
    expect(after).to.not.equal(before);
    expect((await b.getJson('/host/invoices')).status).to.equal(200);
    const fixed = await request(world.host.app).get('/host/invoices').set('Accept', 'application/json').set('Cookie', before);
    expect(fixed.status, 'the id from before the code').to.equal(401);
  }

  it('with a code from the app', async () => {
    const { b, before } = await owingSession();
    await expectNewId(b, before, await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) }));
  });

  it('with a recovery code', async () => {
    const { b, before } = await owingSession();
    await expectNewId(b, before, await b.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: recoveryCodes[0] }));
  });

  it('with a passkey', async () => {
    const { b, before } = await owingSession();
    const options = await verifyOptions(b);
    await expectNewId(b, before, await b.postJson(`${USER_MOUNT}/two-factor/verify`, { response: auth.get(options) }));
  });
});
