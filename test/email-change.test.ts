import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT } from './support/app.js';
import { linkIn, waitForMail } from './support/user-mail.js';
import { addMember } from './support/members.js';
import type { Browser } from './support/client.js';

/**
 * POST /email and GET + POST /email/confirm/:token: the current password, a link to the new
 * address (valid 24 hours) and a notice to the old one; nothing changes until the change is
 * confirmed on the link's page, and not at all if another login has taken the address meanwhile.
 */
describe('email change (au.userRouter POST /email, GET and POST /email/confirm/:token)', function () {
  this.timeout(20_000);
  const world = new World();
  let email = OWNER.email;

  before(() => world.setUp({ limits: { emailChangePerWindow: 100 } }));
  after(() => world.tearDown());

  async function signedIn(): Promise<Browser> {
    const b = world.browser();
    await b.login(email, OWNER.password);
    await b.get(`${USER_MOUNT}/profile`);
    return b;
  }

  /** Opens the link's page and presses its button, as the person does. */
  async function confirmThrough(link: string) {
    const b = world.browser();
    await b.get(link);
    return b.post(link);
  }

  it('sends a link to the new address and a notice to the old one; the address changes only when confirmed on the link page', async () => {
    const b = await signedIn();
    const res = await b.post(`${USER_MOUNT}/email`, { email: 'Olive.New@Acme.test', currentPassword: OWNER.password });
    expect(res.status).to.equal(303);
    expect((await b.get(`${USER_MOUNT}/profile`)).text).to.contain('We sent a confirmation link to olive.new@acme.test');

    const confirm = await waitForMail(world.smtp, 'olive.new@acme.test');
    expect(confirm.subject).to.equal('Confirm your new email address for portal.example.com');
    expect(confirm.text).to.contain('valid for 1 day');
    const notice = await waitForMail(world.smtp, OWNER.email);
    expect(notice.subject).to.equal('A change of your login email address was requested on portal.example.com');
    expect(notice.text).to.contain('olive.new@acme.test');
    expect(notice.text).to.not.match(/email\/confirm\//);

    // Not yet: the old address still signs in.
    expect((await world.browser().agent.post('/login').type('form').send({ email: OWNER.email, password: OWNER.password })).status).to.equal(303);

    const link = linkIn(confirm, 'email/confirm');
    expect((await world.browser().get(link)).text).to.contain('Use olive.new@acme.test for my login');
    const page = await confirmThrough(link);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Your login now uses olive.new@acme.test');
    email = 'olive.new@acme.test';
    expect((await world.browser().agent.post('/login').type('form').send({ email, password: OWNER.password })).status).to.equal(303);
    expect((await world.browser().agent.post('/login').type('form').send({ email: OWNER.email, password: OWNER.password })).status).to.equal(401);
    const again = await world.browser().get(link);
    expect(again.status).to.equal(410);
  });

  it('needs the current password: a wrong one is refused with 400 naming the field, and nothing is sent', async () => {
    const b = await signedIn();
    const before = world.smtp.messages.length;
    const res = await b.postJson(`${USER_MOUNT}/email`, { email: 'elsewhere@acme.test', currentPassword: 'wrong-password-0' });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields).to.deep.equal([{ field: 'currentPassword', message: 'is not your current password' }]);
    expect(world.smtp.messages.length).to.equal(before);
  });

  it('needs a free address: one another login uses is refused with 400 naming the field', async () => {
    const owner = await signedIn();
    const member = await addMember(world, owner, 'taken@acme.test', ['invoices']);
    const res = await owner.postJson(`${USER_MOUNT}/email`, { email: member.email, currentPassword: OWNER.password });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields[0]).to.deep.include({ field: 'email', message: 'is used by another login' });
  });

  it('refuses the link with 409 and keeps the address when another login took it meanwhile', async () => {
    const b = await signedIn();
    expect((await b.post(`${USER_MOUNT}/email`, { email: 'race@acme.test', currentPassword: OWNER.password })).status).to.equal(303);
    const link = linkIn(await waitForMail(world.smtp, 'race@acme.test'), 'email/confirm');
    await world.knex('au_users').insert({ email: 'race@acme.test', name: 'Quick', password_hash: null, created_at: Date.now() });
    const res = await confirmThrough(link);
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Another login now uses race@acme.test');
    expect((await world.knex('au_users').where({ id: world.ownerId }).first()).email).to.equal(email);
  });

  it('refuses a superseded link with 410 (a newer request) and an expired one after 24 hours; unknown links 404', async () => {
    const b = await signedIn();
    await b.post(`${USER_MOUNT}/email`, { email: 'first@acme.test', currentPassword: OWNER.password });
    const older = linkIn(await waitForMail(world.smtp, 'first@acme.test'), 'email/confirm');
    await b.get(`${USER_MOUNT}/profile`);
    await b.post(`${USER_MOUNT}/email`, { email: 'second@acme.test', currentPassword: OWNER.password });
    const newer = linkIn(await waitForMail(world.smtp, 'second@acme.test'), 'email/confirm');
    const superseded = await world.browser().getJson(older);
    expect(superseded.status).to.equal(410);
    expect(superseded.body.error).to.include({ code: 'link_superseded' });
    world.host.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const expired = await world.browser().getJson(newer);
    expect(expired.status).to.equal(410);
    expect(expired.body.error).to.include({ code: 'link_expired' });
    expect((await world.browser().get(`${USER_MOUNT}/email/confirm/${'B'.repeat(43)}`)).status).to.equal(404);
  });

  it('writes activity rows and emits user.email_changed and user.profile_changed', async () => {
    const events: string[] = [];
    world.host.au.events.on('user.profile_changed', () => events.push('user.profile_changed'));
    const b = await signedIn();
    const res = await b.post(`${USER_MOUNT}/profile`, { name: 'Olive O. Owner' });
    expect(res.status).to.equal(303);
    expect((await b.get(`${USER_MOUNT}/profile`)).text).to.contain('Olive O. Owner');
    expect(events).to.deep.equal(['user.profile_changed']);
    const actions = (await world.knex('au_user_activity').where({ user_id: world.ownerId }).orderBy('id').select('action')).map(
      (r: { action: string }) => r.action,
    );
    expect(actions).to.include.members(['user.email_changed', 'user.profile_changed']);
  });

  it('refuses an empty name with 400 naming the field, and a POST without the CSRF token with 403', async () => {
    const b = await signedIn();
    const res = await b.post(`${USER_MOUNT}/profile`, { name: '   ' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('is required');
    expect((await b.post(`${USER_MOUNT}/email`, { email: 'x@acme.test', currentPassword: OWNER.password }, { csrf: null })).status).to.equal(403);
  });
});
