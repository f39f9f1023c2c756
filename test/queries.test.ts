import { expect } from 'chai';
import type { Browser } from './support/client.js';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { countQueries } from './support/queries.js';

/** SQL statements counted with knex's 'query' event. */
describe('queries per request', () => {
  const world = new World();
  let owner: Browser;
  let member: Member;

  const queriesDuring = async (run: () => Promise<unknown>) => (await countQueries(world.knex, run)).queries;

  // deserializeUser's user lookup may carry the membership in the same statement (it does with
  // the kit's own users table); either way at most one more statement is the guard's, and the
  // membership is read from the database, never from the session.
  const readsMembership = (sql: string) => /\bau_account_users\b/.test(sql);
  function expectAtMostOneGuardQuery(sqls: string[]) {
    const detail = sqls.join('\n');
    expect(sqls.length, detail).to.be.at.most(2);
    expect(sqls.filter(readsMembership), detail).to.have.length(1);
  }

  before(async () => {
    await world.setUp();
    owner = await world.ownerBrowser();
    member = await addMember(world, owner, 'member@example.com', ['invoices']);
  });
  after(() => world.tearDown());

  it('spends at most one query on an allowed guarded request beyond the user lookup', async () => {
    await member.browser.agent.get('/host/invoices'); // settles the session's active account
    let status = 0;
    const sqls = await queriesDuring(async () => {
      status = (await member.browser.agent.get('/host/invoices')).status;
    });
    expect(status).to.equal(200);
    expectAtMostOneGuardQuery(sqls);
  });

  it('spends at most one query on a refused guarded request beyond the user lookup', async () => {
    let status = 0;
    const sqls = await queriesDuring(async () => {
      status = (await member.browser.agent.get('/host/domains')).status;
    });
    expect(status).to.equal(403);
    expectAtMostOneGuardQuery(sqls);
  });

  it('spends at most one query on the first guarded request of a session, which picks the active account', async () => {
    const fresh = world.browser();
    await fresh.login(member.email, member.password);
    let status = 0;
    const sqls = await queriesDuring(async () => {
      status = (await fresh.agent.get('/host/invoices')).status;
    });
    expect(status).to.equal(200);
    expectAtMostOneGuardQuery(sqls);
  });

  it("spends at most one query on the owner's guarded request beyond the user lookup", async () => {
    const sqls = await queriesDuring(() => owner.agent.get('/host/orders'));
    expectAtMostOneGuardQuery(sqls);
  });

  it("loads the owner's users page with as many queries for 30 members as for 2", async () => {
    const page = async () => {
      let members = 0;
      const sqls = await queriesDuring(async () => {
        const res = await owner.agent.get(`${MOUNT}/`).set('Accept', 'application/json');
        expect(res.status).to.equal(200);
        members = res.body.members.length;
      });
      return { members, queries: sqls.length, sqls };
    };
    const withTwo = await page();
    expect(withTwo.members).to.equal(2);
    for (let i = 3; i <= 30; i++) await addMember(world, owner, `member${i}@example.com`, ['tickets']);
    const withThirty = await page();
    expect(withThirty.members).to.equal(30);
    expect(withThirty.queries, withThirty.sqls.join('\n')).to.equal(withTwo.queries);
  });
});
