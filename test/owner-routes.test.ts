import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { invite, linkPath, otherAccount } from './support/invitations.js';
import { addMember, type Member } from './support/members.js';
import { PERMISSIONS } from '../lib/index.js';

const ALL = PERMISSIONS.map((p) => p.key);

/** Everything a test could change, to prove a refused request changed nothing. */
async function everything(world: World): Promise<string> {
  const tables = ['users', 'accounts', 'account_users', 'invitations', 'outbox', 'activity'];
  const dump = await Promise.all(tables.map((t) => world.knex(`au_${t}`).select('*').orderBy('id')));
  return JSON.stringify(dump);
}

/** Only the active account's owner reaches the owner routes; ids from elsewhere are simply not found. */
describe('owner routes', function () {
  this.timeout(30_000);

  const world = new World();
  let owner: Browser;
  let member: Member;
  let invitationId: number;
  let foreign: { invitationId: number; memberId: number; ownerId: number };

  before(async () => {
    await world.setUp();
    owner = await world.ownerBrowser();
    // Every permission there is: permissions are not ownership.
    member = await addMember(world, owner, 'deputy@example.com', ALL);
    invitationId = (await invite(owner, 'pending@example.com')).id;

    const globex = await otherAccount(world);
    const globexMember = await addMember(world, globex.browser, 'globex-member@example.com', ['invoices']);
    const globexInvitation = await invite(globex.browser, 'globex-pending@example.com');
    foreign = { invitationId: globexInvitation.id, memberId: globexMember.userId, ownerId: globex.ownerId };
    world.host.clock.advance(2 * 60_000); // past the resend cooldown, so a resend would otherwise go through
  });
  after(() => world.tearDown());

  const ownerRoutes = (): Array<[method: 'GET' | 'POST', path: string]> => [
    ['GET', '/'],
    ['GET', '/invite'],
    ['POST', '/invite'],
    ['POST', `/invitations/${invitationId}/resend`],
    ['POST', `/invitations/${invitationId}/cancel`],
    ['GET', `/users/${world.ownerId}`],
    ['POST', `/users/${world.ownerId}/permissions`],
    ['GET', `/users/${member.userId}/remove`],
    ['POST', `/users/${member.userId}/remove`],
    ['GET', '/activity'],
  ];

  describe('a member who is not the owner', () => {
    before(async () => {
      await member.browser.getJson(`${MOUNT}/accounts`);
    });

    it('gets 403 on every owner route, as JSON, and nothing changes', async () => {
      const before = await everything(world);
      for (const [method, path] of ownerRoutes()) {
        const res =
          method === 'GET'
            ? await member.browser.getJson(`${MOUNT}${path}`)
            : await member.browser.postJson(`${MOUNT}${path}`, { email: 'sneaky@example.com', permissions: ['invoices'] });
        expect(res.status, `${method} ${path}`).to.equal(403);
        expect(res.body.error.code, `${method} ${path}`).to.equal('forbidden');
      }
      expect(await everything(world)).to.equal(before);
      expect(world.smtp.to('sneaky@example.com')).to.have.length(0);
    });

    it('gets a 403 page on every owner route in the browser', async () => {
      await member.browser.get(`${MOUNT}/accounts`);
      for (const [method, path] of ownerRoutes()) {
        const res = method === 'GET' ? await member.browser.get(`${MOUNT}${path}`) : await member.browser.post(`${MOUNT}${path}`, { permissions: 'invoices' });
        expect(res.status, `${method} ${path}`).to.equal(403);
        expect(res.text, `${method} ${path}`).to.contain('Only the account owner can manage users.');
      }
    });

    it('still reaches the host routes its permissions grant', async () => {
      expect((await member.browser.agent.get('/host/profile')).status).to.equal(200);
    });
  });

  describe('ids from another account', () => {
    before(async () => {
      await owner.getJson(`${MOUNT}/`);
    });

    const foreignRoutes = (): Array<[method: 'GET' | 'POST', path: string]> => [
      ['POST', `/invitations/${foreign.invitationId}/resend`],
      ['POST', `/invitations/${foreign.invitationId}/cancel`],
      ['GET', `/users/${foreign.memberId}`],
      ['POST', `/users/${foreign.memberId}/permissions`],
      ['GET', `/users/${foreign.memberId}/remove`],
      ['POST', `/users/${foreign.memberId}/remove`],
      ['GET', `/users/${foreign.ownerId}`],
      ['POST', `/users/${foreign.ownerId}/remove`],
    ];

    it('answer 404 to the owner, and nothing changes in either account', async () => {
      const before = await everything(world);
      for (const [method, path] of foreignRoutes()) {
        const res = method === 'GET' ? await owner.getJson(`${MOUNT}${path}`) : await owner.postJson(`${MOUNT}${path}`, { permissions: ALL });
        expect(res.status, `${method} ${path}`).to.equal(404);
      }
      expect(await everything(world)).to.equal(before);
      expect(world.smtp.to('globex-pending@example.com')).to.have.length(1);
    });

    it('answer exactly as ids that exist nowhere do (no hint that they exist)', async () => {
      const pairs: Array<[string, string]> = [
        [`/invitations/${foreign.invitationId}/cancel`, '/invitations/999999/cancel'],
        [`/users/${foreign.memberId}/remove`, '/users/999999/remove'],
      ];
      for (const [real, missing] of pairs) {
        const a = await owner.postJson(`${MOUNT}${real}`, {});
        const b = await owner.postJson(`${MOUNT}${missing}`, {});
        expect(a.status).to.equal(404);
        expect(a.body).to.deep.equal(b.body);
      }
      const a = await owner.getJson(`${MOUNT}/users/${foreign.memberId}`);
      const b = await owner.getJson(`${MOUNT}/users/999999`);
      expect(a.body).to.deep.equal(b.body);
    });

    it('answer 404 for ids that are not ids at all', async () => {
      for (const path of ['/users/abc', '/users/0', '/users/-1', '/users/99999999999', '/invitations/1e3/cancel']) {
        const res = path.startsWith('/users') ? await owner.getJson(`${MOUNT}${path}`) : await owner.postJson(`${MOUNT}${path}`, {});
        expect(res.status, path).to.equal(404);
      }
    });
  });

  describe("the owner's own row", () => {
    before(async () => {
      await owner.get(`${MOUNT}/`);
    });

    it('cannot have its permissions edited: 400, and nothing changes', async () => {
      const before = await everything(world);
      const res = await owner.post(`${MOUNT}/users/${world.ownerId}/permissions`, { permissions: 'invoices' });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('the owner always holds every permission; the owner&#x27;s row cannot be edited');
      expect(await everything(world)).to.equal(before);
    });

    it('cannot be removed: 400 on the confirmation page and on the POST, and nothing changes', async () => {
      const before = await everything(world);
      const confirm = await owner.get(`${MOUNT}/users/${world.ownerId}/remove`);
      expect(confirm.status).to.equal(400);
      expect(confirm.text).to.contain('the account owner cannot be removed');
      await owner.get(`${MOUNT}/`);
      const res = await owner.post(`${MOUNT}/users/${world.ownerId}/remove`);
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('the account owner cannot be removed');
      expect(await everything(world)).to.equal(before);
    });

    it('shows no Manage permissions or Remove link on the users page', async () => {
      const page = (await owner.get(`${MOUNT}/`)).text;
      expect(page).to.not.contain(`href="${MOUNT}/users/${world.ownerId}"`).and.not.contain(`/users/${world.ownerId}/remove`);
      expect(page).to.contain(`href="${MOUNT}/users/${member.userId}"`).and.contain(`/users/${member.userId}/remove`);
    });
  });

  describe('CSRF', () => {
    let link: string;
    before(async () => {
      await invite(owner, 'csrf-target@example.com');
      link = linkPath(world, 'csrf-target@example.com');
      await owner.get(`${MOUNT}/`);
      await member.browser.get(`${MOUNT}/accounts`);
    });

    const posts = (): Array<[who: 'owner' | 'member', path: string, fields: Record<string, string | string[]>]> => [
      ['owner', '/invite', { email: 'forged@example.com', permissions: ['invoices'] }],
      ['owner', `/invitations/${invitationId}/resend`, {}],
      ['owner', `/invitations/${invitationId}/cancel`, {}],
      ['owner', `/users/${member.userId}/permissions`, { permissions: ['invoices'] }],
      ['owner', `/users/${member.userId}/remove`, {}],
      ['member', '/accounts/switch', { accountId: String(world.account.id) }],
      ['member', `/accounts/${world.account.id}/leave`, {}],
      ['owner', link.slice(MOUNT.length), {}],
    ];

    for (const [label, token] of [
      ['missing', null],
      ['wrong', 'x'.repeat(64)],
    ] as const) {
      it(`answers every state change with a ${label} token with 403 and changes nothing`, async () => {
        const before = await everything(world);
        const mails = world.smtp.messages.length;
        for (const [who, path, fields] of posts()) {
          const browser = who === 'owner' ? owner : member.browser;
          const res = await browser.post(`${MOUNT}${path}`, fields, { csrf: token });
          expect(res.status, `POST ${path}`).to.equal(403);
          expect(res.text, `POST ${path}`).to.contain('This form has expired or did not come from this site.');
          const json = await browser.postJson(`${MOUNT}${path}`, fields, { csrf: token });
          expect(json.status, `POST ${path} (JSON)`).to.equal(403);
          expect(json.body.error.code).to.equal('csrf');
        }
        expect(await everything(world)).to.equal(before);
        expect(world.smtp.messages.length).to.equal(mails);
      });
    }

    it("refuses a registration with another session's token", async () => {
      const visitor = world.browser();
      await visitor.get(link);
      const res = await visitor.post(`${link}/register`, { name: 'Forged', password: 'forged-password' }, { csrf: owner.csrf });
      expect(res.status).to.equal(403);
      expect(await world.knex('au_users').where({ email: 'csrf-target@example.com' })).to.have.length(0);
    });

    it('accepts the token in the x-csrf-token header (the same change goes through with the right token)', async () => {
      await owner.getJson(`${MOUNT}/`);
      const res = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'] });
      expect(res.status).to.equal(200);
    });
  });
});
