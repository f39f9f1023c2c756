import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import { dialect } from './support/db.js';

/**
 * au.sessionStore()'s read is every guarded request's one statement; on PostgreSQL it is a named
 * prepared statement, because planning its five-table join costs the server more than running it
 * (bench:peers: the store's guarded throughput rose from 1.15× to 2.3× connect-pg-simple's). A
 * pooler in transaction mode without prepared-statement support hands a client a server connection
 * that lacks the statement, or already has one of that name: the store must then go on unprepared.
 */
describe('au.sessionStore(): the read as a prepared statement on PostgreSQL', function () {
  this.timeout(30_000);
  const onPg = dialect() === 'pg';

  /** The statement names knex sent while `work` ran (undefined for unnamed statements). */
  async function namesSent(knex: Knex, work: () => Promise<unknown>): Promise<Array<string | undefined>> {
    const names: Array<string | undefined> = [];
    const onQuery = (q: { options?: { name?: string } }) => names.push(q.options?.name);
    knex.on('query', onQuery);
    try {
      await work();
      return names;
    } finally {
      knex.removeListener('query', onQuery);
    }
  }

  async function signedIn(world: World): Promise<string> {
    const res = await request(world.host.app).post('/login').type('form').send({ email: OWNER.email, password: OWNER.password });
    expect(res.status, res.text).to.equal(303);
    const cookie = String(res.headers['set-cookie']![0]).split(';')[0]!;
    // The first guarded request picks the default account and saves it in the session.
    expect((await guarded(world, cookie)).status).to.equal(200);
    return cookie;
  }
  const guarded = (world: World, cookie: string) => request(world.host.app).get('/host/invoices').set('Cookie', cookie).set('Accept', 'application/json');

  describe('by default', () => {
    const world = new World();
    let cookie: string;
    before(async () => {
      await world.setUp({}, (au) => au.sessionStore());
      cookie = await signedIn(world);
    });
    after(() => world.tearDown());

    it('reads the session of a guarded request in one statement, named on PostgreSQL and unnamed elsewhere', async () => {
      const names = await namesSent(world.knex, async () => expect((await guarded(world, cookie)).status).to.equal(200));
      expect(names).to.have.length(1);
      if (onPg) expect(names[0]).to.match(/^au_session_read_[0-9a-f]{16}$/);
      else expect(names[0]).to.equal(undefined);
    });

    it('goes on, unprepared and with one warning, when the server already holds a statement of that name on every connection (a pooler handing over another client’s)', async function () {
      if (!onPg) this.skip();
      const [name] = await namesSent(world.knex, async () => expect((await guarded(world, cookie)).status).to.equal(200));
      // What a pooler in transaction mode does to the store: every server connection it may be
      // given already has a statement of that name, prepared by another client.
      const client = world.knex.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
      const held: unknown[] = [];
      for (let i = 0; i < 10; i++) held.push(await client.acquireConnection());
      for (const c of held) {
        const pg = c as { query(text: string): Promise<unknown> };
        await pg.query(`deallocate all`);
        await pg.query(`prepare "${name}" as select 1`);
        // node-pg's own record of what this client prepared goes with it, as on a fresh client.
        (c as { parsedStatements: Record<string, string> }).parsedStatements = {};
      }
      for (const c of held) await client.releaseConnection(c);
      const before = world.host.logs.filter((l) => l.includes('refused a prepared statement')).length;
      expect((await guarded(world, cookie)).status).to.equal(200);
      expect((await guarded(world, cookie)).status).to.equal(200);
      const names = await namesSent(world.knex, async () => expect((await guarded(world, cookie)).status).to.equal(200));
      expect(names, 'unprepared from then on').to.deep.equal([undefined]);
      expect(world.host.logs.filter((l) => l.includes('refused a prepared statement')).length - before).to.equal(1);
    });
  });

  describe('with { preparedStatements: false }', () => {
    const world = new World();
    before(() => world.setUp({}, (au) => au.sessionStore({ preparedStatements: false })));
    after(() => world.tearDown());

    it('sends the read unnamed, still one statement', async () => {
      const cookie = await signedIn(world);
      const names = await namesSent(world.knex, async () => expect((await guarded(world, cookie)).status).to.equal(200));
      expect(names).to.deep.equal([undefined]);
    });

    it('refuses a value that is not a boolean at start-up, naming it', () => {
      expect(() => world.host.au.sessionStore({ preparedStatements: 'yes' as never })).to.throw(/preparedStatements/);
    });
  });
});
