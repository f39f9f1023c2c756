import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { FAST_HASHING, MOUNT, USER_MOUNT, type TestHost } from './support/app.js';
import { knexUserStore, type UserStore } from '../lib/services/user-store.js';
import { tableNames } from '../lib/store/db.js';

/**
 * A worker that stalls while writing a claimed email (its process starved of CPU, its pool out
 * of connections) for longer than the claim's lease: another worker takes the email over, mints
 * its link and sends it. When the stalled worker wakes it must neither replace the link that was
 * just mailed (links are "newest only": the mailed one would stop working) nor send a second
 * copy. The cluster rig found both on a loaded machine: duplicate invitations, and invitees whose
 * emailed link answered 404.
 */
describe('outbox: a worker that stalls past its lease while writing an email', function () {
  this.timeout(30_000);
  const LEASE = 5_000;
  const STALL_LEASE = 60_000;
  const world = new World();
  let slow: TestHost;
  let other: TestHost;
  /** Set to stall the slow worker's next read of a login: the other worker flushes meanwhile. */
  let stallNextRead: ((read: 'findById' | 'findByEmail') => boolean) | undefined;
  let otherFlushed: { sent: number; failed: number } | undefined;
  /** A host whose SMTP sends outlast the lease (a slow server): the other worker flushes meanwhile. */
  let slowSender: TestHost;
  /** A host whose process stalls right after the SMTP server took the email, before it marks it: `afterSend` runs there. */
  let stallAfterSend: TestHost;
  let afterSend: (() => Promise<void>) | undefined;

  function stalling(base: UserStore): UserStore {
    const stall = async (read: 'findById' | 'findByEmail') => {
      if (!stallNextRead?.(read)) return;
      stallNextRead = undefined;
      // The lease runs out while this worker waits; the other worker takes the email over.
      for (const h of everyHost()) h.clock.advance(LEASE + 1);
      otherFlushed = await other.au.mail.flush();
    };
    return {
      ...base,
      findById: async (id) => (await stall('findById'), base.findById(id)),
      findByEmail: async (email) => (await stall('findByEmail'), base.findByEmail(email)),
    };
  }

  before(async () => {
    await world.open();
    const mail = { transport: world.smtp.transport(), from: 'Billing <billing@example.com>', claimLeaseMs: LEASE };
    const options = { limits: { invitationsPerDay: 100, passwordResetPerWindow: 100 }, mail };
    other = await world.startHost(options);
    const users = stalling(knexUserStore(world.knex, tableNames('au_'), FAST_HASHING, () => slow.clock.now()));
    slow = await world.startHost({ ...options, users });
    const real = world.smtp.transport();
    const transport = {
      sendMail: async (message: Parameters<typeof real.sendMail>[0]) => {
        // 1.2 leases go by during this send; halfway, the sender's heartbeat (every third of a
        // lease, on the real clock) renews the claim, so the other worker finds nothing due.
        for (const h of everyHost()) h.clock.advance(LEASE * 0.6);
        await new Promise((resolve) => setTimeout(resolve, LEASE / 3 + 400));
        for (const h of everyHost()) h.clock.advance(LEASE * 0.6);
        otherFlushed = await other.au.mail.flush();
        return real.sendMail(message);
      },
    } as unknown as typeof real;
    slowSender = await world.startHost({ ...options, mail: { ...mail, transport } });
    const stallingAfterSend = {
      sendMail: async (message: Parameters<typeof real.sendMail>[0]) => {
        const info = await real.sendMail(message);
        const then = afterSend;
        afterSend = undefined;
        await then?.();
        return info;
      },
    } as unknown as typeof real;
    // A long lease: its heartbeat (every third of it, on the real clock) never fires during the test's stall.
    stallAfterSend = await world.startHost({ ...options, mail: { ...mail, claimLeaseMs: STALL_LEASE, transport: stallingAfterSend } });
    await world.createAccount(other);
  });
  after(() => world.tearDown());

  /** Every instance: the test's clock jumps move all of them. */
  const everyHost = () => [slow, other, slowSender, stallAfterSend];

  /** The owner's invitation to `email`, its first send failed and queued for the workers; its id. */
  async function queuedInvitation(email: string): Promise<number> {
    const owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    let invitationId = 0;
    await queued(async () => {
      const res = await owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] });
      expect(res.status, res.text).to.equal(201);
      invitationId = Number((res.body as { invitation: { id: number } }).invitation.id);
    });
    return invitationId;
  }

  /** Queues an email while the SMTP server is away (the request's own send fails), then brings it back. */
  async function queued(work: () => Promise<void>): Promise<void> {
    const port = world.smtp.port;
    await world.smtp.stop();
    await work();
    // The request's own send may still be trying after its answer: it must fail while the server is away.
    for (let i = 0; i < 250; i++) {
      const newest = await world.knex<{ status: string; attempts: unknown }>('au_outbox').orderBy('id', 'desc').first('status', 'attempts');
      if (newest?.status === 'queued' && Number(newest.attempts) >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await world.smtp.start(port);
    for (const h of everyHost()) h.clock.advance(60 * 60_000);
  }

  it('an invitation: the worker that took it over mails the one working link; the stalled one mints nothing and sends nothing', async () => {
    await queuedInvitation('stalled-invite@example.com');
    const before = world.smtp.to('stalled-invite@example.com').length;
    // The slow worker reads the inviter's login before it mints the link.
    stallNextRead = (read) => read === 'findById';
    otherFlushed = undefined;
    const slowFlushed = await slow.au.mail.flush();
    expect(otherFlushed).to.deep.equal({ sent: 1, failed: 0 });
    expect(slowFlushed).to.deep.equal({ sent: 0, failed: 0 });
    const mails = world.smtp.to('stalled-invite@example.com');
    expect(mails).to.have.length(before + 1);
    const link = /https?:\/\/\S+\/accept\/[A-Za-z0-9_-]{43}/.exec(mails.at(-1)!.text ?? '')![0];
    const page = await world.browser(other).get(new URL(link).pathname);
    expect(page.status, 'the mailed link still works').to.equal(200);
    const row = (await world.knex('au_outbox').where({ recipient: 'stalled-invite@example.com' }).first()) as { status: string };
    expect(row.status).to.equal('sent');
  });

  it('a send that outlasts the lease: the claim is kept alive while the SMTP server takes its time, so no other worker sends it again', async () => {
    await queuedInvitation('slow-smtp@example.com');
    const before = world.smtp.to('slow-smtp@example.com').length;
    otherFlushed = undefined;
    const sent = await slowSender.au.mail.flush();
    expect(otherFlushed, 'the other worker, flushing in the middle of the send').to.deep.equal({ sent: 0, failed: 0 });
    expect(sent).to.deep.equal({ sent: 1, failed: 0 });
    const mails = world.smtp.to('slow-smtp@example.com');
    expect(mails).to.have.length(before + 1);
    const link = /https?:\/\/\S+\/accept\/[A-Za-z0-9_-]{43}/.exec(mails.at(-1)!.text ?? '')![0];
    expect((await world.browser(other).get(new URL(link).pathname)).status, 'the mailed link works').to.equal(200);
  });

  it('a worker that stalls after the SMTP server took the email: a row cancelled meanwhile by the worker that took it over is recorded as sent', async () => {
    const invitationId = await queuedInvitation('stalled-mark@example.com');
    const before = world.smtp.to('stalled-mark@example.com').length;
    // Between the SMTP server's reply and the mark, the lease runs out; the owner cancels the
    // invitation, and the other worker, taking the row over, finds nothing to send and cancels it.
    let takenOver: { status: string; claim_id: string } | undefined;
    let sentClaim = '';
    afterSend = async () => {
      for (const h of everyHost()) h.clock.advance(STALL_LEASE + 1);
      await other.au.api.cancelInvitation({ actor: { userId: world.ownerId }, accountId: world.account.id, invitationId });
      sentClaim = ((await world.knex('au_outbox').where({ recipient: 'stalled-mark@example.com' }).first()) as { claim_id: string }).claim_id;
      otherFlushed = await other.au.mail.flush();
      takenOver = (await world.knex('au_outbox').where({ recipient: 'stalled-mark@example.com' }).first()) as typeof takenOver;
    };
    otherFlushed = undefined;
    const flushed = await stallAfterSend.au.mail.flush();
    expect(flushed).to.deep.equal({ sent: 1, failed: 0 });
    expect(otherFlushed, 'the other worker sent nothing').to.deep.equal({ sent: 0, failed: 0 });
    expect(takenOver?.status, 'the other worker took the row over and cancelled it').to.equal('cancelled');
    expect(takenOver?.claim_id).to.not.equal(sentClaim);
    expect(world.smtp.to('stalled-mark@example.com')).to.have.length(before + 1);
    const row = (await world.knex('au_outbox').where({ recipient: 'stalled-mark@example.com' }).first()) as {
      status: string;
      sent_at: unknown;
      claim_id: string;
    };
    expect(row.status, 'the one copy that went out').to.equal('sent');
    expect(row.claim_id, "under the claim of the copy's Message-ID").to.equal(sentClaim);
    expect(world.smtp.to('stalled-mark@example.com').at(-1)!.messageId).to.include(sentClaim);
    expect(Number(row.sent_at)).to.be.greaterThan(0);
    expect(stallAfterSend.logs.some((l) => l.includes('was sent after another worker took it over') && l.includes('recorded as sent'))).to.equal(true);
  });

  it('a password reset: the stalled worker, its link already minted, does not send its copy once the other worker took over', async () => {
    await queued(async () => {
      const b = world.browser(other);
      await b.get(`${USER_MOUNT}/password/forgot`);
      const res = await b.post(`${USER_MOUNT}/password/forgot`, { email: OWNER.email });
      expect(res.status).to.equal(303);
    });
    const before = world.smtp.to(OWNER.email).length;
    // The slow worker mints the reset link, then reads the login again (is the address still its
    // own?) before it sends: it stalls there, after the mint and before the send.
    stallNextRead = (read) => read === 'findById';
    otherFlushed = undefined;
    const slowFlushed = await slow.au.mail.flush();
    expect(otherFlushed).to.deep.equal({ sent: 1, failed: 0 });
    expect(slowFlushed).to.deep.equal({ sent: 0, failed: 0 });
    const mails = world.smtp.to(OWNER.email);
    expect(mails).to.have.length(before + 1);
    const link = /https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]{43}/.exec(mails.at(-1)!.text ?? '')![0];
    const page = await world.browser(other).get(new URL(link).pathname);
    expect(page.status, 'the mailed link still works').to.equal(200);
  });
});
