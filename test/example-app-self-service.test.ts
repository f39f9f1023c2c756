import { expect } from 'chai';
import { Browser, pathOf } from './support/client.js';
import { ExamplePortalWorld } from './support/example-portal.js';
import type { Portal } from '../example-app/app.js';
import type { MailCatcher } from '../example-app/mail-catcher.js';

/** The example portal wires au.userRouter at /user: "Forgot your password?" from its login page, the profile from its header. */
describe('example-app: a login that looks after itself', function () {
  this.timeout(20_000);
  const world = new ExamplePortalWorld();
  let catcher: MailCatcher;
  let portal: Portal;

  before(async () => {
    ({ catcher, portal } = await world.setUp());
    await portal.au.createAccount({ name: 'Kim Ltd', owner: { email: 'kim@acme.example', name: 'Kim', password: 'kim-password-1' } });
  });
  after(() => world.tearDown());

  async function resetLink(): Promise<string> {
    for (let i = 0; i < 250; i++) {
      const mail = [...catcher.messages].reverse().find((m) => m.to.includes('kim@acme.example'));
      const link = /https?:\/\/\S+\/user\/password\/reset\/[A-Za-z0-9_-]{43}/.exec(mail?.text ?? '')?.[0];
      if (link) return pathOf(link);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no reset email');
  }

  it('links "Forgot your password?" from the login page, and resets the password through the email', async () => {
    const b = new Browser(portal.app);
    const login = await b.get('/login');
    expect(login.text).to.contain('href="/user/password/forgot"');
    expect(login.text).to.contain('Forgot your password?');
    const form = await b.get('/user/password/forgot');
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('Acme Hosting');
    expect((await b.post('/user/password/forgot', { email: 'kim@acme.example' })).status).to.equal(303);
    const link = await resetLink();
    await b.get(link);
    const done = await b.post(link, { password: 'kim-password-2' });
    expect(done.headers.location).to.equal('/login?notice=password-reset');
    expect((await b.get('/login?notice=password-reset')).text).to.contain('Your password has been reset.');
    expect((await b.post('/login', { email: 'kim@acme.example', password: 'kim-password-2' })).status).to.equal(303);
  });

  it('links the profile from the header of a signed-in page', async () => {
    const b = new Browser(portal.app);
    await b.get('/login');
    await b.post('/login', { email: 'kim@acme.example', password: 'kim-password-2' });
    const home = await b.get('/');
    expect(home.text).to.contain('href="/user/profile"');
    const profile = await b.get('/user/profile');
    expect(profile.status).to.equal(200);
    expect(profile.text).to.contain('kim@acme.example');
    expect(profile.text).to.contain('href="/account/users/accounts"');
  });
});
