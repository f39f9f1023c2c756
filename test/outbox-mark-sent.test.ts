import { expect } from 'chai';
import { World } from './support/world.js';

/**
 * An email the SMTP server accepted is marked sent even when the database fails for a moment
 * right then (a pooler restarting): the mark is retried, so no other worker takes the row over
 * after the lease and sends it a second time.
 */
describe('outbox: marking an email sent survives a passing database failure', function () {
  this.timeout(60_000);
  const world = new World();
  type QueryFn = (this: unknown, conn: unknown, obj: { sql: string }) => Promise<unknown>;
  let proto: { _query: QueryFn };
  let original: QueryFn;
  let failMarks = 0;

  before(async () => {
    await world.setUp();
    proto = Object.getPrototypeOf(world.knex.client) as { _query: QueryFn };
    original = proto._query;
    proto._query = function (conn, obj) {
      if (failMarks > 0 && /^update [`"]?au_outbox[`"]? set [`"]?status[`"]? = (\?|\$1), [`"]?sent_at/i.test(obj.sql)) {
        failMarks--;
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6432'), { code: 'ECONNREFUSED' }));
      }
      return original.call(this, conn, obj);
    };
  });
  after(async () => {
    proto._query = original;
    await world.tearDown();
  });

  it('retries the mark, leaves the row sent with no claim left, and the email goes out once', async () => {
    failMarks = 2;
    const { delivery, invitation } = await world.host.au.api.invite({
      actor: { system: 'setup' },
      accountId: world.account.id,
      email: 'marked@example.test',
      permissions: ['invoices'],
    });
    expect(delivery).to.equal('sent');
    expect(failMarks).to.equal(0);
    const row = await world.knex('au_outbox').where({ invitation_id: invitation.id }).first();
    expect(row.status).to.equal('sent');
    expect(row.claimed_until).to.equal(null);
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
    expect(world.smtp.to('marked@example.test')).to.have.length(1);
    expect(world.host.logs.some((l) => l.includes('could not be marked sent'))).to.equal(true);
  });
});
