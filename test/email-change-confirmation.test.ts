import { expect } from 'chai';
import { World } from './support/world.js';
import { USER_MOUNT } from './support/app.js';
import { linkIn, waitForMail } from './support/user-mail.js';
import type { Browser } from './support/client.js';

/**
 * Following an email-change link changes nothing by itself: `GET /email/confirm/:token` (and
 * HEAD) shows a page with a button naming the new address, and only the `POST` from that page,
 * with its CSRF token, moves the login. A mail gateway that fetches every link, with no session
 * and no token, confirms nothing.
 */
describe('email change confirmation (GET shows, POST /email/confirm/:token confirms)', function () {
  this.timeout(30_000);
  const world = new World();
  let serial = 0;

  before(() => world.setUp({ limits: { emailChangePerWindow: 1000, emailChangePerIpPerWindow: 1000 } }));
  after(() => world.tearDown());

  /** A login of its own for each test, with a pending change to `newEmail` and the link sent there. */
  async function pendingChange(): Promise<{ email: string; newEmail: string; password: string; userId: number; link: string; signedIn: Browser }> {
    serial++;
    const email = `confirm-${serial}@acme.test`;
    const newEmail = `confirm-${serial}-new@acme.test`;
    const password = `confirm-password-${serial}`;
    const { owner } = await world.host.au.createAccount({ name: `Confirm ${serial} Ltd`, owner: { email, name: `Casey ${serial}`, password } });
    const b = world.browser();
    await b.login(email, password);
    await b.get(`${USER_MOUNT}/profile`);
    expect((await b.post(`${USER_MOUNT}/email`, { email: newEmail, currentPassword: password })).status).to.equal(303);
    const link = linkIn(await waitForMail(world.smtp, newEmail), 'email/confirm');
    return { email, newEmail, password, userId: owner.id, link, signedIn: b };
  }

  const emailOf = async (userId: number) => String((await world.knex('au_users').where({ id: userId }).first()).email);
  const tokenRow = async (userId: number) => world.knex('au_user_tokens').where({ user_id: userId, purpose: 'email_change' }).first();

  it('answers GET of the link, with no session, with a page whose button names the new address, and changes nothing', async () => {
    const change = await pendingChange();
    const scanner = world.browser();
    const page = await scanner.get(change.link);
    expect(page.status).to.equal(200);
    expect(page.headers['referrer-policy']).to.equal('no-referrer');
    expect(page.headers['cache-control']).to.equal('no-store');
    expect(page.text).to.contain(`action="${change.link}"`);
    expect(page.text).to.match(new RegExp(`<button[^>]*>[^<]*${change.newEmail.replace(/\./g, '\\.')}[^<]*</button>`));
    expect(await emailOf(change.userId)).to.equal(change.email);
    expect((await tokenRow(change.userId)).status).to.equal('pending');
    // Fetched again, as a gateway and then the person would: still nothing changed, still the page.
    expect((await world.browser().get(change.link)).status).to.equal(200);
    expect(await emailOf(change.userId)).to.equal(change.email);
  });

  it('answers HEAD of the link without changing anything', async () => {
    const change = await pendingChange();
    const res = await world.browser().agent.head(change.link);
    expect(res.status).to.equal(200);
    expect(await emailOf(change.userId)).to.equal(change.email);
    expect((await tokenRow(change.userId)).status).to.equal('pending');
  });

  it('answers the JSON GET with the new address and the CSRF token, and changes nothing', async () => {
    const change = await pendingChange();
    const res = await world.browser().getJson(change.link);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ email: change.newEmail, valid: true });
    expect(res.body.csrfToken).to.be.a('string');
    expect(await emailOf(change.userId)).to.equal(change.email);
  });

  it('refuses a POST without the CSRF token with 403 and changes nothing; the link still works', async () => {
    const change = await pendingChange();
    const b = world.browser();
    await b.get(change.link);
    expect((await b.post(change.link, {}, { csrf: null })).status).to.equal(403);
    expect((await world.browser().agent.post(change.link).type('form').send('')).status).to.equal(403);
    expect((await b.postJson(change.link, {}, { csrf: 'not-the-token' })).status).to.equal(403);
    expect(await emailOf(change.userId)).to.equal(change.email);
    expect((await tokenRow(change.userId)).status).to.equal('pending');
    expect((await b.post(change.link)).status).to.equal(200);
    expect(await emailOf(change.userId)).to.equal(change.newEmail);
  });

  it('changes the address on the POST from the page, with no session needed: the new address signs in, the old one no longer', async () => {
    const change = await pendingChange();
    const b: Browser = world.browser();
    await b.get(change.link);
    const done = await b.post(change.link);
    expect(done.status).to.equal(200);
    expect(done.text).to.contain(`Your login now uses ${change.newEmail}`);
    expect(await emailOf(change.userId)).to.equal(change.newEmail);
    expect((await world.browser().agent.post('/login').type('form').send({ email: change.newEmail, password: change.password })).status).to.equal(303);
    expect((await world.browser().agent.post('/login').type('form').send({ email: change.email, password: change.password })).status).to.equal(401);
    const again = await b.getJson(change.link);
    expect(again.status).to.equal(410);
    expect(again.body.error).to.include({ code: 'link_used' });
    expect((await b.post(change.link)).status).to.equal(410);
  });

  it('offers "Sign in" after the change to a browser with no session', async () => {
    const change = await pendingChange();
    const b = world.browser();
    await b.get(change.link);
    const done = await b.post(change.link);
    expect(done.text).to.contain('<a href="/login" class="au-button au-button-primary">Sign in</a>');
  });

  it('offers the profile, not "Sign in", to the login still signed in where the link is opened', async () => {
    const change = await pendingChange();
    await change.signedIn.get(change.link);
    const done = await change.signedIn.post(change.link);
    expect(done.status).to.equal(200);
    expect(done.text).to.contain(`Your login now uses ${change.newEmail}. Use it the next time you sign in.`);
    expect(done.text).to.contain(`<a href="${USER_MOUNT}/profile" class="au-button au-button-primary">`);
    expect(done.text).not.to.contain('>Sign in</a>').and.not.to.contain('href="/login"');
  });

  it('changes the address on the JSON POST: { email, confirmed: true }', async () => {
    const change = await pendingChange();
    const b = world.browser();
    await b.getJson(change.link);
    const done = await b.postJson(change.link, {});
    expect(done.status).to.equal(200);
    expect(done.body).to.include({ email: change.newEmail, confirmed: true });
    expect(await emailOf(change.userId)).to.equal(change.newEmail);
  });

  it('answers 404 for an unknown token on GET and POST, and changes nothing', async () => {
    const b = world.browser();
    await b.get(`${USER_MOUNT}/password/forgot`);
    expect((await b.get(`${USER_MOUNT}/email/confirm/${'C'.repeat(43)}`)).status).to.equal(404);
    expect((await b.post(`${USER_MOUNT}/email/confirm/${'C'.repeat(43)}`)).status).to.equal(404);
  });

  it('asks, in the email, to open the link and confirm on the page', async () => {
    const change = await pendingChange();
    const mail = world.smtp.to(change.newEmail)[0]!;
    expect(mail.text).to.contain('open this link and confirm');
  });
});
