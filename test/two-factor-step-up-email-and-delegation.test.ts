import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { addMember } from './support/members.js';
import { enrolTotp, freshCode, signInWithCode } from './support/two-factor.js';
import type { Browser } from './support/client.js';

const STALE = 11 * 60 * 1000;

/**
 * Step-up (twoFactor.stepUpMinutes, 10 by default) on the changes test/two-factor.test.ts does not
 * cover: a login with a second factor changing its email address, and an owner granting
 * `manageusers` (with `delegation: true`). A stolen session cookie alone, without a code given in
 * the last ten minutes, must move neither the login nor the power to hand out access.
 */
describe('two-factor step-up: email change and granting manageusers', () => {
  const world = new World();
  let secret: string;

  before(async () => {
    await world.setUp({ delegation: true, limits: { emailChangePerWindow: 100 } });
    ({ secret } = await enrolTotp(await world.ownerBrowser(), world.host, OWNER.password));
  });
  after(() => world.tearDown());

  /** The owner, signed in with a code eleven minutes ago: the code is no longer recent. */
  async function ownerWithStaleCode(): Promise<Browser> {
    const b = world.browser();
    await signInWithCode(b, world.host, OWNER.email, OWNER.password, secret);
    world.host.clock.advance(STALE);
    return b;
  }

  /** The step-up: a fresh code at the verify page. */
  async function giveCode(b: Browser) {
    await b.getJson(`${USER_MOUNT}/two-factor/verify`);
    expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) })).status).to.equal(200);
  }

  const pendingChanges = async () =>
    Number(((await world.knex('au_user_tokens').where({ purpose: 'email_change' }).count({ n: '*' }).first()) as { n: unknown }).n);

  it('refuses an email change without a recent code (JSON 403 step_up_required, the form to the verify page), sending nothing; after a code it is asked', async () => {
    const b = await ownerWithStaleCode();
    await b.getJson(`${USER_MOUNT}/profile`);
    const mailsBefore = world.smtp.messages.length;
    const before = await pendingChanges();
    const json = await b.postJson(`${USER_MOUNT}/email`, { email: 'olive.elsewhere@acme.test', currentPassword: OWNER.password });
    expect(json.status).to.equal(403);
    expect(json.body.error.code).to.equal('step_up_required');
    expect(json.body.error.verifyUrl).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(`${USER_MOUNT}/profile`)}`);
    await b.get(`${USER_MOUNT}/profile`);
    const form = await b.post(`${USER_MOUNT}/email`, { email: 'olive.elsewhere@acme.test', currentPassword: OWNER.password });
    expect(form.status).to.equal(303);
    expect(form.headers.location).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(`${USER_MOUNT}/profile`)}`);
    expect(await pendingChanges()).to.equal(before);
    expect(world.smtp.messages.length).to.equal(mailsBefore);
    await giveCode(b);
    await b.getJson(`${USER_MOUNT}/profile`);
    const asked = await b.postJson(`${USER_MOUNT}/email`, { email: 'olive.elsewhere@acme.test', currentPassword: OWNER.password });
    expect(asked.status, asked.text).to.be.oneOf([200, 202]);
    expect(await pendingChanges()).to.equal(before + 1);
  });

  it('refuses an invitation granting manageusers without a recent code (403 step_up_required) and writes nothing; after a code it is sent', async () => {
    const b = await ownerWithStaleCode();
    await b.getJson(`${MOUNT}/`);
    const before = await world.count('invitations');
    const refused = await b.postJson(`${MOUNT}/invite`, { email: 'deputy@example.com', permissions: ['invoices', 'manageusers'] });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('step_up_required');
    expect(await world.count('invitations')).to.equal(before);
    await giveCode(b);
    await b.getJson(`${MOUNT}/`);
    const sent = await b.postJson(`${MOUNT}/invite`, { email: 'deputy@example.com', permissions: ['invoices', 'manageusers'] });
    expect(sent.status, sent.text).to.equal(201);
  });

  it('refuses adding manageusers to a member without a recent code (403, the form to the verify page), leaving their permissions as they were', async () => {
    const fresh = world.browser();
    await signInWithCode(fresh, world.host, OWNER.email, OWNER.password, secret);
    const member = await addMember(world, fresh, 'would-be-deputy@example.com', ['invoices']);
    const b = await ownerWithStaleCode();
    await b.getJson(`${MOUNT}/users/${member.userId}`);
    const json = await b.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'manageusers'] });
    expect(json.status).to.equal(403);
    expect(json.body.error.code).to.equal('step_up_required');
    await b.get(`${MOUNT}/users/${member.userId}`);
    const form = await b.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'manageusers'] });
    expect(form.status).to.equal(303);
    expect(form.headers.location).to.equal(`${USER_MOUNT}/two-factor/verify?returnTo=${encodeURIComponent(`${MOUNT}/users/${member.userId}`)}`);
    const { member: view } = await world.host.au.api.getMember({ actor: { system: 'test' }, accountId: world.account.id, userId: member.userId });
    expect(view.permissions).to.deep.equal(['invoices']);
    await giveCode(b);
    await b.getJson(`${MOUNT}/users/${member.userId}`);
    const granted = await b.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'manageusers'] });
    expect(granted.status, granted.text).to.equal(200);
    expect(granted.body.member.permissions).to.include('manageusers');
  });
});
