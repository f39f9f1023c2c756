import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT, type HostWiring } from './support/app.js';
import { enrolTotp, freshCode } from './support/two-factor.js';

/**
 * A portal that signs people in with its own passport strategy (and its own serializeUser) while
 * the kit's two-factor sign-in is on: the password alone, checked by the host's code, leaves the
 * session owing the second factor. The kit's guards, its pages and the host's own pages behind
 * au.requireSecondFactor send it to the verify page, and a code from the app lets it in
 * (docs/integration.md, "Two-factor sign-in on your own login route"; docs/existing-portal.md).
 */
describe('a host with its own passport strategy and two-factor sign-in', function () {
  this.timeout(60_000);

  const wirings: Array<[string, HostWiring]> = [
    ['its own strategy and au.serializeUser', { strategy: 'host' }],
    ['its own strategy and serializeUser, behind au.loginLimit', { strategy: 'host', serializeUser: 'host' }],
    ['its own strategy and serializeUser, no au.loginLimit (a sign-in the kit never sees)', { strategy: 'host', serializeUser: 'host', loginLimit: false }],
  ];

  for (const [name, wiring] of wirings) {
    describe(`with ${name}`, () => {
      const world = new World();
      let secret: string;
      before(async () => {
        await world.setUp({}, undefined, wiring);
        world.host.app.get('/host-page', world.host.au.requireSecondFactor, (req, res) => {
          res.json({ ok: true, owes: world.host.au.owesSecondFactor(req) });
        });
        ({ secret } = await enrolTotp(await world.ownerBrowser(), world.host, OWNER.password));
      });
      after(() => world.tearDown());

      it('leaves a password-only sign-in owing the second factor: guards 401 second_factor_required, pages sent to the verify page', async () => {
        const b = world.browser();
        await b.login(OWNER.email, OWNER.password);
        const guarded = await b.getJson('/host/invoices');
        expect(guarded.status).to.equal(401);
        expect(guarded.body.error.code).to.equal('second_factor_required');
        expect(guarded.body.error.verifyUrl).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=%2Fhost%2Finvoices`);
        for (const path of [`${MOUNT}/`, `${USER_MOUNT}/profile`, '/host-page']) {
          const res = await b.agent.get(path);
          expect(res.status, path).to.equal(303);
          expect(res.headers.location, path).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(path)}`);
        }
      });

      it('lets it in once the verify page accepts a code from the app', async () => {
        const b = world.browser();
        await b.login(OWNER.email, OWNER.password);
        await b.getJson(`${USER_MOUNT}/two-factor/verify`);
        const verified = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret), returnTo: '/host-page' });
        expect(verified.status, verified.text).to.equal(200);
        expect(verified.body.returnTo).to.equal('/host-page');
        expect((await b.getJson('/host/invoices')).status).to.equal(200);
        const page = await b.getJson('/host-page');
        expect(page.status).to.equal(200);
        expect(page.body.owes).to.equal(false);
      });
    });
  }
});
