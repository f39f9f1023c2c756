// Where two features built apart meet: each case was found by an attacker review of the merged code.
import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { PERMISSIONS } from '../lib/index.js';
import { BASE_URL, MOUNT, USER_MOUNT } from './support/app.js';
import { addMember } from './support/members.js';
import { enrolTotp, signInWithCode } from './support/two-factor.js';
import { SoftAuthenticator, addPasskey, signInWithPasskey, verifyOptions } from './support/passkeys.js';
import { linkIn, waitForMail } from './support/user-mail.js';

describe('a preset of "All permissions" asks for step-up as the box does', function () {
  this.timeout(60_000);
  const world = new World();
  let secret: string;
  before(async () => {
    await world.setUp({
      twoFactor: { encryptionKey: 'a-test-key-of-at-least-32-characters!' },
      presets: [{ key: 'everything', label: 'Everything', permissions: ['*'] }],
    });
    const owner = await world.ownerBrowser();
    ({ secret } = await enrolTotp(owner, world.host, OWNER.password));
  });
  after(() => world.tearDown());

  it('refuses an invitation and a permissions change with the preset without a recent code (403), writing nothing', async () => {
    const b = world.browser();
    await signInWithCode(b, world.host, OWNER.email, OWNER.password, secret);
    world.host.clock.advance(11 * 60 * 1000);
    await b.getJson(`${MOUNT}/`);
    // control: allPermissions:true is refused
    const control = await b.postJson(`${MOUNT}/invite`, { email: 'ctl@example.com', permissions: [], allPermissions: true });
    expect(control.status).to.equal(403);
    const res = await b.postJson(`${MOUNT}/invite`, { email: 'attacker-friend@example.com', preset: 'everything' });
    const member = await addMember(
      world,
      await (async () => {
        const o = world.browser();
        await signInWithCode(o, world.host, OWNER.email, OWNER.password, secret);
        return o;
      })(),
      'plain@example.com',
      ['invoices'],
    );
    world.host.clock.advance(11 * 60 * 1000);
    await b.getJson(`${MOUNT}/`);
    const perm = await b.postJson(`${MOUNT}/users/${member.userId}/permissions`, { preset: 'everything' });
    expect(res.status, 'step-up should have been required').to.equal(403);
    expect(res.body.error.code).to.equal('step_up_required');
    expect(perm.status).to.equal(403);
    const { member: view } = await world.host.au.api.getMember({ actor: { system: 'test' }, accountId: world.account.id, userId: member.userId });
    expect(view.permissions).to.deep.equal(['invoices']);
  });
});

describe("a password reset removes the login's passkeys", function () {
  this.timeout(60_000);
  const world = new World();
  before(() => world.setUp({ limits: { passwordResetPerWindow: 100 } }));
  after(() => world.tearDown());

  it('a passkey a thief registered with the phished password no longer signs in after the reset, and two-factor is off', async () => {
    const owner = await world.ownerBrowser();
    const m = await addMember(world, owner, 'victim@example.com', ['invoices']);
    // thief: signed in with the phished password, registers their own passkey (current password is all it asks)
    const thief = world.browser();
    await thief.login(m.email, m.password);
    const auth = new SoftAuthenticator(BASE_URL);
    const added = await addPasskey(thief, auth, m.password, 'thief');
    expect(added.status, added.text).to.equal(200);
    // victim resets the password through their inbox
    const v = world.browser();
    await v.get(`${USER_MOUNT}/password/forgot`);
    await v.post(`${USER_MOUNT}/password/forgot`, { email: m.email });
    const link = linkIn(await waitForMail(world.smtp, m.email, 2), 'password/reset');
    await v.get(link);
    const done = await v.post(link, { password: 'victim-new-password-1' });
    expect(done.status).to.equal(303);
    // thief's old session is out
    const old = await thief.getJson(`${USER_MOUNT}/profile`);
    expect(old.status).to.equal(401);
    // thief signs in again with the passkey alone
    const fresh = world.browser();
    const signedIn = await signInWithPasskey(fresh, auth);
    const prof = await fresh.getJson(`${USER_MOUNT}/profile`);
    expect(signedIn.status).to.not.equal(200);
    expect(prof.status, "the reset should have ended the thief's access").to.not.equal(200);
    expect(await world.host.au.api.listPasskeys({ userId: m.userId })).to.have.length(0);
    expect((await world.host.au.api.twoFactorStatus({ userId: m.userId })).enabled).to.equal(false);
    // The person signs in with the new password alone (no factor left that only the thief could give).
    const back = world.browser();
    await back.login(m.email, 'victim-new-password-1');
    expect((await back.getJson(`${USER_MOUNT}/profile`)).status).to.equal(200);
  });
});

describe('removing the last passkey forgets remembered browsers', function () {
  this.timeout(60_000);
  const world = new World();
  before(() => world.setUp({ twoFactor: { rememberDeviceDays: 30 } }));
  after(() => world.tearDown());

  it('a browser remembered under the old factor does not skip the second step of a new one', async () => {
    const owner = await world.ownerBrowser();
    const m = await addMember(world, owner, 'rem@example.com', ['invoices']);
    const home = world.browser();
    await home.login(m.email, m.password);
    const auth1 = new SoftAuthenticator(BASE_URL);
    expect((await addPasskey(home, auth1, m.password, 'first')).status).to.equal(200);
    // a shared computer: password + passkey at the second step, "remember this browser" ticked
    const shared = world.browser();
    await shared.login(m.email, m.password);
    const opts = await verifyOptions(shared);
    const v = await shared.postJson(`${USER_MOUNT}/two-factor/verify`, { response: auth1.get(opts), rememberDevice: true });
    expect(v.status, v.text).to.equal(200);
    const setCookie = ([] as string[]).concat(v.headers['set-cookie'] ?? []).find((c) => c.startsWith('au_remembered_browser='))!;
    const token = setCookie.split(';')[0]!.split('=')[1]!;
    const thief = world.browser();
    (thief.agent as unknown as { jar: { setCookie(c: string, d: string, p: string): void } }).jar.setCookie(
      `au_remembered_browser=${token}; Path=/`,
      '127.0.0.1',
      '/',
    );
    // the person removes their only passkey (two-factor turns off) ...
    const list = await world.host.au.api.listPasskeys({ userId: m.userId });
    const fresh = world.browser();
    await fresh.login(m.email, m.password);
    const opts2 = await verifyOptions(fresh);
    expect((await fresh.postJson(`${USER_MOUNT}/two-factor/verify`, { response: auth1.get(opts2) })).status).to.equal(200);
    await fresh.getJson(`${USER_MOUNT}/two-factor`);
    const removed = await fresh.postJson(`${USER_MOUNT}/two-factor/passkeys/${list[0]!.id}/remove`, { currentPassword: m.password });
    expect(removed.status, removed.text).to.equal(200);
    expect(await world.host.au.api.rememberedDevices({ userId: m.userId })).to.have.length(0);
    // ... and later registers a new one
    world.host.clock.advance(60_000);
    const again = world.browser();
    await again.login(m.email, m.password);
    expect((await addPasskey(again, new SoftAuthenticator(BASE_URL), m.password, 'new')).status).to.equal(200);
    // whoever holds the password on the shared computer signs in: no second step asked
    await thief.login(m.email, m.password);
    const prof = await thief.getJson(`${USER_MOUNT}/profile`);
    expect(prof.status, 'the new factor should be owed').to.equal(401);
  });
});

describe('a delegate without "All permissions" cannot re-arm it by resending', function () {
  this.timeout(60_000);
  const world = new World();
  before(() => world.setUp({ delegation: true }));
  after(() => world.tearDown());

  it('refuses the resend of an expired "All permissions" invitation (403), as the delegate\'s own invitation is', async () => {
    const owner = await world.ownerBrowser();
    const keys = [...PERMISSIONS.map((p) => p.key), 'manageusers'];
    const d = await addMember(world, owner, 'delegate@example.com', keys);
    const o2 = await world.ownerBrowser();
    await o2.getJson(`${MOUNT}/`);
    const inv = await o2.postJson(`${MOUNT}/invite`, { email: 'everything@example.com', permissions: [], allPermissions: true });
    expect(inv.status, inv.text).to.equal(201);
    const id = inv.body.invitation.id;
    world.host.clock.advance(8 * 24 * 3600 * 1000);
    const db = world.browser();
    await db.login(d.email, d.password);
    await db.getJson(`${MOUNT}/`);
    // control: the delegate may not grant * directly
    const direct = await db.postJson(`${MOUNT}/invite`, { email: 'other@example.com', permissions: [], allPermissions: true });
    expect(direct.status).to.equal(403);
    const res = await db.postJson(`${MOUNT}/invitations/${id}/resend`, {});
    expect(res.status, 'a delegate without * should not re-arm a * grant').to.equal(403);
    const row = await world.knex('au_invitations').where({ id }).first();
    expect(Number(row.expires_at)).to.be.below(world.host.clock.now().getTime());
  });
});
