import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { enrolTotp, signInWithCode } from './support/two-factor.js';
import type { Browser } from './support/client.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The owner requires two-factor sign-in of everyone in the account: members without a factor are
 * emailed, may go on during the grace, and after it are refused by the guard, au.api.can and au.api
 * (and sent to the enrol page), until they enrol. A delegate cannot set the rule.
 */
describe("two-factor sign-in: the account owner's rule", () => {
  const world = new World();
  let ownerSecret: string;
  let owner: Browser;
  let member: Member;

  before(async () => {
    await world.setUp({ delegation: true });
    owner = await world.ownerBrowser();
    member = await addMember(world, owner, 'member@example.com', ['invoices']);
  });
  after(() => world.tearDown());

  it('refuses an owner who has no factor themselves (409) and changes nothing', async () => {
    await owner.getJson(`${MOUNT}/security`);
    const res = await owner.postJson(`${MOUNT}/security`, { required: true, graceDays: 7 });
    expect(res.status).to.equal(409);
    expect(await world.host.au.api.accountTwoFactorRule({ accountId: world.account.id })).to.deep.equal({ required: false, graceUntil: null });
  });

  it('refuses a delegate holding manageusers, on the page and through au.api', async () => {
    const delegate = await addMember(world, owner, 'delegate@example.com', ['manageusers', 'invoices']);
    const page = await delegate.browser.getJson(`${MOUNT}/security`);
    expect(page.status).to.equal(403);
    await delegate.browser.getJson(`${MOUNT}/`);
    expect((await delegate.browser.postJson(`${MOUNT}/security`, { required: true })).status).to.equal(403);
    let refused: unknown;
    try {
      await world.host.au.api.setAccountTwoFactorRule({ actor: { userId: delegate.userId }, accountId: world.account.id, required: true });
    } catch (err) {
      refused = err;
    }
    expect(refused).to.have.property('status', 403);
  });

  it('lets the owner with a factor require it with a grace period; members without one are emailed', async () => {
    ({ secret: ownerSecret } = await enrolTotp(owner, world.host, OWNER.password));
    await owner.getJson(`${MOUNT}/security`);
    const res = await owner.postJson(`${MOUNT}/security`, { required: true, graceDays: 7 });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.rule.required).to.equal(true);
    const rule = await world.host.au.api.accountTwoFactorRule({ accountId: world.account.id });
    expect(rule.graceUntil!.getTime() - world.host.clock.now().getTime()).to.be.within(7 * DAY - 60_000, 7 * DAY);
    const mails = world.smtp.to(member.email).filter((m) => /two-factor/.test(m.subject ?? ''));
    expect(mails).to.have.length(1);
    expect(mails[0]!.subject).to.equal('Acme Ltd requires two-factor sign-in');
    expect(mails[0]!.text).to.include(`${USER_MOUNT}/two-factor`);
    expect(world.smtp.to(OWNER.email).filter((m) => /two-factor/.test(m.subject ?? ''))).to.have.length(0);
    const activity = await world.knex('au_activity').where({ account_id: world.account.id, action: 'account.two_factor_rule_changed' });
    expect(activity).to.have.length(1);
  });

  it('shows the owner who has a factor', async () => {
    const page = await owner.getJson(`${MOUNT}/security`);
    const byId = new Map((page.body.members as Array<{ userId: number; twoFactorEnabled: boolean }>).map((m) => [m.userId, m.twoFactorEnabled]));
    expect(byId.get(world.ownerId)).to.equal(true);
    expect(byId.get(member.userId)).to.equal(false);
  });

  it('lets a member without a factor in during the grace', async () => {
    expect((await member.browser.getJson('/host/invoices')).status).to.equal(200);
    expect(await world.host.au.api.can({ userId: member.userId, accountId: world.account.id }, 'invoices')).to.equal(true);
  });

  it('refuses them after the grace: the guard (403 two_factor_required), the pages (to the enrol page), can() and au.api', async () => {
    world.host.clock.advance(8 * DAY);
    const json = await member.browser.getJson('/host/invoices');
    expect(json.status).to.equal(403);
    expect(json.body.error.code).to.equal('two_factor_required');
    expect(json.body.error.enrolUrl).to.equal(`${USER_MOUNT}/two-factor?returnTo=%2Fhost%2Finvoices`);
    const html = await member.browser.agent.get('/host/invoices');
    expect(html.status).to.equal(303);
    expect(html.headers.location).to.equal(`${USER_MOUNT}/two-factor?returnTo=%2Fhost%2Finvoices`);
    expect(await world.host.au.api.can({ userId: member.userId, accountId: world.account.id }, 'invoices')).to.equal(false);
    let refused: unknown;
    try {
      await world.host.au.api.listActivity({ actor: { userId: member.userId }, accountId: world.account.id });
    } catch (err) {
      refused = err;
    }
    expect(refused).to.have.property('code', 'two_factor_required');
  });

  it('lets the member enrol (the enrol page is open to them) and then passes them', async () => {
    const page = await member.browser.get(`${USER_MOUNT}/two-factor?returnTo=%2Fhost%2Finvoices`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Acme Ltd requires two-factor sign-in');
    await enrolTotp(member.browser, world.host, member.password);
    expect((await member.browser.getJson('/host/invoices')).status).to.equal(200);
    expect(await world.host.au.api.can({ userId: member.userId, accountId: world.account.id }, 'invoices')).to.equal(true);
  });

  it('holds a member of several accounts to the rule of the account they act in', async () => {
    const other = await world.host.au.createAccount({
      name: 'Other Co',
      owner: { email: 'other-owner@example.com', name: 'Other', password: 'other-password-1' },
    });
    const otherOwner = world.browser();
    await otherOwner.login('other-owner@example.com', 'other-password-1');
    // The owner's browser gave its code when it enrolled.
    const both = await addMember(world, owner, 'both@example.com', ['invoices']);
    await otherOwner.getJson(`${MOUNT}/`);
    const invited = await otherOwner.postJson(`${MOUNT}/invite`, { email: 'both@example.com', permissions: ['invoices'] });
    expect(invited.status).to.equal(201);
    // Accepted through the emailed link (the in-app accept needs a verified address).
    const link = new URL(world.smtp.linkFor('both@example.com')).pathname;
    await both.browser.getJson(link);
    expect((await both.browser.postJson(link, {})).status).to.be.oneOf([200, 201]);
    // Acme Ltd (no grace left) refuses them; Other Co has no rule.
    await both.browser.getJson(`${MOUNT}/accounts`);
    await both.browser.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id });
    expect((await both.browser.getJson('/host/invoices')).status).to.equal(403);
    await both.browser.getJson(`${MOUNT}/accounts`);
    expect((await both.browser.postJson(`${MOUNT}/accounts/switch`, { accountId: other.account.id })).status).to.equal(200);
    const res = await both.browser.getJson('/host/invoices');
    expect(res.status).to.equal(200);
    expect(res.body.account).to.equal(other.account.id);
  });

  /** The owner signed in afresh with the password and a code. */
  async function signedOwner(): Promise<Browser> {
    const b = world.browser();
    await signInWithCode(b, world.host, OWNER.email, OWNER.password, ownerSecret);
    return b;
  }

  it('lifts the rule, and a system actor may set it without a factor of its own', async () => {
    const api = world.host.au.api;
    expect((await api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: false })).rule).to.deep.equal({
      required: false,
      graceUntil: null,
    });
    const b = await signedOwner();
    expect((await b.getJson(`${MOUNT}/security`)).body.rule.required).to.equal(false);
  });
});
