import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { addMember } from './support/members.js';
import { enrolTotp, freshCode, signInWithCode } from './support/two-factor.js';

/**
 * Every two-factor change is in the activity log it belongs to (the account's for the rule, the
 * login's for its own factor) and on au.events, whichever way it was made: pages, JSON or au.api.
 */
describe('two-factor sign-in: every change in the activity logs and on au.events', function () {
  this.timeout(60_000);
  const world = new World();
  const heard: string[] = [];
  let ownerSecret: string;
  const USER_ACTIONS = [
    'user.two_factor_enabled',
    'user.recovery_codes_generated',
    'user.recovery_code_used',
    'user.device_remembered',
    'user.devices_forgotten',
    'user.two_factor_removed',
    'user.two_factor_reset',
  ];

  before(async () => {
    await world.setUp({ twoFactor: { rememberDeviceDays: 7 } });
    for (const action of [...USER_ACTIONS, 'account.two_factor_rule_changed']) world.host.au.events.on(action, () => heard.push(action));
  });
  after(() => world.tearDown());

  it('records each change of a login’s factor in its own activity and emits it', async () => {
    const owner = await world.ownerBrowser();
    ({ secret: ownerSecret } = await enrolTotp(owner, world.host, OWNER.password));
    const b = world.browser();
    await signInWithCode(b, world.host, OWNER.email, OWNER.password, ownerSecret);
    const member = await addMember(world, b, 'logged@example.com', ['invoices']);
    const { secret: memberSecret, recoveryCodes } = await enrolTotp(member.browser, world.host, member.password);
    // New recovery codes (the enrolment's code is recent), one used, a remembered browser, all forgotten.
    await member.browser.getJson(`${USER_MOUNT}/two-factor`);
    expect((await member.browser.postJson(`${USER_MOUNT}/two-factor/recovery-codes`, {})).status).to.equal(200);
    const fresh = world.browser();
    await fresh.login(member.email, member.password);
    await fresh.getJson(`${USER_MOUNT}/two-factor/verify`);
    expect((await fresh.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: recoveryCodes[0] })).status).to.equal(400); // replaced by the new set
    expect((await fresh.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, memberSecret), rememberDevice: true })).status).to.equal(200);
    await fresh.getJson(`${USER_MOUNT}/two-factor`);
    expect((await fresh.postJson(`${USER_MOUNT}/two-factor/devices/forget`, {})).status).to.equal(200);
    expect((await fresh.postJson(`${USER_MOUNT}/two-factor/remove`, { currentPassword: member.password })).status).to.equal(200);
    await enrolTotp(fresh, world.host, member.password);
    await world.host.au.api.resetTwoFactor({ actor: { system: 'support' }, userId: member.userId, reason: 'lost phone' });
    const logged = (await world.knex('au_user_activity').where({ user_id: member.userId }).select('action')).map((r: { action: string }) => r.action);
    for (const action of USER_ACTIONS.filter((a) => a !== 'user.recovery_code_used')) {
      expect(logged, action).to.include(action);
      expect(heard, action).to.include(action);
    }
  });

  it('records a recovery code used at sign-in, and emits it', async () => {
    const b = world.browser();
    await b.login('logged@example.com', 'member-password-1');
    const { recoveryCodes } = await enrolTotp(b, world.host, 'member-password-1');
    const again = world.browser();
    await again.login('logged@example.com', 'member-password-1');
    await again.getJson(`${USER_MOUNT}/two-factor/verify`);
    expect((await again.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: recoveryCodes[0] })).status).to.equal(200);
    expect(await world.knex('au_user_activity').where({ action: 'user.recovery_code_used' })).to.have.length(1);
    expect(heard).to.include('user.recovery_code_used');
  });

  it('records the account’s rule in the account’s activity (page and au.api) and emits it with activity', async () => {
    const activity: unknown[] = [];
    world.host.au.events.on('activity', (e: { action: string }) => {
      if (e.action === 'account.two_factor_rule_changed') activity.push(e);
    });
    await world.host.au.api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: true, graceDays: 3 });
    const rows = await world.knex('au_activity').where({ account_id: world.account.id, action: 'account.two_factor_rule_changed' });
    expect(rows).to.have.length(1);
    expect(JSON.parse(rows[0].details)).to.have.property('required', true);
    expect(heard).to.include('account.two_factor_rule_changed');
    expect(activity).to.have.length(1);
    const owner = world.browser();
    await signInWithCode(owner, world.host, OWNER.email, OWNER.password, ownerSecret);
    const page = await owner.getJson(`${MOUNT}/activity`);
    expect(page.status).to.equal(200);
    expect(JSON.stringify(page.body)).to.include('two_factor_rule_changed');
  });

  it('tells the accounts that require it when a member turns their factor on or off, or staff reset it (not the reason)', async () => {
    const owner = world.browser();
    await signInWithCode(owner, world.host, OWNER.email, OWNER.password, ownerSecret);
    const member = await addMember(world, owner, 'complies@example.com', ['invoices']);
    const events: Array<{ action: string; accountId: number }> = [];
    world.host.au.events.on('activity', (e: { action: string; accountId: number }) => {
      if (e.action.startsWith('member.two_factor_')) events.push(e);
    });
    await enrolTotp(member.browser, world.host, member.password);
    await world.host.au.api.resetTwoFactor({ actor: { system: 'support' }, userId: member.userId, reason: 'lost phone, ticket #9' });
    const rows = await world
      .knex('au_activity')
      .where({ account_id: world.account.id, subject_user_id: member.userId })
      .whereIn('action', ['member.two_factor_enabled', 'member.two_factor_removed'])
      .orderBy('id');
    expect(rows.map((r: { action: string }) => r.action)).to.deep.equal(['member.two_factor_enabled', 'member.two_factor_removed']);
    expect(rows[1].actor_system).to.equal('support');
    expect(String(rows[1].details)).to.not.include('ticket');
    expect(events.map((e) => e.action)).to.deep.equal(['member.two_factor_enabled', 'member.two_factor_removed']);
    const page = await owner.get(`${MOUNT}/activity`);
    expect(page.text).to.include('turned on two-factor sign-in').and.include('support turned off two-factor sign-in for');
  });
});
