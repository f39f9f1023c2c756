import { expect } from 'chai';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { AccountUser, UserStore } from '../lib/index.js';
import { freshDatabase, dialect, type TestDatabase } from './support/db.js';
import { SmtpSink } from './support/smtp.js';
import { createHost, USER_MOUNT, type TestHost } from './support/app.js';
import { linkIn, waitForMail } from './support/user-mail.js';

/** A host's `people` table with its own password format; `full` adds the optional self-service methods. */
function peopleStore(knex: Knex, full: boolean): UserStore {
  const hash = (password: string, salt = randomBytes(8).toString('hex')) => `${salt}:${scryptSync(password, salt, 32, { N: 1024 }).toString('hex')}`;
  const view = (r: { id: number | string; email: string; full_name: string; sessions_valid_after?: unknown; email_verified?: unknown }): AccountUser => ({
    id: Number(r.id),
    email: r.email,
    name: r.full_name,
    sessionsValidAfter: r.sessions_valid_after ? new Date(Number(r.sessions_valid_after)) : null,
    emailVerified: Boolean(Number(r.email_verified ?? 0)),
  });
  const store: UserStore = {
    async findById(id) {
      const r = await knex('people').where({ id }).first();
      return r && view(r);
    },
    async findByEmail(email) {
      const r = await knex('people').where({ email: email.toLowerCase() }).first();
      return r && view(r);
    },
    async create(user, { trx }) {
      const row = { email: user.email, full_name: user.name, password: user.passwordHash ?? hash(user.password) };
      const inserted = await (dialect() === 'pg' ? trx('people').insert(row).returning('id') : trx('people').insert(row));
      const first = inserted[0] as number | { id: number };
      return { id: Number(typeof first === 'object' ? first.id : first), email: user.email, name: user.name };
    },
    async verifyPassword(user, password) {
      const r = await knex('people').where({ id: user.id }).first();
      if (!r) return false;
      const [salt, expected] = String(r.password).split(':');
      return timingSafeEqual(Buffer.from(hash(password, salt).split(':')[1]!, 'hex'), Buffer.from(expected!, 'hex'));
    },
  };
  if (!full) return store;
  return {
    ...store,
    hashPassword: (password) => Promise.resolve(hash(password)),
    async setPasswordHash(id, passwordHash, { sessionsValidAfter, trx }) {
      await trx('people').where({ id }).update({ password: passwordHash, sessions_valid_after: sessionsValidAfter.getTime() });
    },
    async setName(id, name, { trx }) {
      await trx('people').where({ id }).update({ full_name: name });
    },
    async setEmail(id, email, { trx }) {
      if (await trx('people').where({ email }).whereNot({ id }).first()) return false;
      await trx('people').where({ id }).update({ email, email_verified: false });
      return true;
    },
    async setEmailVerified(id, { trx }) {
      await trx('people').where({ id }).update({ email_verified: true });
    },
  };
}

describe('au.userRouter with a host users store', function () {
  this.timeout(20_000);
  let db: TestDatabase;
  let smtp: SmtpSink;

  before(async () => {
    db = await freshDatabase();
    smtp = await new SmtpSink().start();
    await db.knex.schema.createTable('people', (t) => {
      t.increments('id');
      t.string('email', 254).notNullable().unique();
      t.string('full_name', 255).notNullable();
      t.string('password', 255).notNullable();
      t.bigInteger('sessions_valid_after').nullable();
      t.boolean('email_verified').notNullable().defaultTo(false);
    });
  });
  after(async () => {
    await smtp.stop();
    await db.destroy();
  });

  async function hostWith(full: boolean, email: string): Promise<TestHost> {
    const host = createHost(db.knex, smtp, { users: peopleStore(db.knex, full) });
    await host.au.migrate();
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
      const link = linkIn(await waitForMail(smtp, 'full@host.test'), 'password/reset');
      await b.get(link);
      expect((await b.post(link, { password: 'pat-password-3' })).status).to.equal(303);

      const signed = new Browser(host.app);
      await signed.login('full@host.test', 'pat-password-3');
      await signed.get(`${USER_MOUNT}/profile`);
      expect((await signed.post(`${USER_MOUNT}/profile`, { name: 'Pat Renamed' })).status).to.equal(303);
      await signed.get(`${USER_MOUNT}/profile`);
      expect((await signed.post(`${USER_MOUNT}/email`, { email: 'moved@host.test', currentPassword: 'pat-password-3' })).status).to.equal(303);
      const confirm = linkIn(await waitForMail(smtp, 'moved@host.test'), 'email/confirm');
      const page = new Browser(host.app);
      expect((await page.get(confirm)).status).to.equal(200);
      expect((await page.post(confirm)).status).to.equal(200);
      const row = await db.knex('people').where({ email: 'moved@host.test' }).first();
      expect(row.full_name).to.equal('Pat Renamed');
      // The reset proved the old address; the confirmation link proved the new one.
      expect(Boolean(Number(row.email_verified))).to.equal(true);
    });
  });
});
