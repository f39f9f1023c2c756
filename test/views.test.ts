import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import type { LayoutContext } from '../lib/index.js';
import { escapeHtml, invite, linkPath } from './support/invitations.js';
import { addMember } from './support/members.js';

/** The host's say over the pages: its layout, its own templates, its own words; and escaping throughout. */
describe('views', function () {
  this.timeout(30_000);

  describe('layout option as a Handlebars string', () => {
    const world = new World();
    let owner: Browser;
    before(async () => {
      await world.setUp({
        layout: '<!doctype html><title>Portal – {{title}}</title><nav id="host-nav">Acme Portal</nav><main id="host-main">{{{body}}}</main>',
      });
      owner = await world.ownerBrowser();
    });
    after(() => world.tearDown());

    it('wraps every page in the host layout instead of the built-in one', async () => {
      for (const path of ['/', '/invite', '/activity', '/accounts']) {
        const res = await owner.get(`${MOUNT}${path}`);
        expect(res.status, path).to.equal(200);
        expect(res.text, path).to.match(/^<!doctype html><title>Portal – [^<]+<\/title><nav id="host-nav">Acme Portal<\/nav><main id="host-main">/);
        expect(res.text, path).to.not.contain('class="au-main"');
      }
    });

    it('puts the page itself, with its form and CSRF token, where {{{body}}} is', async () => {
      const res = await owner.get(`${MOUNT}/invite`);
      expect(res.text).to.contain('<title>Portal – Invite New User</title>');
      const body = res.text.slice(res.text.indexOf('<main id="host-main">'));
      expect(body).to.contain('<h1>Invite New User</h1>').and.contain('name="_csrf"');
      const sent = await owner.post(`${MOUNT}/invite`, { email: 'layout@example.com', permissions: ['invoices'] });
      expect(sent.status).to.equal(303);
    });

    it('wraps error pages too', async () => {
      const res = await world.browser().get(`${MOUNT}/accept/${'A'.repeat(43)}`);
      expect(res.status).to.equal(404);
      expect(res.text).to.contain('<nav id="host-nav">Acme Portal</nav>').and.contain('This invitation link is not valid.');
    });
  });

  describe('layout option as a function', () => {
    const world = new World();
    const calls: Array<{ title: unknown }> = [];
    after(() => world.tearDown());

    it('receives the page HTML and the context, and its result is the response', async () => {
      await world.setUp({
        layout: (body: string, context: LayoutContext) => {
          calls.push({ title: context.title });
          return `<host-frame data-title="${String(context.title)}">${body}</host-frame>`;
        },
      });
      const owner = await world.ownerBrowser();
      const res = await owner.get(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/^<host-frame data-title="User Management">[^]*<\/host-frame>$/);
      expect(res.text).to.contain('<h1>User Management</h1>').and.not.contain('<!doctype html>');
      expect(calls).to.deep.equal([{ title: 'User Management' }]);
    });
  });

  describe('views option: a directory of overrides', () => {
    const world = new World();
    let dir: string;
    let owner: Browser;
    const warningsAbout = (name: string) => world.host.logs.filter((l) => l.startsWith('warn:') && l.includes(`${name}.hbs not found`));

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'au-views-'));
      mkdirSync(join(dir, 'pages'));
      writeFileSync(
        join(dir, 'pages', 'users.hbs'),
        '<h1 id="custom-users">Our team at {{accountUser.account.name}}</h1><ul>{{#each members}}<li>{{email}}</li>{{/each}}</ul>',
      );
      await world.setUp({ views: dir });
      owner = await world.ownerBrowser();
    });
    after(async () => {
      await world.tearDown();
      rmSync(dir, { recursive: true, force: true });
    });

    it('renders the overridden template by name', async () => {
      const res = await owner.get(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('<h1 id="custom-users">Our team at Acme Ltd</h1>').and.contain('<li>owner@acme.test</li>');
      expect(res.text).to.not.contain('Invite New User');
    });

    it('falls back to the built-in for a template it lacks, with exactly one warning however often it renders', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await owner.get(`${MOUNT}/invite`);
        expect(res.status).to.equal(200);
        expect(res.text).to.contain('<h1>Invite New User</h1>');
      }
      const warnings = warningsAbout('pages/invite');
      expect(warnings).to.have.length(1);
      expect(warnings[0])
        .to.contain(join(dir, 'pages', 'invite.hbs'))
        .and.contain('using the built-in pages/invite.hbs');
    });

    it('does not warn about the template it does override', () => {
      expect(world.host.logs.filter((l) => l.includes('pages/users.hbs'))).to.have.length(0);
    });
  });

  describe('messages option', () => {
    const world = new World();
    after(() => world.tearDown());

    it('changes the visible strings it names, placeholders filled, and leaves the rest', async () => {
      await world.setUp({ messages: { 'users.title': 'Team Members', 'flash.invited': 'We emailed {email}.', 'invite.submit': 'Invite them' } });
      const owner = await world.ownerBrowser();
      const users = await owner.get(`${MOUNT}/`);
      expect(users.text).to.contain('<h1>Team Members</h1>').and.not.contain('User Management');
      expect(users.text).to.contain('Invite New User');
      const form = await owner.get(`${MOUNT}/invite`);
      expect(form.text).to.contain('>Invite them</button>');
      await owner.post(`${MOUNT}/invite`, { email: 'words@example.com', permissions: ['invoices'] });
      expect((await owner.get(`${MOUNT}/`)).text).to.contain('We emailed words@example.com.');
    });
  });

  describe('HTML escaping of user input', () => {
    const world = new World();
    const NAME = '<script>alert(1)</script> {{7*7}}';
    let owner: Browser;
    let memberId: number;
    before(async () => {
      await world.setUp();
      owner = await world.ownerBrowser();
      memberId = (await addMember(world, owner, 'xss@example.com', ['invoices'], { name: NAME })).userId;
    });
    after(() => world.tearDown());

    const expectEscaped = (html: string, where: string) => {
      expect(html, where).to.contain(escapeHtml(NAME));
      expect(html, where).to.not.contain('<script>alert(1)</script>');
    };

    it("shows a member's name escaped on the owner's users page", async () => {
      expectEscaped((await owner.get(`${MOUNT}/`)).text, 'users page');
    });

    it('shows it escaped on the permissions page, the remove confirmation and the activity log', async () => {
      expectEscaped((await owner.get(`${MOUNT}/users/${memberId}`)).text, 'member page');
      expectEscaped((await owner.get(`${MOUNT}/users/${memberId}/remove`)).text, 'remove page');
      const saved = await owner.post(`${MOUNT}/users/${memberId}/permissions`, { permissions: ['invoices', 'tickets'] });
      const flash = await owner.get(saved.headers.location!);
      expect(flash.text).to.contain(`Permissions for ${escapeHtml(NAME)} saved.`);
      expectEscaped((await owner.get(`${MOUNT}/activity`)).text, 'activity page');
    });

    it('escapes an account name in the accept page and the HTML email', async () => {
      const accountName = 'Acme <img src=x onerror=alert(1)>';
      await world.knex('au_accounts').where({ id: world.account.id }).update({ name: accountName });
      await invite(owner, 'victim@example.com');
      const mail = world.smtp.to('victim@example.com')[0]!;
      expect(mail.subject).to.equal(`${accountName} has invited you to their account.`);
      expect(String(mail.html)).to.contain(escapeHtml(accountName)).and.not.contain('<img src=x');
      const page = await world.browser().get(linkPath(world, 'victim@example.com'));
      expect(page.text).to.contain(escapeHtml(accountName)).and.not.contain('<img src=x');
    });

    it('escapes a re-rendered invite form value', async () => {
      await owner.get(`${MOUNT}/invite`);
      const res = await owner.post(`${MOUNT}/invite`, { email: '"><script>alert(2)</script>', permissions: ['invoices'] });
      expect(res.status).to.equal(400);
      expect(res.text).to.not.contain('<script>alert(2)</script>');
      expect(res.text).to.contain(`value="${escapeHtml('"><script>alert(2)</script>')}"`);
    });
  });
});
