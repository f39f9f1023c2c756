import { expect } from 'chai';
import type { Transporter } from 'nodemailer';
import { World } from './support/world.js';
import { MOUNT, type TestHost } from './support/app.js';

/**
 * A flush claims up to twenty emails under one lease and sends them one after another. When the
 * sends are slow (a loaded machine, a slow SMTP server), the lease of the emails still waiting
 * runs out, and another process's worker takes them over and sends them. The first worker must
 * then leave them alone: each email's lease starts again as its turn comes, and an email that
 * another worker took over meanwhile is skipped. (A single send that outlasts the lease is the
 * at-least-once case docs/deployment.md describes: keep the lease above the transport's timeouts.) (The cluster rig found this as duplicate emails.)
 */
describe('outbox: a batch whose sends outlast the lease', function () {
  const LEASE = 5_000;
  const world = new World();
  let slow: TestHost;
  let other: TestHost;
  let results: Array<{ sent: number; failed: number }>;

  before(async () => {
    await world.open();
    const real = world.smtp.transport();
    let sends = 0;
    // Each send of the slow worker takes 60 % of the lease, so the third email of its batch is
    // still waiting when the batch's lease runs out. After its second send, the other worker flushes.
    const transport = {
      sendMail: async (mail: Parameters<Transporter['sendMail']>[0]) => {
        const info = await real.sendMail(mail);
        for (const h of [slow, other]) h.clock.advance(LEASE * 0.6);
        if (++sends === 2) results.push(await other.au.mail.flush());
        return info;
      },
    } as unknown as Transporter;
    const options = { limits: { invitationsPerDay: 100 } };
    slow = await world.startHost({ ...options, mail: { transport, from: 'Billing <billing@example.com>', claimLeaseMs: LEASE } });
    other = await world.startHost({ ...options, mail: { transport: real, from: 'Billing <billing@example.com>', claimLeaseMs: LEASE } });
    await world.createAccount();
    const owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    const port = world.smtp.port;
    await world.smtp.stop();
    for (let i = 0; i < 5; i++) {
      const res = await owner.postJson(`${MOUNT}/invite`, { email: `waiting${i}@example.com`, permissions: ['invoices'] });
      expect(res.status, res.text).to.equal(201);
    }
    await world.smtp.start(port);
    for (const h of [slow, other]) h.clock.advance(60_000);
    results = [];
    results.unshift(await slow.au.mail.flush());
  });
  after(() => world.tearDown());

  it('sends each email once: the other worker sends the ones whose lease ran out, the slow one skips them', () => {
    const perRecipient = world.smtp.messages.map((m) => (m.to && !Array.isArray(m.to) ? m.to.value[0]!.address! : '')).sort();
    expect(perRecipient).to.deep.equal([0, 1, 2, 3, 4].map((i) => `waiting${i}@example.com`));
    expect(results).to.deep.equal([
      { sent: 2, failed: 0 },
      { sent: 3, failed: 0 },
    ]);
  });

  it('leaves every email marked sent and none claimed', async () => {
    const rows = await world.knex('au_outbox').select<Array<{ status: string; claimed_until: unknown }>>('status', 'claimed_until');
    expect(rows.map((r) => [r.status, r.claimed_until])).to.deep.equal(rows.map(() => ['sent', null]));
  });
});
