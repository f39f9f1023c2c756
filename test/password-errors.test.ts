import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { linkIn, waitForMail } from './support/user-mail.js';

/** A password that breaks two rules at once: too short, and a NUL character. */
const BAD = 'ab\u0000';

/**
 * Every problem with a password is told at once, beside its field: registration through an
 * invitation, a password change (a wrong current password and a bad new one together) and a reset,
 * on the pages (in the page's language) and in JSON, so nobody fixes one rule only to meet the next.
 */
describe('password errors, all at once and field by field', function () {
  this.timeout(60_000);
  const world = new World();

  before(() => world.setUp());
  after(() => world.tearDown());

  it('registration: names both broken rules beside the password, and the name too, in one answer', async () => {
    const owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    expect((await owner.postJson(`${MOUNT}/invite`, { email: 'new@example.com', permissions: ['invoices'] })).status).to.equal(201);
    const link = pathOf(world.smtp.linkFor('new@example.com'));
    const b = world.browser();
    await b.get(link);
    const page = await b.post(`${link}/register`, { name: '', password: BAD });
    expect(page.status).to.equal(400);
    expect(page.text).to.contain('<span class="au-field-error" id="password-error">must be at least 8 characters and must not contain NUL characters</span>');
    expect(page.text).to.match(/<strong>Name<\/strong>: is required/);
    const json = await b.postJson(`${link}/register`, { name: '', password: BAD });
    expect(json.status).to.equal(400);
    expect(json.body.error.fields).to.deep.equal([
      { field: 'name', message: 'is required' },
      { field: 'password', message: 'must be at least 8 characters' },
      { field: 'password', message: 'must not contain NUL characters' },
    ]);
  });

  it('password change: a wrong current password and a too short new one are told together, and nothing changes', async () => {
    const b = await world.ownerBrowser();
    await b.getJson(`${USER_MOUNT}/profile`);
    const json = await b.postJson(`${USER_MOUNT}/password`, { currentPassword: 'not-the-password', newPassword: 'short' });
    expect(json.status, json.text).to.equal(400);
    expect(json.body.error.fields).to.deep.equal([
      { field: 'currentPassword', message: 'is not your current password' },
      { field: 'newPassword', message: 'must be at least 8 characters' },
    ]);
    await b.get(`${USER_MOUNT}/profile`);
    const page = await b.post(`${USER_MOUNT}/password`, { currentPassword: 'not-the-password', newPassword: BAD });
    expect(page.status).to.equal(400);
    expect(page.text).to.contain('id="current-password-error">is not your current password</span>');
    expect(page.text).to.contain('id="new-password-error">must be at least 8 characters and must not contain NUL characters</span>');
    // The password is unchanged: the old one still signs in.
    await world.browser().login(OWNER.email, OWNER.password);
  });

  it('password change: "must differ" only once the current password is proved', async () => {
    const b = await world.ownerBrowser();
    await b.getJson(`${USER_MOUNT}/profile`);
    const wrong = await b.postJson(`${USER_MOUNT}/password`, { currentPassword: 'guess-guess-1', newPassword: 'guess-guess-1' });
    expect(wrong.body.error.fields).to.deep.equal([{ field: 'currentPassword', message: 'is not your current password' }]);
    const same = await b.postJson(`${USER_MOUNT}/password`, { currentPassword: OWNER.password, newPassword: OWNER.password });
    expect(same.body.error.fields).to.deep.equal([{ field: 'newPassword', message: 'must differ from the current password' }]);
  });

  it('reset: both broken rules beside the field, in German', async () => {
    const b = world.browser();
    await b.get(`${USER_MOUNT}/password/forgot`);
    await b.post(`${USER_MOUNT}/password/forgot`, { email: OWNER.email });
    const link = linkIn(await waitForMail(world.smtp, OWNER.email), 'password/reset');
    await b.agent.get(link).set('Accept-Language', 'de');
    const page = await b.agent
      .post(link)
      .set('Accept-Language', 'de')
      .type('form')
      .send(new URLSearchParams({ _csrf: b.csrf || (await csrfOf(b, link)), password: BAD }).toString());
    expect(page.status, page.text).to.equal(400);
    expect(page.text).to.match(/id="password-error">[^<]*8 Zeichen[^<]* und [^<]*NUL[^<]*<\/span>/);
  });
});

async function csrfOf(b: ReturnType<World['browser']>, path: string): Promise<string> {
  await b.get(path);
  return b.csrf;
}
