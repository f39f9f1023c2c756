import { expect } from 'chai';
import { World } from './support/world.js';
import type { MailMessage } from '../lib/mail/transport.js';

/** A transport that holds every message until the test lets it go, then hands it to the world's SMTP sink. */
class GatedTransport {
  readonly started: MailMessage[] = [];
  private gate!: Promise<void>;
  private open!: () => void;
  constructor(private readonly next: { sendMail(m: MailMessage): Promise<unknown> }) {
    this.close();
  }
  close(): void {
    this.gate = new Promise<void>((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }
  async sendMail(message: MailMessage): Promise<unknown> {
    this.started.push(message);
    await this.gate;
    return this.next.sendMail(message);
  }
}

const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await settle();
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * au.close() on SIGTERM: the sends under way finish and are marked, the messages a flush had
 * claimed but not begun go back to the queue for another process at once (not after the lease),
 * and nothing new is sent. Each email's Message-ID names its outbox row and its claim.
 */
describe('au.close(): a graceful shutdown of the mail side', function () {
  this.timeout(60_000);
  const world = new World();
  before(() => world.setUp());
  after(() => world.tearDown());

  async function outbox(): Promise<Array<{ id: number; status: string; claimed_until: unknown }>> {
    return (await world.knex('au_outbox').orderBy('id').select('id', 'status', 'claimed_until')).map((r: any) => ({
      id: Number(r.id),
      status: String(r.status),
      claimed_until: r.claimed_until,
    }));
  }

  it("waits for a request's own send under way, marks it sent, and leaves later sends queued for another process", async () => {
    const gated = new GatedTransport(world.smtp.transport());
    const host = world.secondInstance({ mail: { transport: gated, from: 'Billing <billing@example.com>' } });
    const sending = host.au.api.invite({ actor: { system: 'setup' }, accountId: world.account.id, email: 'in-flight@example.test', permissions: ['invoices'] });
    await until(() => gated.started.length === 1, 'the send to begin');
    let closed = false;
    const closing = host.au.close().then(() => (closed = true));
    await settle(100);
    expect(closed, 'close() resolved while an email was being sent').to.equal(false);
    gated.release();
    await closing;
    expect((await sending).delivery).to.equal('sent');
    expect(world.smtp.to('in-flight@example.test')).to.have.length(1);
    const rows = await outbox();
    expect(rows.at(-1)!.status).to.equal('sent');

    // After close(), a request's send is not attempted: the row stays queued for a running process.
    const later = await host.au.api.invite({
      actor: { system: 'setup' },
      accountId: world.account.id,
      email: 'after-close@example.test',
      permissions: ['invoices'],
    });
    expect(later.delivery).to.equal('skipped');
    expect((await outbox()).at(-1)!.status).to.equal('queued');
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 1, failed: 0 });
    expect(world.smtp.to('after-close@example.test')).to.have.length(1);
  });

  it("releases a flush's claimed, unbegun messages at once, so another process sends each exactly once", async () => {
    await world.smtp.stop();
    const emails = ['q1@example.test', 'q2@example.test', 'q3@example.test'];
    for (const email of emails)
      expect((await world.host.au.api.invite({ actor: { system: 'setup' }, accountId: world.account.id, email, permissions: ['invoices'] })).delivery).to.equal(
        'failed',
      );
    await world.smtp.start(world.smtp.port);
    // Due now: the failed attempts are retried later, so make them due for the flush below.
    await world.knex('au_outbox').where({ status: 'queued' }).update({ next_attempt_at: 0 });

    const gated = new GatedTransport(world.smtp.transport());
    const host = world.secondInstance({ mail: { transport: gated, from: 'Billing <billing@example.com>' } });
    const flushing = host.au.mail.flush();
    await until(() => gated.started.length === 1, 'the flush to begin its first send');
    const claimed = (await outbox()).filter((r) => r.status === 'sending');
    expect(claimed, 'the flush claimed the three').to.have.length(3);
    const closing = host.au.close();
    await settle(50);
    gated.release();
    await closing;
    expect(await flushing).to.deep.equal({ sent: 1, failed: 0 });

    const after = (await outbox()).filter((r) => claimed.some((c) => c.id === r.id));
    expect(after.map((r) => r.status).sort()).to.deep.equal(['queued', 'queued', 'sent']);
    for (const r of after) expect(r.claimed_until, `row ${r.id} keeps no lease`).to.equal(null);
    // Another process takes the two at once: no lease to wait out.
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 2, failed: 0 });
    for (const email of emails) expect(world.smtp.to(email), email).to.have.length(1);
  });

  it('gives every email a Message-ID naming its outbox row and this claim', async () => {
    await world.host.au.api.invite({ actor: { system: 'setup' }, accountId: world.account.id, email: 'message-id@example.test', permissions: ['invoices'] });
    const [mail] = world.smtp.to('message-id@example.test');
    const row = (await outbox()).at(-1)!;
    const claim = (await world.knex('au_outbox').where({ id: row.id }).first('claim_id')).claim_id as string;
    expect(mail!.messageId).to.equal(`<au.${row.id}.${claim}@portal.example.com>`);
  });
});
