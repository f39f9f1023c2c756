import { expect } from 'chai';
import { World } from './support/world.js';
import { FAST_HASHING, MOUNT, USER_MOUNT } from './support/app.js';
import { linkIn, waitForMail } from './support/user-mail.js';
import type { Browser } from './support/client.js';
import type { UserStore } from '../lib/index.js';
import { knexUserStore } from '../lib/services/user-store.js';
import { tableNames } from '../lib/store/db.js';

type Res = { status: number; body: Record<string, any> };

/**
 * The links of a login's own emails as an attacker meets them: a thief who holds the password
 * and asks to move the login to their address loses that link when the owner resets or changes
 * the password, sent or still queued; a reset link minted for an old address dies with the
 * address; and of simultaneous requests exactly one link works, on every database.
 */
describe('reset and email-change links cancelled by a password reset, a password change or an email change', function () {
  this.timeout(120_000);
  const world = new World();
  let serial = 0;

  before(() =>
    world.setUp({
      limits: {
        emailChangePerWindow: 1000,
        emailChangePerIpPerWindow: 1000,
        passwordResetPerWindow: 1000,
        passwordResetPerIpPerWindow: 1000,
        loginPerWindow: 1000,
        loginPerIpPerWindow: 1000,
      },
    }),
  );
  after(() => world.tearDown());

  /** A victim of their own: a login owning an account, with one member. */
  async function victim() {
    serial++;
    const email = `victim-${serial}@acme.test`;
    const password = `victim-password-${serial}`;
    const { owner, account } = await world.host.au.createAccount({ name: `Victim ${serial} Ltd`, owner: { email, name: `Vic ${serial}`, password } });
    return { email, password, userId: owner.id, accountId: account.id, thiefEmail: `thief-${serial}@evil.test` };
  }

  async function signedIn(email: string, password: string): Promise<Browser> {
    const b = world.browser();
    await b.login(email, password);
    await b.get(`${USER_MOUNT}/profile`);
    return b;
  }

  /** The thief, holding the password, asks to move the login to their own address. */
  async function thiefRequestsChange(v: { email: string; password: string; thiefEmail: string }): Promise<Browser> {
    const thief = await signedIn(v.email, v.password);
    expect((await thief.post(`${USER_MOUNT}/email`, { email: v.thiefEmail, currentPassword: v.password })).status).to.equal(303);
    return thief;
  }

  /** The owner follows the notice's advice: forgot → the email → a new password. */
  async function ownerResets(email: string, newPassword: string, mailCount = 1): Promise<void> {
    const b = world.browser();
    await b.get(`${USER_MOUNT}/password/forgot`);
    expect((await b.post(`${USER_MOUNT}/password/forgot`, { email })).status).to.equal(303);
    const link = linkIn(await waitForMail(world.smtp, email, mailCount), 'password/reset');
    await b.get(link);
    expect((await b.post(link, { password: newPassword })).status).to.equal(303);
  }

  /** What the thief would have won: the login's address, the account's owner, the thief's own login. */
  async function expectNothingMoved(v: { email: string; userId: number; accountId: number; thiefEmail: string }) {
    expect((await world.knex('au_users').where({ id: v.userId }).first()).email).to.equal(v.email);
    expect(Number((await world.knex('au_accounts').where({ id: v.accountId }).first()).owner_user_id)).to.equal(v.userId);
    expect(await world.host.au.api.findUserByEmail({ email: v.thiefEmail })).to.equal(null);
    expect((await world.host.au.api.findUserByEmail({ email: v.email }))?.id).to.equal(v.userId);
  }

  /** The thief tries the confirmation link every way: GET, the JSON GET, the form POST and the JSON POST with a valid CSRF token. */
  async function expectLinkDead(link: string, reason: string) {
    const thief = world.browser();
    await thief.get(`${USER_MOUNT}/password/forgot`);
    const page = await thief.get(link);
    expect(page.status).to.equal(410);
    expect(page.text).to.contain('This link no longer works');
    const json = await thief.getJson(link);
    expect(json.status).to.equal(410);
    expect(json.body.error).to.include({ code: `link_${reason}`, reason });
    expect((await thief.post(link)).status).to.equal(410);
    expect((await thief.postJson(link, {})).status).to.equal(410);
  }

  it("kills the thief's confirmation link when the owner resets the password: address and account stay the owner's", async () => {
    const v = await victim();
    await thiefRequestsChange(v);
    const link = linkIn(await waitForMail(world.smtp, v.thiefEmail), 'email/confirm');
    const notice = await waitForMail(world.smtp, v.email);
    expect(notice.text).to.contain('reset your password');

    await ownerResets(v.email, 'owner-took-it-back-1', 2);

    await expectLinkDead(link, 'cancelled');
    expect((await world.browser().get(link)).text).to.contain('The password of this login was changed after this link was sent');
    await expectNothingMoved(v);
    const signIn = await world.browser().agent.post('/login').type('form').send({ email: v.email, password: 'owner-took-it-back-1' });
    expect(signIn.status).to.equal(303);
  });

  it("kills the thief's confirmation link when the owner changes the password (POST /user/password)", async () => {
    const v = await victim();
    await thiefRequestsChange(v);
    const link = linkIn(await waitForMail(world.smtp, v.thiefEmail), 'email/confirm');

    const owner = await signedIn(v.email, v.password);
    expect((await owner.post(`${USER_MOUNT}/password`, { currentPassword: v.password, newPassword: 'owner-changed-it-2' })).status).to.equal(303);

    await expectLinkDead(link, 'cancelled');
    await expectNothingMoved(v);
  });

  it("cancels a thief's change whose password check passed just before the owner's reset committed (the request in flight)", async () => {
    const v = await victim();
    // The kit's own users, on a second instance whose password check the test can hold: the
    // thief's check passes with the old password, then the owner's reset commits, then the
    // thief's request goes on to write its change.
    const users = knexUserStore(world.knex, tableNames('au_'), FAST_HASHING);
    let holding = false;
    let release!: () => void;
    let checked!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const passed = new Promise<void>((resolve) => (checked = resolve));
    const held: UserStore = {
      ...users,
      async verifyPassword(user, password) {
        const ok = await users.verifyPassword(user, password);
        if (holding && user.id === v.userId) {
          holding = false;
          checked();
          await gate;
        }
        return ok;
      },
    };
    const thiefHost = world.secondInstance({ users: held, limits: { emailChangePerWindow: 1000, emailChangePerIpPerWindow: 1000 } });
    const thief = world.browser(thiefHost);
    await thief.login(v.email, v.password);
    await thief.getJson(`${USER_MOUNT}/profile`);
    holding = true;
    const request = thief.postJson(`${USER_MOUNT}/email`, { email: v.thiefEmail, currentPassword: v.password });
    await passed;
    await ownerResets(v.email, 'owner-took-it-back-9');
    release();
    const res = await request;
    await thiefHost.au.close();

    expect(res.status).to.equal(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const mail of world.smtp.to(v.thiefEmail)) await expectLinkDead(linkIn(mail, 'email/confirm'), 'cancelled');
    const pendingChanges = await world.knex('au_user_tokens').where({ user_id: v.userId, purpose: 'email_change', status: 'pending' });
    expect(pendingChanges).to.deep.equal([]);
    await expectNothingMoved(v);
  });

  it("never sends a working link for the thief's change still queued when the owner resets the password", async () => {
    const v = await victim();
    const port = world.smtp.port;
    await world.smtp.stop();
    try {
      await thiefRequestsChange(v);
    } finally {
      await world.smtp.start(port);
    }
    const queued = await world.knex('au_outbox').where({ recipient: v.thiefEmail }).first();
    expect(queued).to.include({ status: 'queued' });
    expect(Number(queued.attempts)).to.equal(1);

    await ownerResets(v.email, 'owner-took-it-back-3');
    world.host.clock.advance(60 * 60 * 1000);
    await world.host.au.mail.flush();

    expect(world.smtp.to(v.thiefEmail)).to.have.length(0);
    expect((await world.knex('au_outbox').where({ id: queued.id }).first()).status).to.equal('cancelled');
    await expectNothingMoved(v);
  });

  it('kills an outstanding reset link when the password is changed from the profile', async () => {
    const v = await victim();
    const b = world.browser();
    await b.get(`${USER_MOUNT}/password/forgot`);
    await b.post(`${USER_MOUNT}/password/forgot`, { email: v.email });
    const link = linkIn(await waitForMail(world.smtp, v.email), 'password/reset');
    const owner = await signedIn(v.email, v.password);
    expect((await owner.post(`${USER_MOUNT}/password`, { currentPassword: v.password, newPassword: 'changed-from-profile-5' })).status).to.equal(303);

    const res = await world.browser().getJson(link);
    expect(res.status).to.equal(410);
    expect(res.body.error).to.include({ code: 'link_cancelled' });
    // The forwarded old email cannot set a password: the one from the profile stands.
    const forwarded = world.browser();
    await forwarded.get(`${USER_MOUNT}/password/forgot`);
    expect((await forwarded.post(link, { password: 'forwarded-email-6' })).status).to.equal(410);
    expect((await world.browser().agent.post('/login').type('form').send({ email: v.email, password: 'changed-from-profile-5' })).status).to.equal(303);
  });

  it('kills a reset link minted for the old address once an email change completes', async () => {
    const v = await victim();
    const b = world.browser();
    await b.get(`${USER_MOUNT}/password/forgot`);
    await b.post(`${USER_MOUNT}/password/forgot`, { email: v.email });
    const reset = linkIn(await waitForMail(world.smtp, v.email), 'password/reset');
    expect((await world.browser().get(reset)).status).to.equal(200);

    const owner = await signedIn(v.email, v.password);
    const moved = `moved-${serial}@acme.test`;
    expect((await owner.post(`${USER_MOUNT}/email`, { email: moved, currentPassword: v.password })).status).to.equal(303);
    const confirm = linkIn(await waitForMail(world.smtp, moved), 'email/confirm');
    const page = world.browser();
    await page.get(confirm);
    expect((await page.post(confirm)).status).to.equal(200);

    const old = world.browser();
    const res = await old.get(reset);
    expect(res.status).to.equal(410);
    expect(res.text).to.contain('This link no longer works');
    await old.get(`${USER_MOUNT}/password/forgot`);
    expect((await old.post(reset, { password: 'from-the-old-mailbox-7' })).status).to.equal(410);
    // The password stands, at the new address.
    expect((await world.browser().agent.post('/login').type('form').send({ email: moved, password: v.password })).status).to.equal(303);
    // A reset asked for the old address now sends nothing.
    const before = world.smtp.to(v.email).length;
    await b.get(`${USER_MOUNT}/password/forgot`);
    await b.post(`${USER_MOUNT}/password/forgot`, { email: v.email });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(world.smtp.to(v.email)).to.have.length(before);
  });

  it('keeps the members of the account as they were through all of it', async () => {
    const v = await victim();
    const owner = await signedIn(v.email, v.password);
    await owner.get(`${MOUNT}/invite`);
    const invited = (await owner.postJson(`${MOUNT}/invite`, { email: `member-${serial}@acme.test`, permissions: ['invoices'] })) as Res;
    expect(invited.status).to.equal(201);
    await thiefRequestsChange(v);
    const link = linkIn(await waitForMail(world.smtp, v.thiefEmail), 'email/confirm');
    await ownerResets(v.email, 'owner-took-it-back-8', 2);
    await expectLinkDead(link, 'cancelled');
    expect(await world.knex('au_invitations').where({ account_id: v.accountId, status: 'pending' }).count({ n: '*' }).first()).to.satisfy(
      (r: { n: unknown }) => Number(r.n) === 1,
    );
    expect(await world.knex('au_account_users').where({ account_id: v.accountId }).count({ n: '*' }).first()).to.satisfy(
      (r: { n: unknown }) => Number(r.n) === 1,
    );
  });

  describe('simultaneous requests: only the newest link works', () => {
    const ROUNDS = 3;
    const AT_ONCE = 10;

    /** How many of the links open their page (200); the others must say 410. */
    async function working(links: string[]): Promise<number> {
      const statuses = await Promise.all(links.map(async (link) => (await world.browser().getJson(link)).status));
      expect(statuses.filter((s) => s !== 200 && s !== 410)).to.deep.equal([]);
      return statuses.filter((s) => s === 200).length;
    }

    const pending = async (userId: number, purpose: string) =>
      Number(((await world.knex('au_user_tokens').where({ user_id: userId, purpose, status: 'pending' }).count({ n: '*' }).first()) as { n: unknown }).n);

    it(`leaves exactly one working reset link after ${AT_ONCE} reset requests at once (${ROUNDS} rounds)`, async () => {
      const v = await victim();
      for (let round = 0; round < ROUNDS; round++) {
        const browsers = await Promise.all(
          Array.from({ length: AT_ONCE }, async () => {
            const b = world.browser();
            await b.get(`${USER_MOUNT}/password/forgot`);
            return b;
          }),
        );
        const results = await Promise.all(browsers.map((b) => b.post(`${USER_MOUNT}/password/forgot`, { email: v.email })));
        expect(results.map((r) => r.status)).to.deep.equal(browsers.map(() => 303));
        await waitForMail(world.smtp, v.email, (round + 1) * AT_ONCE, 20_000);
        const links = world.smtp
          .to(v.email)
          .slice(round * AT_ONCE)
          .map((m) => linkIn(m, 'password/reset'));
        expect(await working(links), `round ${round}`).to.equal(1);
        expect(await pending(v.userId, 'password_reset'), `round ${round}`).to.equal(1);
      }
    });

    it(`leaves exactly one working confirmation link after ${AT_ONCE} email-change requests at once (${ROUNDS} rounds)`, async () => {
      const v = await victim();
      const b = await signedIn(v.email, v.password);
      for (let round = 0; round < ROUNDS; round++) {
        const addresses = Array.from({ length: AT_ONCE }, (_, i) => `race-${serial}-${round}-${i}@acme.test`);
        const results = (await Promise.all(addresses.map((email) => b.postJson(`${USER_MOUNT}/email`, { email, currentPassword: v.password })))) as Res[];
        expect(
          results.map((r) => r.status),
          JSON.stringify(results.find((r) => r.status !== 202)?.body),
        ).to.deep.equal(addresses.map(() => 202));
        // A request superseded before its email went out sends none: the links are those that were sent.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const links = addresses.flatMap((email) => world.smtp.to(email).map((m) => linkIn(m, 'email/confirm')));
        expect(links.length, `round ${round}`).to.be.at.least(1);
        expect(await working(links), `round ${round}`).to.equal(1);
        expect(await pending(v.userId, 'email_change'), `round ${round}`).to.equal(1);
      }
      expect((await world.knex('au_users').where({ id: v.userId }).first()).email).to.equal(v.email);
    });
  });
});
