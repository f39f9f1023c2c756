import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT, type HostWiring } from './support/app.js';
import { linkIn, waitForMail } from './support/user-mail.js';
import type { Browser } from './support/client.js';

const LIMITS = { passwordResetPerWindow: 100 };

/**
 * A portal that keeps its own `passport.serializeUser` (issue 23, finding 1): the kit records in
 * the session which password it signed in with all the same, so a password change or reset signs
 * out the sessions from before it and never the sign-ins after it.
 */
describe('a host that keeps its own passport.serializeUser', function () {
  this.timeout(60_000);

  /** Signed in on a browser of its own; the kit's page for signed-in people answers it. */
  async function signIn(world: World, password: string): Promise<Browser> {
    const browser = world.browser();
    await browser.login(OWNER.email, password);
    return browser;
  }

  async function isSignedIn(browser: Browser): Promise<boolean> {
    const res = await browser.getJson(`${USER_MOUNT}/profile`);
    expect(res.status).to.be.oneOf([200, 401]);
    return res.status === 200;
  }

  async function changePassword(browser: Browser, from: string, to: string): Promise<void> {
    await browser.getJson(`${USER_MOUNT}/profile`);
    const res = await browser.postJson(`${USER_MOUNT}/password`, { currentPassword: from, newPassword: to });
    expect(res.status, res.text).to.equal(200);
  }

  async function resetPassword(world: World, count: number, to: string): Promise<void> {
    const browser = world.browser();
    await browser.get(`${USER_MOUNT}/password/forgot`);
    await browser.post(`${USER_MOUNT}/password/forgot`, { email: OWNER.email });
    const link = linkIn(await waitForMail(world.smtp, OWNER.email, count), 'password/reset');
    await browser.get(link);
    expect((await browser.post(link, { password: to })).status).to.equal(303);
  }

  const wirings: Array<[string, HostWiring]> = [
    ["with the kit's strategy", { serializeUser: 'host' }],
    ["with the kit's strategy and no au.loginLimit", { serializeUser: 'host', loginLimit: false }],
    ['with its own strategy behind au.loginLimit', { serializeUser: 'host', strategy: 'host' }],
  ];

  for (const [name, wiring] of wirings) {
    describe(name, () => {
      const world = new World();
      let password = OWNER.password;
      before(() => world.setUp({ limits: LIMITS }, undefined, wiring));
      after(() => world.tearDown());

      it('keeps every sign-in after a password change signed in, and signs out the sessions from before it', async () => {
        const before = await signIn(world, password);
        const changer = await signIn(world, password);
        await changePassword(changer, password, 'changed-password-1');
        password = 'changed-password-1';
        expect(await isSignedIn(changer), 'the browser that changed it').to.equal(true);
        expect(await isSignedIn(before), 'a session from before the change').to.equal(false);
        for (let i = 0; i < 3; i++) {
          const after = await signIn(world, password);
          expect(await isSignedIn(after), `sign-in ${i + 1} after the change`).to.equal(true);
          expect(await isSignedIn(after), 'and on its next request').to.equal(true);
        }
      });

      it('keeps a sign-in after a password reset signed in, and signs out the sessions from before it', async () => {
        const before = await signIn(world, password);
        await resetPassword(world, 1, 'reset-password-1');
        password = 'reset-password-1';
        expect(await isSignedIn(before), 'a session from before the reset').to.equal(false);
        const after = await signIn(world, password);
        expect(await isSignedIn(after)).to.equal(true);
        expect(world.host.logs.filter((l) => l.includes('no record of the password'))).to.deep.equal([]);
      });
    });
  }

  describe('with its own strategy and no au.loginLimit (a sign-in the kit never sees)', () => {
    const world = new World();
    before(() => world.setUp({ limits: LIMITS }, undefined, { serializeUser: 'host', strategy: 'host', loginLimit: false }));
    after(() => world.tearDown());

    it('signs such a session out once the password has changed, and says once in the log how to wire it', async () => {
      const changer = await signIn(world, OWNER.password);
      await changePassword(changer, OWNER.password, 'changed-password-2');
      for (let i = 0; i < 2; i++) {
        const after = await signIn(world, 'changed-password-2');
        expect(await isSignedIn(after)).to.equal(false);
      }
      const warnings = world.host.logs.filter((l) => l.includes('no record of the password'));
      expect(warnings).to.have.length(1);
      expect(warnings[0])
        .to.match(/^warn: /)
        .and.contain('au.loginLimit')
        .and.contain('au.serializeUser');
    });
  });
});
