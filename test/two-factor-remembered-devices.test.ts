import { expect } from 'chai';
import nodemailer from 'nodemailer';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT, FAST_HASHING } from './support/app.js';
import { addMember } from './support/members.js';
import { enrolTotp, freshCode } from './support/two-factor.js';
import { waitForMail, linkIn } from './support/user-mail.js';
import type { Browser } from './support/client.js';
import { accountUsers, OptionsError } from '../lib/index.js';

const COOKIE = 'au_remembered_browser';
const DAY = 24 * 60 * 60 * 1000;

/** The remembered browser's value from a response's Set-Cookie, as the browser would keep it. */
function rememberedCookieOf(res: { headers: Record<string, unknown> }): { value: string; header: string } | undefined {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  const header = cookies.find((c) => c.startsWith(`${COOKIE}=`));
  if (!header) return undefined;
  return { value: header.slice(COOKIE.length + 1).split(';')[0]!, header };
}

/**
 * A browser holding the cookie (the test's hosts run over http, so the `Secure` cookie is put into
 * its jar by hand, as a browser on https would keep it).
 */
function holding(browser: Browser, value: string): Browser {
  (browser.agent as unknown as { jar: { setCookie(c: string, domain: string, path: string): void } }).jar.setCookie(
    `${COOKIE}=${value}; Path=/`,
    '127.0.0.1',
    '/',
  );
  return browser;
}

/** Signs in with the password, gives a code and asks for the browser to be remembered; the cookie's value. */
async function signInRemembering(world: World, b: Browser, email: string, password: string, secret: string): Promise<string> {
  await b.login(email, password);
  await b.getJson(`${USER_MOUNT}/two-factor/verify`);
  const res = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret), rememberDevice: true });
  expect(res.status, res.text).to.equal(200);
  const cookie = rememberedCookieOf(res);
  expect(cookie, 'a remembered-browser cookie').to.not.equal(undefined);
  return cookie!.value;
}

/** Whether a password-only sign-in on this browser reaches a guarded route (200) or owes its code (401). */
async function passwordOnly(b: Browser, email: string, password: string): Promise<number> {
  await b.login(email, password);
  return (await b.getJson('/host/invoices')).status;
}

describe('two-factor sign-in: remembered browsers', function () {
  this.timeout(60_000);
  describe('off by default', () => {
    const world = new World();
    let secret: string;
    before(async () => {
      await world.setUp();
      ({ secret } = await enrolTotp(await world.ownerBrowser(), world.host, OWNER.password));
    });
    after(() => world.tearDown());

    it('offers no box and sets no cookie, even when asked', async () => {
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      const page = await b.get(`${USER_MOUNT}/two-factor/verify`);
      expect(page.text).to.not.include('name="rememberDevice"');
      const res = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret), rememberDevice: true });
      expect(res.status).to.equal(200);
      expect(rememberedCookieOf(res)).to.equal(undefined);
      expect(await world.count('two_factor_devices')).to.equal(0);
    });

    it('refuses a lifetime out of range at start-up, naming the option', () => {
      for (const rememberDeviceDays of [0, 366, 1.5]) {
        expect(() =>
          accountUsers({
            knex: world.knex,
            baseUrl: 'https://portal.example.com',
            mail: { transport: nodemailer.createTransport({ jsonTransport: true }), from: 'billing@example.com' },
            passwordHashing: FAST_HASHING,
            twoFactor: { rememberDeviceDays },
          }),
        )
          .to.throw(OptionsError)
          .with.property('message')
          .that.includes('rememberDeviceDays');
      }
    });
  });

  describe('with twoFactor.rememberDeviceDays: 30', () => {
    const world = new World();
    let secret: string;
    before(async () => {
      await world.setUp({ twoFactor: { rememberDeviceDays: 30 } });
      ({ secret } = await enrolTotp(await world.ownerBrowser(), world.host, OWNER.password));
    });
    after(() => world.tearDown());

    it('offers the box on the sign-in’s second step, not on a step-up', async () => {
      const b = world.browser();
      await b.login(OWNER.email, OWNER.password);
      expect((await b.get(`${USER_MOUNT}/two-factor/verify`)).text).to.include('name="rememberDevice"');
      await b.post(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) });
      expect((await b.get(`${USER_MOUNT}/two-factor/verify`)).text).to.not.include('name="rememberDevice"');
    });

    it('sets an HttpOnly, SameSite=Lax, Secure cookie for 30 days and keeps only its SHA-256, recorded in the user’s activity', async () => {
      const b = world.browser();
      const events: unknown[] = [];
      world.host.au.events.once('user.device_remembered', (e) => events.push(e));
      await b.login(OWNER.email, OWNER.password);
      await b.getJson(`${USER_MOUNT}/two-factor/verify`);
      const res = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret), rememberDevice: true });
      const cookie = rememberedCookieOf(res)!;
      expect(cookie.header)
        .to.match(/HttpOnly/)
        .and.match(/SameSite=Lax/)
        .and.match(/Secure/)
        .and.match(/Path=\//);
      const expires = new Date(/Expires=([^;]+)/.exec(cookie.header)![1]!);
      expect(Math.abs(expires.getTime() - (world.host.clock.now().getTime() + 30 * DAY))).to.be.below(2000);
      const rows = await world.knex('au_two_factor_devices').where({ user_id: world.ownerId });
      expect(rows.map((r: { token_hash: string }) => r.token_hash)).to.not.include(cookie.value);
      expect(await world.knex('au_user_activity').where({ user_id: world.ownerId, action: 'user.device_remembered' })).to.have.length.above(0);
      expect(events).to.have.length(1);
    });

    it('skips the second step for that login on that browser, but step-up still asks for a code', async () => {
      const value = await signInRemembering(world, world.browser(), OWNER.email, OWNER.password, secret);
      const b = holding(world.browser(), value);
      expect(await passwordOnly(b, OWNER.email, OWNER.password)).to.equal(200);
      await b.getJson(`${MOUNT}/transfer`);
      const transfer = await b.postJson(`${MOUNT}/transfer`, { userId: world.ownerId, currentPassword: OWNER.password });
      expect(transfer.status).to.equal(403);
      expect(transfer.body.error.code).to.equal('step_up_required');
    });

    it('does not let the cookie, copied onto another login’s sign-in, skip that login’s code', async () => {
      const value = await signInRemembering(world, world.browser(), OWNER.email, OWNER.password, secret);
      const owner = world.browser();
      await owner.login(OWNER.email, OWNER.password);
      await owner.getJson(`${USER_MOUNT}/two-factor/verify`);
      await owner.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) });
      const member = await addMember(world, owner, 'copier@example.com', ['invoices']);
      await enrolTotp(member.browser, world.host, member.password);
      const thief = holding(world.browser(), value);
      const status = await passwordOnly(thief, member.email, member.password);
      expect(status).to.equal(401);
    });

    it('does not skip the code once the cookie’s 30 days are over', async () => {
      const value = await signInRemembering(world, world.browser(), OWNER.email, OWNER.password, secret);
      world.host.clock.advance(30 * DAY + 1000);
      expect(await passwordOnly(holding(world.browser(), value), OWNER.email, OWNER.password)).to.equal(401);
    });

    it('lists the login’s browsers and forgets one on request; another login’s device id is 404 and forgets nothing', async () => {
      const value = await signInRemembering(world, world.browser(), OWNER.email, OWNER.password, secret);
      const b = holding(world.browser(), value);
      expect(await passwordOnly(b, OWNER.email, OWNER.password)).to.equal(200);
      const page = await b.getJson(`${USER_MOUNT}/two-factor`);
      const devices = page.body.devices as Array<{ id: number; label: string }>;
      expect(devices.length).to.be.above(0);
      const mine = (await world.knex('au_two_factor_devices').where({ user_id: world.ownerId }).orderBy('id', 'desc').first()) as { id: number };
      // Another login asks to forget the owner's browser: not theirs.
      const other = await addMember(world, b, 'nosy@example.com', ['invoices']);
      await other.browser.getJson(`${USER_MOUNT}/two-factor`);
      const refused = await other.browser.postJson(`${USER_MOUNT}/two-factor/devices/forget`, { deviceId: mine.id });
      expect(refused.status).to.equal(404);
      expect(await world.knex('au_two_factor_devices').where({ id: mine.id })).to.have.length(1);
      const forgotten = await b.postJson(`${USER_MOUNT}/two-factor/devices/forget`, { deviceId: mine.id });
      expect(forgotten.status, forgotten.text).to.equal(200);
      expect(forgotten.body.forgotten).to.equal(1);
      expect(await passwordOnly(holding(world.browser(), value), OWNER.email, OWNER.password)).to.equal(401);
      expect(await world.knex('au_user_activity').where({ user_id: world.ownerId, action: 'user.devices_forgotten' })).to.have.length.above(0);
    });

    it('forgets every browser of the login at a password reset', async () => {
      const value = await signInRemembering(world, world.browser(), OWNER.email, OWNER.password, secret);
      const b = world.browser();
      await b.get(`${USER_MOUNT}/password/forgot`);
      const before = world.smtp.to(OWNER.email).length;
      await b.post(`${USER_MOUNT}/password/forgot`, { email: OWNER.email });
      const mail = await waitForMail(world.smtp, OWNER.email, before + 1);
      const link = linkIn(mail, 'password/reset');
      await b.get(link);
      expect((await b.post(link, { password: OWNER.password })).status).to.equal(303);
      expect(await world.host.au.api.rememberedDevices({ userId: world.ownerId })).to.deep.equal([]);
      expect(await passwordOnly(holding(world.browser(), value), OWNER.email, OWNER.password)).to.equal(401);
    });

    it('forgets them when staff reset the factor, and when the person removes it', async () => {
      const owner = world.browser();
      await owner.login(OWNER.email, OWNER.password);
      await owner.getJson(`${USER_MOUNT}/two-factor/verify`);
      await owner.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) });
      const member = await addMember(world, owner, 'resets@example.com', ['invoices']);
      let { secret: memberSecret } = await enrolTotp(member.browser, world.host, member.password);
      await signInRemembering(world, world.browser(), member.email, member.password, memberSecret);
      expect(await world.host.au.api.rememberedDevices({ userId: member.userId })).to.have.length(1);
      await world.host.au.api.resetTwoFactor({ actor: { system: 'support' }, userId: member.userId, reason: 'lost phone' });
      expect(await world.host.au.api.rememberedDevices({ userId: member.userId })).to.deep.equal([]);

      const fresh = world.browser();
      await fresh.login(member.email, member.password);
      ({ secret: memberSecret } = await enrolTotp(fresh, world.host, member.password));
      await signInRemembering(world, world.browser(), member.email, member.password, memberSecret);
      expect(await world.host.au.api.rememberedDevices({ userId: member.userId })).to.have.length(1);
      await fresh.getJson(`${USER_MOUNT}/two-factor`);
      expect((await fresh.postJson(`${USER_MOUNT}/two-factor/remove`, { currentPassword: member.password })).status).to.equal(200);
      expect(await world.host.au.api.rememberedDevices({ userId: member.userId })).to.deep.equal([]);
    });

    it('forgets every browser through au.api, and refuses a device id of another login', async () => {
      await signInRemembering(world, world.browser(), OWNER.email, OWNER.password, secret);
      const [device] = await world.host.au.api.rememberedDevices({ userId: world.ownerId });
      let refused: unknown;
      try {
        await world.host.au.api.forgetRememberedDevices({ userId: world.ownerId + 1000, deviceId: device!.id });
      } catch (err) {
        refused = err;
      }
      expect(refused).to.have.property('status', 404);
      const { forgotten } = await world.host.au.api.forgetRememberedDevices({ userId: world.ownerId });
      expect(forgotten).to.be.above(0);
      expect(await world.host.au.api.rememberedDevices({ userId: world.ownerId })).to.deep.equal([]);
    });
  });
});
