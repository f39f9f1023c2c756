import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { apiMember, refusedWith } from './support/api.js';
import { invite } from './support/invitations.js';
import type { AccountUsers } from '../lib/index.js';

/** What the delegate holds: user management and two of the thirteen. */
const DELEGATE = ['manageusers', 'invoices', 'tickets'];
/** Targets by what they hold against the delegate. */
const TARGETS = {
  fewer: ['invoices'],
  equal: ['manageusers', 'invoices', 'tickets'],
  more: ['manageusers', 'invoices', 'tickets', 'domains'],
} as const;
type Kind = keyof typeof TARGETS | 'owner';

/** Everything a refused request could have changed. */
async function everything(world: World): Promise<string> {
  const tables = ['users', 'accounts', 'account_users', 'invitations', 'outbox', 'activity'];
  const dump = await Promise.all(tables.map((t) => world.knex(`au_${t}`).select('*').orderBy('id')));
  return JSON.stringify(dump);
}

/**
 * With `delegation: true`, a member holding `manageusers` manages users as the owner does, within
 * four limits the services enforce (so pages, JSON and au.api refuse alike): grant only what they
 * hold; never edit or remove the owner; never edit or remove a member holding a permission they
 * lack; never transfer ownership (see ownership-transfer.test.ts).
 */
describe('delegated user management', function () {
  this.timeout(60_000);

  const world = new World();
  let au: AccountUsers;
  let owner: Awaited<ReturnType<World['ownerBrowser']>>;
  let delegate: Member;
  const events: Array<{ action: string; actorUserId: number | null }> = [];

  before(async () => {
    await world.setUp({ delegation: true });
    au = world.host.au;
    owner = await world.ownerBrowser();
    delegate = await addMember(world, owner, 'office-manager@example.com', DELEGATE);
    au.events.on('activity', (e: { action: string; actorUserId: number | null }) => events.push({ action: e.action, actorUserId: e.actorUserId }));
    await delegate.browser.getJson(`${MOUNT}/`);
  });
  after(() => world.tearDown());

  /** A fresh member of the kind (the owner is always the same one). */
  async function target(kind: Kind): Promise<number> {
    if (kind === 'owner') return world.ownerId;
    return (await apiMember(world, [...TARGETS[kind]], `target-${kind}`)).userId;
  }

  const allowed = (kind: Kind) => kind === 'fewer' || kind === 'equal';

  describe('the matrix: delegate × action × target', () => {
    for (const kind of ['fewer', 'equal', 'more', 'owner'] as const) {
      it(`${allowed(kind) ? 'may' : 'may not'} change the permissions of a target holding ${kind === 'owner' ? 'everything (the owner)' : `${kind} permissions`}, over JSON`, async () => {
        const userId = await target(kind);
        const before = await everything(world);
        const res = await delegate.browser.postJson(`${MOUNT}/users/${userId}/permissions`, { permissions: ['tickets'] });
        if (allowed(kind)) {
          expect(res.status, res.text).to.equal(200);
          expect(res.body.member.permissions).to.deep.equal(['tickets']);
          const row = await world.knex('au_activity').where({ action: 'member.permissions_changed', subject_user_id: userId }).first();
          expect(row.actor_user_id).to.equal(delegate.userId);
        } else {
          expect(res.status, res.text).to.equal(403);
          expect(res.body.error.code).to.equal('forbidden');
          expect(await everything(world)).to.equal(before);
        }
      });

      it(`${allowed(kind) ? 'may' : 'may not'} remove a target holding ${kind === 'owner' ? 'everything (the owner)' : `${kind} permissions`}, over JSON`, async () => {
        const userId = await target(kind);
        const before = await everything(world);
        const res = await delegate.browser.postJson(`${MOUNT}/users/${userId}/remove`, {});
        if (allowed(kind)) {
          expect(res.status, res.text).to.equal(200);
          expect(await world.knex('au_account_users').where({ account_id: world.account.id, user_id: userId }).first()).to.equal(undefined);
          const row = await world.knex('au_activity').where({ action: 'member.removed', subject_user_id: userId }).first();
          expect(row.actor_user_id).to.equal(delegate.userId);
        } else {
          expect(res.status, res.text).to.equal(403);
          expect(await everything(world)).to.equal(before);
        }
      });

      it(`${allowed(kind) ? 'may' : 'may not'} do both through au.api (target holding ${kind})`, async () => {
        const actor = { userId: delegate.userId };
        const accountId = world.account.id;
        const edited = await target(kind);
        const removed = await target(kind);
        if (allowed(kind)) {
          expect((await au.api.setPermissions({ actor, accountId, userId: edited, permissions: ['invoices'] })).member.permissions).to.deep.equal(['invoices']);
          expect((await au.api.removeMember({ actor, accountId, userId: removed })).member.userId).to.equal(removed);
        } else {
          const before = await everything(world);
          await refusedWith(au.api.setPermissions({ actor, accountId, userId: edited, permissions: ['invoices'] }), 'ForbiddenError');
          await refusedWith(au.api.removeMember({ actor, accountId, userId: removed }), 'ForbiddenError');
          expect(await everything(world)).to.equal(before);
        }
      });
    }
  });

  describe('granting only what the delegate holds', () => {
    it('refuses over JSON an invitation granting a key the delegate lacks, and sends nothing', async () => {
      const before = await everything(world);
      const res = await delegate.browser.postJson(`${MOUNT}/invite`, { email: 'too-much@example.com', permissions: ['invoices', 'domains'] });
      expect(res.status, res.text).to.equal(403);
      expect(res.body.error.message).to.contain('View Domains');
      expect(await everything(world)).to.equal(before);
      expect(world.smtp.to('too-much@example.com')).to.have.length(0);
    });

    it('refuses over JSON to give a member a key the delegate lacks', async () => {
      const userId = await target('fewer');
      const before = await everything(world);
      const res = await delegate.browser.postJson(`${MOUNT}/users/${userId}/permissions`, { permissions: ['invoices', 'profile'] });
      expect(res.status, res.text).to.equal(403);
      expect(res.body.error.message).to.contain('Modify Master Account Profile');
      expect(await everything(world)).to.equal(before);
    });

    it('refuses through au.api as well', async () => {
      await refusedWith(
        au.api.invite({
          actor: { userId: delegate.userId },
          accountId: world.account.id,
          email: 'api-too-much@example.com',
          permissions: ['orders'],
          send: false,
        }),
        'ForbiddenError',
      );
    });

    it('invites within its own permissions, recorded and emitted with the delegate as actor', async () => {
      events.length = 0;
      const res = await delegate.browser.postJson(`${MOUNT}/invite`, { email: 'clerk@example.com', permissions: ['invoices', 'manageusers'] });
      expect(res.status, res.text).to.equal(201);
      expect(res.body.invitation.invitedBy).to.equal(delegate.userId);
      expect(world.smtp.to('clerk@example.com')).to.have.length(1);
      const row = await world.knex('au_activity').where({ action: 'invitation.sent', subject_email: 'clerk@example.com' }).first();
      expect(row.actor_user_id).to.equal(delegate.userId);
      expect(events).to.deep.include({ action: 'invitation.sent', actorUserId: delegate.userId });
    });

    it("may not resend, cancel or re-invite over an owner's invitation granting more than it holds", async () => {
      const { id } = await invite(owner, 'owners-pick@example.com', ['invoices', 'domains']);
      world.host.clock.advance(2 * 60_000);
      const before = await everything(world);
      expect((await delegate.browser.postJson(`${MOUNT}/invitations/${id}/resend`, {})).status).to.equal(403);
      expect((await delegate.browser.postJson(`${MOUNT}/invitations/${id}/cancel`, {})).status).to.equal(403);
      expect((await delegate.browser.postJson(`${MOUNT}/invite`, { email: 'owners-pick@example.com', permissions: ['invoices'] })).status).to.equal(403);
      expect(await everything(world)).to.equal(before);
    });

    it('resends and cancels an invitation within its permissions', async () => {
      const { id } = await invite(owner, 'within@example.com', ['tickets']);
      world.host.clock.advance(2 * 60_000);
      expect((await delegate.browser.postJson(`${MOUNT}/invitations/${id}/resend`, {})).status).to.equal(200);
      const cancelled = await delegate.browser.postJson(`${MOUNT}/invitations/${id}/cancel`, {});
      expect(cancelled.status, cancelled.text).to.equal(200);
      const row = await world.knex('au_activity').where({ action: 'invitation.cancelled', subject_email: 'within@example.com' }).first();
      expect(row.actor_user_id).to.equal(delegate.userId);
    });
  });

  describe('pages show only what the viewer may do', () => {
    it('lists every member but links Edit and Remove only for those within reach', async () => {
      const fewer = await target('fewer');
      const more = await target('more');
      const page = await delegate.browser.get(`${MOUNT}/`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain(`data-user-id="${more}"`);
      expect(page.text).to.contain(`href="${MOUNT}/users/${fewer}"`);
      expect(page.text).to.contain(`href="${MOUNT}/users/${fewer}/remove"`);
      expect(page.text).not.to.contain(`href="${MOUNT}/users/${more}"`);
      expect(page.text).not.to.contain(`href="${MOUNT}/users/${world.ownerId}"`);
    });

    it('offers on the invite form only the permissions the delegate holds', async () => {
      const page = await delegate.browser.get(`${MOUNT}/invite`);
      const offered = [...page.text.matchAll(/name="permissions" value="([^"]+)"/g)].map((m) => m[1]);
      expect(offered).to.deep.equal(['invoices', 'tickets', 'manageusers']);
      expect(page.text).to.contain('You can grant only the permissions you hold yourself.');
      const json = await delegate.browser.getJson(`${MOUNT}/invite`);
      expect(json.body.permissions.map((p: { key: string }) => p.key)).to.deep.equal(['invoices', 'tickets', 'manageusers']);
    });

    it('shows a member beyond reach without a form, and refuses the removal page', async () => {
      const more = await target('more');
      const page = await delegate.browser.get(`${MOUNT}/users/${more}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('only the account owner can change or remove them');
      expect(page.text).not.to.contain(`action="${MOUNT}/users/${more}/permissions"`);
      expect((await delegate.browser.get(`${MOUNT}/users/${more}/remove`)).status).to.equal(403);
    });

    it('lets the delegate read the activity log', async () => {
      const res = await delegate.browser.getJson(`${MOUNT}/activity`);
      expect(res.status).to.equal(200);
      expect(res.body.entries.some((e: { actorUserId: number }) => e.actorUserId === delegate.userId)).to.equal(true);
    });

    it('still shows the owner every member as editable', async () => {
      const more = await target('more');
      const page = await owner.get(`${MOUNT}/`);
      expect(page.text).to.contain(`href="${MOUNT}/users/${more}"`);
      expect(page.text).to.contain(`href="${MOUNT}/users/${delegate.userId}"`);
    });
  });

  describe('who is a delegate', () => {
    it('refuses a member without manageusers on every user-management route', async () => {
      const plain = await addMember(world, owner, 'plain@example.com', ['invoices', 'tickets']);
      await plain.browser.getJson(`${MOUNT}/accounts`);
      for (const path of ['/', '/invite', '/activity', `/users/${delegate.userId}`]) {
        const res = await plain.browser.getJson(`${MOUNT}${path}`);
        expect(res.status, path).to.equal(403);
        expect(res.body.error.message, path).to.contain('Manage Users');
      }
      await refusedWith(au.api.listMembers({ actor: { userId: plain.userId }, accountId: world.account.id }), 'ForbiddenError');
    });

    it('refuses a delegate whose manageusers was taken away on the very next request', async () => {
      const former = await addMember(world, owner, 'former@example.com', ['manageusers', 'invoices']);
      expect((await former.browser.getJson(`${MOUNT}/`)).status).to.equal(200);
      await owner.getJson(`${MOUNT}/users/${former.userId}`);
      expect((await owner.postJson(`${MOUNT}/users/${former.userId}/permissions`, { permissions: ['invoices'] })).status).to.equal(200);
      expect((await former.browser.getJson(`${MOUNT}/`)).status).to.equal(403);
    });
  });
});

describe('delegation off (the default)', function () {
  this.timeout(30_000);
  const world = new World();
  before(() => world.setUp());
  after(() => world.tearDown());

  it('keeps the thirteen built-in keys and refuses manageusers as unknown', async () => {
    const au = world.host.au;
    expect(au.permissions.map((p) => p.key))
      .to.have.length(13)
      .and.not.include('manageusers');
    const err = await refusedWith(
      au.api.invite({
        actor: { userId: world.ownerId },
        accountId: world.account.id,
        email: 'x@example.com',
        permissions: ['manageusers' as never],
        send: false,
      }),
      'InvalidInputError',
    );
    expect(err.issues?.[0]?.field).to.equal('permissions');
  });

  it('keeps user management to the owner, with the same refusal', async () => {
    const owner = await world.ownerBrowser();
    const member = await addMember(world, owner, 'all-but-owner@example.com', ['invoices', 'tickets']);
    await member.browser.getJson(`${MOUNT}/accounts`);
    const res = await member.browser.getJson(`${MOUNT}/`);
    expect(res.status).to.equal(403);
    expect(res.body.error.message).to.equal('Only the account owner can manage users.');
  });
});
