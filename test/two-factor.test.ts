import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { addMember } from './support/members.js';
import { codeAt, enrolTotp, freshCode, signInWithCode, wrongCodeAt } from './support/two-factor.js';

/**
 * Two-factor sign-in with an authenticator app (TOTP): enrolment from the shown secret, the second
 * step of a sign-in, single-use codes, the limit on wrong codes, recovery codes, removal, the staff
 * reset, and step-up before an ownership transfer.
 */
describe('two-factor sign-in', () => {
  const world = new World();
  let secret: string;
  let recoveryCodes: string[];

  /** The owner, signed in with the password and a code from the app. */
  async function ownerWithCode() {
    const b = world.browser();
    await signInWithCode(b, world.host, OWNER.email, OWNER.password, secret);
    return b;
  }

  before(async () => {
    await world.setUp({ twoFactor: { encryptionKey: 'a-test-key-of-at-least-32-characters!' } });
    const owner = await world.ownerBrowser();
    ({ secret, recoveryCodes } = await enrolTotp(owner, world.host, OWNER.password));
  });
  after(() => world.tearDown());

  describe('enrolment', () => {
    it('shows the secret, its otpauth URL and a QR code once, and turns on with a code made from that secret', async () => {
      const b = world.browser();
      const member = await addMember(world, await ownerWithCode(), 'enrols@example.com', ['invoices']);
      await b.login(member.email, member.password);
      await b.getJson(`${USER_MOUNT}/two-factor`);
      const started = await b.postJson(`${USER_MOUNT}/two-factor/totp`, { currentPassword: member.password });
      expect(started.body.secret).to.match(/^[A-Z2-7]{32}$/);
      expect(started.body.otpauthUrl).to.match(/^otpauth:\/\/totp\/portal\.example\.com:enrols%40example\.com\?/);
      expect(started.body.qrSvg).to.match(/^<svg/);
      const confirmed = await b.postJson(`${USER_MOUNT}/two-factor/totp/confirm`, { code: freshCode(world.host, started.body.secret) });
      expect(confirmed.status).to.equal(200);
      expect(confirmed.body.recoveryCodes).to.have.length(10);
      const status = await world.host.au.api.twoFactorStatus({ userId: member.userId });
      expect(status).to.include({ enabled: true, recoveryCodesLeft: 10, pending: false });
      expect(status.methods).to.deep.equal(['totp']);
    });

    it('never shows the secret again once enabled, and keeps it encrypted at rest', async () => {
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      const again = await b.getJson(`${USER_MOUNT}/two-factor`);
      // Signed in with the password only: the page is the second step's now.
      expect(again.status).to.equal(401);
      const row = await world.knex('au_two_factor').where({ user_id: world.ownerId }).first();
      expect(row.totp_secret).to.match(/^v1:/).and.not.include(secret);
    });

    it('refuses to start without the current password, so a stolen session cannot tie the login to another phone', async () => {
      const member = await addMember(world, await ownerWithCode(), 'stolen@example.com', ['invoices']);
      const b = world.browser();
      await b.login(member.email, member.password);
      await b.getJson(`${USER_MOUNT}/two-factor`);
      for (const body of [{}, { currentPassword: 'not-the-password' }]) {
        const res = await b.postJson(`${USER_MOUNT}/two-factor/totp`, body);
        expect(res.status).to.equal(400);
        expect(res.body.error.fields[0].field).to.equal('currentPassword');
      }
      expect(await world.knex('au_two_factor').where({ user_id: member.userId })).to.have.length(0);
    });

    it('refuses a wrong first code and keeps the enrolment pending', async () => {
      const member = await addMember(world, await ownerWithCode(), 'pending@example.com', ['invoices']);
      const b = world.browser();
      await b.login(member.email, member.password);
      await b.getJson(`${USER_MOUNT}/two-factor`);
      const started = await b.postJson(`${USER_MOUNT}/two-factor/totp`, { currentPassword: member.password });
      const refused = await b.postJson(`${USER_MOUNT}/two-factor/totp/confirm`, { code: wrongCodeAt(started.body.secret, world.host.clock.now()) });
      expect(refused.status).to.equal(400);
      expect(refused.body.error.fields[0].field).to.equal('code');
      expect(await world.host.au.api.twoFactorStatus({ userId: member.userId })).to.include({ enabled: false, pending: true });
    });
  });

  describe('signing in', () => {
    it('treats a session signed in with the password alone as not signed in: guarded routes answer 401 second_factor_required', async () => {
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      const res = await b.getJson('/host/invoices');
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('second_factor_required');
      expect(res.body.error.verifyUrl).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=%2Fhost%2Finvoices`);
    });

    it('sends such a session from kit pages to /two-factor/verify with returnTo', async () => {
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      for (const path of [`${MOUNT}/`, `${USER_MOUNT}/profile`, `${MOUNT}/accounts`]) {
        const res = await b.agent.get(path);
        expect(res.status, path).to.equal(303);
        expect(res.headers.location, path).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(path)}`);
      }
    });

    it('lets the session in once it gives a code from the app, and back to returnTo', async () => {
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      const page = await b.get(`${USER_MOUNT}/two-factor/verify?returnTo=%2Fhost%2Finvoices`);
      expect(page.status).to.equal(200);
      const res = await b.post(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret), returnTo: '/host/invoices' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/host/invoices');
      expect((await b.getJson('/host/invoices')).status).to.equal(200);
    });

    it('refuses a code replayed within its window, even from another session', async () => {
      const first = world.browser();
      const second = world.browser();
      await first.login(OWNER.email, OWNER.password);
      await second.login(OWNER.email, OWNER.password);
      await first.getJson(`${USER_MOUNT}/two-factor/verify`);
      await second.getJson(`${USER_MOUNT}/two-factor/verify`);
      const code = freshCode(world.host, secret);
      expect((await first.postJson(`${USER_MOUNT}/two-factor/verify`, { code })).status).to.equal(200);
      const replayed = await second.postJson(`${USER_MOUNT}/two-factor/verify`, { code });
      expect(replayed.status).to.equal(400);
      expect(replayed.body.error.fields[0].field).to.equal('code');
      expect((await second.getJson('/host/invoices')).status).to.equal(401);
    });

    it('answers the eleventh try 429 after ten wrong codes, even with the right code, and counts per login', async () => {
      const member = await addMember(world, await ownerWithCode(), 'guesser@example.com', ['invoices']);
      const own = world.browser();
      await own.login(member.email, member.password);
      const { secret: memberSecret } = await enrolTotp(own, world.host, member.password);
      const b = world.browser();
      await b.login(member.email, member.password);
      await b.getJson(`${USER_MOUNT}/two-factor/verify`);
      for (let i = 0; i < 10; i++) {
        const res = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: wrongCodeAt(memberSecret, world.host.clock.now()) });
        expect(res.status, `try ${i + 1}`).to.equal(400);
      }
      const locked = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, memberSecret) });
      expect(locked.status).to.equal(429);
      expect(locked.headers['retry-after']).to.match(/^\d+$/);
      // A new session gets no fresh allowance.
      const other = world.browser();
      await other.login(member.email, member.password);
      await other.getJson(`${USER_MOUNT}/two-factor/verify`);
      expect((await other.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, memberSecret) })).status).to.equal(429);
    });

    it('accepts a recovery code once, and refuses it the second time', async () => {
      const code = recoveryCodes[0]!;
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      await b.getJson(`${USER_MOUNT}/two-factor/verify`);
      const used = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: code.toUpperCase() });
      expect(used.status).to.equal(200);
      expect(used.body).to.include({ method: 'recovery_code', recoveryCodesLeft: 9 });
      const again = world.browser();
      await again.login(OWNER.email, OWNER.password);
      await again.getJson(`${USER_MOUNT}/two-factor/verify`);
      const refused = await again.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: code });
      expect(refused.status).to.equal(400);
      expect(refused.body.error.fields[0].field).to.equal('recoveryCode');
      const activity = await world.knex('au_user_activity').where({ user_id: world.ownerId, action: 'user.recovery_code_used' });
      expect(activity).to.have.length(1);
    });

    it('keeps a code of the signed-in session working for the host’s own pages behind au.requireSecondFactor', async () => {
      world.host.app.get('/host-page', world.host.au.requireSecondFactor, (_req, res) => res.json({ ok: true }));
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      expect(world.host.au.owesSecondFactor).to.be.a('function');
      const refused = await b.agent.get('/host-page');
      expect(refused.status).to.equal(303);
      expect(refused.headers.location).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=%2Fhost-page`);
      await b.getJson(`${USER_MOUNT}/two-factor/verify`);
      expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) })).status).to.equal(200);
      expect((await b.agent.get('/host-page')).status).to.equal(200);
    });
  });

  describe('step-up', () => {
    it('asks for a recent code before an ownership transfer, then lets it through', async () => {
      const member = await addMember(world, await ownerWithCode(), 'heir@example.com', ['invoices']);
      const b = world.browser();
      await signInWithCode(b, world.host, OWNER.email, OWNER.password, secret);
      world.host.clock.advance(11 * 60 * 1000);
      await b.getJson(`${MOUNT}/transfer`);
      const refused = await b.postJson(`${MOUNT}/transfer`, { userId: member.userId, currentPassword: OWNER.password });
      expect(refused.status).to.equal(403);
      expect(refused.body.error.code).to.equal('step_up_required');
      expect(refused.body.error.verifyUrl).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(`${MOUNT}/transfer`)}`);
      expect(await world.count('ownership_transfers')).to.equal(0);
      await b.getJson(`${USER_MOUNT}/two-factor/verify`);
      expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) })).status).to.equal(200);
      await b.getJson(`${MOUNT}/transfer`);
      const offered = await b.postJson(`${MOUNT}/transfer`, { userId: member.userId, currentPassword: OWNER.password });
      expect(offered.status, offered.text).to.equal(201);
      await b.postJson(`${MOUNT}/transfer/cancel`, {});
    });

    it('asks for a recent code before a password change (the browser is sent to the verify page)', async () => {
      const b = world.browser();
      await signInWithCode(b, world.host, OWNER.email, OWNER.password, secret);
      world.host.clock.advance(11 * 60 * 1000);
      await b.get(`${USER_MOUNT}/profile`);
      const res = await b.post(`${USER_MOUNT}/password`, { currentPassword: OWNER.password, newPassword: 'owner-password-2' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(`${USER_MOUNT}/profile`)}`);
    });
  });

  describe('step-up before granting profile or manageusers', () => {
    /** The owner, signed in with a code eleven minutes ago: the code is no longer recent. */
    async function ownerWithStaleCode() {
      const b = await ownerWithCode();
      world.host.clock.advance(11 * 60 * 1000);
      await b.getJson(`${MOUNT}/`);
      return b;
    }

    it('refuses an invitation granting profile over JSON (403 step_up_required) and writes nothing, until a code is given', async () => {
      const b = await ownerWithStaleCode();
      const before = await world.count('invitations');
      const refused = await b.postJson(`${MOUNT}/invite`, { email: 'billing@example.com', permissions: ['invoices', 'profile'] });
      expect(refused.status).to.equal(403);
      expect(refused.body.error.code).to.equal('step_up_required');
      expect(refused.body.error.verifyUrl).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(`${MOUNT}/invite`)}`);
      expect(await world.count('invitations')).to.equal(before);
      await b.getJson(`${USER_MOUNT}/two-factor/verify`);
      expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) })).status).to.equal(200);
      await b.getJson(`${MOUNT}/`);
      const sent = await b.postJson(`${MOUNT}/invite`, { email: 'billing@example.com', permissions: ['invoices', 'profile'] });
      expect(sent.status, sent.text).to.equal(201);
    });

    it('asks nothing for an invitation without profile or manageusers', async () => {
      const b = await ownerWithStaleCode();
      const sent = await b.postJson(`${MOUNT}/invite`, { email: 'plain@example.com', permissions: ['invoices'] });
      expect(sent.status, sent.text).to.equal(201);
    });

    it('refuses a bulk invitation granting profile (403) and sends none', async () => {
      const b = await ownerWithStaleCode();
      const before = await world.count('invitations');
      await b.getJson(`${MOUNT}/invite/bulk`);
      const refused = await b.postJson(`${MOUNT}/invite/bulk`, { emails: 'a1@example.com\na2@example.com', permissions: ['profile'] });
      expect(refused.status).to.equal(403);
      expect(refused.body.error.code).to.equal('step_up_required');
      expect(await world.count('invitations')).to.equal(before);
    });

    it('sends the permissions form that adds profile to the verify page and back to the member, changing nothing', async () => {
      const member = await addMember(world, await ownerWithCode(), 'promoted@example.com', ['invoices']);
      const b = await ownerWithStaleCode();
      await b.get(`${MOUNT}/users/${member.userId}`);
      const res = await b.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'profile'] });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(`${MOUNT}/users/${member.userId}`)}`);
      const json = await b.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'profile'] });
      expect(json.status).to.equal(403);
      expect(json.body.error.code).to.equal('step_up_required');
      const { member: view } = await world.host.au.api.getMember({ actor: { system: 'test' }, accountId: world.account.id, userId: member.userId });
      expect(view.permissions).to.deep.equal(['invoices']);
    });

    it('asks nothing when the member already holds profile, or when it is taken away', async () => {
      const fresh = await ownerWithCode();
      const member = await addMember(world, fresh, 'holder@example.com', ['invoices', 'profile']);
      const b = await ownerWithStaleCode();
      await b.getJson(`${MOUNT}/users/${member.userId}`);
      const kept = await b.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['profile', 'tickets'] });
      expect(kept.status, kept.text).to.equal(200);
      const taken = await b.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['tickets'] });
      expect(taken.status, taken.text).to.equal(200);
    });

    it('refuses "All permissions" (which grants profile) without a recent code, and writes nothing', async () => {
      const b = await ownerWithStaleCode();
      const before = await world.count('invitations');
      const refused = await b.postJson(`${MOUNT}/invite`, { email: 'everything@example.com', permissions: [], allPermissions: true });
      expect(refused.status, refused.text).to.equal(403);
      expect(refused.body.error.code).to.equal('step_up_required');
      expect(await world.count('invitations')).to.equal(before);
    });

    it('refuses to restore a removed member who held profile without a recent code, and leaves them removed', async () => {
      const fresh = await ownerWithCode();
      const member = await addMember(world, fresh, 'restored@example.com', ['invoices', 'profile']);
      await fresh.getJson(`${MOUNT}/users/${member.userId}/remove`);
      expect((await fresh.postJson(`${MOUNT}/users/${member.userId}/remove`, {})).status).to.equal(200);
      const b = await ownerWithStaleCode();
      await b.getJson(`${MOUNT}/users/${member.userId}/restore`);
      const refused = await b.postJson(`${MOUNT}/users/${member.userId}/restore`, {});
      expect(refused.status, refused.text).to.equal(403);
      expect(refused.body.error.code).to.equal('step_up_required');
      expect(refused.body.error.verifyUrl).to.equal(
        `${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(`${MOUNT}/users/${member.userId}/restore`)}`,
      );
      const memberships = await world.knex('au_account_users').where({ account_id: world.account.id, user_id: member.userId });
      expect(memberships).to.have.length(0);
    });

    it('refuses to apply a roster that grants profile without a recent code, and applies nothing (its dry run still answers)', async () => {
      const b = await ownerWithStaleCode();
      await b.getJson(`${MOUNT}/roster`);
      const before = await world.count('invitations');
      const csv = 'email,permissions\nroster-profile@example.com,invoices;profile';
      const dry = await b.postJson(`${MOUNT}/roster`, { csv, apply: false });
      expect(dry.status, dry.text).to.equal(200);
      const refused = await b.postJson(`${MOUNT}/roster`, { csv, apply: true });
      expect(refused.status, refused.text).to.equal(403);
      expect(refused.body.error.code).to.equal('step_up_required');
      expect(await world.count('invitations')).to.equal(before);
    });

    it('does not ask au.api with a { userId } actor, as for the other au.api functions: the host’s code checked its own session', async () => {
      const member = await addMember(world, await ownerWithCode(), 'api-granted@example.com', ['invoices']);
      world.host.clock.advance(11 * 60 * 1000);
      const { member: view } = await world.host.au.api.setPermissions({
        actor: { userId: world.ownerId },
        accountId: world.account.id,
        userId: member.userId,
        permissions: ['invoices', 'profile'],
      });
      expect(view.permissions).to.include('profile');
    });
  });

  describe('removal and reset', () => {
    it('turns the factor off with the current password; sign-ins then need none', async () => {
      const member = await addMember(world, await ownerWithCode(), 'remover@example.com', ['invoices']);
      const b = world.browser();
      await b.login(member.email, member.password);
      await enrolTotp(b, world.host, member.password);
      await b.getJson(`${USER_MOUNT}/two-factor`);
      const wrong = await b.postJson(`${USER_MOUNT}/two-factor/remove`, { currentPassword: 'not-the-password' });
      expect(wrong.status).to.equal(400);
      const removed = await b.postJson(`${USER_MOUNT}/two-factor/remove`, { currentPassword: member.password });
      expect(removed.status).to.equal(200);
      expect(await world.host.au.api.twoFactorStatus({ userId: member.userId })).to.include({ enabled: false, recoveryCodesLeft: 0 });
      const fresh = world.browser();
      await fresh.login(member.email, member.password);
      expect((await fresh.getJson('/host/invoices')).status).to.equal(200);
    });

    it('lets staff reset a lost factor through au.api with a recorded reason; a user actor is refused', async () => {
      const member = await addMember(world, await ownerWithCode(), 'lostphone@example.com', ['invoices']);
      const b = world.browser();
      await b.login(member.email, member.password);
      await enrolTotp(b, world.host, member.password);
      const api = world.host.au.api;
      let refused: unknown;
      try {
        await api.resetTwoFactor({ actor: { userId: world.ownerId }, userId: member.userId, reason: 'lost phone' });
      } catch (err) {
        refused = err;
      }
      expect(refused).to.have.property('status', 403);
      const events: unknown[] = [];
      world.host.au.events.once('user.two_factor_reset', (e) => events.push(e));
      expect(await api.resetTwoFactor({ actor: { system: 'support' }, userId: member.userId, reason: 'lost phone, ticket #42' })).to.deep.equal({
        reset: true,
      });
      const row = await world.knex('au_user_activity').where({ user_id: member.userId, action: 'user.two_factor_reset' }).first();
      expect(JSON.parse(row.details)).to.deep.equal({ by: 'support', reason: 'lost phone, ticket #42' });
      expect(events).to.have.length(1);
      expect((await api.twoFactorStatus({ userId: member.userId })).enabled).to.equal(false);
      const fresh = world.browser();
      await fresh.login(member.email, member.password);
      expect((await fresh.getJson('/host/invoices')).status).to.equal(200);
    });
  });

  it('makes codes that only the shown secret produces (the test computes them with otpauth)', () => {
    const at = new Date('2026-12-06T12:00:00Z');
    expect(codeAt(secret, at)).to.match(/^\d{6}$/);
    expect(codeAt(secret, at)).to.not.equal(codeAt('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', at));
  });
});
