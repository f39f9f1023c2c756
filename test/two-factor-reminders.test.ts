import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { enrolTotp, signInWithCode } from './support/two-factor.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The reminder before an account's grace ends: one email per member without a factor and rule,
 * `twoFactor.reminderDaysBefore` before the end, in the member's language, however many processes run it.
 */
describe('two-factor sign-in: the reminder before the grace ends', function () {
  this.timeout(60_000);
  const world = new World();
  let secret: string;
  let plain: Member;
  let german: Member;
  let enrolled: Member;

  const reminders = (to: string) => world.smtp.to(to).filter((m) => /Reminder|Erinnerung/.test(m.subject ?? ''));
  const settle = () => new Promise((r) => setTimeout(r, 300));

  before(async () => {
    await world.setUp({ twoFactor: { reminderDaysBefore: 3 } });
    const owner = await world.ownerBrowser();
    ({ secret } = await enrolTotp(owner, world.host, OWNER.password));
    const b = world.browser();
    await signInWithCode(b, world.host, OWNER.email, OWNER.password, secret);
    plain = await addMember(world, b, 'plain@example.com', ['invoices']);
    german = await addMember(world, b, 'deutsch@example.com', ['invoices']);
    enrolled = await addMember(world, b, 'enrolled@example.com', ['invoices']);
    await enrolTotp(enrolled.browser, world.host, enrolled.password);
    // The member's language is kept at their next POST to the kit in it.
    await german.browser.getJson(`${USER_MOUNT}/profile`);
    const kept = await german.browser.agent
      .post(`${USER_MOUNT}/profile`)
      .set('Accept', 'application/json')
      .set('Content-Type', 'application/json')
      .set('Accept-Language', 'de')
      .set('x-csrf-token', german.browser.csrf)
      .send(JSON.stringify({ name: 'Dora Deutsch' }));
    expect(kept.status, kept.text).to.equal(200);
    await world.host.au.api.setAccountTwoFactorRule({ actor: { userId: world.ownerId }, accountId: world.account.id, required: true, graceDays: 10 });
  });
  after(() => world.tearDown());

  it('queues nothing while the end of the grace is further away than reminderDaysBefore', async () => {
    expect(await world.host.au.api.sendTwoFactorReminders()).to.deep.equal({ queued: 0 });
    expect(await world.count('two_factor_reminders')).to.equal(0);
  });

  it('reminds each member without a factor once, even when two instances run it at the same moment', async () => {
    world.host.clock.advance(7.5 * DAY);
    const second = world.secondInstance({ twoFactor: { reminderDaysBefore: 3 }, now: world.host.clock.now });
    const results = await Promise.all([world.host.au.api.sendTwoFactorReminders(), second.au.api.sendTwoFactorReminders()]);
    await second.au.close();
    expect(results[0].queued + results[1].queued).to.equal(2);
    await settle();
    expect(reminders(plain.email)).to.have.length(1);
    expect(reminders(german.email)).to.have.length(1);
    expect(reminders(enrolled.email)).to.have.length(0);
    expect(reminders(OWNER.email)).to.have.length(0);
    expect(await world.count('two_factor_reminders')).to.equal(2);
  });

  it('writes it in the member’s language, with the end of the grace and the enrol page', () => {
    const [english] = reminders(plain.email);
    expect(english!.subject).to.equal('Reminder: set up two-factor sign-in for Acme Ltd');
    expect(english!.text).to.include('grace period ends on').and.include('https://portal.example.com/user/two-factor');
    const [deutsch] = reminders(german.email);
    expect(deutsch!.subject).to.equal('Erinnerung: Zwei-Faktor-Anmeldung für Acme Ltd einrichten');
    expect(deutsch!.text).to.include('Übergangsfrist endet am');
  });

  it('sends nothing more on later runs of the same rule', async () => {
    world.host.clock.advance(DAY);
    expect(await world.host.au.api.sendTwoFactorReminders()).to.deep.equal({ queued: 0 });
    await settle();
    expect(reminders(plain.email)).to.have.length(1);
  });

  it('reminds again under a new rule (a new end of grace), and not a member who enrolled meanwhile', async () => {
    await enrolTotp(german.browser, world.host, german.password);
    await world.host.au.api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: true, graceDays: 2 });
    expect(await world.host.au.api.sendTwoFactorReminders()).to.deep.equal({ queued: 1 });
    await settle();
    expect(reminders(plain.email)).to.have.length(2);
    expect(reminders(german.email)).to.have.length(1);
  });

  it('is run by the outbox worker’s tick', async () => {
    await world.host.au.api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: true, graceDays: 1 });
    const worker = world.secondInstance({
      now: world.host.clock.now,
      mail: { transport: world.smtp.transport(), from: 'billing@example.com', worker: true, workerIntervalMs: 100 },
    });
    try {
      const deadline = Date.now() + 5000;
      while (reminders(plain.email).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.au.close();
    }
    expect(reminders(plain.email)).to.have.length(3);
  });

  it('queues none with reminderDaysBefore: 0', async () => {
    const off = world.secondInstance({ now: world.host.clock.now, twoFactor: { reminderDaysBefore: 0 } });
    await world.host.au.api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: true, graceDays: 1 });
    expect(await off.au.api.sendTwoFactorReminders()).to.deep.equal({ queued: 0 });
    await off.au.close();
  });
});
