import { expect } from 'chai';
import { World, OWNER, useWorld } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { addMember } from './support/members.js';
import { waitForMail } from './support/user-mail.js';
import { accountUsers } from '../lib/index.js';

const RLM = '\u200f';

describe('emails name the portal, carry the access end, and keep the ignore line', () => {
  describe('with portalName', () => {
    const { world, owner } = useWorld({ portalName: 'Sunrise Hosting', limits: { resendCooldownMs: 0 } }, { owner: 'signed-in' });

    it("names the portal in the invitation's body, while the English subject stays exactly the seed's", async () => {
      await owner.getJson(`${MOUNT}/`);
      expect((await owner.postJson(`${MOUNT}/invite`, { email: 'new@example.com', permissions: ['invoices'] })).status).to.equal(201);
      const mail = await waitForMail(world.smtp, 'new@example.com');
      expect(mail.subject).to.equal('Acme Ltd has invited you to their account.');
      expect(mail.text).to.contain('Olive Owner has invited you to their account Acme Ltd on Sunrise Hosting.');
      expect(mail.text).to.contain('This email was sent by Sunrise Hosting.');
      expect(mail.html).to.contain('Olive Owner has invited you to their account Acme Ltd on Sunrise Hosting.');
      expect(mail.html).to.contain('This email was sent by Sunrise Hosting.');
    });

    it('keeps "you can ignore this" in the HTML version as in the text', async () => {
      const mail = await waitForMail(world.smtp, 'new@example.com');
      expect(mail.text).to.contain('If you did not expect this email, you can ignore it.');
      expect(mail.html).to.contain('If you did not expect this email, you can ignore it.');
    });

    it('says in the invitation when time-limited access will end, in text and HTML; not at all without an end', async () => {
      expect(
        (await owner.postJson(`${MOUNT}/invite`, { email: 'temp@example.com', permissions: ['invoices'], accessUntil: '2031-03-15T12:30Z' })).status,
      ).to.equal(201);
      const mail = await waitForMail(world.smtp, 'temp@example.com');
      expect(mail.text).to.contain('Your access will end on Mar 15, 2031, 12:30 PM UTC.');
      expect(mail.html).to.contain('Your access will end on Mar 15, 2031, 12:30 PM UTC.');
      expect((await waitForMail(world.smtp, 'new@example.com')).text).to.not.contain('Your access will end');
    });

    it("names the portal in the self-service emails' subject and body", async () => {
      const anyone = world.browser();
      await anyone.get(`${USER_MOUNT}/password/forgot`);
      expect((await anyone.post(`${USER_MOUNT}/password/forgot`, { email: OWNER.email })).status).to.equal(303);
      const mail = await waitForMail(world.smtp, OWNER.email);
      expect(mail.subject).to.equal('Reset your password for Sunrise Hosting');
      expect(mail.text).to.contain('This email was sent by Sunrise Hosting.');
    });

    it('names the portal in the ownership offer', async () => {
      const member = await addMember(world, owner, 'heir@example.com', ['invoices']);
      await owner.get(`${MOUNT}/transfer`);
      expect((await owner.post(`${MOUNT}/transfer`, { userId: String(member.userId), currentPassword: OWNER.password })).status).to.equal(303);
      const offer = world.smtp.to('heir@example.com').find((m) => /ownership/.test(m.subject ?? ''))!;
      expect(offer.subject).to.equal('You are offered ownership of Acme Ltd on Sunrise Hosting');
      expect(offer.text).to.match(/The offer expires on [A-Z][a-z]{2} \d+, \d{4}/);
      expect(offer.text).to.contain('This email was sent by Sunrise Hosting.');
    });
  });

  describe('without portalName', () => {
    const world = new World();
    before(() => world.setUp());
    after(() => world.tearDown());

    it("takes baseUrl's host name", async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      expect((await owner.postJson(`${MOUNT}/invite`, { email: 'new@example.com', permissions: ['invoices'] })).status).to.equal(201);
      const mail = await waitForMail(world.smtp, 'new@example.com');
      expect(mail.text).to.contain('their account Acme Ltd on portal.example.com.');
    });

    it('refuses a portalName with a line break or an empty one at start-up, naming the option', () => {
      for (const portalName of ['Sunrise\nBcc: x@evil.test', ' ']) {
        const options = {
          knex: world.knex,
          baseUrl: 'https://portal.example.com',
          mail: { transport: world.smtp.transport(), from: 'Billing <b@example.com>' },
          portalName,
        };
        expect(() => accountUsers(options)).to.throw(/option `portalName`/);
      }
    });
  });

  describe('in a right-to-left language', () => {
    const world = new World();
    before(() => world.setUp({ locale: 'ar', portalName: 'Sunrise Hosting' }));
    after(() => world.tearDown());

    it('sets dir="rtl" in HTML and starts every plain-text line but a bare link with a right-to-left mark', async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      expect((await owner.postJson(`${MOUNT}/invite`, { email: 'arabic@example.com', permissions: ['invoices'], accessUntil: '2031-03-15' })).status).to.equal(
        201,
      );
      const mail = await waitForMail(world.smtp, 'arabic@example.com');
      expect(mail.html).to.contain('<html lang="ar" dir="rtl">');
      const lines = mail.text!.split('\n').filter((l) => l.trim() !== '');
      const link = lines.find((l) => /\/accept\//.test(l))!;
      expect(link.startsWith('http')).to.equal(true);
      for (const line of lines.filter((l) => l !== link)) expect(line.startsWith(RLM), JSON.stringify(line)).to.equal(true);
      expect(mail.text).to.contain('سينتهي وصولك في');
    });
  });
});
