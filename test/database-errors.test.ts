import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { dialect } from './support/db.js';

/** The error each database gives a transaction it aborted to break a deadlock. */
function deadlock(): Error {
  const d = dialect();
  if (d === 'pg') return Object.assign(new Error('deadlock detected'), { code: '40P01', severity: 'ERROR' });
  if (d === 'mysql')
    return Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), {
      code: 'ER_LOCK_DEADLOCK',
      errno: 1213,
      sqlState: '40001',
    });
  return Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
}

/**
 * Deadlocks and serialization failures are retried; a database error that remains is answered
 * with a 503 that names nothing of it (its message carries the SQL and the invitee's email),
 * and logged. The fault is injected at the driver, under knex, as a real one arrives.
 */
describe('database errors inside a kit write', function () {
  this.timeout(60_000);
  const world = new World();
  let owner: Browser;
  type QueryFn = (this: unknown, conn: unknown, obj: { sql: string }) => Promise<unknown>;
  let proto: { _query: QueryFn };
  let original: QueryFn;
  /** The next `times` statements matching `pattern` fail with `error`. */
  let fail = (_pattern: RegExp, _times: number, _error: () => Error) => {};
  let failed = 0;

  before(async () => {
    await world.setUp();
    proto = Object.getPrototypeOf(world.knex.client) as { _query: QueryFn };
    original = proto._query;
    let rule: { pattern: RegExp; times: number; error: () => Error } | undefined;
    fail = (pattern, times, error) => (rule = { pattern, times, error });
    proto._query = function (conn, obj) {
      if (rule && rule.times > 0 && rule.pattern.test(obj.sql)) {
        rule.times--;
        failed++;
        return Promise.reject(rule.error());
      }
      return original.call(this, conn, obj);
    };
    owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
  });
  after(async () => {
    proto._query = original;
    await world.tearDown();
  });
  beforeEach(() => {
    failed = 0;
    world.host.logs.length = 0;
  });

  it('runs an invitation aborted twice by a deadlock again: 201, one invitation, one outbox row, one email', async () => {
    fail(/insert into [`"]?au_outbox/i, 2, deadlock);
    const res = await owner.postJson(`${MOUNT}/invite`, { email: 'retried@example.com', permissions: ['invoices'] });
    expect(failed).to.equal(2);
    expect(res.status, res.text).to.equal(201);
    expect(await world.count('invitations')).to.equal(1);
    expect(await world.count('outbox')).to.equal(1);
    expect(world.smtp.to('retried@example.com')).to.have.length(1);
  });

  it('retries the other writes too (a cancel aborted once)', async () => {
    const invited = await owner.postJson(`${MOUNT}/invite`, { email: 'to-cancel@example.com', permissions: ['invoices'] });
    fail(/update [`"]?au_invitations/i, 1, deadlock);
    const res = await owner.postJson(`${MOUNT}/invitations/${invited.body.invitation.id}/cancel`, {});
    expect(failed).to.equal(1);
    expect(res.status, res.text).to.equal(200);
    expect((await world.knex('au_invitations').where({ id: invited.body.invitation.id }).first()).status).to.equal('cancelled');
  });

  it('answers 503 when the conflict persists, with nothing of the SQL or the email in it, and logs the error', async () => {
    const before = { invitations: await world.count('invitations'), outbox: await world.count('outbox'), emails: world.smtp.messages.length };
    fail(/insert into [`"]?au_outbox/i, 100, deadlock);
    const json = await owner.postJson(`${MOUNT}/invite`, { email: 'secret-invitee@example.com', permissions: ['invoices'] });
    expect(json.status).to.equal(503);
    expect(json.body.error.code).to.equal('unavailable');
    expect(json.text).not.to.match(/secret-invitee|au_outbox|insert|deadlock/i);
    expect(world.host.logs.some((l) => l.startsWith('error:') && /au_outbox/.test(l) && /deadlock|locked/i.test(l))).to.equal(true);
    await owner.get(`${MOUNT}/invite`);
    const page = await owner.post(`${MOUNT}/invite`, { email: 'secret-invitee@example.com', permissions: ['invoices'] });
    expect(page.status).to.equal(503);
    expect(page.text).not.to.match(/secret-invitee|au_outbox|insert into|deadlock/i);
    fail(/never/, 0, deadlock);
    expect(await world.count('invitations')).to.equal(before.invitations);
    expect(await world.count('outbox')).to.equal(before.outbox);
    expect(world.smtp.messages).to.have.length(before.emails);
  });

  it('answers any other database error the same way (a missing table): 503, no SQL, no email, logged', async () => {
    await world.knex.schema.renameTable('au_outbox', 'au_outbox_away');
    try {
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'other-secret@example.com', permissions: ['invoices'] });
      expect(res.status).to.equal(503);
      expect(res.text).not.to.match(/other-secret|au_outbox|insert/i);
      expect(world.host.logs.some((l) => l.startsWith('error:') && l.includes('au_outbox'))).to.equal(true);
    } finally {
      await world.knex.schema.renameTable('au_outbox_away', 'au_outbox');
    }
    expect(await world.knex('au_invitations').where({ email: 'other-secret@example.com' }).first()).to.equal(undefined);
  });
});
