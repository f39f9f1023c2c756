import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { addMember } from './support/members.js';
import { escapeHtml } from './support/invitations.js';

/**
 * Leave, Decline and cancelling an invitation each ask first: a GET page that names what will
 * happen and changes nothing, whose button (named after the action) posts to the unchanged route.
 */
describe('pages that ask before an action nothing undoes', function () {
  this.timeout(60_000);

  let world: World;
  let owner: Awaited<ReturnType<World['ownerBrowser']>>;

  beforeEach(async () => {
    world = await new World().setUp();
    owner = await world.ownerBrowser();
  });
  afterEach(() => world.tearDown());

  const invite = async (email: string) => {
    await owner.getJson(`${MOUNT}/`);
    const res = await owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] });
    expect(res.status, res.text).to.equal(201);
    return Number(res.body.invitation.id);
  };
  const statusOf = async (id: number) => (await world.knex('au_invitations').where({ id }).first()).status as string;

  it('asks "Cancel the invitation to …?" with a button naming the address; the GET cancels nothing', async () => {
    const id = await invite('maybe@example.com');
    const users = await owner.get(`${MOUNT}/`);
    expect(users.text).to.contain(`href="${MOUNT}/invitations/${id}/cancel" aria-label="Cancel invitation to maybe@example.com"`);
    expect(users.text).to.contain('aria-label="Resend the invitation to maybe@example.com"');
    const ask = await owner.get(`${MOUNT}/invitations/${id}/cancel`);
    expect(ask.status).to.equal(200);
    expect(ask.text).to.contain('Cancel the invitation to maybe@example.com?').and.contain('>Cancel invitation to maybe@example.com</button>');
    expect(await statusOf(id)).to.equal('pending');
    expect((await owner.post(`${MOUNT}/invitations/${id}/cancel`)).status).to.equal(303);
    expect(await statusOf(id)).to.equal('cancelled');
    expect((await owner.get(`${MOUNT}/invitations/${id}/cancel`)).status).to.equal(409);
  });

  it('asks "Decline the invitation to …?" from the link page; the GET declines nothing', async () => {
    const id = await invite('newcomer@example.com');
    const link = pathOf(world.smtp.linkFor('newcomer@example.com'));
    const visitor = world.browser();
    const page = await visitor.get(link);
    expect(page.text).to.contain(`href="${link}/decline"`).and.not.contain(`action="${link}/decline"`);
    const ask = await visitor.get(`${link}/decline`);
    expect(ask.status).to.equal(200);
    expect(ask.text).to.contain('Decline the invitation to Acme Ltd?').and.contain(`action="${link}/decline"`);
    expect(ask.headers['referrer-policy']).to.equal('no-referrer');
    expect(await statusOf(id)).to.equal('pending');
    expect((await visitor.post(`${link}/decline`)).status).to.equal(200);
    expect(await statusOf(id)).to.equal('declined');
  });

  it('asks "Leave …?" with a button naming the account; the GET leaves nothing; the owner is not asked at all', async () => {
    const member = await addMember(world, owner, 'leaver@example.com', ['invoices']);
    const accounts = await member.browser.get(`${MOUNT}/accounts`);
    expect(accounts.text).to.contain(`href="${MOUNT}/accounts/${world.account.id}/leave" class="au-button"`);
    expect(accounts.text).to.contain('User (1 permission)');
    const ask = await member.browser.get(`${MOUNT}/accounts/${world.account.id}/leave`);
    expect(ask.status).to.equal(200);
    expect(ask.text).to.contain(escapeHtml('Leave Acme Ltd?')).and.contain('>Leave Acme Ltd</button>');
    expect(await world.knex('au_account_users').where({ user_id: member.userId }).first()).to.not.equal(undefined);
    expect((await member.browser.post(`${MOUNT}/accounts/${world.account.id}/leave`)).status).to.equal(303);
    expect(await world.knex('au_account_users').where({ user_id: member.userId }).first()).to.equal(undefined);
    expect((await owner.get(`${MOUNT}/accounts/${world.account.id}/leave`)).status).to.equal(400);
  });

  it("names the user on Remove's button", async () => {
    const member = await addMember(world, owner, 'removed@example.com', ['invoices'], { name: 'Rita Removed' });
    const ask = await owner.get(`${MOUNT}/users/${member.userId}/remove`);
    expect(ask.text).to.contain('>Confirm: remove Rita Removed</button>');
  });
});
