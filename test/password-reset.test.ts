import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT } from './support/app.js';
import { linkIn, waitForMail } from './support/user-mail.js';

/**
 * Forgotten password, over HTTP with a real SMTP server: the request, the email through the
 * outbox, the reset page, the new password, and signing in with it.
 */
describe('password reset (au.userRouter /password/forgot and /password/reset/:token)', function () {
  this.timeout(20_000);
  const world = new World();
  let password = OWNER.password;

  before(() => world.setUp({ limits: { passwordResetPerWindow: 100 } }));
  after(() => world.tearDown());

  async function requestReset(email: string) {
    const b = world.browser();
    await b.get(`${USER_MOUNT}/password/forgot`);
    return { browser: b, res: await b.post(`${USER_MOUNT}/password/forgot`, { email }) };
  }

  async function newResetLink(count: number): Promise<string> {
    await requestReset(OWNER.email);
    return linkIn(await waitForMail(world.smtp, OWNER.email, count), 'password/reset');
  }

  it('goes from the forgot form through the email and the reset page to a sign-in with the new password', async () => {
    const { browser, res } = await requestReset(OWNER.email);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${USER_MOUNT}/password/forgot`);
    const notice = await browser.get(`${USER_MOUNT}/password/forgot`);
    expect(notice.text).to.contain('If a login exists for that address, we sent a link');

    const mail = await waitForMail(world.smtp, OWNER.email);
    expect(mail.subject).to.equal('Reset your password for portal.example.com');
    expect(mail.text).to.contain('valid for 1 hour');
    const link = linkIn(mail, 'password/reset');
    expect(link.startsWith(`${USER_MOUNT}/password/reset/`)).to.equal(true);

    const page = await browser.get(link);
    expect(page.status).to.equal(200);
    expect(page.headers['referrer-policy']).to.equal('no-referrer');
    expect(page.headers['cache-control']).to.equal('no-store');
    const done = await browser.post(link, { password: 'brand-new-password-1' });
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal('/login?notice=password-reset');
    password = 'brand-new-password-1';

    const signIn = await world.browser().agent.post('/login').type('form').send({ email: OWNER.email, password });
    expect(signIn.status).to.equal(303);
    const old = await world.browser().agent.post('/login').type('form').send({ email: OWNER.email, password: OWNER.password });
    expect(old.status).to.equal(401);
  });

  it('stores only the SHA-256 of the token, and no usable link in the outbox', async () => {
    const link = await newResetLink(2);
    const token = link.split('/').pop()!;
    const tokens = await world.knex('au_user_tokens').select('token_hash');
    expect(tokens.map((r: { token_hash: string }) => r.token_hash)).to.not.include(token);
    const outbox = await world.knex('au_outbox').where({ kind: 'password_reset' }).select('link_prefix');
    for (const row of outbox) expect(String(row.link_prefix)).to.not.contain(token);
  });

  it('refuses a used link with 410 and a page that says so', async () => {
    const link = await newResetLink(3);
    const b = world.browser();
    await b.get(link);
    expect((await b.post(link, { password: 'another-password-2' })).status).to.equal(303);
    password = 'another-password-2';
    const again = await world.browser().get(link);
    expect(again.status).to.equal(410);
    expect(again.text).to.contain('This link has already been used.');
  });

  it('refuses a superseded link with 410: a new request kills older links', async () => {
    const older = await newResetLink(4);
    const newer = await newResetLink(5);
    const res = await world.browser().get(older);
    expect(res.status).to.equal(410);
    expect(res.text).to.contain('only the newest one works');
    expect((await world.browser().get(newer)).status).to.equal(200);
  });

  it('refuses an expired link with 410 after one hour', async () => {
    const link = await newResetLink(6);
    world.host.clock.advance(60 * 60 * 1000 + 1000);
    const b = world.browser();
    const res = await b.getJson(link);
    expect(res.status).to.equal(410);
    expect(res.body.error).to.include({ code: 'link_expired', reason: 'expired' });
  });

  it('answers 404 for an unknown or malformed token', async () => {
    expect((await world.browser().get(`${USER_MOUNT}/password/reset/${'A'.repeat(43)}`)).status).to.equal(404);
    expect((await world.browser().get(`${USER_MOUNT}/password/reset/nope`)).status).to.equal(404);
  });

  it('signs out every session of the login, on its next request', async () => {
    const signedIn = world.browser();
    await signedIn.login(OWNER.email, password);
    expect((await signedIn.get(`${USER_MOUNT}/profile`)).status).to.equal(200);
    const link = await newResetLink(7);
    const b = world.browser();
    await b.get(link);
    expect((await b.post(link, { password: 'third-password-3' })).status).to.equal(303);
    password = 'third-password-3';
    const next = await signedIn.get(`${USER_MOUNT}/profile`);
    expect(next.status).to.equal(302);
    expect(next.headers.location).to.match(/^\/login\?returnTo=/);
  });

  it('writes an activity row for the user and emits user.password_reset', async () => {
    const events: unknown[] = [];
    world.host.au.events.on('user.password_reset', (e) => events.push(e));
    const link = await newResetLink(8);
    const b = world.browser();
    await b.get(link);
    await b.post(link, { password: 'fourth-password-4' });
    password = 'fourth-password-4';
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ userId: world.ownerId, action: 'user.password_reset' });
    const rows = await world.knex('au_user_activity').where({ user_id: world.ownerId, action: 'user.password_reset' });
    expect(rows.length).to.be.greaterThan(0);
  });

  it('refuses a short password with 400 naming the field, and the link still works', async () => {
    const link = await newResetLink(9);
    const b = world.browser();
    await b.get(link);
    const res = await b.post(link, { password: 'short' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('must be at least 8 characters');
    expect((await world.browser().get(link)).status).to.equal(200);
  });

  it('refuses a bad address with 400 naming the field, and sends nothing', async () => {
    const before = world.smtp.messages.length;
    const b = world.browser();
    await b.getJson(`${USER_MOUNT}/password/forgot`);
    const res = await b.postJson(`${USER_MOUNT}/password/forgot`, { email: 'not an address' });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields[0]).to.include({ field: 'email' });
    expect(world.smtp.messages.length).to.equal(before);
  });

  it('refuses a POST without the CSRF token with 403 and sends nothing', async () => {
    const before = await world.count('outbox');
    const b = world.browser();
    await b.get(`${USER_MOUNT}/password/forgot`);
    const res = await b.post(`${USER_MOUNT}/password/forgot`, { email: OWNER.email }, { csrf: null });
    expect(res.status).to.equal(403);
    expect(await world.count('outbox')).to.equal(before);
  });
});
