import { expect } from 'chai';
import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { World } from './support/world.js';
import { bareOptions, memoryKnex, MOUNT } from './support/app.js';
import { Browser, pathOf } from './support/client.js';
import { addMember } from './support/members.js';
import { accountUsers, OptionsError } from '../lib/index.js';

/** The frame-ancestors directives of every CSP header of a response. */
function frameAncestors(header: string | string[] | undefined): string[] {
  return ([] as string[]).concat(header ?? []).flatMap((policy) =>
    policy
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d.startsWith('frame-ancestors')),
  );
}

describe('frame protection of kit pages (clickjacking)', function () {
  this.timeout(60_000);
  const world = new World();
  let owner: Browser;
  let member: Browser;
  let visitor: Browser;
  let link: string;
  let memberId: number;

  before(async () => {
    await world.setUp();
    world.host.app.get(`${MOUNT}/host-page`, (_req, res) => res.send('the host page'));
    owner = await world.ownerBrowser();
    const added = await addMember(world, owner, 'member@example.com', ['invoices']);
    member = added.browser;
    memberId = added.userId;
    await owner.getJson(`${MOUNT}/`);
    await owner.postJson(`${MOUNT}/invite`, { email: 'invitee@example.com', permissions: ['invoices'] });
    link = pathOf(world.smtp.linkFor('invitee@example.com'));
    visitor = world.browser();
  });
  after(() => world.tearDown());

  const pages: Array<[string, () => Browser, () => string, number, boolean?]> = [
    ['User Management', () => owner, () => `${MOUNT}/`, 200],
    ['User Management as JSON', () => owner, () => `${MOUNT}/`, 200, true],
    ['Invite New User', () => owner, () => `${MOUNT}/invite`, 200],
    ['Manage permissions', () => owner, () => `${MOUNT}/users/${memberId}`, 200],
    ['Remove user? (the Confirm button)', () => owner, () => `${MOUNT}/users/${memberId}/remove`, 200],
    ['Activity', () => owner, () => `${MOUNT}/activity`, 200],
    ['Your accounts', () => member, () => `${MOUNT}/accounts`, 200],
    ['accept', () => visitor, () => link, 200],
    ['accept as JSON', () => visitor, () => link, 200, true],
    ['not found', () => owner, () => `${MOUNT}/users/999999`, 404],
    ['forbidden', () => member, () => `${MOUNT}/`, 403],
    ['forbidden as JSON', () => member, () => `${MOUNT}/`, 403, true],
    ['unknown link', () => visitor, () => `${MOUNT}/accept/${'C'.repeat(43)}`, 404],
    ['the stylesheet', () => visitor, () => `${MOUNT}/assets/au.css`, 200],
  ];

  describe("without helmet (the headers are the kit's own)", () => {
    for (const [name, who, path, status, json] of pages) {
      it(`${name}: X-Frame-Options DENY and CSP frame-ancestors 'none'`, async () => {
        const res = json ? await who().getJson(path()) : await who().get(path());
        expect(res.status).to.equal(status);
        expect(res.headers['x-frame-options']).to.equal('DENY');
        expect(res.headers['content-security-policy']).to.equal("frame-ancestors 'none'");
      });
    }

    it('the CSRF refusal (403) of a POST too', async () => {
      const res = await owner.post(`${MOUNT}/invite`, { email: 'x@example.com', permissions: ['invoices'] }, { csrf: 'wrong' });
      expect(res.status).to.equal(403);
      expect(res.headers['x-frame-options']).to.equal('DENY');
      expect(frameAncestors(res.headers['content-security-policy'])).to.deep.equal(["frame-ancestors 'none'"]);
    });

    it('leaves a host page under the same mount path alone', async () => {
      const res = await request(world.host.app).get(`${MOUNT}/host-page`);
      expect(res.text).to.equal('the host page');
      expect(res.headers).not.to.have.property('x-frame-options');
      expect(res.headers).not.to.have.property('content-security-policy');
    });
  });

  describe("under helmet's defaults (a host CSP with frame-ancestors 'self')", () => {
    let portal: express.Express;
    let ownerBehindHelmet: Browser;

    before(async () => {
      portal = express();
      portal.use(helmet());
      portal.use(world.host.app);
      ownerBehindHelmet = new Browser(portal);
      await ownerBehindHelmet.login('owner@acme.test', 'owner-password-1');
    });

    it("keeps the host's policy and sets one frame-ancestors 'none' in it, on one CSP header", async () => {
      const res = await ownerBehindHelmet.get(`${MOUNT}/users/${memberId}/remove`);
      expect(res.status).to.equal(200);
      const csp = res.headers['content-security-policy'];
      expect(csp).to.be.a('string');
      expect(csp).to.contain("default-src 'self'").and.contain("script-src 'self'").and.contain("script-src-attr 'none'").and.contain("object-src 'none'");
      expect(frameAncestors(csp)).to.deep.equal(["frame-ancestors 'none'"]);
      expect(res.headers['x-frame-options']).to.equal('DENY');
    });

    it("leaves the host's own pages with helmet's headers as they were", async () => {
      const res = await request(portal).get('/login');
      expect(frameAncestors(res.headers['content-security-policy'])).to.deep.equal(["frame-ancestors 'self'"]);
      expect(res.headers['x-frame-options']).to.equal('SAMEORIGIN');
      const under = await request(portal).get(`${MOUNT}/host-page`);
      expect(frameAncestors(under.headers['content-security-policy'])).to.deep.equal(["frame-ancestors 'self'"]);
      expect(under.headers['x-frame-options']).to.equal('SAMEORIGIN');
    });
  });

  describe('relaxed by the host with the frameAncestors option', () => {
    const relaxed = new World();
    before(() => relaxed.setUp({ frameAncestors: ["'self'", 'https://admin.example.com'] }));
    after(() => relaxed.tearDown());

    it('sends the sources given, and no X-Frame-Options (it cannot name a list)', async () => {
      const owner = await relaxed.ownerBrowser();
      const res = await owner.get(`${MOUNT}/`);
      expect(res.headers['content-security-policy']).to.equal("frame-ancestors 'self' https://admin.example.com");
      expect(res.headers).not.to.have.property('x-frame-options');
    });
  });

  describe('the frameAncestors option', () => {
    const base = () => bareOptions(memoryKnex());

    it("sends SAMEORIGIN for ['self']", async () => {
      const au = accountUsers({ ...base(), frameAncestors: ["'self'"] });
      const app = express();
      app.use('/u', au.router);
      const res = await request(app).get('/u/assets/au.js');
      expect(res.headers['x-frame-options']).to.equal('SAMEORIGIN');
      expect(res.headers['content-security-policy']).to.equal("frame-ancestors 'self'");
    });

    for (const bad of [[], ["'none'", "'self'"], ['https://x.test; script-src *'], ['a b']]) {
      it(`refuses ${JSON.stringify(bad)} at start-up with an OptionsError naming frameAncestors`, () => {
        expect(() => accountUsers({ ...base(), frameAncestors: bad })).to.throw(OptionsError, /frameAncestors/);
      });
    }
  });
});
