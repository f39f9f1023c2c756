import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { BASE_URL, MOUNT, USER_MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { SoftAuthenticator, addPasskey, signInWithPasskey, verifyWithPasskey } from './support/passkeys.js';
import { enrolTotp } from './support/two-factor.js';
import type { Browser } from './support/client.js';

const DAY = 24 * 60 * 60 * 1000;

/** The rule emails a member got from this world's SMTP sink. */
const ruleMails = (world: World, email: string) => world.smtp.to(email).filter((m) => /two-factor/.test(m.subject ?? ''));

/**
 * A passkey satisfies two-factor sign-in as an authenticator app does, so what the kit says must
 * not send a passkey person looking for an app: the account's rule passes a passkey-only member
 * after the grace, the rule emails name both ways when passkeys are on (the app alone when they are
 * off), the verify page's intro is chosen from the factors the login has, and the errors name no app.
 */
describe('two-factor sign-in with a passkey only', () => {
  describe('with passkeys on (the default)', () => {
    const world = new World();
    let owner: Browser;
    let member: Member;
    let auth: SoftAuthenticator;

    before(async () => {
      await world.setUp();
      owner = await world.ownerBrowser();
      member = await addMember(world, owner, 'passkey-only@example.com', ['invoices']);
      await enrolTotp(owner, world.host, OWNER.password);
      await owner.getJson(`${MOUNT}/security`);
      const ruled = await owner.postJson(`${MOUNT}/security`, { required: true, graceDays: 7 });
      expect(ruled.status, ruled.text).to.equal(200);
    });
    after(() => world.tearDown());

    it('emails the rule naming both ways to comply: an authenticator app or a passkey', () => {
      const [mail, ...more] = ruleMails(world, member.email);
      expect(more).to.have.length(0);
      expect(mail!.text).to.include('Set up a second factor (an authenticator app or a passkey) before');
    });

    it('passes a member whose only factor is a passkey after the grace: guard, can() and au.api', async () => {
      auth = new SoftAuthenticator(BASE_URL);
      const added = await addPasskey(member.browser, auth, member.password);
      expect(added.status, added.text).to.equal(200);
      expect((await world.host.au.api.twoFactorStatus({ userId: member.userId })).methods).to.deep.equal(['passkey']);
      world.host.clock.advance(8 * DAY);
      const b = world.browser();
      await b.login(member.email, member.password);
      expect((await verifyWithPasskey(b, auth)).status).to.equal(200);
      expect((await b.getJson('/host/invoices')).status).to.equal(200);
      expect(await world.host.au.api.can({ userId: member.userId, accountId: world.account.id }, 'invoices')).to.equal(true);
      const refusal = await world.host.au.api.listActivity({ actor: { userId: member.userId }, accountId: world.account.id }).then(
        () => undefined,
        (err: { code?: string }) => err.code,
      );
      expect(refusal).to.not.equal('two_factor_required');
      const byPasskey = world.browser();
      expect((await signInWithPasskey(byPasskey, auth)).status).to.equal(200);
      expect((await byPasskey.getJson('/host/invoices')).status).to.equal(200);
    });

    it('asks a passkey-only login to confirm with its passkey on the verify page, offering no code field and naming no app', async () => {
      const b = world.browser();
      await b.login(member.email, member.password);
      const page = await b.get(`${USER_MOUNT}/two-factor/verify`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Your login has two-factor sign-in: confirm with your passkey.');
      expect(page.text).to.not.include('authenticator app');
      expect(page.text).to.not.include('name="code"');
      const owed = await b.getJson('/host/invoices');
      expect(owed.body.error.message).to.equal('Confirm your second factor to finish signing in.');
    });

    it('says the same for step-up, in German too', async () => {
      const b = world.browser();
      await b.login(member.email, member.password);
      expect((await verifyWithPasskey(b, auth)).status).to.equal(200);
      world.host.clock.advance(11 * 60 * 1000);
      const page = await b.get(`${USER_MOUNT}/two-factor/verify`);
      expect(page.text).to.include('Confirm that it is you with your passkey.');
      const de = await b.agent.get(`${USER_MOUNT}/two-factor/verify`).set('Accept-Language', 'de');
      expect(de.text).to.include('Bestätigen Sie mit Ihrem Passkey, dass Sie es sind.');
      expect(de.text).to.not.include('Authenticator-App');
    });

    it('offers both ways to a login with an app and a passkey', async () => {
      await addPasskey(owner, new SoftAuthenticator(BASE_URL), OWNER.password, 'Owner laptop');
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      const page = await b.get(`${USER_MOUNT}/two-factor/verify`);
      expect(page.text).to.include('use your passkey, or enter the code your authenticator app shows now.');
      expect(page.text).to.include('name="code"');
    });
  });

  describe('with passkeys off (twoFactor.passkeys: false)', () => {
    const world = new World();
    before(async () => {
      await world.setUp({ twoFactor: { passkeys: false } });
      const owner = await world.ownerBrowser();
      await addMember(world, owner, 'app-only@example.com', ['invoices']);
      await enrolTotp(owner, world.host, OWNER.password);
      await owner.getJson(`${MOUNT}/security`);
      expect((await owner.postJson(`${MOUNT}/security`, { required: true })).status).to.equal(200);
    });
    after(() => world.tearDown());

    it('emails the rule naming the authenticator app, the one way the kit offers', () => {
      const [mail] = ruleMails(world, 'app-only@example.com');
      expect(mail!.text).to.include('Set up an authenticator app to keep using the account.');
      expect(mail!.text).to.not.include('passkey');
    });
  });
});
