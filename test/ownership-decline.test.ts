import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { addMember, type Member } from './support/members.js';
import { refusedWith } from './support/api.js';
import type { AccountUsers } from '../lib/index.js';

function offerLink(world: World, email: string): string {
  const mail = [...world.smtp.to(email)].reverse().find((m) => /\/transfer\/[A-Za-z0-9_-]{43}/.test(m.text ?? ''));
  if (!mail) throw new Error(`no ownership offer emailed to ${email}`);
  return pathOf(/https?:\/\/\S+\/transfer\/[A-Za-z0-9_-]{43}/.exec(mail.text!)![0]);
}

/**
 * The recipient of an ownership offer answers it from the email's link or from their accounts
 * page: Accept, or Decline after a page that asks. A decline ends the offer; the owner stays.
 */
describe('ownership offers declined, and answered from the accounts page', function () {
  this.timeout(60_000);

  let world: World;
  let au: AccountUsers;
  let owner: Awaited<ReturnType<World['ownerBrowser']>>;
  let member: Member;

  beforeEach(async () => {
    world = await new World().setUp({ delegation: true });
    au = world.host.au;
    owner = await world.ownerBrowser();
    member = await addMember(world, owner, 'successor@example.com', ['invoices']);
  });
  afterEach(() => world.tearDown());

  const offer = () => au.api.offerOwnership({ actor: { userId: world.ownerId }, accountId: world.account.id, toUserId: member.userId });
  const ownerOf = async () => Number((await world.knex('au_accounts').where({ id: world.account.id }).first()).owner_user_id);

  it("links the offer page's Decline to the page that asks, beside Accept, and its back link to the recipient's accounts", async () => {
    await offer();
    const link = offerLink(world, member.email);
    const page = await member.browser.get(link);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`<a href="${link}/decline" class="au-button">Decline</a>`);
    expect(page.text).to.match(new RegExp(`<form method="post" action="${link}">[\\s\\S]*?>Accept ownership</button>`));
    // The recipient is no manager of the account: "back" is their own accounts, not User Management.
    expect(page.text).to.contain(`<a href="${MOUNT}/accounts">Back to your accounts</a>`);
    expect(page.text).not.to.contain(`href="${MOUNT}/"`);
    expect((await world.knex('au_ownership_transfers').first()).status).to.equal('pending');
  });

  it('declines by the link after a page that asks and changes nothing; the link then stops working', async () => {
    await offer();
    const link = offerLink(world, member.email);
    const ask = await member.browser.get(`${link}/decline`);
    expect(ask.status).to.equal(200);
    expect(ask.text).to.contain('Decline ownership of Acme Ltd?').and.contain(`action="${link}/decline"`);
    expect((await world.knex('au_ownership_transfers').first()).status).to.equal('pending');

    const res = await member.browser.post(`${link}/decline`);
    expect(res.status, res.text).to.equal(303);
    expect(res.headers.location).to.equal(`${MOUNT}/accounts`);
    expect((await world.knex('au_ownership_transfers').first()).status).to.equal('declined');
    expect(await ownerOf()).to.equal(world.ownerId);
    const entry = await world.knex('au_activity').where({ action: 'ownership.declined' }).first();
    expect(Number(entry.actor_user_id)).to.equal(member.userId);
    // Its token is gone with the offer: the link finds nothing, as a withdrawn offer's.
    expect((await member.browser.get(link)).status).to.equal(404);
    const activity = await owner.get(`${MOUNT}/activity`);
    expect(activity.text).to.contain('declined the offer of ownership from Olive Owner');
  });

  it('declines by id from the accounts page (JSON: the POST directly), and a new offer may then be made', async () => {
    const { transfer } = await offer();
    const page = await member.browser.get(`${MOUNT}/accounts`);
    expect(page.text)
      .to.contain(`action="${MOUNT}/accounts/offers/${transfer.id}/accept"`)
      .and.contain(`href="${MOUNT}/accounts/offers/${transfer.id}/decline"`);
    expect(page.text).not.to.contain('with the link in the email');
    const res = await member.browser.postJson(`${MOUNT}/accounts/offers/${transfer.id}/decline`, {});
    expect(res.status, res.text).to.equal(200);
    expect(res.body.transfer.status).to.equal('declined');
    expect(res.body.account.name).to.equal('Acme Ltd');
    await offer();
  });

  it('accepts by id from the accounts page', async () => {
    const { transfer } = await offer();
    await member.browser.get(`${MOUNT}/accounts`);
    const res = await member.browser.post(`${MOUNT}/accounts/offers/${transfer.id}/accept`);
    expect(res.status, res.text).to.equal(303);
    expect(await ownerOf()).to.equal(member.userId);
  });

  it("finds nobody else's offer by id: 404 for another user, and au.api the same", async () => {
    const { transfer } = await offer();
    const other = await addMember(world, owner, 'bystander@example.com', ['invoices']);
    await other.browser.getJson(`${MOUNT}/accounts`);
    expect((await other.browser.get(`${MOUNT}/accounts/offers/${transfer.id}/decline`)).status).to.equal(404);
    await other.browser.getJson(`${MOUNT}/accounts`);
    const declined = await other.browser.postJson(`${MOUNT}/accounts/offers/${transfer.id}/decline`, {});
    expect(declined.status, declined.text).to.equal(404);
    const accept = await other.browser.postJson(`${MOUNT}/accounts/offers/${transfer.id}/accept`, {});
    expect(accept.status, accept.text).to.equal(404);
    await refusedWith(au.api.declineOwnershipOffer({ userId: other.userId, transferId: transfer.id }), 'NotFoundError');
    expect((await world.knex('au_ownership_transfers').first()).status).to.equal('pending');
    expect(await ownerOf()).to.equal(world.ownerId);
  });

  it('au.api.declineOwnershipOffer declines with the token too; a second decline is a conflict', async () => {
    await offer();
    const token = offerLink(world, member.email).split('/').pop()!;
    const { transfer } = await au.api.declineOwnershipOffer({ userId: member.userId, token });
    expect(transfer.status).to.equal('declined');
    await refusedWith(au.api.declineOwnershipOffer({ userId: member.userId, transferId: transfer.id }), 'ConflictError');
  });

  it('asks the owner before withdrawing; the GET changes nothing', async () => {
    await offer();
    const ask = await owner.get(`${MOUNT}/transfer/cancel`);
    expect(ask.status).to.equal(200);
    expect(ask.text).to.contain('Withdraw the offer of ownership to Member successor@example.com?');
    expect((await world.knex('au_ownership_transfers').first()).status).to.equal('pending');
    expect((await owner.post(`${MOUNT}/transfer/cancel`)).status).to.equal(303);
    expect((await world.knex('au_ownership_transfers').first()).status).to.equal('cancelled');
  });

  it('offers no one preselected, and not a member whose access has ended', async () => {
    const gone = await addMember(world, owner, 'gone@example.com', ['invoices']);
    await world
      .knex('au_account_users')
      .where({ user_id: gone.userId })
      .update({ access_until: Date.now() - 1000 });
    const page = await owner.get(`${MOUNT}/transfer`);
    expect(page.text).to.contain('<option value="">Choose…</option>').and.not.contain(' selected>');
    expect(page.text).to.contain('successor@example.com').and.not.contain('gone@example.com');
  });

  it("tells a delegate that ownership is the owner's, not that users are", async () => {
    const delegate = await addMember(world, owner, 'delegate@example.com', ['manageusers', 'invoices']);
    const res = await delegate.browser.getJson(`${MOUNT}/transfer`);
    expect(res.status).to.equal(403);
    expect(res.body.error.message).to.equal('Only the account owner can transfer ownership.');
  });
});
