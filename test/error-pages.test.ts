import { expect } from 'chai';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const headingOf = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

/** Each error page's title and heading say what happened; its message says why. */
describe('error pages', function () {
  this.timeout(30_000);

  describe('with the default messages', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let member: Member;
    before(async () => {
      member = await addMember(world, owner, 'member@acme.test', ['invoices']);
    });

    it('titles a 403 of the owner-only pages "You do not have access to this page", with the reason', async () => {
      const res = await member.browser.get(`${MOUNT}/`);
      expect(res.status).to.equal(403);
      expect(titleOf(res.text)).to.equal('You do not have access to this page');
      expect(headingOf(res.text)).to.equal('You do not have access to this page');
      expect(res.text).to.contain('Only the account owner can manage users.').and.not.contain('Something went wrong');
    });

    it("titles the 403 of a host's guarded route the same, naming the permission to ask for", async () => {
      const res = await member.browser.get('/host/tickets');
      expect(res.status).to.equal(403);
      expect(headingOf(res.text)).to.equal('You do not have access to this page');
      expect(res.text).to.contain('You do not have permission to do that. Ask the account owner for: View &amp; Open Support Tickets.');
    });

    it('keeps the JSON answer of a 403 as it was', async () => {
      const res = await member.browser.getJson('/host/tickets');
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
    });

    it('titles a refused form (CSRF) "This form has expired", not as a lack of access', async () => {
      const res = await owner.post(`${MOUNT}/invite`, { email: 'x@example.com', permissions: ['invoices'] }, { csrf: 'forged' });
      expect(res.status).to.equal(403);
      expect(headingOf(res.text)).to.equal('This form has expired');
      expect(res.text).to.contain('This form has expired or did not come from this site.');
    });

    it('titles a 404 "Not found"', async () => {
      const res = await world.browser().get(`${MOUNT}/accept/${'A'.repeat(43)}`);
      expect(res.status).to.equal(404);
      expect(titleOf(res.text)).to.equal('Not found');
      expect(res.text).to.contain('This invitation link is not valid.');
    });

    it('keeps "Something went wrong" for a bad request', async () => {
      const res = await owner.get(`${MOUNT}/users/${world.ownerId}/remove`);
      expect(res.status).to.equal(400);
      expect(headingOf(res.text)).to.equal('Something went wrong');
      expect(res.text).to.contain('the account owner cannot be removed');
    });
  });

  describe('with the messages option', () => {
    const world = new World();
    after(() => world.tearDown());

    it("uses the host's words for the 403 title", async () => {
      await world.setUp({ messages: { 'forbidden.title': 'Access denied' } });
      const owner = await world.ownerBrowser();
      const member = await addMember(world, owner, 'member@acme.test', ['invoices']);
      const res = await member.browser.get(`${MOUNT}/activity`);
      expect(res.status).to.equal(403);
      expect(titleOf(res.text)).to.equal('Access denied');
      expect(headingOf(res.text)).to.equal('Access denied');
    });
  });
});
