import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';
import type { AddressInfo } from 'node:net';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { deliveryProblemOf } from '../lib/delivery-problem.js';

/** The owner is a customer: they learn why an email did not go out in words, never the mail server's host, port or reply. */
describe('delivery problems shown to owners', function () {
  this.timeout(30_000);

  describe('SMTP down', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let port: number;
    before(async () => {
      port = world.smtp.port;
      await world.smtp.stop();
      await owner.getJson(`${MOUNT}/`);
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'unreached@example.com', permissions: ['invoices'] });
      expect(res.status).to.equal(201);
    });

    const leaks = () => [String(port), '127.0.0.1', 'ECONNREFUSED', 'connect '];

    it('JSON gives a code and words ("could not reach the mail server"), no host, port or error text', async () => {
      const res = await owner.getJson(`${MOUNT}/`);
      const delivery = res.body.invitations[0].delivery;
      expect(delivery.problem).to.deep.equal({ code: 'unreachable', message: 'could not reach the mail server' });
      expect(delivery).not.to.have.property('lastError');
      for (const leak of leaks()) expect(res.text, leak).not.to.contain(leak);
    });

    it('the users page says the same in words, with no host, port or error text', async () => {
      const res = await owner.get(`${MOUNT}/`);
      expect(res.text).to.contain('could not reach the mail server');
      for (const leak of leaks()) expect(res.text, leak).not.to.contain(leak);
    });

    it('keeps the raw error for the log only, and not in the database', async () => {
      expect(world.host.logs.some((l) => l.startsWith('error:') && l.includes('unreached@example.com') && /ECONNREFUSED|ECONNECTION|ESOCKET/.test(l))).to.equal(
        true,
      );
      const row = await world.knex('au_outbox').first();
      expect(row.last_error).to.equal('unreachable');
    });
  });

  describe('a mail server that refuses the address', () => {
    const world = new World();
    let refusing: SMTPServer;
    let owner: Browser;

    before(async () => {
      refusing = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo: (_address, _session, callback) =>
          callback(Object.assign(new Error('5.1.1 <nobody@example.com>: Recipient address rejected: mx.internal.example'), { responseCode: 550 })),
      });
      await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
      const port = (refusing.server.address() as AddressInfo).port;
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      await world.setUp({ mail: { transport, from: 'Billing <billing@example.com>' } });
      owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      await owner.postJson(`${MOUNT}/invite`, { email: 'nobody@example.com', permissions: ['invoices'] });
    });
    after(async () => {
      await world.tearDown();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    });

    it('says "the mail server refused the address", without the server\'s reply', async () => {
      const res = await owner.getJson(`${MOUNT}/`);
      expect(res.body.invitations[0].delivery.problem).to.deep.equal({ code: 'refused_address', message: 'the mail server refused the address' });
      expect(res.text).not.to.contain('mx.internal');
      const page = await owner.get(`${MOUNT}/`);
      expect(page.text).to.contain('the mail server refused the address');
      expect(page.text).not.to.contain('mx.internal').and.not.to.contain('Recipient address rejected');
    });
  });

  describe('deliveryProblemOf (nodemailer errors to words)', () => {
    const cases: Array<[string, unknown, string]> = [
      ['connection refused', { code: 'ESOCKET', message: 'connect ECONNREFUSED 10.0.0.5:25' }, 'unreachable'],
      ['connection timeout', { code: 'ETIMEDOUT', message: 'Connection timeout' }, 'unreachable'],
      ['DNS', { code: 'EDNS', message: 'getaddrinfo ENOTFOUND smtp.internal' }, 'unreachable'],
      ['TLS', { code: 'ETLS', message: 'self-signed certificate' }, 'insecure'],
      ['login refused', { code: 'EAUTH', responseCode: 535, message: '535 5.7.8 Authentication failed' }, 'refused_login'],
      ['recipient refused', { code: 'EENVELOPE', responseCode: 550, message: '550 5.1.1 no such user' }, 'refused_address'],
      ['recipient deferred', { code: 'EENVELOPE', responseCode: 451, message: '451 try later' }, 'try_later'],
      ['message refused', { code: 'EMESSAGE', responseCode: 554, message: '554 spam' }, 'refused_message'],
      ['a reply code only in the message', new Error('421 4.3.2 shutting down'), 'try_later'],
      ['anything else', new Error('boom'), 'not_sent'],
      ['not an error', 'string', 'not_sent'],
    ];
    for (const [name, err, expected] of cases) {
      it(`${name} → ${expected}`, () => expect(deliveryProblemOf(err)).to.equal(expected));
    }
  });
});
