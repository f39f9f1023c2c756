import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { addMember, type Member } from './support/members.js';
import { apiMember, newLogin, refusedWith } from './support/api.js';
import type { AccountUsers } from '../lib/index.js';

const DAY = 24 * 60 * 60 * 1000;

/** The offer link in the newest ownership email to `email`. */
function offerLink(world: World, email: string): string {
  const mail = [...world.smtp.to(email)].reverse().find((m) => /\/transfer\/[A-Za-z0-9_-]{43}/.test(m.text ?? ''));
  if (!mail) throw new Error(`no ownership offer emailed to ${email}`);
  return pathOf(/https?:\/\/\S+\/transfer\/[A-Za-z0-9_-]{43}/.exec(mail.text!)![0]);
}

const tokenOf = (link: string) => link.split('/').pop()!;

async function ownerOf(world: World): Promise<number> {
  const row = await world.knex('au_accounts').where({ id: world.account.id }).first();
  return Number(row.owner_user_id);
}

/**
 * Two-step ownership transfer: the owner offers (with their password), the member accepts with
 * the emailed link while signed in as themselves; in one transaction they become the owner and
 * the previous owner stays as a member holding every permission.
 */
describe('ownership transfer', function () {
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
    await owner.get(`${MOUNT}/transfer`);
  });
  afterEach(() => world.tearDown());

  const offer = () => owner.post(`${MOUNT}/transfer`, { userId: String(member.userId), currentPassword: OWNER.password });

  it('is offered with the password, emailed to the member, listed on their accounts page, and accepted', async () => {
    const events: string[] = [];
    au.events.on('activity', (e: { action: string }) => events.push(e.action));
    const res = await offer();
    expect(res.status, res.text).to.equal(303);
    expect(world.smtp.to(OWNER.email).some((m) => /offered ownership/i.test(m.subject ?? ''))).to.equal(true);
    const link = offerLink(world, member.email);
    // Only the SHA-256 of the link's token is stored.
    const row = await world.knex('au_ownership_transfers').first();
    expect(JSON.stringify(row)).not.to.contain(tokenOf(link));

    const accounts = await member.browser.getJson(`${MOUNT}/accounts`);
    expect(accounts.body.ownershipOffers).to.have.length(1);
    expect(accounts.body.ownershipOffers[0].account.name).to.equal('Acme Ltd');
    expect((await member.browser.get(`${MOUNT}/accounts`)).text).to.contain('offers you ownership of Acme Ltd');

    const page = await member.browser.get(link);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Become the owner of Acme Ltd');
    const accepted = await member.browser.post(link);
    expect(accepted.status, accepted.text).to.equal(303);

    expect(await ownerOf(world)).to.equal(member.userId);
    const previous = await au.api.getMember({ actor: { userId: member.userId }, accountId: world.account.id, userId: world.ownerId });
    expect(previous.member.isOwner).to.equal(false);
    expect(previous.member.permissions).to.deep.equal(au.permissions.map((p) => p.key));
    expect(events).to.include.members(['ownership.offered', 'ownership.transferred']);
    const actions = (await world.knex('au_activity').select('action')).map((r) => r.action);
    expect(actions).to.include.members(['ownership.offered', 'ownership.transferred']);
    expect(world.smtp.to(OWNER.email).some((m) => /new owner/i.test(m.subject ?? ''))).to.equal(true);
    expect(world.smtp.to(member.email).some((m) => /new owner/i.test(m.subject ?? ''))).to.equal(true);
    const log = await member.browser.get(`${MOUNT}/activity`);
    expect(log.text).to.contain('offered ownership to').and.contain('became the owner, taking over from');
    // The link is spent.
    expect((await member.browser.getJson(link)).status).to.equal(404);
    // The previous owner, now a member, may leave.
    expect((await au.api.accountsOf({ userId: world.ownerId })).find((m) => m.account.id === world.account.id)?.isOwner).to.equal(false);
  });

  it('refuses a wrong password and writes nothing', async () => {
    const res = await owner.postJson(`${MOUNT}/transfer`, { userId: member.userId, currentPassword: 'not-it' });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields[0].field).to.equal('currentPassword');
    expect(await world.count('ownership_transfers')).to.equal(0);
  });

  it('refuses a user who is not a member of the account', async () => {
    const stranger = await newLogin(au, 'stranger');
    const res = await owner.postJson(`${MOUNT}/transfer`, { userId: stranger.userId, currentPassword: OWNER.password });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields[0].field).to.equal('userId');
    await refusedWith(au.api.offerOwnership({ actor: { userId: world.ownerId }, accountId: world.account.id, toUserId: stranger.userId }), 'InvalidInputError');
    expect(await world.count('ownership_transfers')).to.equal(0);
  });

  it('refuses the accept to another signed-in user, and the offer stands', async () => {
    await offer();
    const link = offerLink(world, member.email);
    const other = await addMember(world, owner, 'bystander@example.com', ['invoices']);
    expect((await other.browser.getJson(link)).status).to.equal(403);
    await other.browser.getJson(`${MOUNT}/accounts`);
    expect((await other.browser.postJson(link, {})).status).to.equal(403);
    await refusedWith(au.api.acceptOwnership({ userId: other.userId, token: tokenOf(link) }), 'ForbiddenError');
    expect(await ownerOf(world)).to.equal(world.ownerId);
    expect((await au.api.acceptOwnership({ userId: member.userId, token: tokenOf(link) })).account.ownerUserId).to.equal(member.userId);
  });

  it("gives a time-limited member who accepts an owner's access without an end date", async () => {
    const until = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString();
    await au.api.setPermissions({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      userId: member.userId,
      permissions: ['invoices'],
      accessUntil: until,
    });
    await offer();
    await au.api.acceptOwnership({ userId: member.userId, token: tokenOf(offerLink(world, member.email)) });
    const row = (await world.knex('au_account_users').where({ account_id: world.account.id, user_id: member.userId }).first()) as { access_until: unknown };
    expect(row.access_until).to.equal(null);
    expect(await ownerOf(world)).to.equal(member.userId);
  });

  it('is withdrawn with POST /transfer/cancel: the link stops working and the member is told', async () => {
    await offer();
    const link = offerLink(world, member.email);
    await owner.get(`${MOUNT}/transfer`);
    expect((await owner.post(`${MOUNT}/transfer/cancel`)).status).to.equal(303);
    expect(world.smtp.to(member.email).some((m) => /withdrawn/i.test(m.subject ?? ''))).to.equal(true);
    expect((await member.browser.getJson(link)).status).to.equal(404);
    await refusedWith(au.api.acceptOwnership({ userId: member.userId, token: tokenOf(link) }), 'NotFoundError');
    expect(await ownerOf(world)).to.equal(world.ownerId);
    const row = await world.knex('au_activity').where({ action: 'ownership.cancelled' }).first();
    expect(row.actor_user_id).to.equal(world.ownerId);
  });

  it('expires after 7 days, after which a new offer may be made', async () => {
    await offer();
    const link = offerLink(world, member.email);
    world.host.clock.advance(7 * DAY - 1000);
    expect((await member.browser.getJson(link)).status).to.equal(200);
    world.host.clock.advance(1000);
    expect((await member.browser.getJson(link)).status).to.equal(409);
    await refusedWith(au.api.acceptOwnership({ userId: member.userId, token: tokenOf(link) }), 'ConflictError');
    expect(await ownerOf(world)).to.equal(world.ownerId);
    const again = await au.api.offerOwnership({ actor: { userId: world.ownerId }, accountId: world.account.id, toUserId: member.userId });
    expect(again.transfer.status).to.equal('pending');
  });

  it('allows one pending offer per account, by a database constraint', async () => {
    await offer();
    const other = await apiMember(world, ['invoices'], 'second');
    await refusedWith(au.api.offerOwnership({ actor: { userId: world.ownerId }, accountId: world.account.id, toUserId: other.userId }), 'ConflictError');
    const pending = await world.knex('au_ownership_transfers').first();
    let refused = false;
    try {
      await world.knex('au_ownership_transfers').insert({ ...pending, id: undefined, to_user_id: other.userId });
    } catch {
      refused = true;
    }
    expect(refused, 'a second pending row for the account').to.equal(true);
  });

  it('is never offered by a delegate, whatever they hold', async () => {
    const delegate = await addMember(
      world,
      owner,
      'delegate@example.com',
      au.permissions.map((p) => p.key),
    );
    await delegate.browser.getJson(`${MOUNT}/accounts`);
    expect((await delegate.browser.getJson(`${MOUNT}/transfer`)).status).to.equal(403);
    expect((await delegate.browser.postJson(`${MOUNT}/transfer`, { userId: member.userId, currentPassword: delegate.password })).status).to.equal(403);
    await refusedWith(au.api.offerOwnership({ actor: { userId: delegate.userId }, accountId: world.account.id, toUserId: member.userId }), 'ForbiddenError');
    expect(await world.count('ownership_transfers')).to.equal(0);
  });

  it('raced with the removal of the member: either the removal or the transfer wins, never an owner without a membership', async () => {
    for (let round = 0; round < 4; round++) {
      const target = await apiMember(world, ['invoices'], `race-${round}`);
      const { transfer } = await au.api.offerOwnership({ actor: { system: 'test' }, accountId: world.account.id, toUserId: target.userId });
      await au.mail.flush();
      const link = offerLink(world, target.email);
      const results = await Promise.allSettled([
        au.api.acceptOwnership({ userId: target.userId, token: tokenOf(link) }),
        au.api.removeMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: target.userId }),
      ]);
      const ownerId = await ownerOf(world);
      const ownerRow = await world.knex('au_account_users').where({ account_id: world.account.id, user_id: ownerId }).first();
      expect(ownerRow, `round ${round}: the owner has a membership`).not.to.equal(undefined);
      const accepted = results[0].status === 'fulfilled';
      const removed = results[1].status === 'fulfilled';
      expect([accepted, removed], `round ${round}: exactly one of accept and removal wins`).to.satisfy(([a, r]: boolean[]) => a !== r);
      if (accepted) {
        expect(ownerId).to.equal(target.userId);
        // Hand the account back for the next round.
        await au.api.offerOwnership({ actor: { userId: target.userId }, accountId: world.account.id, toUserId: world.ownerId });
        await au.mail.flush();
        await au.api.acceptOwnership({ userId: world.ownerId, token: tokenOf(offerLink(world, OWNER.email)) });
      } else {
        expect(ownerId).to.equal(world.ownerId);
        const row = await world.knex('au_ownership_transfers').where({ id: transfer.id }).first();
        expect(row.status).to.equal('cancelled');
      }
    }
  });
});
