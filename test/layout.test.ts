import { expect } from 'chai';
import express from 'express';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { Browser } from './support/client.js';
import { addMember } from './support/members.js';
import type { AccountUser, LayoutContext } from '../lib/index.js';

/** What a test layout saw, in a form that compares well. */
interface Seen {
  page: string;
  title: string;
  mount: string;
  csrfToken: string | undefined;
  account: string | undefined;
  userEmail: unknown;
  can: Record<string, boolean>;
  portal: unknown;
  url: string;
  flash: string | undefined;
}

function seen(context: LayoutContext): Seen {
  return {
    page: /<h1[^>]*>([^<]*)<\/h1>/.exec(context.body)?.[1] ?? '',
    title: context.title,
    mount: context.mount,
    csrfToken: context.csrfToken,
    account: context.accountUser?.account.name,
    userEmail: (context.user as AccountUser | undefined)?.email,
    can: { invoices: context.can('invoices'), tickets: context.can('tickets'), 'no-such-key': context.can('no-such-key') },
    portal: context.locals.portal,
    url: context.req.originalUrl,
    flash: context.flash?.text,
  };
}

/**
 * A host in front of the test host: its own middleware puts something in res.locals before the
 * kit's router runs, as a portal does for its header.
 */
function portalBrowser(world: World): Browser {
  const outer = express();
  outer.use((_req, res, next) => {
    res.locals.portal = 'Acme Portal';
    next();
  });
  outer.use(world.host.app);
  return new Browser(outer);
}

describe('layout', function () {
  this.timeout(30_000);

  describe('a function layout', () => {
    const world = new World();
    const calls: Seen[] = [];
    let owner: Browser;

    before(async () => {
      await world.setUp({
        layout: (body: string, context: LayoutContext) => {
          calls.push(seen(context));
          return `<host-frame>${body}</host-frame>`;
        },
      });
      owner = portalBrowser(world);
      await owner.login('owner@acme.test', 'owner-password-1');
    });
    after(() => world.tearDown());
    beforeEach(() => {
      calls.length = 0;
    });

    it("gets the page's title, the mount path, the CSRF token of the page's forms, the account user, the signed-in user, res.locals and the request", async () => {
      const res = await owner.get(`${MOUNT}/invite?from=nav`);
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/^<host-frame><h1>Invite New User<\/h1>/);
      expect(calls).to.have.length(1);
      const call = calls[0]!;
      expect(call).to.include({
        page: 'Invite New User',
        title: 'Invite New User',
        mount: MOUNT,
        account: 'Acme Ltd',
        userEmail: 'owner@acme.test',
        portal: 'Acme Portal',
      });
      expect(call.url).to.equal(`${MOUNT}/invite?from=nav`);
      expect(call.csrfToken).to.be.a('string').and.equal(owner.csrf);
    });

    it('gets can(): the owner holds every catalogue key, and no one holds a key the catalogue lacks', async () => {
      await owner.get(`${MOUNT}/`);
      expect(calls[0]!.can).to.deep.equal({ invoices: true, tickets: true, 'no-such-key': false });
    });

    it("gets the member's own permissions in can(), on the page that refuses them", async () => {
      const member = await addMember(world, owner, 'billing@acme.test', ['invoices']);
      calls.length = 0;
      const res = await member.browser.get(`${MOUNT}/`);
      expect(res.status).to.equal(403);
      expect(calls).to.have.length(1);
      expect(calls[0]!.can).to.deep.equal({ invoices: true, tickets: false, 'no-such-key': false });
      expect(calls[0]!.userEmail).to.equal('billing@acme.test');
    });

    it('gets the notice a form left, which the page shows as well', async () => {
      await owner.get(`${MOUNT}/invite`);
      await owner.post(`${MOUNT}/invite`, { email: 'flash@example.com', permissions: ['invoices'] });
      calls.length = 0;
      const res = await owner.get(`${MOUNT}/`);
      expect(calls[0]!.flash).to.equal('Invitation sent to flash@example.com.');
      expect(res.text).to.contain('Invitation sent to flash@example.com.');
    });

    it('gets no account user, a can() that allows nothing and no user for a visitor', async () => {
      const res = await new Browser(world.host.app).get(`${MOUNT}/accept/${'A'.repeat(43)}`);
      expect(res.status).to.equal(404);
      expect(calls).to.have.length(1);
      expect(calls[0]).to.include({ account: undefined, userEmail: undefined, portal: undefined });
      expect(calls[0]!.can).to.deep.equal({ invoices: false, tickets: false, 'no-such-key': false });
    });
  });

  describe('an async function layout', () => {
    const world = new World();
    let owner: Browser;

    before(async () => {
      await world.setUp({
        // As a host rendering with app.render or an async engine does.
        layout: async (body: string, context: LayoutContext) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return `<host-frame data-title="${context.title}">${context.can('invoices') ? '<a href="/invoices">Invoices</a>' : ''}${body}</host-frame>`;
        },
      });
      owner = await world.ownerBrowser();
    });
    after(() => world.tearDown());

    it('is awaited: its HTML is the page', async () => {
      const res = await owner.get(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text).to.match(
        /^<host-frame data-title="User Management"><a href="\/invoices">Invoices<\/a><header class="au-header">\s*<h1>User Management<\/h1>/,
      );
    });

    it('is awaited on error pages too: a 404 is a page, not {}', async () => {
      const res = await world.browser().get(`${MOUNT}/accept/${'A'.repeat(43)}`);
      expect(res.status).to.equal(404);
      expect(res.text)
        .to.match(/^<host-frame data-title="Not found">/)
        .and.contain('This invitation link is not valid.');
    });

    it("is awaited on the 403 page of a host's guarded route", async () => {
      const member = await addMember(world, owner, 'support@acme.test', ['tickets']);
      const res = await member.browser.get('/host/invoices');
      expect(res.status).to.equal(403);
      expect(res.text).to.match(/^<host-frame data-title="You do not have access to this page"><h1>/);
    });
  });

  describe('a string layout', () => {
    const world = new World();
    let owner: Browser;

    before(async () => {
      await world.setUp({
        layout: '<title>{{title}} – Acme</title>{{> portal-nav}}<p id="who">{{shout user.email}} in {{accountUser.account.name}}</p><main>{{{body}}}</main>',
        handlebars: {
          partials: {
            'portal-nav':
              '<nav>{{#if (can "invoices")}}<a href="/invoices">Invoices</a>{{/if}}{{#if (can "tickets")}}<a href="/tickets">Support</a>{{/if}}{{#if (can "no-such-key")}}<a href="/nowhere">x</a>{{/if}}</nav>',
          },
          helpers: { shout: (text: unknown) => (typeof text === 'string' ? text.toUpperCase() : '') },
        },
      });
      owner = await world.ownerBrowser();
    });
    after(() => world.tearDown());

    it("uses the host's partial, the host's helper and can() for the owner", async () => {
      const res = await owner.get(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/^<title>User Management – Acme<\/title><nav><a href="\/invoices">Invoices<\/a><a href="\/tickets">Support<\/a><\/nav>/);
      expect(res.text).to.contain('<p id="who">OWNER@ACME.TEST in Acme Ltd</p>');
    });

    it('shows a member only the links their permissions open', async () => {
      const member = await addMember(world, owner, 'payer@acme.test', ['invoices']);
      const res = await member.browser.get('/host/tickets');
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('<nav><a href="/invoices">Invoices</a></nav>');
    });

    it('draws nothing from can() for a visitor', async () => {
      const res = await world.browser().get(`${MOUNT}/accept/${'A'.repeat(43)}`);
      expect(res.text).to.contain('<nav></nav>').and.contain('<p id="who"> in </p>');
    });
  });

  describe('a layout function that fails', () => {
    const world = new World();
    let owner: Browser;
    let behaviour: (body: string) => unknown = (body) => body;
    const errors = () => world.host.logs.filter((l) => l.startsWith('error:'));

    before(async () => {
      await world.setUp({ layout: ((body: string) => behaviour(body)) as (body: string) => string });
      owner = await world.ownerBrowser();
    });
    after(() => world.tearDown());
    beforeEach(() => {
      world.host.logs.length = 0;
    });

    const expectKitOwn500 = (res: { status: number; text: string; headers: Record<string, string> }) => {
      expect(res.status).to.equal(500);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text)
        .to.match(/^<!doctype html>/)
        .and.contain('<main class="au-main" id="main" tabindex="-1">');
      expect(res.text).to.contain('<h1>Something went wrong</h1>').and.contain('This page could not be shown because of an error on our side.');
      expect(res.text).to.not.contain('host-frame');
    };

    it("that throws: a 500 page in the kit's own layout, and one error line naming the page and the reason", async () => {
      behaviour = () => {
        throw new Error('nav template missing');
      };
      const res = await owner.get(`${MOUNT}/`);
      expectKitOwn500(res);
      expect(errors()).to.have.length(1);
      expect(errors()[0]).to.match(/^error: express-account-users: the layout function threw while rendering pages\/users: nav template missing/);
    });

    it('that rejects: the same', async () => {
      behaviour = () => Promise.reject(new Error('engine down'));
      expectKitOwn500(await owner.get(`${MOUNT}/invite`));
      expect(errors()).to.have.length(1);
      expect(errors()[0]).to.match(/^error: express-account-users: the layout function rejected while rendering pages\/invite: engine down/);
    });

    it('whose Promise resolves to an object: a 500 page, not {}', async () => {
      behaviour = (body) => Promise.resolve({ html: body });
      const res = await owner.get(`${MOUNT}/`);
      expectKitOwn500(res);
      expect(res.text).to.not.equal('{}');
      expect(errors()).to.deep.equal([
        'error: express-account-users: the layout function returned a Promise that resolved to an object instead of a string of HTML while rendering pages/users ',
      ]);
    });

    it('that returns undefined', async () => {
      behaviour = () => undefined;
      expectKitOwn500(await owner.get(`${MOUNT}/activity`));
      expect(errors()).to.deep.equal([
        'error: express-account-users: the layout function returned undefined instead of a string of HTML while rendering pages/activity ',
      ]);
    });

    it("on an error page (a 404): a 500 in the kit's own layout", async () => {
      behaviour = () => 42;
      expectKitOwn500(await world.browser().get(`${MOUNT}/accept/${'A'.repeat(43)}`));
      expect(errors()).to.deep.equal([
        'error: express-account-users: the layout function returned a number instead of a string of HTML while rendering pages/error ',
      ]);
    });

    it("on the 403 page of a host's guarded route", async () => {
      behaviour = (body) => body;
      const member = await addMember(world, owner, 'm@acme.test', ['invoices']);
      behaviour = () => Promise.resolve(null);
      expectKitOwn500(await member.browser.get('/host/tickets'));
      expect(errors()).to.have.length(1);
      expect(errors()[0]).to.contain('resolved to null');
    });

    it('leaves JSON answers alone: they never go through the layout', async () => {
      behaviour = () => {
        throw new Error('not called for JSON');
      };
      const res = await owner.getJson(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.body.members).to.be.an('array');
      expect(errors()).to.deep.equal([]);
    });

    it('answers again as soon as the layout works again', async () => {
      behaviour = (body) => `<host-frame>${body}</host-frame>`;
      const res = await owner.get(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/^<host-frame>/);
    });
  });
});
