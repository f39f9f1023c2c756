import { expect } from 'chai';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { escapeHtml, invite, linkPath, otherAccount } from './support/invitations.js';

type Res = { status: number; text: string; body: any; headers: Record<string, string> };

async function memberships(world: World, accountId: number) {
  return world.knex('au_account_users').where({ account_id: accountId }).select('user_id');
}

/** GET and POST /accept/:token, and /accept/:token/register. */
describe('accepting an invitation', function () {
  this.timeout(30_000);

  describe('an existing user with their own login', () => {
    const world = new World();
    let gus: Awaited<ReturnType<typeof otherAccount>>;
    let link: string;
    let visitor: Browser;
    let tokenOfTheAcceptPage = '';
    before(async () => {
      await world.setUp();
      gus = await otherAccount(world);
      await invite(await world.ownerBrowser(), 'Boss@Globex.test', ['invoices', 'tickets']);
      link = linkPath(world, 'boss@globex.test');
      visitor = world.browser();
    });
    after(() => world.tearDown());

    it('shows a signed-out visitor who invited them, to which account, with which permissions', async () => {
      const res = await visitor.get(link);
      expect(res.status).to.equal(200);
      expect(res.headers['referrer-policy']).to.equal('no-referrer');
      expect(res.text).to.contain('Olive Owner has invited you to Acme Ltd.');
      expect(res.text).to.contain(escapeHtml('View & Pay Invoices')).and.contain(escapeHtml('View & Open Support Tickets'));
      expect(res.text).to.not.contain('View Domains');
    });

    it('offers "Sign in to accept" to the login page with returnTo back to the link, and no sign-up (a login exists)', async () => {
      const res = await visitor.get(link);
      const href = /<a [^>]*href="([^"]+)">Sign in to accept<\/a>/
        .exec(res.text)?.[1]
        ?.replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&');
      expect(href).to.equal(`/login?returnTo=${encodeURIComponent(link)}`);
      expect(res.text).to.not.contain(`${link}/register`);
    });

    it('brings them back to the link after logging in, now with an Accept button', async () => {
      const href = `/login?returnTo=${encodeURIComponent(link)}`;
      const login = await visitor.agent.post(href).type('form').send({ email: gus.email, password: gus.password });
      expect(login.status).to.equal(303);
      expect(login.headers.location).to.equal(link);
      const page = await visitor.get(link);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain(`<form method="post" action="${link}">`).and.contain('Accept Invitation');
      expect((await visitor.agent.get('/host/invoices')).body.account).to.equal(gus.account.id);
    });

    it('accepts on POST: one membership with the invited permissions, and a redirect to the accounts page', async () => {
      tokenOfTheAcceptPage = visitor.csrf;
      const res = await visitor.post(link);
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${MOUNT}/accounts`);
      const row = await world.knex('au_account_users').where({ account_id: world.account.id, user_id: gus.ownerId }).first();
      expect(JSON.parse(String(row.permissions))).to.deep.equal(['invoices', 'tickets']);
      const invitation = await world.knex('au_invitations').first();
      expect(invitation.status).to.equal('accepted');
      expect(Number(invitation.accepted_user_id)).to.equal(gus.ownerId);
    });

    it('switches the active account to the one they joined', async () => {
      const invoices = await visitor.agent.get('/host/invoices');
      expect(invoices.status).to.equal(200);
      expect(invoices.body.account).to.equal(world.account.id);
      expect((await visitor.agent.get('/host/domains')).status).to.equal(403);
      const accounts = await visitor.get(`${MOUNT}/accounts`);
      expect(accounts.text).to.contain('Welcome! You now have access to Acme Ltd.');
    });

    it('writes one activity row for the acceptance, with actor, subject and IP', async () => {
      const rows = await world.knex('au_activity').where({ action: 'invitation.accepted' });
      expect(rows).to.have.length(1);
      expect(Number(rows[0].account_id)).to.equal(world.account.id);
      expect(Number(rows[0].actor_user_id)).to.equal(gus.ownerId);
      expect(Number(rows[0].subject_user_id)).to.equal(gus.ownerId);
      expect(rows[0].subject_email).to.equal('boss@globex.test');
      expect(rows[0].ip).to.be.a('string').and.not.equal('');
    });

    it('answers a second accept with 410 saying it was already accepted, adding nothing', async () => {
      await visitor.getJson(`${MOUNT}/accounts`);
      const res = await visitor.post(link);
      expect(res.status).to.equal(410);
      expect(res.text).to.contain('This invitation has already been accepted.');
      expect(await memberships(world, world.account.id)).to.have.length(2);
      expect(await world.knex('au_activity').where({ action: 'invitation.accepted' })).to.have.length(1);
    });

    it('tells a second tab that submits its Accept form afterwards that the invitation was already accepted', async () => {
      // Accepting gives the session a new id but keeps its CSRF token, so the other tab's form is still
      // genuine and the answer is about the invitation, not about a stale form.
      const secondTab = await visitor.post(link, {}, { csrf: tokenOfTheAcceptPage });
      expect(secondTab.status).to.equal(410);
      expect(secondTab.text).to.contain('This invitation has already been accepted.');
      expect(await memberships(world, world.account.id)).to.have.length(2);
    });

    it('answers the link afterwards with 410 "already accepted", as JSON too', async () => {
      const res = await world.browser().getJson(link);
      expect(res.status).to.equal(410);
      expect(res.body.error).to.include({ code: 'invitation_accepted', reason: 'accepted' });
    });
  });

  describe('GET is safe for mail scanners', () => {
    const world = new World();
    before(() => world.setUp());
    after(() => world.tearDown());

    it('changes nothing however often the link is fetched, signed in or not', async () => {
      const gus = await otherAccount(world);
      await invite(await world.ownerBrowser(), gus.email);
      const link = linkPath(world, gus.email);
      const snapshot = async () =>
        JSON.stringify([
          await world.knex('au_invitations').select('*'),
          await world.knex('au_account_users').select('*').orderBy('id'),
          await world.knex('au_activity').select('*').orderBy('id'),
          await world.knex('au_users').select('*').orderBy('id'),
        ]);
      const before = await snapshot();
      for (let i = 0; i < 3; i++) {
        expect((await world.browser().get(link)).status).to.equal(200);
        expect((await gus.browser.get(link)).status).to.equal(200);
        expect((await gus.browser.getJson(link)).status).to.equal(200);
        expect((await world.browser().agent.head(link)).status).to.equal(200);
      }
      expect(await snapshot()).to.equal(before);
      expect((await gus.browser.agent.get('/host/invoices')).body.account).to.equal(gus.account.id);
    });
  });

  describe('signed in as someone other than the invited address (default: refused)', () => {
    const world = new World();
    let gus: Awaited<ReturnType<typeof otherAccount>>;
    let link: string;
    before(async () => {
      await world.setUp();
      gus = await otherAccount(world);
      await invite(await world.ownerBrowser(), 'intended@example.com');
      link = linkPath(world, 'intended@example.com');
    });
    after(() => world.tearDown());

    it('says on the link page who it was sent to and who is signed in, offering sign out instead of Accept', async () => {
      const res = await gus.browser.get(link);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('This invitation was sent to intended@example.com, you are signed in as boss@globex.test.');
      expect(res.text).to.contain(`action="${link}/signout"`);
      expect(res.text).to.not.contain('Accept Invitation');
    });

    it('refuses the POST with a 403 page saying the same and offering to sign out', async () => {
      const res = await gus.browser.post(link);
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('This invitation was sent to intended@example.com, you are signed in as boss@globex.test.');
      expect(res.text).to.contain(`<form method="post" action="${link}/signout">`).and.contain('Sign out');
      expect(await memberships(world, world.account.id)).to.have.length(1);
      expect((await world.knex('au_invitations').first()).status).to.equal('pending');
    });

    it('refuses the JSON POST with 403 and code email_mismatch', async () => {
      const res = await gus.browser.postJson(link, {});
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('email_mismatch');
    });

    it('signs them out from that page, back to a link offering log in and sign-up', async () => {
      await gus.browser.get(link);
      const res = await gus.browser.post(`${link}/signout`);
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(link);
      const page = await gus.browser.get(link);
      expect(page.text).to.contain('Sign in to accept').and.contain(`action="${link}/register"`);
      expect((await gus.browser.agent.get('/host/invoices')).status).to.equal(302);
    });
  });

  describe('signed in as someone else with requireMatchingEmail: false', () => {
    const world = new World();
    after(() => world.tearDown());

    it('lets them accept into their own login', async () => {
      await world.setUp({ requireMatchingEmail: false });
      const gus = await otherAccount(world);
      await invite(await world.ownerBrowser(), 'intended@example.com');
      const link = linkPath(world, 'intended@example.com');
      const page = await gus.browser.get(link);
      expect(page.text).to.contain('Accept Invitation').and.not.contain('you are signed in as');
      const res = await gus.browser.post(link);
      expect(res.status).to.equal(303);
      const rows = await memberships(world, world.account.id);
      expect(rows.map((r) => Number(r.user_id)).sort()).to.deep.equal([world.ownerId, gus.ownerId].sort());
      expect(await world.knex('au_users').where({ email: 'intended@example.com' })).to.have.length(0);
    });
  });

  describe('registering through the link', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });

    it('always uses the invited address, ignoring a submitted email field', async () => {
      await invite(owner, 'invited@example.com');
      const link = linkPath(world, 'invited@example.com');
      const visitor = world.browser();
      await visitor.get(link);
      const res = await visitor.post(`${link}/register`, { name: 'Ivy Invited', password: 'ivy-password-1', email: 'attacker@evil.test' });
      expect(res.status).to.equal(303);
      expect(await world.knex('au_users').where({ email: 'attacker@evil.test' })).to.have.length(0);
      const user = await world.knex('au_users').where({ email: 'invited@example.com' }).first();
      expect(user.name).to.equal('Ivy Invited');
      const host = await visitor.agent.get('/host/invoices');
      expect(host.status).to.equal(200);
      expect(host.body.account).to.equal(world.account.id);
    });

    it('answers the JSON registration with 201, the user under the invited address and the membership', async () => {
      await invite(owner, 'json-reg@example.com', ['domains']);
      const link = linkPath(world, 'json-reg@example.com');
      const visitor = world.browser();
      await visitor.getJson(link);
      const res = await visitor.postJson(`${link}/register`, { name: 'Jay', password: 'jay-password-1', email: 'other@evil.test' });
      expect(res.status).to.equal(201);
      expect(res.body.user.email).to.equal('json-reg@example.com');
      expect(res.body.membership.account.id).to.equal(world.account.id);
      expect(res.body.membership.permissions).to.deep.equal(['domains']);
    });

    it('answers 400 telling them to log in when a login for the invited address exists, and creates nothing', async () => {
      const gus = await otherAccount(world);
      await invite(owner, gus.email);
      const link = linkPath(world, gus.email);
      const visitor = world.browser();
      // The page offers no sign-up form to an address that has a login; a crafted or stale form still may arrive.
      expect((await visitor.get(link)).text).to.not.contain(`action="${link}/register"`);
      await visitor.getJson(link);
      const users = await world.count('users');
      const res = await visitor.post(`${link}/register`, { name: 'Impostor', password: 'impostor-password' });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain(`a login for ${gus.email} already exists; sign in to accept the invitation`);
      expect(res.text).to.contain('Sign in to accept');
      expect(await world.count('users')).to.equal(users);
      expect((await world.knex('au_invitations').where({ email: gus.email }).first()).status).to.equal('pending');
    });

    it('answers a too-short password with 400 naming password, keeping the name, and creates nothing', async () => {
      await invite(owner, 'short@example.com');
      const link = linkPath(world, 'short@example.com');
      const visitor = world.browser();
      await visitor.get(link);
      const res = await visitor.post(`${link}/register`, { name: 'Shorty', password: 'short' });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('must be at least 8 characters').and.contain('value="Shorty"');
      expect(await world.knex('au_users').where({ email: 'short@example.com' })).to.have.length(0);
    });
  });

  describe('20 accepts of one token at once', () => {
    const world = new World();
    before(() => world.setUp({ limits: { acceptPerWindow: 1000 } }));
    after(() => world.tearDown());

    const checkOutcome = async (responses: Res[], userId: number, opts: { sameSession: boolean }) => {
      const statuses = responses.map((r) => r.status);
      expect(
        statuses.filter((s) => s === 200),
        statuses.join(','),
      ).to.have.length(1);
      for (const r of responses.filter((x) => x.status !== 200)) {
        if (opts.sameSession && r.status === 403) {
          // The winner regenerated the session and its CSRF token (docs/json-api.md): a request
          // that arrives after that is refused as a stale form, and nothing is written for it.
          expect(r.body.error.code).to.equal('csrf');
          expect(r.body.error.message).to.contain('reload the page and try again');
          continue;
        }
        expect(r.status).to.be.oneOf([409, 410]);
        expect(r.body.error.message).to.match(/already been accepted|already a user of Acme Ltd/);
      }
      const rows = await world.knex('au_account_users').where({ account_id: world.account.id, user_id: userId });
      expect(rows).to.have.length(1);
      expect(await world.knex('au_activity').where({ action: 'invitation.accepted', actor_user_id: userId })).to.have.length(1);
    };

    it('from one signed-in browser: exactly one membership, the rest 409/410 with a clear message', async () => {
      const gus = await otherAccount(world);
      await invite(await world.ownerBrowser(), gus.email);
      const link = linkPath(world, gus.email);
      await gus.browser.getJson(link);
      const responses = (await Promise.all(Array.from({ length: 20 }, () => gus.browser.postJson(link, {})))) as Res[];
      await checkOutcome(responses, gus.ownerId, { sameSession: true });
    });

    it('from 20 browsers signed in as the same user: exactly one membership, the rest 409/410', async () => {
      const other = await otherAccount(world, 'Initech', 'peter@initech.test');
      await invite(await world.ownerBrowser(), other.email);
      const link = linkPath(world, other.email);
      // Signed in one after another: simultaneous sign-ins of one address past limits.loginPerWindow are refused (the limit counts each before its check).
      const browsers = [];
      for (let i = 0; i < 20; i++) {
        const b = world.browser();
        await b.login(other.email, other.password);
        await b.getJson(link);
        browsers.push(b);
      }
      const responses = (await Promise.all(browsers.map((b) => b.postJson(link, {})))) as Res[];
      await checkOutcome(responses, other.ownerId, { sameSession: false });
    });
  });

  describe('links that never worked', () => {
    const world = new World();
    let visitor: Browser;
    before(async () => {
      await world.setUp({ limits: { acceptPerWindow: 1000 } });
      visitor = world.browser();
      await visitor.get(`${MOUNT}/accept/${'A'.repeat(43)}`);
      await invite(await world.ownerBrowser(), 'real@example.com');
      await visitor.getJson(linkPath(world, 'real@example.com'));
    });
    after(() => world.tearDown());

    it('answers an unknown token with 404 "not valid", on GET and POST', async () => {
      const unknown = `${MOUNT}/accept/${'A'.repeat(43)}`;
      const page = await visitor.get(unknown);
      expect(page.status).to.equal(404);
      expect(page.text).to.contain('This invitation link is not valid.');
      expect((await visitor.postJson(unknown, {})).status).to.equal(401);
      expect((await visitor.postJson(`${unknown}/register`, { name: 'X', password: 'long-enough-1' })).status).to.equal(404);
      const signedIn = await world.ownerBrowser();
      await signedIn.getJson(`${MOUNT}/`);
      expect((await signedIn.postJson(unknown, {})).status).to.equal(404);
    });

    it('answers malformed tokens with 404', async () => {
      for (const token of ['short', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}!`, '%3Cscript%3E', `${'A'.repeat(42)}%2F`]) {
        const res = await visitor.getJson(`${MOUNT}/accept/${token}`);
        expect(res.status, token).to.equal(404);
        expect(res.body.error.code, token).to.equal('not_found');
      }
    });

    it('leaves the real invitation pending and nobody added', async () => {
      expect((await world.knex('au_invitations').first()).status).to.equal('pending');
      expect(await world.count('users')).to.equal(1);
      expect((await memberships(world, world.account.id)).map((r) => Number(r.user_id))).to.deep.equal([world.ownerId]);
    });
  });
});
