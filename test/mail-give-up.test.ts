import { expect } from 'chai';
import nodemailer, { type SentMessageInfo, type Transport } from 'nodemailer';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';

/**
 * A mail server that keeps refusing: after `mail.maxAttempts` the outbox gives up, the owner
 * sees "not delivered", nothing is tried again behind their back, and Resend starts over.
 */
describe('invitation email refused until the outbox gives up', function () {
  this.timeout(30_000);

  const MAX_ATTEMPTS = 3;
  const HOUR = 60 * 60 * 1000;
  const world = new World();
  let owner: Browser;
  let invitationId: number;
  // A nodemailer transport of our own: refuses while `refusing`, delivers otherwise.
  let refusing = true;
  const attempts: string[] = [];
  const delivered: Array<{ to: string; text: string }> = [];
  const refusingTransport: Transport<SentMessageInfo> = {
    name: 'test-transport',
    version: '1',
    send(mail, done) {
      const to = mail.data.to as string;
      attempts.push(to);
      if (refusing) return done(new Error('451 4.3.0 mailbox temporarily unavailable'));
      delivered.push({ to, text: mail.data.text as string });
      done(null, { envelope: { from: 'billing@example.com', to: [to] }, messageId: `<${attempts.length}@test>` });
    },
  };
  const transport = nodemailer.createTransport(refusingTransport);

  const delivery = async () => {
    const res = await owner.getJson(`${MOUNT}/`);
    return res.body.invitations.find((i: { id: number }) => i.id === invitationId).delivery;
  };

  before(async () => {
    await world.setUp({ mail: { transport, from: 'Billing <billing@example.com>', maxAttempts: MAX_ATTEMPTS } });
    owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    const res = await owner.postJson(`${MOUNT}/invite`, { email: 'far-away@example.com', permissions: ['invoices'] });
    expect(res.status).to.equal(201);
    expect(res.body.delivery).to.equal('failed');
    invitationId = res.body.invitation.id;
  });
  after(() => world.tearDown());

  it('retries on the worker, "failing" with the problem in words and the next try, until the last attempt', async () => {
    expect(attempts).to.have.length(1);
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      const before = await delivery();
      expect(before).to.include({ status: 'failing', attempts: attempt - 1 });
      expect(before.problem).to.deep.equal({ code: 'try_later', message: 'the mail server asked to try again later' });
      expect(before.nextAttemptAt).to.be.a('string');
      // Not due yet: nothing is sent.
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
      world.host.clock.advance(HOUR);
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 1 });
      expect(attempts).to.have.length(attempt);
    }
  });

  it('then shows "not delivered" with the last problem in words and no next try, on the page and as JSON', async () => {
    expect(await delivery()).to.deep.equal({
      status: 'not delivered',
      attempts: MAX_ATTEMPTS,
      problem: { code: 'try_later', message: 'the mail server asked to try again later' },
      nextAttemptAt: null,
    });
    const page = (await owner.get(`${MOUNT}/`)).text;
    const row = page.slice(page.indexOf(`data-invitation-id="${invitationId}"`)).split('</tr>')[0]!;
    expect(row).to.contain('<span class="au-delivery au-delivery-not-delivered">not delivered</span>');
    expect(row).to.contain('<span class="au-status au-status-pending">pending</span>');
    expect(row).to.contain(`formaction="${MOUNT}/invitations/${invitationId}/resend"`);
  });

  it('never tries again by itself, however long the worker runs', async () => {
    refusing = false;
    for (let i = 0; i < 3; i++) {
      world.host.clock.advance(24 * HOUR);
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
    }
    expect(attempts).to.have.length(MAX_ATTEMPTS);
    expect(delivered).to.have.length(0);
  });

  it('starts over on Resend: the email goes out and its link works', async () => {
    const res = await owner.postJson(`${MOUNT}/invitations/${invitationId}/resend`, {});
    expect(res.status).to.equal(200);
    expect(res.body.delivery).to.equal('sent');
    expect(delivered.map((d) => d.to)).to.deep.equal(['far-away@example.com']);
    expect(await delivery()).to.include({ status: 'sent' });
    const link = /https?:\/\/\S+\/accept\/[A-Za-z0-9_-]{43}/.exec(delivered[0]!.text)![0];
    const page = await world.browser().getJson(new URL(link).pathname);
    expect(page.status).to.equal(200);
    expect(page.body.invitation.email).to.equal('far-away@example.com');
  });
});
