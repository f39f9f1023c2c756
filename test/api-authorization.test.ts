import { expect } from 'chai';
import { World } from './support/world.js';
import { apiMember, newLogin, refusedWith } from './support/api.js';
import type { Actor, AccountUsers } from '../lib/index.js';

/**
 * Every account-scoped function of au.api, as the owner, a member, a stranger (owner of another
 * account) and the host's system actor: the owner and the system actor may, a member is
 * forbidden, a stranger is told the account does not exist.
 */
describe('au.api: who may call what', () => {
  const world = new World();
  let au: AccountUsers;
  let owner: Actor;
  let member: Actor;
  let stranger: Actor;
  const system: Actor = { system: 'support desk' };
  let accountId: number;
  let memberUserId: number;

  before(async () => {
    await world.setUp();
    au = world.host.au;
    accountId = world.account.id;
    owner = { userId: world.ownerId };
    const m = await apiMember(world, ['invoices', 'tickets']);
    memberUserId = m.userId;
    member = { userId: m.userId };
    stranger = { userId: (await newLogin(au, 'stranger')).userId };
  });
  after(() => world.tearDown());

  /** An invitation to a fresh address, past its resend cooldown. */
  const freshInvitation = async () => {
    const login = await newLogin(au, 'invitee');
    const { invitation } = await au.api.invite({ actor: system, accountId, email: login.email, permissions: ['invoices'], send: false });
    world.host.clock.advance(61_000);
    return invitation.id;
  };

  const calls: Array<[string, (actor: Actor) => Promise<unknown>]> = [
    [
      'invite',
      async (actor) =>
        au.api.invite({ actor, accountId, email: `new-${Math.random().toString(36).slice(2)}@example.test`, permissions: ['invoices'], send: false }),
    ],
    ['resendInvitation', async (actor) => au.api.resendInvitation({ actor, accountId, invitationId: await freshInvitation() })],
    ['cancelInvitation', async (actor) => au.api.cancelInvitation({ actor, accountId, invitationId: await freshInvitation() })],
    ['listMembers', (actor) => au.api.listMembers({ actor, accountId })],
    ['listInvitations', (actor) => au.api.listInvitations({ actor, accountId })],
    ['getMember', (actor) => au.api.getMember({ actor, accountId, userId: memberUserId })],
    ['setPermissions', (actor) => au.api.setPermissions({ actor, accountId, userId: memberUserId, permissions: ['invoices', 'tickets'] })],
    ['removeMember', async (actor) => au.api.removeMember({ actor, accountId, userId: (await apiMember(world)).userId })],
    ['listActivity', (actor) => au.api.listActivity({ actor, accountId })],
  ];

  for (const [name, call] of calls) {
    describe(name, () => {
      it('is allowed to the owner', async () => {
        expect(await call(owner)).to.be.an('object');
      });
      it('is allowed to a system actor, without any membership', async () => {
        expect(await call(system)).to.be.an('object');
      });
      it('refuses a member with ForbiddenError', async () => {
        await refusedWith(call(member), 'ForbiddenError');
      });
      it('refuses a stranger with NotFoundError, as if the account did not exist', async () => {
        await refusedWith(call(stranger), 'NotFoundError');
      });
    });
  }

  describe('ids of another account', () => {
    let other: { accountId: number; ownerId: number; invitationId: number; memberId: number };
    before(async () => {
      const boss = await newLogin(au, 'boss');
      const outsider = await newLogin(au, 'outsider');
      const { invitation } = await au.api.invite({
        actor: { userId: boss.userId },
        accountId: boss.ownAccountId,
        email: outsider.email,
        permissions: ['domains'],
        send: false,
      });
      const pending = await au.api.invite({
        actor: { userId: boss.userId },
        accountId: boss.ownAccountId,
        email: 'pending@globex.test',
        permissions: ['domains'],
        send: false,
      });
      await au.api.acceptInvitation({ userId: outsider.userId, invitationId: invitation.id });
      other = { accountId: boss.ownAccountId, ownerId: boss.userId, invitationId: pending.invitation.id, memberId: outsider.userId };
      world.host.clock.advance(61_000);
    });

    it('an account id the owner does not belong to is not found, for every account-scoped function', async () => {
      const elsewhere = { actor: owner, accountId: other.accountId };
      await refusedWith(au.api.listMembers(elsewhere), 'NotFoundError');
      await refusedWith(au.api.listInvitations(elsewhere), 'NotFoundError');
      await refusedWith(au.api.listActivity(elsewhere), 'NotFoundError');
      await refusedWith(au.api.invite({ ...elsewhere, email: 'x@example.test', permissions: ['invoices'] }), 'NotFoundError');
      await refusedWith(au.api.getMember({ ...elsewhere, userId: other.memberId }), 'NotFoundError');
    });

    it("another account's invitation and member ids are not found in the owner's own account", async () => {
      const here = { actor: owner, accountId };
      await refusedWith(au.api.resendInvitation({ ...here, invitationId: other.invitationId }), 'NotFoundError');
      await refusedWith(au.api.cancelInvitation({ ...here, invitationId: other.invitationId }), 'NotFoundError');
      await refusedWith(au.api.getMember({ ...here, userId: other.memberId }), 'NotFoundError');
      await refusedWith(au.api.setPermissions({ ...here, userId: other.memberId, permissions: ['invoices'] }), 'NotFoundError');
      await refusedWith(au.api.removeMember({ ...here, userId: other.memberId }), 'NotFoundError');
      // Nothing of the other account changed.
      const members = await au.api.listMembers({ actor: { userId: other.ownerId }, accountId: other.accountId });
      expect(members.items.map((m) => m.userId)).to.deep.equal([other.ownerId, other.memberId]);
    });

    it('a system actor is scoped to the account it names, and an account that does not exist is not found', async () => {
      await refusedWith(au.api.cancelInvitation({ actor: system, accountId, invitationId: other.invitationId }), 'NotFoundError');
      await refusedWith(au.api.listMembers({ actor: system, accountId: 2_000_000_000 }), 'NotFoundError');
    });
  });

  describe('the actor and account as input', () => {
    it('refuses a malformed actor, naming the field', async () => {
      for (const actor of [
        {},
        { userId: 'one' },
        { userId: 0 },
        { system: '' },
        { system: '   ' },
        { system: 'x'.repeat(65) },
        { system: 'a\nb' },
        { userId: 1, system: 'both' },
      ]) {
        const err = await refusedWith(au.api.listMembers({ actor: actor as Actor, accountId }), 'InvalidInputError');
        expect(
          err.issues!.map((i) => i.field.split('.')[0]),
          JSON.stringify(actor),
        ).to.deep.equal(['actor']);
      }
    });

    it('refuses an account id that is not a positive integer, naming the field', async () => {
      for (const bad of [0, -1, 1.5, '1', 2 ** 31, null]) {
        const err = await refusedWith(au.api.listMembers({ actor: owner, accountId: bad as number }), 'InvalidInputError');
        expect(err.issues!.map((i) => i.field)).to.deep.equal(['accountId']);
      }
    });

    it('accepts a system name of 64 characters, trimmed', async () => {
      const result = await au.api.invite({
        actor: { system: ` ${'s'.repeat(64)} ` },
        accountId,
        email: 'sixty-four@example.test',
        permissions: ['invoices'],
        send: false,
      });
      expect(result.invitation.invitedBySystem).to.equal('s'.repeat(64));
    });
  });

  describe("the invitee's functions act for one user, on what is addressed to them", () => {
    it('lets a user accept or decline only invitations sent to their own address', async () => {
      const alice = await newLogin(au, 'alice');
      const bob = await newLogin(au, 'bob');
      const { invitation } = await au.api.invite({ actor: owner, accountId, email: alice.email, permissions: ['invoices'], send: false });
      await refusedWith(au.api.acceptInvitation({ userId: bob.userId, invitationId: invitation.id }), 'NotFoundError');
      await refusedWith(au.api.declineInvitation({ userId: bob.userId, invitationId: invitation.id }), 'NotFoundError');
      // The owner's address verified too, so that what refuses them is the address, not its proof.
      await au.api.markEmailVerified({ actor: { system: 'setup' }, userId: world.ownerId });
      await refusedWith(au.api.acceptInvitation({ userId: world.ownerId, invitationId: invitation.id }), 'NotFoundError');
      expect((await au.api.invitationsFor({ userId: bob.userId })).map((i) => i.id)).to.not.include(invitation.id);
      expect((await au.api.invitationsFor({ userId: alice.userId })).map((i) => i.id)).to.deep.equal([invitation.id]);
      const { membership } = await au.api.acceptInvitation({ userId: alice.userId, invitationId: invitation.id });
      expect(membership.account.id).to.equal(accountId);
      expect(membership.permissions).to.deep.equal(['invoices']);
    });

    it('refuses a system actor where a user is required', async () => {
      await refusedWith(au.api.acceptInvitation({ system: 'support', invitationId: 1 } as never), 'InvalidInputError');
      await refusedWith(au.api.invitationsFor({ system: 'support' } as never), 'InvalidInputError');
      await refusedWith(au.api.accountsOf({ system: 'support' } as never), 'InvalidInputError');
    });

    it('accountsOf lists memberships with the standing in each; findUserByEmail normalises the address', async () => {
      const accounts = await au.api.accountsOf({ userId: world.ownerId });
      expect(accounts.map((a) => [a.account.id, a.isOwner])).to.deep.equal([[accountId, true]]);
      const memberAccounts = await au.api.accountsOf({ userId: memberUserId });
      const here = memberAccounts.find((a) => a.account.id === accountId)!;
      expect(here.isOwner).to.equal(false);
      expect(here.permissions).to.include('invoices');
      const found = await au.api.findUserByEmail({ email: '  OWNER@Acme.TEST ' });
      expect(found).to.deep.include({ id: world.ownerId, email: 'owner@acme.test' });
      expect(found).to.not.have.property('passwordHash');
      expect(await au.api.findUserByEmail({ email: 'nobody@acme.test' })).to.equal(null);
      const err = await refusedWith(au.api.findUserByEmail({ email: 'not an address' }), 'InvalidInputError');
      expect(err.issues!.map((i) => i.field)).to.deep.equal(['email']);
    });
  });
});
