import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { linkIn } from './support/user-mail.js';
import { newLogin, refusedWith } from './support/api.js';
import type { Browser } from './support/client.js';
import { enrolTotp, freshCode } from './support/two-factor.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * au.maintenance.prune: what nothing reads again goes, in batches; what is live stays. The world
 * is built through the routes ten days apart, then pruned with `olderThan: 1 day` in batches of 2.
 */
describe('au.maintenance.prune', function () {
  this.timeout(60_000);
  const world = new World();
  let owner: Browser;
  let t1 = 0;
  const ids: Record<string, number> = {};
  const counts: Record<string, number> = {};
  let result: Awaited<ReturnType<typeof world.host.au.maintenance.prune>>;
  let liveInvitationLink = '';
  let liveResetLink = '';
  let closedKeys: string[] = [];
  let openKeys: string[] = [];
  const oldRows: Record<string, number> = {};
  let otherAccountId = 0;

  async function invite(email: string): Promise<number> {
    const res = await owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] });
    expect(res.status, res.text).to.equal(201);
    return Number(res.body.invitation.id);
  }
  const failedLogin = (email: string) => world.browser().agent.post('/login').type('form').send({ email, password: 'wrong-password' });

  /** Signs the login in with a code on a new browser that asks to be remembered (`twoFactor.rememberDeviceDays`: 5). */
  async function rememberBrowser(email: string, password: string, secret: string): Promise<void> {
    const b = world.browser();
    await b.login(email, password);
    await b.getJson(`${USER_MOUNT}/two-factor/verify`);
    const res = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret), rememberDevice: true });
    expect(res.status, res.text).to.equal(200);
  }

  /** A login of its own, made a member of `accountId` through au.api. */
  async function memberOf(accountId: number, label: string) {
    const login = await newLogin(world.host.au, label);
    const { invitation } = await world.host.au.api.invite({ actor: { system: 'test' }, accountId, email: login.email, permissions: ['invoices'], send: false });
    await world.host.au.api.acceptInvitation({ userId: login.userId, invitationId: invitation.id });
    return login;
  }

  /** Claims the two-factor reminder of every member without a factor: a rule with a 2-day grace, reminded, then lifted. */
  async function remindOnce(accountId: number): Promise<void> {
    const api = world.host.au.api;
    await api.setAccountTwoFactorRule({ actor: { system: 'test' }, accountId, required: true, graceDays: 2 });
    await api.sendTwoFactorReminders();
    await api.setAccountTwoFactorRule({ actor: { system: 'test' }, accountId, required: false });
  }

  /** The owner's `n`th reset link (the owner gets other emails too: the ownership offer's notices). */
  async function requestReset(n: number): Promise<string> {
    const b = world.browser();
    await b.getJson(`${USER_MOUNT}/password/forgot`);
    expect((await b.postJson(`${USER_MOUNT}/password/forgot`, { email: OWNER.email })).status).to.equal(202);
    for (const deadline = Date.now() + 5000; ;) {
      const resets = world.smtp.to(OWNER.email).filter((m) => /\/password\/reset\//.test(m.text ?? ''));
      if (resets.length >= n) return linkIn(resets[n - 1]!, 'password/reset');
      if (Date.now() > deadline) throw new Error(`expected ${n} reset email(s) to ${OWNER.email}, got ${resets.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // The rate-limit store drops long-closed windows itself on 1 % of increments (Math.random): during
  // the set-up that would now and then take the closed counters this test expects prune to remove.
  const random = Math.random;
  before(async () => {
    Math.random = () => 0.5;
    await world.setUp({ limits: { passwordResetPerWindow: 100, restoreWindowMs: 3 * DAY }, twoFactor: { rememberDeviceDays: 5 } });
    owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    // Ten days ago: one invitation accepted, one cancelled, one left to expire; a reset link
    // superseded, another used; a failed sign-in.
    ids.accepted = await invite('accepted@example.test');
    const visitor = world.browser();
    const link = pathOf(world.smtp.linkFor('accepted@example.test'));
    await visitor.getJson(link);
    const registered = await visitor.postJson(`${link}/register`, { name: 'Ann Accepted', password: 'accepted-password-1' });
    expect(registered.status).to.equal(201);
    const annId = Number(registered.body.user.id);
    // Also ten days ago: an ownership offer to Ann withdrawn; the reminder before a two-day grace;
    // Ann removed (the restore window is 3 days); a browser remembered for 5 days.
    await owner.getJson(`${MOUNT}/transfer`);
    expect((await owner.postJson(`${MOUNT}/transfer`, { userId: annId, currentPassword: OWNER.password })).status).to.equal(201);
    expect((await owner.postJson(`${MOUNT}/transfer/cancel`, {})).status).to.equal(200);
    await remindOnce(world.account.id);
    expect((await owner.postJson(`${MOUNT}/users/${annId}/remove`, {})).status).to.equal(200);
    const careful = await newLogin(world.host.au, 'careful');
    const enrolling = world.browser();
    await enrolling.login(careful.email, careful.password);
    const { secret } = await enrolTotp(enrolling, world.host, careful.password);
    await rememberBrowser(careful.email, careful.password, secret);
    ids.cancelled = await invite('cancelled@example.test');
    expect((await owner.postJson(`${MOUNT}/invitations/${ids.cancelled}/cancel`, {})).status).to.equal(200);
    ids.expired = await invite('expired@example.test');
    await requestReset(1);
    const used = await requestReset(2);
    const b = world.browser();
    await b.getJson(used);
    expect((await b.postJson(used, { password: 'owner-password-2' })).status).to.equal(200);
    await failedLogin('stranger-x@example.test');
    await world.host.au.mail.flush();

    world.host.clock.advance(10 * DAY);
    t1 = world.host.clock.now().getTime();
    // Now: a pending invitation, a live reset link, an open failed-login window.
    owner = world.browser();
    await owner.login(OWNER.email, 'owner-password-2');
    await owner.getJson(`${MOUNT}/`);
    ids.pending = await invite('pending@example.test');
    liveInvitationLink = pathOf(world.smtp.linkFor('pending@example.test'));
    liveResetLink = await requestReset(3);
    await failedLogin('stranger-y@example.test');
    // Now, too: a browser remembered; in another account a running ownership offer, the reminder
    // before a grace still running and a removal still within its window.
    await rememberBrowser(careful.email, careful.password, secret);
    const other = await newLogin(world.host.au, 'other');
    otherAccountId = other.ownAccountId;
    const heir = await memberOf(otherAccountId, 'heir');
    await world.host.au.api.offerOwnership({ actor: { userId: other.userId }, accountId: otherAccountId, toUserId: heir.userId });
    await remindOnce(otherAccountId);
    const leaver = await memberOf(otherAccountId, 'leaver');
    await world.host.au.api.removeMember({ actor: { userId: other.userId }, accountId: otherAccountId, userId: leaver.userId });
    await world.host.au.mail.flush();

    for (const table of ['outbox', 'user_tokens', 'rate_limits', 'activity', 'user_activity']) counts[table] = await world.count(table);
    counts.oldOutbox = Number(
      (
        (await world
          .knex('au_outbox')
          .where('created_at', '<', t1)
          .andWhere((w) => w.whereNull('invitation_id').orWhereNot('invitation_id', ids.expired!))
          .count({ n: '*' })
          .first()) as { n: unknown }
      ).n,
    );
    counts.oldActivity = Number(
      (
        (await world
          .knex('au_activity')
          .where('created_at', '<', t1 - 5 * DAY)
          .count({ n: '*' })
          .first()) as { n: unknown }
      ).n,
    );
    counts.oldUserActivity = Number(
      (
        (await world
          .knex('au_user_activity')
          .where('created_at', '<', t1 - 5 * DAY)
          .count({ n: '*' })
          .first()) as { n: unknown }
      ).n,
    );
    const now = world.host.clock.now().getTime();
    const cutoff = now - DAY;
    const countOf = async (q: ReturnType<typeof world.knex>) => Number(((await q.count({ n: '*' }).first()) as { n: unknown }).n);
    oldRows.browsers = await countOf(world.knex('au_two_factor_devices').where('expires_at', '<=', now));
    oldRows.transfers = await countOf(world.knex('au_ownership_transfers').whereNot('status', 'pending').andWhere('updated_at', '<', cutoff));
    oldRows.reminders = await countOf(world.knex('au_two_factor_reminders').where('grace_until', '<', cutoff));
    oldRows.removed = await countOf(world.knex('au_removed_members').where('removed_at', '<=', cutoff - 3 * DAY));
    for (const table of ['two_factor_devices', 'ownership_transfers', 'two_factor_reminders', 'removed_members']) counts[table] = await world.count(table);
    closedKeys = (await world.knex('au_rate_limits').where('reset_at', '<=', now).pluck('key')).map(String);
    openKeys = (await world.knex('au_rate_limits').where('reset_at', '>', now).pluck('key')).map(String).sort();
    result = await world.host.au.maintenance.prune({ olderThan: DAY, activityOlderThan: 5 * DAY, batchSize: 2 });
    Math.random = random;
  });
  after(() => {
    Math.random = random;
    return world.tearDown();
  });

  it("removes the old mail, except a pending invitation's", async () => {
    expect(counts.oldOutbox).to.be.above(3);
    expect(result.outbox).to.equal(counts.oldOutbox);
    expect(await world.knex('au_outbox').where({ invitation_id: ids.expired }).first('id')).to.not.equal(undefined);
    expect(await world.knex('au_outbox').where({ invitation_id: ids.pending }).first('id')).to.not.equal(undefined);
  });

  it('removes the superseded and the used reset link; the live one still opens', async () => {
    expect(result.userTokens).to.equal(2);
    expect(await world.count('user_tokens')).to.equal(counts.user_tokens! - 2);
    expect((await world.browser().getJson(liveResetLink)).status).to.equal(200);
  });

  it('clears the link hashes of the accepted, cancelled and expired invitations and keeps their rows; the pending link still opens', async () => {
    expect(result.invitationTokens).to.equal(3);
    const rows = await world.knex('au_invitations').where({ account_id: world.account.id }).orderBy('id').select('id', 'token_hash');
    expect(rows.length).to.equal(4);
    expect(rows.filter((r) => r.token_hash !== null).map((r) => Number(r.id))).to.deep.equal([ids.pending]);
    expect((await world.browser().getJson(liveInvitationLink)).status).to.equal(200);
  });

  it('removes the rate-limit counter whose window closed and keeps the open ones counting', async () => {
    expect(closedKeys.length).to.be.above(0);
    expect(result.rateLimits).to.equal(closedKeys.length);
    const left = (await world.knex('au_rate_limits').pluck('key')).map(String).sort();
    expect(left).to.deep.equal(openKeys);
    // The failed sign-in of moments ago is among them, still counted.
    expect(openKeys.length).to.be.above(0);
  });

  it('removes the remembered browser whose time ran out and keeps the one still remembered', async () => {
    expect(oldRows.browsers).to.equal(1);
    expect(result.rememberedBrowsers).to.equal(1);
    expect(counts.two_factor_devices).to.equal(2);
    const left = await world.knex('au_two_factor_devices').select('expires_at');
    expect(left.map((r) => Number(r.expires_at))).to.satisfy((ends: number[]) => ends.length === 1 && ends[0]! > world.host.clock.now().getTime());
  });

  it('removes the ownership offer withdrawn before the cutoff and keeps the running one', async () => {
    expect(oldRows.transfers).to.equal(1);
    expect(result.ownershipTransfers).to.equal(1);
    const left = await world.knex('au_ownership_transfers').select('account_id', 'status');
    expect(left.map((r) => [Number(r.account_id), r.status])).to.deep.equal([[otherAccountId, 'pending']]);
  });

  it('removes the reminder claims of a grace that ended and keeps those of a running one (it is not sent twice)', async () => {
    expect(oldRows.reminders).to.be.above(0);
    expect(result.twoFactorReminders).to.equal(oldRows.reminders);
    const left = await world.knex('au_two_factor_reminders').select('account_id');
    expect(left.length)
      .to.equal(counts.two_factor_reminders! - oldRows.reminders!)
      .and.to.be.above(0);
    expect(left.every((r) => Number(r.account_id) === otherAccountId)).to.equal(true);
  });

  it('removes what a removal took once its restore window closed before the cutoff; one within it can still be restored', async () => {
    expect(oldRows.removed).to.equal(1);
    expect(result.removedMembers).to.equal(1);
    const left = await world.knex('au_removed_members').select('account_id');
    expect(left.map((r) => Number(r.account_id))).to.deep.equal([otherAccountId]);
    const { items: removed } = await world.host.au.api.listRemovedMembers({ actor: { system: 'test' }, accountId: otherAccountId });
    expect(removed).to.have.length(1);
  });

  it('removes activity older than activityOlderThan, and only that', async () => {
    expect(counts.oldActivity).to.be.above(0);
    expect(result.activity).to.equal(counts.oldActivity);
    expect(result.userActivity).to.equal(counts.oldUserActivity);
    expect(await world.count('activity')).to.equal(counts.activity! - counts.oldActivity!);
    expect((await owner.getJson(`${MOUNT}/activity`)).body.entries.map((e: { action: string }) => e.action)).to.include('invitation.sent');
  });

  it('finds nothing more to remove when run again', async () => {
    const again = await world.host.au.maintenance.prune({ olderThan: DAY, activityOlderThan: 5 * DAY });
    expect(again).to.deep.equal({
      outbox: 0,
      userTokens: 0,
      invitationTokens: 0,
      rateLimits: 0,
      sessions: 0,
      rememberedBrowsers: 0,
      ownershipTransfers: 0,
      twoFactorReminders: 0,
      removedMembers: 0,
      activity: 0,
      userActivity: 0,
    });
  });

  it('keeps activity when activityOlderThan is left out', async () => {
    const count = await world.count('activity');
    const r = await world.host.au.maintenance.prune({ olderThan: 0 });
    expect(r.activity).to.equal(0);
    expect(await world.count('activity')).to.equal(count);
  });

  it('keeps a removal inside its restore window even when olderThan is a date in the future', async () => {
    const future = new Date(world.host.clock.now().getTime() + 30 * DAY);
    const later = await world.host.au.maintenance.prune({ olderThan: future });
    expect(later.removedMembers).to.equal(0);
    const { items: removed } = await world.host.au.api.listRemovedMembers({ actor: { system: 'test' }, accountId: otherAccountId });
    expect(removed).to.have.length(1);
  });

  it('refuses an olderThan that is neither a Date nor an age, naming it', async () => {
    const err = await refusedWith(world.host.au.maintenance.prune({ olderThan: -1 }), 'InvalidInputError');
    expect(err.issues![0]!.field).to.equal('olderThan');
  });
});
