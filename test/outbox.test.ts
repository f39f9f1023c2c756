import { expect } from 'chai';
import { World, OWNER, useWorld } from './support/world.js';
import { MOUNT, type TestHost } from './support/app.js';

/**
 * The outbox: an invitation is never lost to a mail outage, and several instances
 * flushing at once never send one message twice.
 */
describe('invitation outbox', function () {
  this.timeout(60_000);

  describe('SMTP down, then back', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let port: number;
    before(async () => {
      port = world.smtp.port;
      await world.smtp.stop();
      await owner.getJson(`${MOUNT}/`);
    });

    it('stores the invitation although the email could not be sent', async () => {
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'outage@example.com', permissions: ['invoices'] });
      expect(res.status, res.text).to.equal(201);
      expect(res.body.delivery).to.equal('failed');
      expect(await world.count('invitations')).to.equal(1);
      expect(await world.count('outbox')).to.equal(1);
      expect(world.host.logs.some((l) => l.startsWith('error:') && l.includes('outage@example.com'))).to.equal(true);
    });

    it('shows the owner "failing" with the problem in words and the next try, as JSON', async () => {
      const res = await owner.getJson(`${MOUNT}/`);
      const invitation = res.body.invitations.find((i: { email: string }) => i.email === 'outage@example.com');
      expect(invitation.status).to.equal('pending');
      expect(invitation.delivery.status).to.equal('failing');
      expect(invitation.delivery.attempts).to.equal(1);
      expect(invitation.delivery.problem).to.deep.equal({ code: 'unreachable', message: 'could not reach the mail server' });
      const next = new Date(invitation.delivery.nextAttemptAt).getTime();
      expect(next - world.host.clock.now().getTime()).to.be.within(20_000, 31_000);
    });

    it('shows the owner "failing" with the problem in words and the next try, on the page', async () => {
      const res = await owner.get(`${MOUNT}/`);
      expect(res.text).to.contain('au-delivery-failing');
      expect(res.text).to.contain('could not reach the mail server');
      expect(res.text).to.contain('next try');
    });

    it('does not retry before the backoff has passed', async () => {
      await world.smtp.start(port);
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
      expect(world.smtp.messages).to.have.length(0);
    });

    it('delivers exactly one email once SMTP is back and the retry is due', async () => {
      world.host.clock.advance(31_000);
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 1, failed: 0 });
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
      expect(world.smtp.to('outage@example.com')).to.have.length(1);
      expect(world.smtp.messages).to.have.length(1);
    });

    it('shows the owner "sent" afterwards, and the emailed link works', async () => {
      const res = await owner.getJson(`${MOUNT}/`);
      expect(res.body.invitations[0].delivery.status).to.equal('sent');
      expect(res.body.invitations[0].delivery.problem).to.equal(null);
      const link = new URL(world.smtp.linkFor('outage@example.com'));
      const page = await world.browser().getJson(link.pathname);
      expect(page.status).to.equal(200);
    });
  });

  describe('two instances racing over 100 queued messages', () => {
    const world = new World();
    const COUNT = 100;
    let second: TestHost;
    let results: Array<{ sent: number; failed: number }>;

    before(async () => {
      await world.setUp({ limits: { invitationsPerDay: 1000 } });
      second = world.secondInstance({ limits: { invitationsPerDay: 1000 } });
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      const port = world.smtp.port;
      await world.smtp.stop();
      for (let i = 0; i < COUNT; i++) {
        const res = await owner.postJson(`${MOUNT}/invite`, { email: `queued${i}@example.com`, permissions: ['invoices'] });
        expect(res.status, res.text).to.equal(201);
      }
      await world.smtp.start(port);
      world.host.clock.advance(60_000);
      second.clock.advance(60_000);
      results = await Promise.all([world.host.au.mail.flush(), second.au.mail.flush(), world.host.au.mail.flush(), second.au.mail.flush()]);
    });
    after(() => world.tearDown());

    it('queued every invitation while SMTP was down', async () => {
      expect(await world.count('invitations')).to.equal(COUNT);
      expect(await world.count('outbox')).to.equal(COUNT);
    });

    it('delivers each message exactly once', () => {
      const perRecipient = new Map<string, number>();
      for (const m of world.smtp.messages) {
        const to = m.to && !Array.isArray(m.to) ? m.to.value[0]!.address! : '';
        perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
      }
      expect(perRecipient.size).to.equal(COUNT);
      for (let i = 0; i < COUNT; i++) expect(perRecipient.get(`queued${i}@example.com`), `queued${i}`).to.equal(1);
      expect(world.smtp.messages).to.have.length(COUNT);
    });

    it('reports each send to exactly one worker', () => {
      expect(results.reduce((n, r) => n + r.sent, 0)).to.equal(COUNT);
      expect(results.reduce((n, r) => n + r.failed, 0)).to.equal(0);
    });

    it('shares the queue between the workers: one losing a batch keeps going', () => {
      expect(results.filter((r) => r.sent > 0).length).to.be.at.least(2);
    });

    it('leaves every message marked sent, nothing due', async () => {
      const rows = await world.knex('au_outbox').select<Array<{ status: string }>>('status');
      expect(rows.every((r) => r.status === 'sent')).to.equal(true);
      expect(await second.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
      expect(world.smtp.messages).to.have.length(COUNT);
    });
  });

  describe('the owner of the second instance sees the same delivery state', () => {
    const world = new World();
    after(() => world.tearDown());

    it('reads "queued"/"failing"/"sent" from the database, not from the instance that sent', async () => {
      await world.setUp();
      const second = world.secondInstance();
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      const port = world.smtp.port;
      await world.smtp.stop();
      await owner.postJson(`${MOUNT}/invite`, { email: 'seen@example.com', permissions: ['invoices'] });
      const other = world.browser(second);
      await other.login(OWNER.email, OWNER.password);
      expect((await other.getJson(`${MOUNT}/`)).body.invitations[0].delivery.status).to.equal('failing');
      await world.smtp.start(port);
      second.clock.advance(60_000);
      expect(await second.au.mail.flush()).to.deep.equal({ sent: 1, failed: 0 });
      expect((await owner.getJson(`${MOUNT}/`)).body.invitations[0].delivery.status).to.equal('sent');
    });
  });
});
