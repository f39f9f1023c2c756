import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT } from './support/app.js';
import { apiMember, refusedWith } from './support/api.js';
import { addMember } from './support/members.js';
import type { AccountUsers } from '../lib/index.js';

/** Everything a roster could change. */
async function everything(world: World): Promise<string> {
  const tables = ['users', 'accounts', 'account_users', 'removed_members', 'invitations', 'outbox', 'activity', 'ownership_transfers'];
  const dump = await Promise.all(tables.map((t) => world.knex(`au_${t}`).select('*').orderBy('id')));
  return JSON.stringify(dump);
}

async function waitFor(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const permissionsOf = async (world: World, userId: number) => {
  const row = await world.knex('au_account_users').where({ account_id: world.account.id, user_id: userId }).first();
  return row ? JSON.parse(String(row.permissions)) : undefined;
};

/**
 * Roster reconcile (au.api.reconcileRoster, POST /roster): a CSV of address and permissions
 * compared with the account; the dry run is the apply rolled back, so the two always agree; the
 * apply is one transaction under the account's lock and one activity entry.
 */
describe('roster reconcile', function () {
  this.timeout(120_000);

  describe('a dry run and its apply', () => {
    const world = new World();
    let au: AccountUsers;
    let keep: { userId: number; email: string };
    let change: { userId: number; email: string };
    let leave: { userId: number; email: string };
    const events: Array<{ action: string; details?: Record<string, unknown> }> = [];

    before(async () => {
      await world.setUp({ presets: [{ key: 'billing', label: 'Billing', permissions: ['invoices', 'quotes'] }] });
      au = world.host.au;
      keep = await apiMember(world, ['invoices', 'tickets'], 'keep');
      change = await apiMember(world, ['invoices'], 'change');
      leave = await apiMember(world, ['tickets'], 'leave');
      await au.api.invite({
        actor: { system: 'setup' },
        accountId: world.account.id,
        email: 'pending-same@example.com',
        permissions: ['domains'],
        send: false,
      });
      await au.api.invite({
        actor: { system: 'setup' },
        accountId: world.account.id,
        email: 'pending-change@example.com',
        permissions: ['domains'],
        send: false,
      });
      await au.api.invite({
        actor: { system: 'setup' },
        accountId: world.account.id,
        email: 'pending-gone@example.com',
        permissions: ['domains'],
        send: false,
      });
      au.events.on('activity', (e: { action: string; details?: Record<string, unknown> }) => events.push(e));
    });
    after(() => world.tearDown());

    const csv = () =>
      [
        'email,permissions',
        `${keep.email},tickets;invoices`,
        `${change.email.toUpperCase()},billing`,
        `${OWNER.email},`,
        'pending-same@example.com,domains',
        'pending-change@example.com,domains;tickets',
        'new-1@example.com,invoices',
        '# a comment line',
        '"new-2@example.com","billing"',
      ].join('\n');

    it('gives exactly the difference that applying it then makes, and a dry run changes nothing', async () => {
      const before = await everything(world);
      const dry = await au.api.reconcileRoster({ actor: { userId: world.ownerId }, accountId: world.account.id, csv: csv() });
      expect(dry.applied).to.equal(false);
      expect(await everything(world)).to.equal(before);
      expect(events).to.have.length(0);

      const applied = await au.api.reconcileRoster({ actor: { userId: world.ownerId }, accountId: world.account.id, csv: csv(), apply: true });
      expect(applied.applied).to.equal(true);
      expect(applied.changes).to.deep.equal(dry.changes);
    });

    it('lists what it did: invitations, changes, removals (a member and a pending invitation), the owner unchanged', async () => {
      // Asked again: now the account matches, so everything is unchanged.
      const again = await au.api.reconcileRoster({ actor: { userId: world.ownerId }, accountId: world.account.id, csv: csv() });
      expect(again.changes.invite).to.deep.equal([]);
      expect(again.changes.change).to.deep.equal([]);
      expect(again.changes.remove).to.deep.equal([]);
      expect(again.changes.unchanged.map((c) => c.email)).to.deep.equal([
        keep.email,
        change.email,
        OWNER.email,
        'pending-same@example.com',
        'pending-change@example.com',
        'new-1@example.com',
        'new-2@example.com',
      ]);
      expect(again.changes.unchanged.find((c) => c.email === OWNER.email)!.owner).to.equal(true);
    });

    it('wrote each change: permissions, removal, cancelled invitation, new invitations emailed', async () => {
      expect(await permissionsOf(world, change.userId)).to.deep.equal(['invoices', 'quotes']);
      expect(await permissionsOf(world, keep.userId)).to.deep.equal(['invoices', 'tickets']);
      expect(await permissionsOf(world, leave.userId)).to.equal(undefined);
      expect((await world.knex('au_invitations').where({ email: 'pending-gone@example.com' }).first()).status).to.equal('cancelled');
      expect(JSON.parse((await world.knex('au_invitations').where({ email: 'pending-change@example.com' }).first()).permissions)).to.deep.equal([
        'domains',
        'tickets',
      ]);
      expect(world.smtp.to('new-1@example.com')).to.have.length(1);
      expect(world.smtp.to('new-2@example.com')).to.have.length(1);
      expect(world.smtp.to('pending-change@example.com')).to.have.length(0);
    });

    it('is one activity entry with its details, and one event', async () => {
      const rows = await world.knex('au_activity').where({ action: 'roster.reconciled' });
      expect(rows).to.have.length(1);
      const details = JSON.parse(rows[0].details);
      expect(details.counts).to.deep.equal({ invite: 2, change: 2, suspend: 0, reinstate: 0, remove: 2, unchanged: 3 });
      expect(details.remove.map((r: { email: string }) => r.email)).to.have.members([leave.email, 'pending-gone@example.com']);
      expect(events.filter((e) => e.action === 'roster.reconciled')).to.have.length(1);
      expect(await world.knex('au_activity').where({ action: 'invitation.sent', subject_email: 'new-1@example.com' })).to.have.length(0);
    });

    it('keeps what it removed restorable: the member is under "Recently removed" and Restore gives back what they held', async () => {
      const { items } = await au.api.listRemovedMembers({ actor: { userId: world.ownerId }, accountId: world.account.id });
      expect(items.map((i) => i.email)).to.deep.equal([leave.email]);
      expect(items[0]).to.include({ userId: leave.userId, loginExists: true });
      expect(items[0]!.permissions).to.deep.equal(['tickets']);
      const owner = await world.ownerBrowser();
      const page = await owner.get(`${MOUNT}/`);
      expect(page.text).to.contain('Recently removed').and.to.contain(`${MOUNT}/users/${leave.userId}/restore`);
      await au.api.restoreMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: leave.userId });
      expect(await permissionsOf(world, leave.userId)).to.deep.equal(['tickets']);
      // Back on the account: the roster, asked again, would remove them again (and keep them restorable again).
      await au.api.removeMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: leave.userId });
    });

    it('shows the entry on the activity page with its counts', async () => {
      const owner = await world.ownerBrowser();
      const page = await owner.get(`${MOUNT}/activity`);
      expect(page.text).to.contain(`${OWNER.name} &lt;${OWNER.email}&gt; applied a roster: 2 invited, 2 changed, 2 removed`);
    });
  });

  describe('a failure half-way', () => {
    const world = new World();
    let au: AccountUsers;

    before(async () => {
      await world.setUp({ limits: { invitationsPerDay: 2 } });
      au = world.host.au;
    });
    after(() => world.tearDown());

    it('changes nothing: the daily limit met on the third invitation undoes the changes and removals written before it', async () => {
      const member = await apiMember(world, ['invoices'], 'half');
      const gone = await apiMember(world, ['invoices'], 'half-gone');
      const roster = [`${member.email},tickets`, 'a@example.com,invoices', 'b@example.com,invoices', 'c@example.com,invoices'].join('\n');
      const before = await everything(world);
      const dry = await refusedWith(
        au.api.reconcileRoster({ actor: { userId: world.ownerId }, accountId: world.account.id, csv: roster }),
        'TooManyRequestsError',
      );
      const applied = await refusedWith(
        au.api.reconcileRoster({ actor: { userId: world.ownerId }, accountId: world.account.id, csv: roster, apply: true }),
        'TooManyRequestsError',
      );
      expect(applied.message).to.equal(dry.message);
      expect(await everything(world)).to.equal(before);
      expect(await permissionsOf(world, member.userId)).to.deep.equal(['invoices']);
      expect(await permissionsOf(world, gone.userId)).to.deep.equal(['invoices']);
      expect(world.smtp.to('a@example.com')).to.have.length(0);
    });

    it('changes nothing when the database fails mid-way (the activity insert refused)', async () => {
      const member = await apiMember(world, ['invoices'], 'db-fault');
      const roster = `${member.email},tickets`;
      const before = await everything(world);
      // The last write of the transaction fails: every earlier one must be rolled back with it.
      await world.knex.schema.alterTable('au_activity', (t) => t.renameColumn('details', 'details_moved'));
      try {
        try {
          await au.api.reconcileRoster({ actor: { userId: world.ownerId }, accountId: world.account.id, csv: roster, apply: true });
          expect.fail('the apply should have failed');
        } catch (err) {
          expect((err as Error).message).to.not.equal('the apply should have failed');
        }
      } finally {
        await world.knex.schema.alterTable('au_activity', (t) => t.renameColumn('details_moved', 'details'));
      }
      expect(await everything(world)).to.equal(before);
    });
  });

  describe('suspending and reinstating by a `suspended` column', () => {
    const world = new World();
    let au: AccountUsers;
    let stays: { userId: number; email: string };
    let leaves: { userId: number; email: string };
    let back: { userId: number; email: string };
    const owner = () => ({ actor: { userId: world.ownerId }, accountId: world.account.id });

    before(async () => {
      await world.setUp({ limits: { invitationsPerDay: 3 } });
      au = world.host.au;
      stays = await apiMember(world, ['invoices'], 'stays');
      leaves = await apiMember(world, ['invoices'], 'on-leave');
      back = await apiMember(world, ['tickets'], 'back');
      await au.api.suspendMember({ ...owner(), userId: back.userId, reason: 'Parental leave' });
    });
    after(() => world.tearDown());

    const roster = (extra: string[] = []) =>
      [
        'email,permissions,suspended',
        `${OWNER.email},,`,
        `${stays.email},invoices,no`,
        `${leaves.email},invoices;quotes,yes`,
        `${back.email},tickets,no`,
        ...extra,
      ].join('\n');
    const suspendedAt = async (userId: number) =>
      (await world.knex('au_account_users').where({ account_id: world.account.id, user_id: userId }).first()).suspended_at as unknown;

    it('shows who it would suspend and reinstate in the dry run, changing nothing', async () => {
      const before = await everything(world);
      const { changes, applied } = await au.api.reconcileRoster({ ...owner(), csv: roster() });
      expect(applied).to.equal(false);
      expect(changes.suspend.map((c) => c.email)).to.deep.equal([leaves.email]);
      expect(changes.reinstate.map((c) => c.email)).to.deep.equal([back.email]);
      expect(changes.change.map((c) => c.email)).to.deep.equal([leaves.email]);
      expect(changes.unchanged.map((c) => c.email)).to.deep.equal([OWNER.email, stays.email]);
      expect(await everything(world)).to.equal(before);
    });

    it('changes nothing when a later row fails: the suspension is undone with the rest', async () => {
      const before = await everything(world);
      const extra = ['a@example.com,invoices,', 'b@example.com,invoices,', 'c@example.com,invoices,', 'd@example.com,invoices,'];
      await refusedWith(au.api.reconcileRoster({ ...owner(), csv: roster(extra), apply: true }), 'TooManyRequestsError');
      expect(await everything(world)).to.equal(before);
      expect(await suspendedAt(leaves.userId)).to.equal(null);
    });

    it('applies it as the dry run said, in one transaction: suspended, reinstated, one activity entry, the members told', async () => {
      const dry = await au.api.reconcileRoster({ ...owner(), csv: roster() });
      const applied = await au.api.reconcileRoster({ ...owner(), csv: roster(), apply: true });
      expect(applied.changes).to.deep.equal(dry.changes);
      expect(await suspendedAt(leaves.userId)).to.not.equal(null);
      expect(await suspendedAt(back.userId)).to.equal(null);
      expect(await permissionsOf(world, leaves.userId)).to.deep.equal(['invoices', 'quotes']);
      const entries = await world
        .knex('au_activity')
        .where({ account_id: world.account.id })
        .whereIn('action', ['roster.reconciled', 'member.suspended', 'member.reinstated']);
      const rosterEntries = entries.filter((e: { action: string }) => e.action === 'roster.reconciled');
      expect(rosterEntries).to.have.length(1);
      const details = JSON.parse(rosterEntries[0].details);
      expect(details.suspend).to.deep.equal([leaves.email]);
      expect(details.reinstate).to.deep.equal([back.email]);
      expect(details.counts).to.include({ suspend: 1, reinstate: 1 });
      await waitFor(() => world.smtp.to(leaves.email).length === 1 && world.smtp.to(back.email).length === 2);
    });

    it('refuses the suspended member at once (guard, can()), lets the reinstated one in, and the same roster again changes nothing', async () => {
      expect(await au.api.can({ userId: leaves.userId, accountId: world.account.id }, 'invoices')).to.equal(false);
      expect(await au.api.can({ userId: back.userId, accountId: world.account.id }, 'tickets')).to.equal(true);
      const suspended = world.browser();
      await suspended.login(leaves.email, 'person-password-1');
      await suspended.getJson(`${MOUNT}/accounts`);
      expect((await suspended.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id })).status, 'the switcher').to.equal(403);
      const reinstated = world.browser();
      await reinstated.login(back.email, 'person-password-1');
      await reinstated.getJson(`${MOUNT}/accounts`);
      expect((await reinstated.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id })).status).to.equal(200);
      expect((await reinstated.agent.get('/host/tickets').set('Accept', 'application/json')).status, 'the guard').to.equal(200);
      const again = await au.api.reconcileRoster({ ...owner(), csv: roster() });
      expect([again.changes.suspend, again.changes.reinstate, again.changes.change]).to.deep.equal([[], [], []]);
    });

    it('leaves suspension as it is where the column is empty or missing', async () => {
      const { changes } = await au.api.reconcileRoster({
        ...owner(),
        csv: ['email,permissions', `${stays.email},invoices`, `${leaves.email},invoices;quotes`, `${back.email},tickets`].join('\n'),
      });
      expect([changes.suspend, changes.reinstate]).to.deep.equal([[], []]);
    });

    it('refuses a cell that is neither yes nor no, and a suspension of an address that is not a member, naming the line', async () => {
      const before = await everything(world);
      const bad = await refusedWith(
        au.api.reconcileRoster({ ...owner(), csv: roster().replace(`${stays.email},invoices,no`, `${stays.email},invoices,maybe`), apply: true }),
        'InvalidInputError',
      );
      expect(bad.message).to.equal('csv: line 3, column 3 (suspended): maybe is neither yes nor no');
      const notMember = await refusedWith(
        au.api.reconcileRoster({ ...owner(), csv: roster(['new@example.com,invoices,yes']), apply: true }),
        'InvalidInputError',
      );
      expect(notMember.message).to.equal('csv: line 6: new@example.com is not a member yet, so cannot be suspended');
      expect(await everything(world)).to.equal(before);
    });
  });

  describe('refusals', () => {
    const world = new World();
    let au: AccountUsers;

    before(async () => {
      await world.setUp({ delegation: true, limits: { rosterMaxRows: 5, rosterMaxBytes: 2048 } });
      au = world.host.au;
    });
    after(() => world.tearDown());

    const refused = async (csv: string) => {
      const before = await everything(world);
      const err = await refusedWith(
        au.api.reconcileRoster({ actor: { userId: world.ownerId }, accountId: world.account.id, csv, apply: true }),
        'InvalidInputError',
      );
      expect(await everything(world)).to.equal(before);
      return err.message;
    };

    it('names the line and column of a bad address', async () => {
      expect(await refused('ok@example.com,invoices\nnot-an-address,invoices')).to.equal(
        'csv: line 2, column 1 (email): not-an-address is not a valid email address',
      );
    });

    it('names the line and column of an unknown permission', async () => {
      expect(await refused('email,permissions\nok@example.com,invoices;flying')).to.equal(
        'csv: line 2, column 2 (permissions): flying is neither a permission nor a preset',
      );
    });

    it('names both lines of an address given twice', async () => {
      expect(await refused('a@example.com,invoices\nA@example.com,tickets')).to.equal('csv: line 2: a@example.com is already on line 1');
    });

    it('refuses a formula in a cell as the bad address it is', async () => {
      expect(await refused('"=HYPERLINK(""http://evil.test"")",invoices')).to.match(/^csv: line 1, column 1 \(email\): =HYPERLINK/);
    });

    it('refuses a roster over rosterMaxBytes before parsing it', async () => {
      expect(await refused(`a@example.com,${'invoices;'.repeat(300)}`)).to.equal('csv: must be at most 2048 bytes');
    });

    it('refuses more rows than rosterMaxRows', async () => {
      expect(await refused(Array.from({ length: 6 }, (_, i) => `r${i}@example.com,invoices`).join('\n'))).to.equal('csv: must have at most 5 rows');
    });

    it('refuses broken quoting, naming the line', async () => {
      expect(await refused('a@example.com,invoices\n"b@example.com,invoices\n')).to.match(/^csv: line \d+ is not valid CSV/);
    });

    it('refuses an invitation with no permissions', async () => {
      expect(await refused('nobody@example.com,')).to.equal('csv: line 1: nobody@example.com would be invited with no permissions; give at least one');
    });
  });

  describe('for a delegate', () => {
    const world = new World();
    let au: AccountUsers;
    let delegate: { userId: number; email: string };

    before(async () => {
      await world.setUp({ delegation: true });
      au = world.host.au;
      delegate = await apiMember(world, ['manageusers', 'invoices', 'tickets'], 'delegate');
    });
    after(() => world.tearDown());

    const asDelegate = (csv: string, apply = true) => au.api.reconcileRoster({ actor: { userId: delegate.userId }, accountId: world.account.id, csv, apply });

    it('refuses a roster granting a permission the delegate lacks (403), writing nothing', async () => {
      const before = await everything(world);
      await refusedWith(asDelegate(`${delegate.email},manageusers;invoices;tickets\nnew@example.com,domains`), 'ForbiddenError');
      expect(await everything(world)).to.equal(before);
    });

    it('never removes the owner, who may be left out of the roster', async () => {
      const { changes } = await asDelegate(`${delegate.email},manageusers;invoices;tickets`, false);
      expect(changes.remove.map((c) => c.email)).to.not.include(OWNER.email);
    });

    it('refuses a roster removing a member holding more than the delegate (403), writing nothing', async () => {
      const beyond = await apiMember(world, ['domains'], 'beyond');
      const before = await everything(world);
      const err = await refusedWith(asDelegate(`${delegate.email},manageusers;invoices;tickets`), 'ForbiddenError');
      expect(err.message).to.contain('Domain');
      expect(await everything(world)).to.equal(before);
      expect(await permissionsOf(world, beyond.userId)).to.deep.equal(['domains']);
      await au.api.removeMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: beyond.userId });
    });

    it('refuses a roster changing the delegate’s own permissions (403)', async () => {
      await refusedWith(asDelegate(`${delegate.email},manageusers;invoices`), 'ForbiddenError');
    });

    it('refuses a roster suspending the delegate’s own membership (403), writing nothing', async () => {
      const before = await everything(world);
      await refusedWith(asDelegate(`email,permissions,suspended\n${delegate.email},manageusers;invoices;tickets,yes`), 'ForbiddenError');
      expect(await everything(world)).to.equal(before);
    });

    it('refuses a roster suspending a member holding more than the delegate (403)', async () => {
      const beyond = await apiMember(world, ['domains'], 'beyond-suspend');
      const csv = `email,permissions,suspended\n${delegate.email},manageusers;invoices;tickets,\n${beyond.email},domains,yes`;
      await refusedWith(asDelegate(csv), 'ForbiddenError');
      await au.api.removeMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: beyond.userId });
    });

    it('applies a roster within the delegate’s rights', async () => {
      const { changes } = await asDelegate(`${delegate.email},manageusers;invoices;tickets\nhelper@example.com,tickets`);
      expect(changes.invite.map((c) => c.email)).to.deep.equal(['helper@example.com']);
    });
  });

  describe('applied only as shown: the dry run’s digest', () => {
    const world = new World();
    let au: AccountUsers;
    let stays: { userId: number; email: string };
    const owner = () => ({ actor: { userId: world.ownerId }, accountId: world.account.id });
    const roster = () => `email,permissions\n${OWNER.email},\n${stays.email},tickets\nshown-new@example.com,invoices`;
    /** Hidden fields of the difference page's apply form, as the browser sends them back. */
    const applyForm = (html: string) => {
      const value = (name: string) => [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].find((m) => m[1] === name)?.[2] ?? '';
      const decode = (v: string) =>
        v
          .replace(/&#x0A;|&#10;/g, '\n')
          .replace(/&#x3D;/g, '=')
          .replace(/&#x27;/g, "'")
          .replace(/&amp;/g, '&');
      return { csv: decode(value('csv')), digest: decode(value('digest')), _csrf: value('_csrf') };
    };

    before(async () => {
      await world.setUp();
      au = world.host.au;
      stays = await apiMember(world, ['invoices'], 'stays');
    });
    after(() => world.tearDown());

    it('answers a digest with the dry run, and applies with it while the account is as it was', async () => {
      const dry = await au.api.reconcileRoster({ ...owner(), csv: roster() });
      expect(dry.digest).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect((await au.api.reconcileRoster({ ...owner(), csv: roster() })).digest, 'the same difference, the same digest').to.equal(dry.digest);
      const applied = await au.api.reconcileRoster({ ...owner(), csv: roster(), apply: true, digest: dry.digest });
      expect(applied.applied).to.equal(true);
      expect(applied.changes).to.deep.equal(dry.changes);
      expect(await permissionsOf(world, stays.userId)).to.deep.equal(['tickets']);
    });

    it('refuses the apply with 409 on `digest` when the account changed since the dry run, writing nothing (au.api)', async () => {
      const csv = `${roster()}\nsecond-new@example.com,invoices`;
      const dry = await au.api.reconcileRoster({ ...owner(), csv });
      // Meanwhile a member joins whom the roster leaves out: applying now would also remove them.
      const joined = await apiMember(world, ['invoices'], 'joined-meanwhile');
      const before = await everything(world);
      const err = await refusedWith(au.api.reconcileRoster({ ...owner(), csv, apply: true, digest: dry.digest }), 'ConflictError');
      expect(err).to.include({ status: 409, field: 'digest' });
      expect(err.message).to.contain('changed since the difference was shown');
      expect(await everything(world)).to.equal(before);
      expect(await permissionsOf(world, joined.userId)).to.deep.equal(['invoices']);
      // Without a digest au.api applies the difference as it is now, as before.
      const { changes } = await au.api.reconcileRoster({ ...owner(), csv, apply: true });
      expect(changes.remove.map((c) => c.email)).to.deep.equal([joined.email]);
      expect(changes.invite.map((c) => c.email)).to.deep.equal(['second-new@example.com']);
    });

    it('refuses over HTTP with the new difference and the reason (409 page), then applies from that page', async () => {
      const browser = await world.ownerBrowser();
      await browser.get(`${MOUNT}/roster`);
      const csv = `${roster()}\nsecond-new@example.com,invoices\npage-new@example.com,invoices`;
      const diff = await browser.post(`${MOUNT}/roster`, { csv, apply: '0' });
      expect(diff.status).to.equal(200);
      const shown = applyForm(diff.text);
      expect(shown.digest).to.not.equal('');
      const late = await apiMember(world, ['invoices'], 'late');
      const refused = await browser.post(`${MOUNT}/roster`, { ...shown, apply: '1' }, { csrf: null });
      expect(refused.status, refused.text).to.equal(409);
      expect(refused.text).to.contain('role="alert"').and.to.contain('changed since the difference was shown');
      expect(refused.text).to.contain('To remove (1)').and.to.contain(late.email);
      expect(await permissionsOf(world, late.userId)).to.deep.equal(['invoices']);
      expect(await world.knex('au_invitations').where({ email: 'page-new@example.com' })).to.have.length(0);
      const again = applyForm(refused.text);
      expect(again.digest).to.not.equal(shown.digest);
      const applied = await browser.post(`${MOUNT}/roster`, { ...again, apply: '1' }, { csrf: null });
      expect(applied.status, applied.text).to.equal(303);
      expect(await permissionsOf(world, late.userId)).to.equal(undefined);
    });

    it('refuses a JSON apply with a stale digest: 409 `conflict`, the field named', async () => {
      const browser = await world.ownerBrowser();
      await browser.getJson(`${MOUNT}/roster`);
      const csv = `${roster()}\nsecond-new@example.com,invoices\npage-new@example.com,invoices`;
      const dry = await browser.postJson(`${MOUNT}/roster`, { csv, apply: false });
      expect(dry.body.digest).to.be.a('string');
      await apiMember(world, ['invoices'], 'json-late');
      const res = await browser.postJson(`${MOUNT}/roster`, { csv, apply: true, digest: dry.body.digest });
      expect(res.status, res.text).to.equal(409);
      expect(res.body.error.code).to.equal('conflict');
      expect(res.body.error.fields).to.deep.equal([{ field: 'digest', message: res.body.error.message }]);
      const text = await browser.agent
        .post(`${MOUNT}/roster?apply=1&digest=${encodeURIComponent(dry.body.digest)}`)
        .set('Accept', 'application/json')
        .set('Content-Type', 'text/csv')
        .set('x-csrf-token', browser.csrf)
        .send(csv);
      expect(text.status, 'a text/csv body with ?digest=').to.equal(409);
    });
  });

  describe('over HTTP', () => {
    const world = new World();

    before(async () => {
      await world.setUp();
    });
    after(() => world.tearDown());

    it('shows the difference page, then applies it from that page', async () => {
      const owner = await world.ownerBrowser();
      const member = await addMember(world, owner, 'page-member@example.com', ['invoices']);
      const form = await owner.get(`${MOUNT}/roster`);
      expect(form.status).to.equal(200);
      const csv = `email,permissions\n${member.email},tickets\npage-new@example.com,invoices`;
      const diff = await owner.post(`${MOUNT}/roster`, { csv, apply: '0' });
      expect(diff.status, diff.text).to.equal(200);
      expect(diff.text).to.contain('To invite (1)').and.to.contain('To change (1)').and.to.contain('page-new@example.com');
      expect(await permissionsOf(world, member.userId)).to.deep.equal(['invoices']);
      const hidden = /name="csv" value="([^"]*)"/.exec(diff.text)![1]!.replace(/&#x0A;|&#10;/g, '\n');
      owner.csrf = /name="_csrf" value="([^"]+)"/.exec(diff.text)![1]!;
      const applied = await owner.post(`${MOUNT}/roster`, { csv: hidden.replace(/&#x3D;/g, '='), apply: '1' });
      expect(applied.status, applied.text).to.equal(303);
      expect(await permissionsOf(world, member.userId)).to.deep.equal(['tickets']);
    });

    it('answers a refused roster with 400 and the form naming the line', async () => {
      const owner = await world.ownerBrowser();
      await owner.get(`${MOUNT}/roster`);
      const res = await owner.post(`${MOUNT}/roster`, { csv: 'bad,invoices', apply: '0' });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('line 1, column 1 (email)');
    });

    it('takes a text/csv body with apply in the query string (JSON answer)', async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/roster`);
      const res = await owner.agent
        .post(`${MOUNT}/roster?apply=0`)
        .set('Accept', 'application/json')
        .set('Content-Type', 'text/csv')
        .set('x-csrf-token', owner.csrf)
        .send('csv-body@example.com,invoices');
      expect(res.status, res.text).to.equal(200);
      expect(res.body.applied).to.equal(false);
      expect(res.body.changes.invite.map((c: { email: string }) => c.email)).to.deep.equal(['csv-body@example.com']);
    });
  });
});
