import { expect } from 'chai';
import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { Browser, pathOf } from './support/client.js';
import { addMember } from './support/members.js';

/** What helmet's default Content-Security-Policy forbids, found in a page's HTML. */
function cspViolations(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1]!;
    const body = m[2]!;
    if (body.trim()) found.push(`inline script body: ${body.trim().slice(0, 60)}`);
    const src = /\ssrc="([^"]*)"/i.exec(attrs)?.[1];
    if (!src) found.push('script without src');
    else if (!src.startsWith('/') || src.startsWith('//')) found.push(`script from another origin: ${src}`);
  }
  for (const m of html.matchAll(/<[a-z][^>]*?\s(on[a-z]+)\s*=/gi)) found.push(`event handler attribute ${m[1]}`);
  if (/(href|src|action|formaction)\s*=\s*"\s*javascript:/i.test(html)) found.push('javascript: URL');
  for (const m of html.matchAll(/<(?:link|img|iframe|form|button)\b[^>]*?\s(?:href|src|action|formaction)="([^"]*)"/gi)) {
    const url = m[1]!;
    if (/^(https?:)?\/\//i.test(url)) found.push(`external resource or form target: ${url}`);
  }
  return found;
}

describe('security headers on kit pages', function () {
  this.timeout(60_000);
  const world = new World();
  let link: string;
  let memberId: number;

  before(async () => {
    // A clock that stands still: the pages say how long ago things happened ("1 second ago"), and a
    // loaded machine can let seconds turn between the requests a test compares.
    const frozen = new Date();
    await world.setUp({ now: () => frozen });
    const owner = await world.ownerBrowser();
    memberId = (await addMember(world, owner, 'member@example.com', ['invoices'])).userId;
    await owner.postJson(`${MOUNT}/invite`, { email: 'invitee@example.com', permissions: ['invoices'] });
    link = pathOf(world.smtp.linkFor('invitee@example.com'));
  });
  after(() => world.tearDown());

  describe("accept pages (without helmet, so the headers are the kit's own)", () => {
    const linkHeaders = (res: request.Response) => {
      expect(res.headers['referrer-policy']).to.equal('no-referrer');
      expect(res.headers['cache-control']).to.equal('no-store');
    };

    it('GET /accept/:token sends Referrer-Policy no-referrer and Cache-Control no-store', async () => {
      const res = await request(world.host.app).get(link);
      expect(res.status).to.equal(200);
      linkHeaders(res);
    });

    it('the same on the JSON answer', async () => {
      const res = await request(world.host.app).get(link).set('Accept', 'application/json');
      expect(res.status).to.equal(200);
      linkHeaders(res);
    });

    it('the same on an unknown link (404)', async () => {
      const res = await request(world.host.app).get(`${MOUNT}/accept/${'B'.repeat(43)}`);
      expect(res.status).to.equal(404);
      linkHeaders(res);
    });

    it('the same on a registration form sent back with errors (400)', async () => {
      const b = new Browser(world.host.app);
      await b.get(link);
      const res = await b.post(`${link}/register`, { name: '', password: 'short' });
      expect(res.status).to.equal(400);
      linkHeaders(res);
    });

    it('the same on a link that no longer works (410)', async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      const inv = await owner.postJson(`${MOUNT}/invite`, { email: 'gone@example.com', permissions: ['invoices'] });
      const goneLink = pathOf(world.smtp.linkFor('gone@example.com'));
      await owner.postJson(`${MOUNT}/invitations/${inv.body.invitation.id}/cancel`, {});
      const res = await request(world.host.app).get(goneLink);
      expect(res.status).to.equal(410);
      linkHeaders(res);
    });
  });

  describe("owner pages (the CSRF token and the account's people on them)", () => {
    it('are sent with Cache-Control no-store, as HTML and as JSON, whole (Content-Length) and without an ETag', async () => {
      const owner = await world.ownerBrowser();
      for (const path of [`${MOUNT}/`, `${MOUNT}/users/${memberId}`, `${MOUNT}/activity`, `${MOUNT}/invite`]) {
        const html = await owner.get(path);
        expect(html.status, path).to.equal(200);
        expect(html.headers['cache-control'], path).to.equal('no-store');
        expect(html.headers['content-type'], path).to.equal('text/html; charset=utf-8');
        expect(Number(html.headers['content-length']), path).to.equal(Buffer.byteLength(html.text));
        expect(html.headers.etag, path).to.equal(undefined);
        const json = await owner.getJson(path);
        expect(json.headers['cache-control'], path).to.equal('no-store');
      }
    });

    it('answer HEAD with the length the page has', async () => {
      const owner = await world.ownerBrowser();
      const page = await owner.get(`${MOUNT}/`);
      const head = await owner.agent.head(`${MOUNT}/`);
      expect(head.status).to.equal(200);
      expect(head.headers['cache-control']).to.equal('no-store');
      expect(Number(head.headers['content-length'])).to.equal(Buffer.byteLength(page.text));
    });
  });

  describe("every kit page under helmet's default Content-Security-Policy", () => {
    let portal: express.Express;
    let owner: Browser;
    let member: Browser;
    let visitor: Browser;

    before(async () => {
      portal = express();
      portal.use(helmet());
      portal.use(world.host.app);
      owner = new Browser(portal);
      await owner.login('owner@acme.test', 'owner-password-1');
      member = new Browser(portal);
      await member.login('member@example.com', 'member-password-1');
      visitor = new Browser(portal);
    });

    const pages: Array<[string, () => Browser, () => string, number]> = [
      ['User Management', () => owner, () => `${MOUNT}/`, 200],
      ['Invite New User', () => owner, () => `${MOUNT}/invite`, 200],
      ['Manage permissions', () => owner, () => `${MOUNT}/users/${memberId}`, 200],
      ['Remove user?', () => owner, () => `${MOUNT}/users/${memberId}/remove`, 200],
      ['Activity', () => owner, () => `${MOUNT}/activity`, 200],
      ['Your accounts', () => member, () => `${MOUNT}/accounts`, 200],
      ['accept, signed out', () => visitor, () => link, 200],
      ['accept, signed in as someone else', () => member, () => link, 200],
      ['not found', () => owner, () => `${MOUNT}/users/999999`, 404],
      ['forbidden', () => member, () => `${MOUNT}/`, 403],
      ['unknown link', () => visitor, () => `${MOUNT}/accept/${'C'.repeat(43)}`, 404],
    ];

    for (const [name, who, path, status] of pages) {
      it(`${name}: served with the CSP, no inline script, no on* handler, only same-origin scripts`, async () => {
        const res = await who().get(path());
        expect(res.status).to.equal(status);
        expect(res.headers['content-security-policy']).to.contain("script-src 'self'").and.contain("script-src-attr 'none'");
        expect(res.text).to.match(/<script\b[^>]*\ssrc="\/[^/]/);
        expect(cspViolations(res.text)).to.deep.equal([]);
      });
    }

    it('the 429 page too', async () => {
      const b = new Browser(portal);
      await b.get(link);
      let res = await b.post(`${MOUNT}/accept/${'D'.repeat(43)}/register`, { name: 'x', password: 'guess-password' });
      for (let i = 0; i < 25 && res.status !== 429; i++)
        res = await b.post(`${MOUNT}/accept/${'D'.repeat(43)}/register`, { name: 'x', password: 'guess-password' });
      expect(res.status).to.equal(429);
      expect(cspViolations(res.text)).to.deep.equal([]);
    });

    it('serves the kit script and stylesheet from the same origin with types nosniff accepts', async () => {
      const js = await request(portal).get(`${MOUNT}/assets/au.js`);
      expect(js.status).to.equal(200);
      expect(js.headers['content-type']).to.match(/^text\/javascript/);
      expect(js.headers['x-content-type-options']).to.equal('nosniff');
      const css = await request(portal).get(`${MOUNT}/assets/au.css`);
      expect(css.status).to.equal(200);
      expect(css.headers['content-type']).to.match(/^text\/css/);
    });

    it('catches the violations it looks for (the checker itself)', () => {
      expect(cspViolations('<script>alert(1)</script>')).to.have.length(2);
      expect(cspViolations('<button onclick="x()">')).to.deep.equal(['event handler attribute onclick']);
      expect(cspViolations('<script src="https://cdn.test/x.js"></script>')).to.have.length(1);
      expect(cspViolations('<script src="/account/users/assets/au.js" defer></script>')).to.deep.equal([]);
    });
  });
});
