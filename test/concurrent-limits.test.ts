import { expect } from 'chai';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';

type Res = { status: number; text: string; body: Record<string, any> };

const count = async (world: World, table: string, where: Record<string, unknown> = {}) =>
  Number(((await world.knex(`au_${table}`).where(where).count({ n: '*' }).first()) as { n: unknown }).n);

/**
 * Simultaneous writes of one account, on separate connections at once (PostgreSQL, MariaDB) or
 * interleaved on SQLite's one: never a 5xx (MariaDB used to deadlock), limits that hold
 * (the daily limit and the cooldown used to be checked before the transaction), and nothing lost.
 */
describe('simultaneous invitations and resends of one account', function () {
  this.timeout(120_000);

  describe('with room to spare', () => {
    const { world, owner } = useWorld({ limits: { invitationsPerDay: 10_000, acceptPerWindow: 10_000 } });

    it('answers 10 invitations of 10 addresses at once with 10 × 201, stores and mails every one', async () => {
      const emails = Array.from({ length: 10 }, (_, i) => `ten-${i}@example.com`);
      const results = (await Promise.all(emails.map((email) => owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] })))) as Res[];
      expect(results.map((r) => r.status)).to.deep.equal(emails.map(() => 201));
      for (const email of emails) {
        expect(await count(world, 'invitations', { email, status: 'pending' }), email).to.equal(1);
        expect(await count(world, 'outbox', { recipient: email, status: 'sent' }), email).to.equal(1);
        expect(world.smtp.to(email), email).to.have.length(1);
      }
    });

    it('answers 150 invitations at once with no 5xx and loses none of them', async () => {
      const emails = Array.from({ length: 150 }, (_, i) => `many-${i}@example.com`);
      const results = (await Promise.all(emails.map((email) => owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] })))) as Res[];
      const statuses = results.map((r) => r.status);
      expect(
        statuses.filter((s) => s !== 201),
        JSON.stringify(results.find((r) => r.status !== 201)?.body),
      ).to.deep.equal([]);
      expect(await count(world, 'invitations')).to.equal(160);
      expect(await count(world, 'outbox')).to.equal(160);
      // A send the sink was too busy for is queued for its retry, not lost: once due, the worker sends it.
      world.host.clock.advance(10 * 60_000);
      await world.host.au.mail.flush();
      for (const email of emails) expect(world.smtp.to(email), email).to.have.length(1);
    });

    it('sends one email for 30 resends of one invitation at once: 1 × 200, 29 × 429', async () => {
      const email = 'resend-race@example.com';
      const invited = (await owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] })) as Res;
      expect(invited.status).to.equal(201);
      world.host.clock.advance(61_000);
      const results = (await Promise.all(
        Array.from({ length: 30 }, () => owner.postJson(`${MOUNT}/invitations/${invited.body.invitation.id}/resend`, {})),
      )) as Res[];
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).to.deep.equal([200, ...Array(29).fill(429)]);
      expect(world.smtp.to(email)).to.have.length(2);
      expect(await count(world, 'outbox', { recipient: email })).to.equal(2);
      expect(await count(world, 'outbox', { recipient: email, status: 'sent' })).to.equal(2);
      expect(await count(world, 'invitations', { email })).to.equal(1);
      // The newest link works: nothing was half re-armed.
      const visitor = world.browser();
      expect((await visitor.getJson(pathOf(world.smtp.linkFor(email)))).status).to.equal(200);
    });

    it('never leaves a pending invitation for someone an accept made a member (re-invite racing accept, 8 rounds)', async () => {
      for (let round = 0; round < 8; round++) {
        const email = `accept-vs-reinvite-${round}@example.com`;
        const password = 'racer-password-1';
        await world.host.au.createAccount({ name: `Racer ${round} Co`, owner: { email, name: `Racer ${round}`, password } });
        const invitee = world.browser();
        await invitee.login(email, password);
        const invited = (await owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] })) as Res;
        expect(invited.status).to.equal(201);
        const link = pathOf(world.smtp.linkFor(email));
        await invitee.getJson(link);
        world.host.clock.advance(61_000);
        const [accepted, reinvited] = (await Promise.all([
          invitee.postJson(link, {}),
          owner.postJson(`${MOUNT}/invite`, { email, permissions: ['tickets'] }),
        ])) as Res[];
        expect(accepted!.status, accepted!.text).to.be.oneOf([200, 404, 410]);
        expect(reinvited!.status, reinvited!.text).to.be.oneOf([200, 400]);
        const user = await world.knex('au_users').where({ email }).first();
        const member = await count(world, 'account_users', { account_id: world.account.id, user_id: user.id });
        const pending = await count(world, 'invitations', { account_id: world.account.id, email, status: 'pending' });
        expect({ round, member, pending }).to.satisfy((x: { member: number; pending: number }) => x.member + x.pending === 1);
        if (accepted!.status === 200) expect(reinvited!.status, 'the re-invite lost to the accept').to.equal(400);
      }
    });
  });

  describe('with the default limit of 50 invitations a day', () => {
    const { world, owner } = useWorld();

    it('sends exactly 50 of 150 invitations made at once: 50 × 201, 100 × 429, no 5xx', async () => {
      const emails = Array.from({ length: 150 }, (_, i) => `limited-${i}@example.com`);
      const results = (await Promise.all(emails.map((email) => owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] })))) as Res[];
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).to.have.length(50);
      expect(statuses.filter((s) => s === 429)).to.have.length(100);
      const accepted = emails.filter((_, i) => statuses[i] === 201);
      const refused = emails.filter((_, i) => statuses[i] === 429);
      expect(await count(world, 'invitations')).to.equal(50);
      expect(await count(world, 'outbox')).to.equal(50);
      expect(world.smtp.messages).to.have.length(50);
      for (const email of accepted) expect(world.smtp.to(email), email).to.have.length(1);
      for (const email of refused) expect(await count(world, 'invitations', { email }), email).to.equal(0);
    });
  });
});
