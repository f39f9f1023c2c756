import { expect } from 'chai';
import { USER_MOUNT, type TestHost } from './support/app.js';
import { createPeopleTable, peopleStore } from './support/people.js';
import { World } from './support/world.js';
import { linkIn, waitForMail } from './support/user-mail.js';

describe('au.userRouter with a host users store', function () {
  this.timeout(20_000);
  const world = new World();

  before(async () => {
    await world.open();
    await createPeopleTable(world.knex, { columns: 'self-service' });
  });
  after(() => world.tearDown());

  async function hostWith(full: boolean, email: string): Promise<TestHost> {
    const host = await world.startHost({ users: peopleStore(world.knex, { columns: 'self-service', methods: full }).store });
    await host.au.createAccount({ name: `${email} Ltd`, owner: { email, name: 'Pat', password: 'pat-password-1' } });
    return host;
  }

  describe('that offers none of the optional methods', () => {
    let host: TestHost;
    before(async () => {
      host = await hostWith(false, 'plain@host.test');
    });
    after(() => host.au.close());

    it('says at start-up, in one info line, which routes are off', () => {
      const lines = host.logs.filter((l) => l.startsWith('info: '));
      expect(lines).to.have.length(1);
      expect(lines[0])
        .to.contain('POST /password and password reset')
        .and.to.contain('POST /profile')
        .and.to.contain('POST /email')
        .and.to.contain('POST /email/verify');
    });

    it('shows the profile without forms, and answers the routes it cannot serve with 404', async () => {
      const b = new (await import('./support/client.js')).Browser(host.app);
      await b.login('plain@host.test', 'pat-password-1');
      const page = await b.get(`${USER_MOUNT}/profile`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('plain@host.test');
      expect(page.text).to.not.contain(`action="${USER_MOUNT}/password"`);
      expect(page.text).to.not.contain(`action="${USER_MOUNT}/email"`);
      expect(page.text).to.not.contain(`action="${USER_MOUNT}/profile"`);
      // The page has no form, so no token in it: the JSON answer carries it.
      const json = await b.getJson(`${USER_MOUNT}/profile`);
      expect(json.body.features).to.deep.equal({ password: false, name: false, email: false, verify: false });
      expect((await b.post(`${USER_MOUNT}/password`, { currentPassword: 'pat-password-1', newPassword: 'pat-password-2' })).status).to.equal(404);
      expect((await b.post(`${USER_MOUNT}/profile`, { name: 'Other' })).status).to.equal(404);
      expect((await b.post(`${USER_MOUNT}/email`, { email: 'x@host.test', currentPassword: 'pat-password-1' })).status).to.equal(404);
      expect((await b.post(`${USER_MOUNT}/email/verify`)).status).to.equal(404);
      expect((await b.get(`${USER_MOUNT}/password/forgot`)).status).to.equal(404);
      expect((await b.post(`${USER_MOUNT}/password/forgot`, { email: 'plain@host.test' })).status).to.equal(404);
    });
  });

  describe('that offers setPasswordHash, setName, setEmail and setEmailVerified', () => {
    let host: TestHost;
    before(async () => {
      host = await hostWith(true, 'full@host.test');
    });
    after(() => host.au.close());

    it('logs no info line', () => {
      expect(host.logs.filter((l) => l.startsWith('info: '))).to.deep.equal([]);
    });

    it('changes the password through the store and signs out the other session on its next request', async () => {
      const { Browser } = await import('./support/client.js');
      const first = new Browser(host.app);
      const second = new Browser(host.app);
      await first.login('full@host.test', 'pat-password-1');
      await second.login('full@host.test', 'pat-password-1');
      await first.get(`${USER_MOUNT}/profile`);
      expect((await first.post(`${USER_MOUNT}/password`, { currentPassword: 'pat-password-1', newPassword: 'pat-password-2' })).status).to.equal(303);
      expect((await first.get(`${USER_MOUNT}/profile`)).status).to.equal(200);
      expect((await second.get(`${USER_MOUNT}/profile`)).status).to.equal(302);
      await new Browser(host.app).login('full@host.test', 'pat-password-2');
    });

    it('resets the password through the store, and renames and moves the login', async () => {
      const { Browser } = await import('./support/client.js');
      const b = new Browser(host.app);
      await b.get(`${USER_MOUNT}/password/forgot`);
      await b.post(`${USER_MOUNT}/password/forgot`, { email: 'full@host.test' });
      const link = linkIn(await waitForMail(world.smtp, 'full@host.test'), 'password/reset');
      await b.get(link);
      expect((await b.post(link, { password: 'pat-password-3' })).status).to.equal(303);

      const signed = new Browser(host.app);
      await signed.login('full@host.test', 'pat-password-3');
      await signed.get(`${USER_MOUNT}/profile`);
      expect((await signed.post(`${USER_MOUNT}/profile`, { name: 'Pat Renamed' })).status).to.equal(303);
      await signed.get(`${USER_MOUNT}/profile`);
      expect((await signed.post(`${USER_MOUNT}/email`, { email: 'moved@host.test', currentPassword: 'pat-password-3' })).status).to.equal(303);
      const confirm = linkIn(await waitForMail(world.smtp, 'moved@host.test'), 'email/confirm');
      const page = new Browser(host.app);
      expect((await page.get(confirm)).status).to.equal(200);
      expect((await page.post(confirm)).status).to.equal(200);
      const row = await world.knex('people').where({ email: 'moved@host.test' }).first();
      expect(row.full_name).to.equal('Pat Renamed');
      // The reset proved the old address; the confirmation link proved the new one.
      expect(Boolean(Number(row.email_verified))).to.equal(true);
    });
  });
});
