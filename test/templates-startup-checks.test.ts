import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { World } from './support/world.js';
import { createHost, MOUNT } from './support/app.js';
import { OptionsError, type AccountUsersOptions } from '../lib/index.js';

/**
 * Templates that name a partial or a helper nobody registered fail at accountUsers(), with the
 * template and the name, instead of a 500 on the first request that renders them.
 */
describe('templates: start-up checks', function () {
  this.timeout(30_000);
  const world = new World();
  const dirs: string[] = [];

  before(() => world.setUp());
  after(async () => {
    await world.tearDown();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A views folder holding the given files (path relative to the folder → template text). */
  function viewsFolder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'au-checks-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  /** The OptionsError accountUsers() throws with these options (fails the test if it does not throw). */
  function startUpError(options: Partial<AccountUsersOptions>): OptionsError {
    try {
      createHost(world.knex, world.smtp, options);
    } catch (err) {
      expect(err).to.be.instanceOf(OptionsError);
      return err as OptionsError;
    }
    expect.fail('accountUsers() accepted the templates');
  }

  const starts = (options: Partial<AccountUsersOptions>) => createHost(world.knex, world.smtp, options);

  describe('a missing partial', () => {
    it('in a page of the views folder: refused at start-up, naming the file, the line and the partial', () => {
      const dir = viewsFolder({ 'pages/users.hbs': '<h1>Team</h1>\n{{> portal-nav}}\n{{#each members}}{{email}}{{/each}}' });
      const err = startUpError({ views: dir });
      expect(err.message).to.contain(`${join(dir, 'pages', 'users.hbs')} (line 2): includes the partial "portal-nav", which is not registered`);
    });

    it('in a string layout', () => {
      const err = startUpError({ layout: '<nav>{{> portal-nav}}</nav>{{{body}}}' });
      expect(err.message).to.contain('option `layout` (line 1): includes the partial "portal-nav", which is not registered (add it to handlebars.partials)');
    });

    it('as a partial block, whose fallback content would hide the typo', () => {
      const err = startUpError({ layout: '{{#> portal-frame}}<nav></nav>{{/portal-frame}}{{{body}}}' });
      expect(err.message).to.contain('includes the partial "portal-frame"');
    });

    it("in a partial of the views folder, and in one of the host's partials", () => {
      const dir = viewsFolder({ 'partials/flash.hbs': '{{#if flash}}{{> notice}}{{/if}}' });
      const err = startUpError({ views: dir, handlebars: { partials: { 'portal-nav': '<nav>{{> portal-links}}</nav>' } } });
      expect(err.message).to.contain(`${join(dir, 'partials', 'flash.hbs')} (line 1): includes the partial "notice"`);
      expect(err.message).to.contain('option `handlebars.partials.portal-nav` (line 1): includes the partial "portal-links"');
    });

    it('registered through handlebars.partials (it used to be a 500 at the first render), the same template starts and renders', async () => {
      const dir = viewsFolder({ 'pages/users.hbs': '<h1>Team</h1>{{> portal-nav}}' });
      const host = starts({ views: dir, handlebars: { partials: { 'portal-nav': '<nav id="portal">{{accountUser.account.name}}</nav>' } } });
      const owner = world.browser(host);
      await owner.login('owner@acme.test', 'owner-password-1');
      const res = await owner.get(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('<h1>Team</h1><nav id="portal">Acme Ltd</nav>');
    });

    it('may be one the views folder adds next to the partials it overrides', async () => {
      const dir = viewsFolder({ 'pages/users.hbs': '<h1>Team</h1>{{> team-note}}', 'partials/team-note.hbs': '<p id="note">Ask Olive for access.</p>' });
      const host = starts({ views: dir });
      const owner = world.browser(host);
      await owner.login('owner@acme.test', 'owner-password-1');
      expect((await owner.get(`${MOUNT}/`)).text).to.contain('<h1>Team</h1><p id="note">Ask Olive for access.</p>');
    });
  });

  describe('a missing helper', () => {
    it('called with a parameter in a string layout: refused at start-up, naming the helper', () => {
      const err = startUpError({ layout: '<p>{{money 42}}</p>{{{body}}}' });
      expect(err.message).to.contain('option `layout` (line 1): calls the helper "money", which is not registered (add it to handlebars.helpers)');
    });

    it('called with a hash only, or as a sub-expression', () => {
      const err = startUpError({ layout: '{{fmt value=title}}\n{{#if (isAdmin accountUser)}}x{{/if}}{{{body}}}' });
      expect(err.message).to.contain('option `layout` (line 1): calls the helper "fmt"');
      expect(err.message).to.contain('option `layout` (line 2): calls the helper "isAdmin"');
    });

    it('in an email template of the views folder', () => {
      const dir = viewsFolder({ 'emails/invitation-text.hbs': '{{inviterName}} invited you.\n\n{{upper accountName}}\n{{link}}' });
      const err = startUpError({ views: dir });
      expect(err.message).to.contain(`${join(dir, 'emails', 'invitation-text.hbs')} (line 3): calls the helper "upper"`);
    });

    it('lists every problem of every template in one error', () => {
      const dir = viewsFolder({ 'pages/invite.hbs': '{{> a}}{{b 1}}', 'pages/member.hbs': '{{#c d}}{{/c}}' });
      const lines = startUpError({ views: dir, layout: '{{> e}}{{{body}}}' }).message.split('\n').slice(1);
      expect(lines.map((l) => /"(\w)"/.exec(l)?.[1]).sort()).to.deep.equal(['a', 'b', 'c', 'e']);
    });

    it("registered through handlebars.helpers, it starts and the host's helper renders", async () => {
      const host = starts({
        layout: '<p id="total">{{money 4200 currency="EUR"}}</p>{{{body}}}',
        handlebars: { helpers: { money: (cents: number, opts: { hash: { currency: string } }) => `${(cents / 100).toFixed(2)} ${opts.hash.currency}` } },
      });
      const owner = world.browser(host);
      await owner.login('owner@acme.test', 'owner-password-1');
      expect((await owner.get(`${MOUNT}/`)).text).to.match(/^<p id="total">42\.00 EUR<\/p>/);
    });
  });

  describe('what is not a missing name', () => {
    it('accepts plain values, paths with arguments, block parameters, built-in and kit helpers, @partial-block and inline partials', async () => {
      const host = starts({
        layout: [
          '{{#*inline "crumb"}}<li>{{this}}</li>{{/inline}}',
          '<title>{{title}}</title>{{undefinedValue}}{{#someSection}}x{{/someSection}}',
          '{{#each accountUser.permissions as |key i|}}{{> crumb key}}{{key i}}{{/each}}',
          '{{#with accountUser.account as |account|}}{{account.name}}{{/with}}',
          '{{lookup accountUser "isOwner"}}{{#if (eq title "x")}}{{/if}}{{t "users.title"}}{{#unless (can "invoices")}}{{/unless}}',
          '{{#> frame}}{{{body}}}{{/frame}}',
        ].join('\n'),
        handlebars: { partials: { frame: '<div class="frame">{{> @partial-block}}</div>' } },
      });
      const owner = world.browser(host);
      await owner.login('owner@acme.test', 'owner-password-1');
      const res = await owner.get(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('<title>User Management</title>').and.contain('<div class="frame">');
    });
  });

  describe('the handlebars option', () => {
    it("refuses a helper named like one of the kit's or a built-in Handlebars helper", () => {
      const err = startUpError({ handlebars: { helpers: { eq: () => true, if: () => true } } });
      expect(err.message).to.contain('option `handlebars.helpers.eq`: "eq" is one of the kit\'s own helpers; give yours another name');
      expect(err.message).to.contain('option `handlebars.helpers.if`: "if" is a built-in Handlebars helper; give yours another name');
    });

    it("refuses a partial named like one of the kit's, pointing at the views folder instead", () => {
      const err = startUpError({ handlebars: { partials: { flash: '<p>{{flash.text}}</p>' } } });
      expect(err.message).to.contain(
        'option `handlebars.partials.flash`: "flash" is one of the kit\'s own partials; give yours another name (to replace the kit\'s, put partials/flash.hbs in the `views` folder)',
      );
    });

    it('refuses a partial that is not template text and a helper that is not a function', () => {
      const err = startUpError({ handlebars: { partials: { nav: 42 as unknown as string }, helpers: { money: 'cents' as unknown as () => string } } });
      expect(err.message).to.contain("option `handlebars.partials.nav` must be the partial's template text");
      expect(err.message).to.contain('option `handlebars.helpers.money` must be a function');
    });

    it('refuses a name a template cannot write', () => {
      const err = startUpError({ handlebars: { partials: { 'two words': 'x' }, helpers: { '9lives': () => '' } } });
      expect(err.message).to.contain('option `handlebars.partials.two words` is not a usable partial name');
      expect(err.message).to.contain('option `handlebars.helpers.9lives` is not a usable helper name');
    });

    it('refuses a template that cannot be parsed, naming it', () => {
      const err = startUpError({ layout: '{{{body}}}{{#if title}}<h1>{{title}}</h1>' });
      expect(err.message).to.match(/option `layout`: cannot be parsed: Parse error on line 1/);
    });
  });
});
