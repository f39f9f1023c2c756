import { expect } from 'chai';
import { createHash } from 'node:crypto';
import request from 'supertest';
import type { Knex } from 'knex';
import { World, OWNER, useWorld } from './support/world.js';
import { BASE_URL, MOUNT } from './support/app.js';
import { dialect } from './support/db.js';
import type { Browser } from './support/client.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Every table whose name starts with the kit's prefix, on any of the three databases. */
async function kitTables(knex: Knex): Promise<string[]> {
  const d = dialect();
  const rows: Array<Record<string, unknown>> =
    d === 'sqlite'
      ? await knex('sqlite_master').select({ name: 'name' }).where({ type: 'table' })
      : d === 'pg'
        ? (await knex.raw(`select table_name as name from information_schema.tables where table_schema = current_schema()`)).rows
        : (await knex.raw(`select table_name as name from information_schema.tables where table_schema = database()`))[0];
  return rows.map((r) => String(r.name ?? r.NAME ?? r.TABLE_NAME)).filter((n) => n.startsWith('au_'));
}

/** Every value of every column of every kit table, as one string. */
async function dumpKitTables(knex: Knex): Promise<string> {
  const parts: string[] = [];
  for (const table of await kitTables(knex)) parts.push(table, JSON.stringify(await knex(table).select('*')));
  return parts.join('\n');
}

const tokenOf = (link: string) => link.split('/').pop()!;

describe('tokens, links and passwords', function () {
  this.timeout(60_000);

  describe('links', () => {
    const { world, owner } = useWorld();

    it('builds the emailed link from baseUrl even when the request says Host: evil.test', async () => {
      const res = await owner.agent
        .post(`${MOUNT}/invite`)
        .set('Host', 'evil.test')
        .set('X-Forwarded-Host', 'evil.test')
        .set('X-Forwarded-Proto', 'http')
        .set('Accept', 'application/json')
        .set('x-csrf-token', owner.csrf)
        .send({ email: 'host-header@example.com', permissions: ['invoices'] });
      expect(res.status, res.text).to.equal(201);
      const mail = world.smtp.to('host-header@example.com')[0]!;
      expect(world.smtp.linkFor('host-header@example.com').startsWith(`${BASE_URL}${MOUNT}/accept/`)).to.equal(true);
      expect(`${mail.text}${mail.html}`).to.not.contain('evil.test');
    });

    it('builds the resent link from baseUrl too', async () => {
      const row = (await world.knex('au_invitations').where({ email: 'host-header@example.com' }).first()) as { id: number };
      world.host.clock.advance(61_000);
      const res = await owner.agent
        .post(`${MOUNT}/invitations/${row.id}/resend`)
        .set('Host', 'evil.test')
        .set('Accept', 'application/json')
        .set('x-csrf-token', owner.csrf)
        .send({});
      expect(res.status, res.text).to.equal(200);
      const mails = world.smtp.to('host-header@example.com');
      expect(mails).to.have.length(2);
      expect(world.smtp.linkFor('host-header@example.com').startsWith(`${BASE_URL}${MOUNT}/accept/`)).to.equal(true);
      expect(`${mails[1]!.text}${mails[1]!.html}`).to.not.contain('evil.test');
    });
  });

  describe('after a full flow (invite, resend, register, accept, cancel)', () => {
    const world = new World();
    let owner: Browser;
    const tokens: Record<string, string> = {};

    before(async () => {
      await world.setUp();
      owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      // Registered through a resent link: the first link is replaced, the second used.
      const first = await owner.postJson(`${MOUNT}/invite`, { email: 'newbie@example.com', permissions: ['invoices'] });
      tokens.replaced = tokenOf(world.smtp.linkFor('newbie@example.com'));
      world.host.clock.advance(61_000);
      expect((await owner.postJson(`${MOUNT}/invitations/${first.body.invitation.id}/resend`, {})).status).to.equal(200);
      tokens.used = tokenOf(world.smtp.linkFor('newbie@example.com'));
      const visitor = world.browser();
      await visitor.getJson(`${MOUNT}/accept/${tokens.used}`);
      expect((await visitor.postJson(`${MOUNT}/accept/${tokens.used}/register`, { name: 'Nina Newbie', password: 'a-good-password' })).status).to.equal(201);
      // Accepted by an existing login.
      await world.host.au.createAccount({ name: 'Existing Co', owner: { email: 'existing@example.com', name: 'Ed', password: 'existing-password' } });
      await owner.postJson(`${MOUNT}/invite`, { email: 'existing@example.com', permissions: ['tickets'] });
      tokens.accepted = tokenOf(world.smtp.linkFor('existing@example.com'));
      const existing = world.browser();
      await existing.login('existing@example.com', 'existing-password');
      await existing.getJson(`${MOUNT}/accept/${tokens.accepted}`);
      expect((await existing.postJson(`${MOUNT}/accept/${tokens.accepted}`, {})).status).to.equal(200);
      // Cancelled.
      const cancelled = await owner.postJson(`${MOUNT}/invite`, { email: 'cancelled@example.com', permissions: ['orders'] });
      tokens.cancelled = tokenOf(world.smtp.linkFor('cancelled@example.com'));
      expect((await owner.postJson(`${MOUNT}/invitations/${cancelled.body.invitation.id}/cancel`, {})).status).to.equal(200);
      // Still pending.
      await owner.postJson(`${MOUNT}/invite`, { email: 'pending@example.com', permissions: ['orders'] });
      tokens.pending = tokenOf(world.smtp.linkFor('pending@example.com'));
    });
    after(() => world.tearDown());

    it('stores no raw token in any column of any kit table', async () => {
      const dump = await dumpKitTables(world.knex);
      expect(dump).to.contain('au_invitations').and.contain('au_outbox');
      for (const [name, token] of Object.entries(tokens)) expect(dump, `${name} token`).to.not.contain(token);
    });

    it('stores the SHA-256 of the live token instead (so the scan above looks in the right place)', async () => {
      expect(await dumpKitTables(world.knex)).to.contain(sha256(tokens.pending!));
    });

    it('writes no raw token to the logs', () => {
      const logs = world.host.logs.join('\n');
      for (const token of Object.values(tokens)) expect(logs).to.not.contain(token);
    });

    /** A visitor with a session and CSRF token, as from having opened some other invitation page. */
    async function visitor() {
      const b = world.browser();
      await b.getJson(`${MOUNT}/accept/${tokens.pending}`);
      expect(b.csrf).to.not.equal('');
      return b;
    }

    it('never accepts a used token again', async () => {
      const b = await visitor();
      const page = await b.getJson(`${MOUNT}/accept/${tokens.used}`);
      expect(page.status).to.equal(410);
      expect(page.body.error.reason).to.equal('accepted');
      expect((await b.postJson(`${MOUNT}/accept/${tokens.used}/register`, { name: 'Again', password: 'a-good-password' })).status).to.equal(410);
      expect((await b.postJson(`${MOUNT}/accept/${tokens.accepted}/register`, { name: 'Again', password: 'a-good-password' })).status).to.equal(410);
    });

    it('never accepts a replaced token again', async () => {
      const b = await visitor();
      expect((await b.getJson(`${MOUNT}/accept/${tokens.replaced}`)).status).to.equal(404);
      expect((await b.postJson(`${MOUNT}/accept/${tokens.replaced}/register`, { name: 'Again', password: 'a-good-password' })).status).to.equal(404);
    });

    it('never accepts a cancelled token', async () => {
      const b = await visitor();
      const page = await b.getJson(`${MOUNT}/accept/${tokens.cancelled}`);
      expect(page.status).to.equal(410);
      expect(page.body.error.reason).to.equal('cancelled');
      expect((await b.postJson(`${MOUNT}/accept/${tokens.cancelled}/register`, { name: 'Late', password: 'a-good-password' })).status).to.equal(410);
      expect(await world.knex('au_users').where({ email: 'cancelled@example.com' }).first()).to.equal(undefined);
    });

    it('refuses to resend an accepted or cancelled invitation', async () => {
      world.host.clock.advance(61_000);
      const rows = (await world.knex('au_invitations').whereIn('email', ['existing@example.com', 'cancelled@example.com'])) as Array<{ id: number }>;
      for (const row of rows) expect((await owner.postJson(`${MOUNT}/invitations/${row.id}/resend`, {})).status).to.equal(409);
    });
  });

  describe('a cancelled invitation whose email was still queued', () => {
    const world = new World();
    after(() => world.tearDown());

    it('is never sent, even when SMTP comes back and the outbox is flushed', async () => {
      await world.setUp();
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      const port = world.smtp.port;
      await world.smtp.stop();
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'never@example.com', permissions: ['invoices'] });
      expect(res.body.delivery).to.equal('failed');
      expect((await owner.postJson(`${MOUNT}/invitations/${res.body.invitation.id}/cancel`, {})).status).to.equal(200);
      await world.smtp.start(port);
      world.host.clock.advance(7 * 60 * 60 * 1000);
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
      expect(world.smtp.to('never@example.com')).to.have.length(0);
      const outbox = await world.knex('au_outbox').select<Array<{ status: string }>>('status');
      expect(outbox.map((r) => r.status)).to.deep.equal(['cancelled']);
    });
  });

  describe('password hashes', () => {
    it('carry scrypt N=2^17, r=8, p=1 by default', async () => {
      const world = new World();
      try {
        await world.setUp({ passwordHashing: undefined });
        const row = (await world.knex('au_users').where({ email: OWNER.email }).first()) as { password_hash: string };
        expect(row.password_hash).to.match(/^\$scrypt\$N=131072,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      } finally {
        await world.tearDown();
      }
    });

    it('are rehashed with the new parameters on the next login once the parameters change', async () => {
      const world = new World();
      try {
        await world.setUp();
        const hashOf = async () => ((await world.knex('au_users').where({ email: OWNER.email }).first()) as { password_hash: string }).password_hash;
        expect(await hashOf()).to.match(/^\$scrypt\$N=1024,r=8,p=1\$/);
        const stronger = world.secondInstance({ passwordHashing: { N: 2048, r: 8, p: 1 } });
        const login = await request(stronger.app).post('/login').type('form').send({ email: OWNER.email, password: OWNER.password });
        expect(login.status).to.equal(303);
        const upgraded = await hashOf();
        expect(upgraded).to.match(/^\$scrypt\$N=2048,r=8,p=1\$/);
        // The same password still works with the new hash, and a wrong one still does not.
        expect((await request(stronger.app).post('/login').type('form').send({ email: OWNER.email, password: OWNER.password })).status).to.equal(303);
        expect((await request(stronger.app).post('/login').type('form').send({ email: OWNER.email, password: 'wrong-password' })).status).to.equal(401);
        expect(await hashOf()).to.equal(upgraded);
      } finally {
        await world.tearDown();
      }
    });
  });
});
