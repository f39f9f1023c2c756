import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT, type TestHost } from './support/app.js';
import { linkIn, waitForMail } from './support/user-mail.js';

/**
 * The outbox carries password-reset, email-change and notice emails as it carries invitations:
 * an email that cannot be sent is retried after its backoff and then sent once, and several
 * instances flushing at once send each message exactly once.
 */
describe("outbox: emails about a person's own login", function () {
  this.timeout(60_000);
  const world = new World();
  let port = 0;

  before(async () => {
    await world.setUp({ limits: { passwordResetPerWindow: 1000, passwordResetPerIpPerWindow: 1000 } });
    port = world.smtp.port;
  });
  after(() => world.tearDown());

  async function forgot(email: string, host: TestHost = world.host) {
    const b = world.browser(host);
    await b.get(`${USER_MOUNT}/password/forgot`);
    expect((await b.post(`${USER_MOUNT}/password/forgot`, { email })).status).to.equal(303);
  }

  async function statuses(kind: string): Promise<string[]> {
    return (await world.knex('au_outbox').where({ kind }).orderBy('id').select('status')).map((r: { status: string }) => r.status);
  }

  it('retries a reset email that could not be sent, and sends it once when SMTP is back; its link works', async () => {
    await world.smtp.stop();
    await forgot(OWNER.email);
    // The email leaves after the answer: wait for its first attempt.
    const attempted = async () => Number((await world.knex('au_outbox').where({ kind: 'password_reset' }).first())?.attempts ?? 0) > 0;
    for (let i = 0; i < 250 && !(await attempted()); i++) await new Promise((r) => setTimeout(r, 20));
    const row = await world.knex('au_outbox').where({ kind: 'password_reset' }).first();
    expect(row.status).to.equal('queued');
    expect(Number(row.attempts)).to.equal(1);
    expect(world.host.logs.some((l) => l.includes('password reset email') && l.includes('failed (attempt 1'))).to.equal(true);

    await world.smtp.start(port);
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
    world.host.clock.advance(31_000);
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 1, failed: 0 });
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
    const link = linkIn(await waitForMail(world.smtp, OWNER.email), 'password/reset');
    expect((await world.browser().get(link)).status).to.equal(200);
    expect(await statuses('password_reset')).to.deep.equal(['sent']);
  });

  it('sends each of 30 queued reset emails exactly once with two instances flushing at once; invitations are unaffected', async () => {
    const second = world.secondInstance({ limits: { passwordResetPerWindow: 1000, passwordResetPerIpPerWindow: 1000 } });
    await world.smtp.stop();
    const addresses = Array.from({ length: 30 }, (_, i) => `member-${i}@acme.test`);
    // Logins for the addresses, so that each request is a real email.
    for (const email of addresses) await world.knex('au_users').insert({ email, name: email, password_hash: null, created_at: Date.now() });
    for (const email of addresses) await forgot(email);
    await new Promise((r) => setTimeout(r, 300));
    await world.smtp.start(port);
    world.host.clock.advance(10 * 60_000);
    second.clock.advance(10 * 60_000);
    const results = await Promise.all([world.host.au.mail.flush(), second.au.mail.flush(), world.host.au.mail.flush(), second.au.mail.flush()]);
    const sent = results.reduce((n, r) => n + r.sent, 0);
    expect(sent).to.equal(30);
    for (const email of addresses) expect(world.smtp.to(email), email).to.have.length(1);
    await second.au.close();
  });
});
