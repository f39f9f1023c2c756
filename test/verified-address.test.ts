import { expect } from 'chai';
import { World } from './support/world.js';
import { FAST_HASHING, MOUNT, USER_MOUNT } from './support/app.js';
import { Browser } from './support/client.js';
import { invite, linkPath, otherAccount, rows } from './support/invitations.js';
import { newLogin, refusedWith } from './support/api.js';
import { linkIn, waitForMail } from './support/user-mail.js';
import { knexUserStore } from '../lib/services/user-store.js';
import { tableNames } from '../lib/store/db.js';
import type { UserStore } from '../lib/index.js';

const PASSWORD = 'stranger-password-1';
const VERIFY_PROMPT = 'Verify your address to see invitations sent to it.';

/**
 * Finding 1 and 7 of issue 21: a login's address counts for in-app invitations only once something
 * proved it. The attacker signs up as the README's complete host lets anyone do (au.createAccount
 * with any address, nothing verified) and then works the kit's pages and au.api.
 */
describe('verified addresses: in-app invitations only for a proved address', function () {
  this.timeout(30_000);
  const world = new World();
  let owner: Browser;

  beforeEach(async () => {
    await world.setUp({ limits: { passwordResetPerWindow: 100 } });
    owner = await world.ownerBrowser();
  });
  afterEach(() => world.tearDown());

  /** The README host's sign-up: au.createAccount with whatever address the visitor typed, then sign-in. */
  async function signUp(email: string, opts: { emailVerified?: boolean } = {}) {
    const { owner: user, account } = await world.host.au.createAccount({
      name: `${email} Co`,
      owner: { email, name: `Someone at ${email}`, password: PASSWORD, ...opts },
    });
    const browser = world.browser();
    await browser.login(email, PASSWORD);
    return { user, account, browser };
  }

  /** Everything a refused attempt must leave as it was. */
  const snapshot = async () => ({
    invitations: await rows(world, 'invitations'),
    memberships: await rows(world, 'account_users'),
    outbox: await rows(world, 'outbox'),
  });

  /** The address's verification link, asked for from the accounts page's form, as it arrives by email. */
  async function requestVerifyLink(browser: Browser, email: string): Promise<string> {
    const count = world.smtp.to(email).length + 1;
    await browser.get(`${MOUNT}/accounts`);
    const sent = await browser.post(`${USER_MOUNT}/email/verify`, { returnTo: `${MOUNT}/accounts` });
    expect(sent.status, sent.text).to.equal(303);
    expect(sent.headers.location).to.equal(`${MOUNT}/accounts`);
    return linkIn(await waitForMail(world.smtp, email, count), 'email/verify');
  }

  const verified = async (email: string) => (await world.host.au.api.findUserByEmail({ email }))?.emailVerified;

  describe('a stranger who signs up with an invited address', () => {
    it('sees no invitation on GET /accounts but the verify prompt, and cannot accept or decline it by id', async () => {
      const invitation = await invite(owner, 'cfo@target.test', ['invoices']);
      const { browser: stranger, user } = await signUp('cfo@target.test');
      expect(user.emailVerified).to.equal(false);
      const before = await snapshot();

      const page = await stranger.get(`${MOUNT}/accounts`);
      expect(page.status).to.equal(200);
      expect(page.text).to.not.contain(`/accounts/invitations/${invitation.id}/accept`);
      expect(page.text).to.not.contain('Olive Owner invited you');
      expect(page.text).to.contain(VERIFY_PROMPT);
      expect(page.text).to.contain(`action="${USER_MOUNT}/email/verify"`);
      const json = await stranger.getJson(`${MOUNT}/accounts`);
      expect(json.body.invitations).to.deep.equal([]);
      expect(json.body.emailVerified).to.equal(false);

      const accepted = await stranger.postJson(`${MOUNT}/accounts/invitations/${invitation.id}/accept`, {});
      expect(accepted.status).to.equal(403);
      expect(accepted.body.error.code).to.equal('email_unverified');
      const declined = await stranger.postJson(`${MOUNT}/accounts/invitations/${invitation.id}/decline`, {});
      expect(declined.status).to.equal(403);
      expect(declined.body.error.code).to.equal('email_unverified');
      // The page's form, without JSON: a page saying what to do, not a pretended "not found".
      await stranger.get(`${MOUNT}/accounts`);
      const form = await stranger.post(`${MOUNT}/accounts/invitations/${invitation.id}/accept`);
      expect(form.status).to.equal(403);
      expect(form.text).to.contain('Verify your email address');

      expect(await snapshot()).to.deep.equal(before);
    });

    it('is refused by au.api.invitationsFor, acceptInvitation and declineInvitation with EmailUnverifiedError', async () => {
      const invitation = await invite(owner, 'cfo@target.test');
      const { user } = await signUp('cfo@target.test');
      const before = await snapshot();
      const api = world.host.au.api;
      const err = await refusedWith(api.invitationsFor({ userId: user.id }), 'EmailUnverifiedError');
      expect(err.code).to.equal('email_unverified');
      await refusedWith(api.acceptInvitation({ userId: user.id, invitationId: invitation.id }), 'EmailUnverifiedError');
      await refusedWith(api.declineInvitation({ userId: user.id, invitationId: invitation.id }), 'EmailUnverifiedError');
      expect(await snapshot()).to.deep.equal(before);
    });

    it("gets nothing of the account: the accept is refused, switching is refused, the guarded routes serve only the stranger's own", async () => {
      const invitation = await invite(owner, 'cfo@target.test', ['invoices']);
      const { browser: stranger, account: own, user } = await signUp('cfo@target.test');
      await stranger.getJson(`${MOUNT}/accounts`);
      expect((await stranger.postJson(`${MOUNT}/accounts/invitations/${invitation.id}/accept`, {})).status).to.equal(403);
      expect((await stranger.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id })).status).to.equal(404);
      const invoices = await stranger.agent.get('/host/invoices').set('Accept', 'application/json');
      expect(invoices.status).to.equal(200);
      expect(invoices.body.account).to.equal(own.id);
      expect(await world.host.au.api.can({ userId: user.id, accountId: world.account.id }, 'invoices')).to.equal(false);
      expect((await world.host.au.api.accountsOf({ userId: user.id })).map((m) => m.account.id)).to.deep.equal([own.id]);
    });

    it("leaves the owner's page showing the invitation pending, and the real invitee's link working", async () => {
      const invitation = await invite(owner, 'cfo@target.test', ['invoices']);
      const link = linkPath(world, 'cfo@target.test');
      const { browser: stranger } = await signUp('cfo@target.test');
      await stranger.getJson(`${MOUNT}/accounts`);
      await stranger.postJson(`${MOUNT}/accounts/invitations/${invitation.id}/accept`, {});
      const list = await owner.getJson(`${MOUNT}/`);
      expect(list.body.invitations.find((i: { id: number }) => i.id === invitation.id).status).to.equal('pending');

      // The real CFO opens the link: a login exists for the address, so they reset its password
      // (the reset mail reaches them, not the stranger), sign in and accept through the link.
      const cfo = world.browser();
      const shown = await cfo.getJson(link);
      expect(shown.status).to.equal(200);
      expect(shown.body.existingLogin).to.equal(true);
      await cfo.get(`${USER_MOUNT}/password/forgot`);
      await cfo.post(`${USER_MOUNT}/password/forgot`, { email: 'cfo@target.test' });
      const reset = linkIn(await waitForMail(world.smtp, 'cfo@target.test', 2), 'password/reset');
      await cfo.get(reset);
      expect((await cfo.post(reset, { password: 'real-cfo-password-1' })).status).to.equal(303);
      await cfo.login('cfo@target.test', 'real-cfo-password-1');
      await cfo.get(link);
      const accepted = await cfo.post(link);
      expect(accepted.status, accepted.text).to.equal(303);
      expect((await cfo.agent.get('/host/invoices').set('Accept', 'application/json')).body.account).to.equal(world.account.id);
      expect((await owner.getJson(`${MOUNT}/?status=accepted`)).body.invitations.find((i: { id: number }) => i.id === invitation.id).status).to.equal(
        'accepted',
      );
      // The reset signed the stranger out.
      expect((await stranger.getJson(`${MOUNT}/accounts`)).status).to.equal(401);
    });
  });

  it('a squatted address does not collect a later invitation from another account', async () => {
    const { browser: stranger, user } = await signUp('ceo@target.test');
    const globex = await otherAccount(world);
    const later = await invite(globex.browser, 'ceo@target.test', ['invoices']);
    await invite(owner, 'ceo@target.test', ['domains']);
    const before = await snapshot();
    const json = await stranger.getJson(`${MOUNT}/accounts`);
    expect(json.body.invitations).to.deep.equal([]);
    expect((await stranger.postJson(`${MOUNT}/accounts/invitations/${later.id}/accept`, {})).status).to.equal(403);
    await refusedWith(world.host.au.api.acceptInvitation({ userId: user.id, invitationId: later.id }), 'EmailUnverifiedError');
    expect(await snapshot()).to.deep.equal(before);
    expect((await globex.browser.getJson(`${MOUNT}/`)).body.invitations.find((i: { id: number }) => i.id === later.id).status).to.equal('pending');
  });

  describe('the verification link', () => {
    it('GET shows a page with a button and changes nothing; POST verifies; then the invitations are listed and can be accepted', async () => {
      const invitation = await invite(owner, 'dana@example.test', ['domains']);
      const { browser: dana } = await signUp('dana@example.test');
      const link = await requestVerifyLink(dana, 'dana@example.test');
      const mail = world.smtp.to('dana@example.test').at(-1)!;
      expect(mail.subject).to.equal('Verify your email address for portal.example.com');
      expect(await world.count('user_tokens')).to.equal(1);
      expect((await world.knex('au_user_tokens').first()).token_hash).to.have.length(64);

      const page = await dana.get(link);
      expect(page.status).to.equal(200);
      expect(page.headers['referrer-policy']).to.equal('no-referrer');
      expect(page.text).to.contain(`<form method="post" action="${link}"`);
      expect(page.text).to.contain('dana@example.test');
      // A mail scanner's GET and HEAD, and the person's own GET, verify nothing.
      await world.browser().get(link);
      await world.browser().agent.head(link);
      expect(await verified('dana@example.test')).to.equal(false);
      expect((await dana.getJson(`${MOUNT}/accounts`)).body.invitations).to.deep.equal([]);

      await dana.get(link);
      const done = await dana.post(link);
      expect(done.status).to.equal(303);
      expect(done.headers.location).to.equal(`${MOUNT}/accounts`);
      expect(await verified('dana@example.test')).to.equal(true);
      const listed = await dana.get(`${MOUNT}/accounts`);
      expect(listed.text).to.contain('Your address dana@example.test is verified.');
      expect(listed.text).to.not.contain(VERIFY_PROMPT);
      expect(listed.text).to.contain(`action="${MOUNT}/accounts/invitations/${invitation.id}/accept"`);
      expect((await dana.post(`${MOUNT}/accounts/invitations/${invitation.id}/accept`)).status).to.equal(303);
      expect((await dana.agent.get('/host/domains').set('Accept', 'application/json')).body.account).to.equal(world.account.id);
      const activity = await world.knex('au_user_activity').where({ action: 'user.email_verified' });
      expect(activity).to.have.length(1);
    });

    it('needs the signed-in login it was sent to: a visitor is sent to sign in, another login is refused', async () => {
      const { browser: dana } = await signUp('dana@example.test');
      const link = await requestVerifyLink(dana, 'dana@example.test');
      const visitor = await world.browser().agent.get(link);
      expect(visitor.status).to.equal(302);
      expect(visitor.headers.location).to.equal(`/login?returnTo=${encodeURIComponent(link)}`);
      // The real owner of an address a stranger signed up with gets the stranger's link forwarded: without the
      // stranger's password it is of no use; signed in as themselves, it is another login's link.
      const { browser: other } = await signUp('other@example.test');
      expect((await other.get(link)).status).to.equal(403);
      await other.get(`${USER_MOUNT}/profile`);
      const refused = await other.post(link);
      expect(refused.status).to.equal(403);
      expect(await verified('dana@example.test')).to.equal(false);
      expect(await verified('other@example.test')).to.equal(false);
    });

    it('is single use, CSRF-protected, expires after 24 hours, and only the newest works', async () => {
      const { browser: dana } = await signUp('dana@example.test');
      const first = await requestVerifyLink(dana, 'dana@example.test');
      const second = await requestVerifyLink(dana, 'dana@example.test');
      const superseded = await dana.getJson(first);
      expect(superseded.status).to.equal(410);
      expect(superseded.body.error).to.deep.include({ code: 'link_superseded', reason: 'superseded' });

      await dana.get(second);
      expect((await dana.post(second, {}, { csrf: 'forged' })).status).to.equal(403);
      expect((await dana.post(second, {}, { csrf: null })).status).to.equal(403);
      expect(await verified('dana@example.test')).to.equal(false);
      expect((await dana.post(second)).status).to.equal(303);
      expect(await verified('dana@example.test')).to.equal(true);
      const again = await dana.postJson(second, {});
      expect(again.status).to.equal(410);
      expect(again.body.error.reason).to.equal('used');
      // Verified already: asking again sends nothing.
      const sent = world.smtp.to('dana@example.test').length;
      await dana.get(`${USER_MOUNT}/profile`);
      const asked = await dana.postJson(`${USER_MOUNT}/email/verify`, {});
      expect(asked.status).to.equal(200);
      expect(asked.body).to.deep.include({ emailVerified: true, verificationSent: false });
      expect(world.smtp.to('dana@example.test')).to.have.length(sent);

      const { browser: eve } = await signUp('eve@example.test');
      const late = await requestVerifyLink(eve, 'eve@example.test');
      world.host.clock.advance(24 * 3600 * 1000 + 1000);
      const expired = await eve.getJson(late);
      expect(expired.status).to.equal(410);
      expect(expired.body.error.reason).to.equal('expired');
      await eve.get(`${USER_MOUNT}/profile`);
      expect((await eve.post(late)).status).to.equal(410);
      expect(await verified('eve@example.test')).to.equal(false);
    });

    it('is limited per login (429 with Retry-After)', async () => {
      const { browser: dana } = await signUp('dana@example.test');
      await dana.getJson(`${USER_MOUNT}/profile`);
      for (let i = 0; i < 5; i++) expect((await dana.postJson(`${USER_MOUNT}/email/verify`, {})).status).to.equal(202);
      const limited = await dana.postJson(`${USER_MOUNT}/email/verify`, {});
      expect(limited.status).to.equal(429);
      expect(limited.headers['retry-after']).to.match(/^\d+$/);
    });

    it('is offered on the accounts page at the userMountPath option, with a warning once when au.userRouter is mounted elsewhere', async () => {
      await world.tearDown();
      await world.setUp({ userMountPath: '/me/' });
      const { browser: dana } = await signUp('dana@example.test');
      expect((await dana.get(`${MOUNT}/accounts`)).text).to.contain('action="/me/email/verify"');
      await dana.get(`${USER_MOUNT}/profile`);
      await dana.get(`${USER_MOUNT}/profile`);
      expect(world.host.logs.filter((l) => l.includes('userMountPath'))).to.deep.equal([
        'warn: express-account-users: au.userRouter is mounted at "/user" but the userMountPath option is "/me"; the accounts page sends its verification form to the latter',
      ]);
    });

    it('is offered on the profile while the address is unverified', async () => {
      const { browser: dana } = await signUp('dana@example.test');
      const page = await dana.get(`${USER_MOUNT}/profile`);
      expect(page.text).to.contain(`action="${USER_MOUNT}/email/verify"`).and.contain('not verified');
      expect((await dana.getJson(`${USER_MOUNT}/profile`)).body.user.emailVerified).to.equal(false);
      const { browser: vera } = await signUp('vera@example.test', { emailVerified: true });
      expect((await vera.get(`${USER_MOUNT}/profile`)).text).to.not.contain(`action="${USER_MOUNT}/email/verify"`);
      expect((await vera.get(`${MOUNT}/accounts`)).text).to.not.contain(VERIFY_PROMPT);
    });
  });

  describe('other proofs of the address', () => {
    it('registering through an invitation link makes a verified login', async () => {
      await invite(owner, 'newcomer@example.test');
      const visitor = world.browser();
      const link = linkPath(world, 'newcomer@example.test');
      await visitor.get(link);
      expect((await visitor.post(`${link}/register`, { name: 'New Comer', password: 'newcomer-password-1' })).status).to.equal(303);
      expect(await verified('newcomer@example.test')).to.equal(true);
    });

    it('an existing login that signs in and accepts through the link is verified from then on', async () => {
      const { browser: gus } = await signUp('gus@example.test');
      await invite(owner, 'gus@example.test');
      const link = linkPath(world, 'gus@example.test');
      await gus.get(link);
      expect((await gus.post(link)).status).to.equal(303);
      expect(await verified('gus@example.test')).to.equal(true);
      // A later invitation from another account is then listed in the app.
      const globex = await otherAccount(world);
      const later = await invite(globex.browser, 'gus@example.test');
      expect((await gus.getJson(`${MOUNT}/accounts`)).body.invitations.map((i: { id: number }) => i.id)).to.deep.equal([later.id]);
    });

    it('a password reset link marks the address verified', async () => {
      await signUp('rita@example.test');
      const b = world.browser();
      await b.get(`${USER_MOUNT}/password/forgot`);
      await b.post(`${USER_MOUNT}/password/forgot`, { email: 'rita@example.test' });
      const reset = linkIn(await waitForMail(world.smtp, 'rita@example.test'), 'password/reset');
      await b.get(reset);
      expect(await verified('rita@example.test')).to.equal(false);
      expect((await b.post(reset, { password: 'rita-password-2' })).status).to.equal(303);
      expect(await verified('rita@example.test')).to.equal(true);
    });

    it('an email-change confirmation verifies the new address, and only its link does', async () => {
      const { browser: max } = await signUp('max@example.test');
      await max.get(`${USER_MOUNT}/profile`);
      expect((await max.post(`${USER_MOUNT}/email`, { email: 'max@new.test', currentPassword: PASSWORD })).status).to.equal(303);
      expect(await verified('max@example.test')).to.equal(false);
      const confirm = linkIn(await waitForMail(world.smtp, 'max@new.test'), 'email/confirm');
      // The link opens a page whose button confirms (or, before that change, confirms on GET).
      const opened = await max.get(confirm);
      if (opened.text.includes(`action="${confirm}"`)) expect((await max.post(confirm)).status).to.be.oneOf([200, 303]);
      expect(await world.host.au.api.findUserByEmail({ email: 'max@example.test' })).to.equal(null);
      expect(await verified('max@new.test')).to.equal(true);
    });
  });

  describe('a link au.api.invite({ send: false }) returns', () => {
    /** The host's "copy invitation link" button: au.api.invite by a signed-in user, the link handed back to them. */
    async function linkHandedTo(actor: { userId: number } | { system: string }, accountId: number, email: string) {
      const { link } = await world.host.au.api.invite({ actor, accountId, email, permissions: ['invoices'], send: false });
      expect(link).to.be.a('string');
      return new URL(link!, 'http://host.test').pathname;
    }

    it("does not verify the address for its inviting user: one who registers through it cannot see or take another account's invitation", async () => {
      // The target's owner invites its CFO; the email (and its link) goes to the real CFO only.
      const target = await invite(owner, 'cfo@target.test', ['invoices']);
      const before = await snapshot();
      // A stranger with an account of their own mints a link for the same address and registers through it.
      const { user: mallory, account: evil } = await signUp('mallory@evil.test');
      const link = await linkHandedTo({ userId: mallory.id }, evil.id, 'cfo@target.test');
      const visitor = world.browser();
      await visitor.get(link);
      const registered = await visitor.post(`${link}/register`, { name: 'C. F. O.', password: 'mallory-cfo-password-1' });
      expect(registered.status, registered.text).to.equal(303);
      // The link still works (the login is made and joins the stranger's account), but proves nothing.
      const cfo = await world.host.au.api.findUserByEmail({ email: 'cfo@target.test' });
      expect(cfo?.emailVerified).to.equal(false);
      const mal = world.browser();
      await mal.login('cfo@target.test', 'mallory-cfo-password-1');
      const accounts = await mal.getJson(`${MOUNT}/accounts`);
      expect(accounts.body.invitations.map((i: { id: number }) => i.id)).to.not.include(target.id);
      expect((await mal.postJson(`${MOUNT}/accounts/invitations/${target.id}/accept`, {})).status).to.equal(403);
      expect(await world.host.au.api.can({ userId: cfo!.id, accountId: world.account.id }, 'invoices')).to.equal(false);
      // The target's invitation and its email are as they were.
      const after = await snapshot();
      expect(after.invitations.filter((i) => i.id === target.id)).to.deep.equal(before.invitations.filter((i) => i.id === target.id));
      expect(world.smtp.to('cfo@target.test')).to.have.length(1);
    });

    it('does not verify an existing login that accepts through it', async () => {
      const { browser: gus } = await signUp('gus@example.test');
      const link = await linkHandedTo({ userId: world.ownerId }, world.account.id, 'gus@example.test');
      await gus.get(link);
      expect((await gus.post(link)).status).to.equal(303);
      expect(
        await world.host.au.api.can(
          { userId: (await world.host.au.api.findUserByEmail({ email: 'gus@example.test' }))!.id, accountId: world.account.id },
          'invoices',
        ),
      ).to.equal(true);
      expect(await verified('gus@example.test')).to.equal(false);
    });

    it("verifies for a { system } actor (the host's word), as the kit's own email does", async () => {
      const link = await linkHandedTo({ system: 'support' }, world.account.id, 'sysinvitee@example.test');
      const visitor = world.browser();
      await visitor.get(link);
      expect((await visitor.post(`${link}/register`, { name: 'Sys Invitee', password: 'sys-invitee-password-1' })).status).to.equal(303);
      expect(await verified('sysinvitee@example.test')).to.equal(true);
    });
  });

  describe('the host says so', () => {
    it('createAccount({ owner: { emailVerified: true } }) makes a verified owner; without it the owner is unverified', async () => {
      const api = world.host.au.api;
      const { owner: yes } = await api.createAccount({
        name: 'Yes Ltd',
        owner: { email: 'yes@example.test', name: 'Yes', password: PASSWORD, emailVerified: true },
      });
      const { owner: no } = await world.host.au.createAccount({ name: 'No Ltd', owner: { email: 'no@example.test', name: 'No', password: PASSWORD } });
      expect(yes.emailVerified).to.equal(true);
      expect(no.emailVerified).to.equal(false);
      expect(await verified('yes@example.test')).to.equal(true);
      expect(await verified('no@example.test')).to.equal(false);
      const invitation = await invite(owner, 'yes@example.test');
      expect((await api.invitationsFor({ userId: yes.id })).map((i) => i.id)).to.deep.equal([invitation.id]);
      const refused = await refusedWith(
        api.createAccount({ name: 'Bad Ltd', owner: { email: 'bad@example.test', name: 'Bad', password: PASSWORD, emailVerified: 'yes' as never } }),
        'InvalidInputError',
      );
      expect(refused.issues?.map((i) => i.field)).to.deep.equal(['owner.emailVerified']);
      expect(await api.findUserByEmail({ email: 'bad@example.test' })).to.equal(null);
    });

    it('au.api.markEmailVerified verifies for a system actor and refuses a user actor', async () => {
      const api = world.host.au.api;
      const login = await newLogin(world.host.au, 'pending', { verified: false });
      const invitation = await invite(owner, login.email);
      const events: unknown[] = [];
      world.host.au.events.on('user.email_verified', (e) => events.push(e));

      await refusedWith(api.markEmailVerified({ actor: { userId: login.userId }, userId: login.userId }), 'ForbiddenError');
      await refusedWith(api.markEmailVerified({ actor: { userId: world.ownerId }, userId: login.userId }), 'ForbiddenError');
      expect(await verified(login.email)).to.equal(false);
      expect(events).to.deep.equal([]);

      const { user } = await api.markEmailVerified({ actor: { system: 'support' }, userId: login.userId });
      expect(user).to.deep.include({ id: login.userId, email: login.email, emailVerified: true });
      expect(await verified(login.email)).to.equal(true);
      expect(events).to.have.length(1);
      const { membership } = await api.acceptInvitation({ userId: login.userId, invitationId: invitation.id });
      expect(membership.account.id).to.equal(world.account.id);
      await refusedWith(api.markEmailVerified({ actor: { system: 'support' }, userId: 999_999 }), 'NotFoundError');
    });

    it('a host users store without setEmailVerified: its emailVerified decides, the verification routes answer 404', async () => {
      const inner = knexUserStore(world.knex, tableNames('au_'), FAST_HASHING);
      const vouched = new Set<number>();
      const { setEmailVerified: _unused, ...rest } = inner;
      const store: UserStore = {
        ...rest,
        findById: async (id) => {
          const u = await inner.findById(id);
          return u && { ...u, emailVerified: vouched.has(u.id) };
        },
        findByEmail: async (email) => {
          const u = await inner.findByEmail(email);
          return u && { ...u, emailVerified: vouched.has(u.id) };
        },
      };
      const host = world.secondInstance({ users: store });
      try {
        expect(host.logs.filter((l) => l.startsWith('info: ')).join('\n')).to.contain('POST /email/verify');
        const { owner: hal } = await host.au.createAccount({ name: 'Hal Ltd', owner: { email: 'hal@example.test', name: 'Hal', password: PASSWORD } });
        const invitation = await invite(owner, 'hal@example.test');
        const b = new Browser(host.app);
        await b.login('hal@example.test', PASSWORD);
        const page = await b.get(`${MOUNT}/accounts`);
        expect(page.text).to.not.contain(`action="${USER_MOUNT}/email/verify"`);
        expect(page.text).to.contain('answer them with the link in the invitation email');
        // The login's one account is its active one, so the page has no switch form (and no token): take it from JSON.
        await b.getJson(`${MOUNT}/accounts`);
        expect((await b.postJson(`${USER_MOUNT}/email/verify`, {})).status).to.equal(404);
        expect((await b.getJson(`${USER_MOUNT}/email/verify/${'a'.repeat(43)}`)).status).to.equal(404);
        await refusedWith(host.au.api.markEmailVerified({ actor: { system: 'support' }, userId: hal.id }), 'NotFoundError');
        await refusedWith(host.au.api.invitationsFor({ userId: hal.id }), 'EmailUnverifiedError');
        vouched.add(hal.id);
        expect((await host.au.api.invitationsFor({ userId: hal.id })).map((i) => i.id)).to.deep.equal([invitation.id]);
        expect((await host.au.api.findUserByEmail({ email: 'hal@example.test' }))?.emailVerified).to.equal(true);
      } finally {
        await host.au.close();
      }
    });
  });

  it('keeps an accept link of the email working for an unverified login of the invited address', async () => {
    const { browser: gus } = await signUp('gus@example.test');
    await invite(owner, 'gus@example.test', ['invoices']);
    const link = linkPath(world, 'gus@example.test');
    const page = await gus.get(link);
    expect(page.status).to.equal(200);
    expect((await gus.post(link)).status).to.equal(303);
    expect((await gus.agent.get('/host/invoices').set('Accept', 'application/json')).body.account).to.equal(world.account.id);
  });
});
