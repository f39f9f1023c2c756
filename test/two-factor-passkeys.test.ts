import { expect } from 'chai';
import { World } from './support/world.js';
import { BASE_URL, MOUNT, USER_MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { SoftAuthenticator, addPasskey, signInWithPasskey, verifyOptions, verifyWithPasskey } from './support/passkeys.js';
import { enrolTotp, freshCode } from './support/two-factor.js';
import { accountUsers } from '../lib/index.js';

/**
 * Passkeys (WebAuthn) as a second factor and as a sign-in, against a software authenticator that
 * signs with node:crypto: each abuse case of SECURITY.md ("Passkeys") tried as the attacker would.
 */
describe('passkeys', () => {
  const world = new World();
  let n = 0;

  /** A new member, signed in with the password (no factor yet). */
  async function member(): Promise<Member> {
    const owner = await world.ownerBrowser();
    const m = await addMember(world, owner, `passkey${++n}@example.com`, ['invoices']);
    const b = world.browser();
    await b.login(m.email, m.password);
    return { ...m, browser: b };
  }

  /** A member with one passkey of `auth`, and a fresh browser signed in with the password only. */
  async function memberWithPasskey() {
    const m = await member();
    const auth = new SoftAuthenticator(BASE_URL);
    const added = await addPasskey(m.browser, auth, m.password);
    expect(added.status, added.text).to.equal(200);
    const b = world.browser();
    await b.login(m.email, m.password);
    return { ...m, auth, recoveryCodes: added.body.recoveryCodes as string[], b };
  }

  before(() => world.setUp());
  after(() => world.tearDown());

  describe('registration', () => {
    it('turns two-factor on with the first passkey, shows ten recovery codes once, and lists it', async () => {
      const m = await member();
      const auth = new SoftAuthenticator(BASE_URL);
      const res = await addPasskey(m.browser, auth, m.password, 'Work laptop');
      expect(res.status, res.text).to.equal(200);
      expect(res.body.recoveryCodes).to.have.length(10);
      expect(res.body.passkey).to.include({ name: 'Work laptop', backedUp: false });
      const status = await world.host.au.api.twoFactorStatus({ userId: m.userId });
      expect(status).to.include({ enabled: true, passkeys: 1, recoveryCodesLeft: 10 });
      expect(status.methods).to.deep.equal(['passkey']);
      const listed = await world.host.au.api.listPasskeys({ userId: m.userId });
      expect(listed.map((p) => p.name)).to.deep.equal(['Work laptop']);
      const second = await addPasskey(m.browser, new SoftAuthenticator(BASE_URL), undefined, 'Phone');
      expect(second.status, second.text).to.equal(200);
      expect(second.body.recoveryCodes, 'codes are shown once').to.equal(undefined);
      const page = await m.browser.get(`${USER_MOUNT}/two-factor`);
      expect(page.text).to.include('Work laptop').and.include('Phone').and.include('/assets/au-passkeys.js');
    });

    it('refuses to start without the current password when no second factor was given lately, and stores nothing', async () => {
      const m = await member();
      await m.browser.getJson(`${USER_MOUNT}/two-factor`);
      for (const body of [{}, { currentPassword: 'not-the-password' }]) {
        const res = await m.browser.postJson(`${USER_MOUNT}/two-factor/passkeys/register/options`, body);
        expect(res.status).to.equal(400);
        expect(res.body.error.fields[0].field).to.equal('currentPassword');
      }
      expect(await world.knex('au_passkeys').where({ user_id: m.userId })).to.have.length(0);
    });

    it('refuses an answer without a challenge of this session (none started, or already used)', async () => {
      const m = await member();
      const auth = new SoftAuthenticator(BASE_URL);
      await m.browser.getJson(`${USER_MOUNT}/two-factor`);
      const started = await m.browser.postJson(`${USER_MOUNT}/two-factor/passkeys/register/options`, { currentPassword: m.password });
      const answer = auth.create(started.body.options);
      expect((await m.browser.postJson(`${USER_MOUNT}/two-factor/passkeys/register`, { response: answer })).status).to.equal(200);
      const again = await m.browser.postJson(`${USER_MOUNT}/two-factor/passkeys/register`, { response: auth.create(started.body.options) });
      expect(again.status).to.equal(400);
      expect(again.body.error.fields[0]).to.include({ field: 'response' });
      expect(await world.knex('au_passkeys').where({ user_id: m.userId })).to.have.length(1);
    });

    it('refuses a credential already registered to another login (409), and to the same one', async () => {
      const first = await member();
      const auth = new SoftAuthenticator(BASE_URL);
      expect((await addPasskey(first.browser, auth, first.password)).status).to.equal(200);
      const taken = auth.credentials[0]!.id;
      const other = await member();
      const res = await addPasskey(other.browser, new SoftAuthenticator(BASE_URL), other.password, 'Copy', { credentialId: taken });
      expect(res.status).to.equal(409);
      expect(await world.knex('au_passkeys').where({ user_id: other.userId })).to.have.length(0);
      expect((await world.host.au.api.twoFactorStatus({ userId: other.userId })).enabled).to.equal(false);
    });

    it('refuses an answer made for another origin or rpID (a phishing site)', async () => {
      const m = await member();
      for (const o of [{ origin: 'https://portal.example.com.evil.test' }, { rpID: 'evil.test' }]) {
        const res = await addPasskey(m.browser, new SoftAuthenticator(BASE_URL), m.password, 'x', o);
        expect(res.status, JSON.stringify(o)).to.equal(400);
        expect(res.body.error.fields[0].field).to.equal('response');
      }
      expect(await world.knex('au_passkeys').where({ user_id: m.userId })).to.have.length(0);
    });
  });

  describe('as the second factor', () => {
    it('leaves a session signed in with a stolen password alone owing its second factor', async () => {
      const { b } = await memberWithPasskey();
      const res = await b.getJson('/host/invoices');
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('second_factor_required');
    });

    it("lets the session in with an assertion of the login's passkey, and moves its counter on", async () => {
      const { b, auth, userId } = await memberWithPasskey();
      const res = await verifyWithPasskey(b, auth);
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ verified: true, method: 'passkey' });
      expect((await b.getJson('/host/invoices')).status).to.equal(200);
      const [row] = await world.knex('au_passkeys').where({ user_id: userId });
      expect(Number(row.counter)).to.equal(1);
      expect(row.last_used_at).to.not.equal(null);
    });

    it('offers the passkey on the verify page (a form the script completes)', async () => {
      const { b } = await memberWithPasskey();
      const page = await b.get(`${USER_MOUNT}/two-factor/verify`);
      expect(page.text).to.include('data-au-passkey="verify"').and.include('/assets/webauthn.js');
      expect(page.text).to.not.include('name="code"');
    });

    it('refuses the answer of a challenge a second tab replaced, and an answer sent twice', async () => {
      const { b, auth } = await memberWithPasskey();
      const firstTab = await verifyOptions(b);
      const secondTab = await verifyOptions(b);
      const stale = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { response: auth.get(firstTab) });
      expect(stale.status).to.equal(400);
      // The stale answer used up the second tab's challenge too: it has to start again.
      expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { response: auth.get(secondTab) })).status).to.equal(400);
      const fresh = auth.get(await verifyOptions(b));
      expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { response: fresh })).status).to.equal(200);
      expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { response: fresh })).status, 'the same answer again').to.equal(400);
    });

    it("refuses an answer made for another session's challenge", async () => {
      const { b, auth, email, password } = await memberWithPasskey();
      const victim = world.browser();
      await victim.login(email, password);
      const victimOptions = await verifyOptions(victim);
      await verifyOptions(b);
      const relayed = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { response: auth.get(victimOptions) });
      expect(relayed.status).to.equal(400);
      expect((await b.getJson('/host/invoices')).status).to.equal(401);
    });

    it('refuses a passkey of another login in the second step', async () => {
      const one = await memberWithPasskey();
      const two = await memberWithPasskey();
      const options = await verifyOptions(one.b);
      const res = await one.b.postJson(`${USER_MOUNT}/two-factor/verify`, { response: two.auth.get(options) });
      expect(res.status).to.equal(400);
      expect(res.body.error.fields[0]).to.include({ field: 'response' });
      expect((await one.b.getJson('/host/invoices')).status).to.equal(401);
    });

    it('refuses a signature count that does not go up (a cloned authenticator), and records it', async () => {
      const { b, auth, userId } = await memberWithPasskey();
      expect((await verifyWithPasskey(b, auth, { counter: 5 })).status).to.equal(200);
      for (const counter of [5, 4]) {
        const res = await verifyWithPasskey(b, auth, { counter });
        expect(res.status, `counter ${counter}`).to.equal(400);
      }
      const [row] = await world.knex('au_passkeys').where({ user_id: userId });
      expect(Number(row.counter)).to.equal(5);
      const entries = await world.knex('au_user_activity').where({ user_id: userId, action: 'user.passkey_counter_rejected' });
      expect(entries).to.have.length(2);
    });

    it('counts wrong answers against the login: the eleventh try is 429 even with a right one', async () => {
      const { b, auth } = await memberWithPasskey();
      for (let i = 0; i < 10; i++) {
        const res = await verifyWithPasskey(b, auth, { origin: 'https://evil.test' });
        expect(res.status).to.equal(400);
      }
      const res = await verifyWithPasskey(b, auth);
      expect(res.status).to.equal(429);
    });

    it('still accepts a recovery code, and a login with passkey and app may use either', async () => {
      const { b, auth, recoveryCodes, email, password } = await memberWithPasskey();
      await b.getJson(`${USER_MOUNT}/two-factor/verify`);
      expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: recoveryCodes[0] })).status).to.equal(200);
      const { secret, recoveryCodes: fromApp } = await enrolTotp(b, world.host, password);
      expect(fromApp, 'the codes from the passkey still hold').to.deep.equal([]);
      const withCode = world.browser();
      await withCode.login(email, password);
      await withCode.getJson(`${USER_MOUNT}/two-factor/verify`);
      const viaCode = await withCode.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) });
      expect(viaCode.status, viaCode.text).to.equal(200);
      const withKey = world.browser();
      await withKey.login(email, password);
      expect((await verifyWithPasskey(withKey, auth)).status).to.equal(200);
    });
  });

  describe('sign-in with a passkey alone', () => {
    it('signs the login in as fully as password and second factor, and back to returnTo', async () => {
      const { auth, userId } = await memberWithPasskey();
      const b = world.browser();
      const res = await signInWithPasskey(b, auth);
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ signedIn: true, userId });
      expect((await b.getJson('/host/invoices')).status).to.equal(200);
      const entries = await world.knex('au_user_activity').where({ user_id: userId, action: 'user.passkey_sign_in' });
      expect(entries).to.have.length(1);
    });

    it('signs in through the page form and redirects to a same-origin returnTo only', async () => {
      const { auth } = await memberWithPasskey();
      const b = world.browser();
      await b.get(`${USER_MOUNT}/two-factor/passkeys/sign-in?returnTo=%2Fhost%2Finvoices`);
      const started = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/sign-in/options`, {});
      const res = await b.post(`${USER_MOUNT}/two-factor/passkeys/sign-in`, {
        response: JSON.stringify(auth.get(started.body.options)),
        returnTo: '/host/invoices',
      });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/host/invoices');
    });

    it('refuses an authenticator that did not verify the person (no PIN or biometrics)', async () => {
      const { auth } = await memberWithPasskey();
      const b = world.browser();
      const res = await signInWithPasskey(b, auth, { uv: false });
      expect(res.status).to.equal(400);
      expect((await b.getJson('/host/invoices')).status).to.equal(401);
    });

    it('refuses a user handle other than the one stored with the passkey', async () => {
      const { auth } = await memberWithPasskey();
      const res = await signInWithPasskey(world.browser(), auth, { userHandle: Buffer.from('someone-else').toString('base64url') });
      expect(res.status).to.equal(400);
    });

    it('refuses an assertion for another origin or rpID', async () => {
      const { auth } = await memberWithPasskey();
      expect((await signInWithPasskey(world.browser(), auth, { origin: 'https://evil.test' })).status).to.equal(400);
      expect((await signInWithPasskey(world.browser(), auth, { rpID: 'evil.test' })).status).to.equal(400);
    });

    it("lets no stranger who knows a passkey's credential id lock its login's second factor out with failed sign-ins", async () => {
      const { b, auth } = await memberWithPasskey();
      // A passkey sign-in asks for no password: its failures count against the IP, not the login.
      for (let i = 0; i < 12; i++) expect((await signInWithPasskey(world.browser(), auth, { origin: 'https://evil.test' })).status).to.equal(400);
      const own = await verifyWithPasskey(b, auth);
      expect(own.status, own.text).to.equal(200);
    });

    it('signs a suspended member in as a login, whom the guard then refuses in the account as it does after a password', async () => {
      const { auth, userId } = await memberWithPasskey();
      await world.host.au.api.suspendMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId });
      const b = world.browser();
      expect((await signInWithPasskey(b, auth)).status).to.equal(200);
      const res = await b.getJson('/host/invoices');
      expect(res.status).to.equal(403);
    });

    it('signs in nobody with a passkey whose login is gone', async () => {
      const { auth, userId } = await memberWithPasskey();
      await world.knex('au_account_users').where({ user_id: userId }).del();
      await world.knex('au_users').where({ id: userId }).del();
      const b = world.browser();
      expect((await signInWithPasskey(b, auth)).status).to.equal(400);
      expect((await b.getJson(`${USER_MOUNT}/profile`)).status).to.equal(401);
    });
  });

  describe('removal and renaming', () => {
    it('needs the current password or a recent second factor to remove one (step-up otherwise)', async () => {
      const { b, auth, userId, password } = await memberWithPasskey();
      expect((await verifyWithPasskey(b, auth)).status).to.equal(200);
      const [row] = await world.knex('au_passkeys').where({ user_id: userId });
      world.host.clock.advance(11 * 60 * 1000);
      await b.getJson(`${USER_MOUNT}/two-factor`);
      const stepUp = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/${row.id}/remove`, {});
      expect(stepUp.status).to.equal(403);
      expect(stepUp.body.error.code).to.equal('step_up_required');
      const wrong = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/${row.id}/remove`, { currentPassword: 'wrong-password' });
      expect(wrong.status).to.equal(400);
      expect(await world.knex('au_passkeys').where({ user_id: userId })).to.have.length(1);
      const removed = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/${row.id}/remove`, { currentPassword: password });
      expect(removed.status, removed.text).to.equal(200);
      expect(removed.body).to.include({ removed: true, twoFactorOff: true });
      const status = await world.host.au.api.twoFactorStatus({ userId });
      expect(status).to.include({ enabled: false, recoveryCodesLeft: 0 });
    });

    it('removes one after a second factor given in the last minutes, without the password', async () => {
      const { b, auth, userId } = await memberWithPasskey();
      expect((await verifyWithPasskey(b, auth)).status).to.equal(200);
      const [row] = await world.knex('au_passkeys').where({ user_id: userId });
      await b.getJson(`${USER_MOUNT}/two-factor`);
      expect((await b.postJson(`${USER_MOUNT}/two-factor/passkeys/${row.id}/remove`, {})).status).to.equal(200);
    });

    it("answers 404 for another person's passkey, to its rename and its removal, and changes nothing", async () => {
      const victim = await memberWithPasskey();
      const [row] = await world.knex('au_passkeys').where({ user_id: victim.userId });
      const owner = await world.ownerBrowser();
      await owner.getJson(`${USER_MOUNT}/two-factor`);
      expect((await owner.postJson(`${USER_MOUNT}/two-factor/passkeys/${row.id}/rename`, { name: 'mine now' })).status).to.equal(404);
      expect((await owner.postJson(`${USER_MOUNT}/two-factor/passkeys/${row.id}/remove`, { currentPassword: 'owner-password-1' })).status).to.equal(404);
      const [after] = await world.knex('au_passkeys').where({ id: row.id });
      expect(after.name).to.equal('Laptop');
      expect((await owner.getJson(`${MOUNT}/`)).status).to.equal(200);
    });

    it('renames one of its own, and refuses an empty name', async () => {
      const { b, auth, userId } = await memberWithPasskey();
      expect((await verifyWithPasskey(b, auth)).status).to.equal(200);
      const [row] = await world.knex('au_passkeys').where({ user_id: userId });
      await b.getJson(`${USER_MOUNT}/two-factor`);
      expect((await b.postJson(`${USER_MOUNT}/two-factor/passkeys/${row.id}/rename`, { name: '  ' })).status).to.equal(400);
      const res = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/${row.id}/rename`, { name: 'Home desktop' });
      expect(res.status).to.equal(200);
      expect(res.body.passkey.name).to.equal('Home desktop');
    });

    it('removes passkeys with the staff reset, after which the password alone signs in', async () => {
      const { userId, email, password } = await memberWithPasskey();
      expect(await world.host.au.api.resetTwoFactor({ actor: { system: 'support' }, userId, reason: 'lost laptop' })).to.deep.equal({ reset: true });
      expect(await world.knex('au_passkeys').where({ user_id: userId })).to.have.length(0);
      const b = world.browser();
      await b.login(email, password);
      expect((await b.getJson('/host/invoices')).status).to.equal(200);
    });
  });

  describe('the relying party option', () => {
    const base = () => ({ knex: world.knex, baseUrl: BASE_URL, mail: { transport: { sendMail: () => Promise.resolve() } as never, from: 'x@example.com' } });
    it('refuses at start-up an origin that is not https, or not under the rpID', () => {
      expect(() => accountUsers({ ...base(), twoFactor: { passkeys: { origin: 'http://portal.example.com' } } })).to.throw(
        /twoFactor\.passkeys\.origin.*secure context/,
      );
      expect(() => accountUsers({ ...base(), twoFactor: { passkeys: { rpID: 'example.org', origins: ['https://portal.example.com'] } } })).to.throw(
        /twoFactor\.passkeys\.origins\.0.*not the rpID "example\.org"/,
      );
    });
  });
});
