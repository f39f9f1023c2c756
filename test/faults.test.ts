import { expect } from 'chai';
import net from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { World, OWNER } from './support/world.js';
import { createHost, MOUNT, type TestHost } from './support/app.js';
import { dialect } from './support/db.js';
import { Browser, pathOf } from './support/client.js';

/**
 * A TCP proxy in front of the database that cuts every connection through it the moment a
 * client sends a statement matching `trigger`: the statement never reaches the server, the
 * server sees the connection drop mid-transaction and rolls it back. A real lost connection.
 */
class CuttingProxy {
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  trigger: RegExp | undefined;
  cuts = 0;
  port = 0;

  async start(targetPort: number): Promise<this> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      const cut = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('data', (chunk: Buffer) => {
        if (this.trigger && this.trigger.test(chunk.toString('latin1'))) {
          this.trigger = undefined;
          this.cuts++;
          for (const s of this.sockets) s.destroy();
          return;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      client.on('error', cut).on('close', cut);
      upstream.on('error', cut).on('close', cut);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The test database's Knex config, connecting through the proxy instead. */
function throughProxy(knex: Knex, port: number): Knex {
  const config = knex.client.config as Knex.Config;
  if (typeof config.connection === 'string') {
    const url = new URL(config.connection);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    return knexFactory({ ...config, connection: url.toString(), pool: { min: 0, max: 4 } });
  }
  return knexFactory({ ...config, connection: { ...(config.connection as object), host: '127.0.0.1', port }, pool: { min: 0, max: 4 } });
}

describe('faults', function () {
  this.timeout(60_000);

  describe(`database connection lost mid-request (${dialect() === 'sqlite' ? 'SQLite: a query fails as a closed connection does' : 'a real connection cut by a TCP proxy'})`, () => {
    const world = new World();
    const proxy = new CuttingProxy();
    let host: TestHost;
    let owner: Browser;
    let proxied: Knex | undefined;
    /** Arms the fault: the next statement matching `pattern` loses its connection. */
    let armFault: (pattern: RegExp) => void;
    let faults: () => number;
    let restore = () => {};

    before(async () => {
      await world.setUp();
      if (dialect() === 'sqlite') {
        // One in-memory database behind one connection: closing it would lose the database, so the
        // statement fails with the error better-sqlite3 gives for a closed connection instead.
        // On the prototype: a transaction runs on a client made from it, not on this instance.
        type QueryFn = (this: unknown, conn: unknown, obj: { sql: string }) => Promise<unknown>;
        const proto = Object.getPrototypeOf(world.knex.client) as { _query: QueryFn };
        const original = proto._query;
        restore = () => (proto._query = original);
        let trigger: RegExp | undefined;
        let count = 0;
        proto._query = function (conn, obj) {
          if (trigger && trigger.test(obj.sql)) {
            trigger = undefined;
            count++;
            return Promise.reject(new TypeError('The database connection is not open'));
          }
          return original.call(this, conn, obj);
        };
        armFault = (p) => (trigger = p);
        faults = () => count;
        host = world.host;
      } else {
        const port = Number(new URL(process.env.DATABASE_URL!.replace(/^mariadb:/, 'mysql:')).port || (dialect() === 'pg' ? 5432 : 3306));
        await proxy.start(port);
        proxied = throughProxy(world.knex, proxy.port);
        host = createHost(proxied, world.smtp);
        armFault = (p) => (proxy.trigger = p);
        faults = () => proxy.cuts;
      }
      owner = new Browser(host.app);
      await owner.login(OWNER.email, OWNER.password);
      await owner.getJson(`${MOUNT}/`);
    });
    after(async () => {
      restore();
      await proxied?.destroy().catch(() => undefined);
      await proxy.stop();
      await world.tearDown();
    });

    const counts = async () => ({
      users: await world.count('users'),
      invitations: await world.count('invitations'),
      outbox: await world.count('outbox'),
      memberships: await world.count('account_users'),
      activity: await world.count('activity'),
    });

    it('answers an invite whose transaction loses the database after its first insert with a 503 page, and keeps nothing of it', async () => {
      const before = await counts();
      await owner.get(`${MOUNT}/invite`);
      armFault(/insert into [`"]?au_outbox/i);
      const res = await owner.post(`${MOUNT}/invite`, { email: 'lost@example.com', permissions: ['invoices'] });
      expect(faults()).to.equal(1);
      expect(res.status).to.equal(503);
      expect(res.headers['content-type']).to.match(/html/);
      expect(res.text).to.contain('temporarily unavailable');
      expect(await counts()).to.deep.equal(before);
      expect(world.smtp.to('lost@example.com')).to.have.length(0);
      expect(host.logs.some((l) => l.includes('database unavailable'))).to.equal(true);
    });

    it('answers JSON clients with 503 and code "unavailable"', async () => {
      const before = await counts();
      armFault(/insert into [`"]?au_activity/i);
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'lost-json@example.com', permissions: ['invoices'] });
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('unavailable');
      expect(await counts()).to.deep.equal(before);
    });

    it('registers nobody when the database goes after the new login was written', async () => {
      const invite = await owner.postJson(`${MOUNT}/invite`, { email: 'half@example.com', permissions: ['invoices'] });
      expect(invite.status, invite.text).to.equal(201);
      const link = pathOf(world.smtp.linkFor('half@example.com'));
      const visitor = new Browser(host.app);
      await visitor.getJson(link);
      const before = await counts();
      armFault(/insert into [`"]?au_account_users/i);
      const res = await visitor.postJson(`${link}/register`, { name: 'Half Written', password: 'a-good-password' });
      expect(res.status).to.equal(503);
      expect(await counts()).to.deep.equal(before);
      expect(await world.knex('au_users').where({ email: 'half@example.com' }).first()).to.equal(undefined);
      const row = (await world.knex('au_invitations').where({ email: 'half@example.com' }).first()) as { status: string };
      expect(row.status).to.equal('pending');
    });

    it('works again on the next request once the database is back', async () => {
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'after@example.com', permissions: ['invoices'] });
      expect(res.status, res.text).to.equal(201);
      expect(world.smtp.to('after@example.com')).to.have.length(1);
    });
  });

  describe("a template missing from the host's views folder", () => {
    const world = new World();
    let dir: string;
    let owner: Browser;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'au-views-'));
      mkdirSync(join(dir, 'pages'));
      writeFileSync(join(dir, 'pages', 'invite.hbs'), '<h1>HOST INVITE FORM</h1>');
      await world.setUp({ views: dir });
      owner = await world.ownerBrowser();
    });
    after(async () => {
      await world.tearDown();
      rmSync(dir, { recursive: true, force: true });
    });

    const warningsAbout = (name: string) => world.host.logs.filter((l) => l.startsWith('warn:') && l.includes(`${name}.hbs`));

    it('renders the built-in template instead', async () => {
      const res = await owner.get(`${MOUNT}/`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('User Management');
    });

    it('warns exactly once, however often the page is rendered', async () => {
      await owner.get(`${MOUNT}/`);
      await owner.get(`${MOUNT}/`);
      await owner.getJson(`${MOUNT}/`);
      const warnings = warningsAbout('pages/users');
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain(join(dir, 'pages', 'users.hbs'));
    });

    it('uses the host template where there is one, without a warning', async () => {
      const res = await owner.get(`${MOUNT}/invite`);
      expect(res.text).to.contain('HOST INVITE FORM');
      expect(warningsAbout('pages/invite')).to.have.length(0);
    });

    it('warns at most once for any template', () => {
      const warnings = world.host.logs.filter((l) => l.startsWith('warn:'));
      expect(new Set(warnings).size).to.equal(warnings.length);
    });
  });
});
