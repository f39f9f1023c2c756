import { expect } from 'chai';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { addMember } from './support/members.js';

const GUESSES = 30;
const PER_LOGIN = 10; // limits.loginPerWindow, the default

/**
 * A stolen session guessing its login's current password (finding 10 of issue 21): the three
 * routes that check it count wrong guesses against the login's sign-in limit, answer 429 once it
 * is reached (the right password included), and change nothing.
 */
describe('current-password checks count against the sign-in limit (limits.loginPerWindow)', function () {
  this.timeout(120_000);
  const world = new World();

  // The email-change route's own limit (every request sends an email) out of the way: only the sign-in limit is under test.
  before(() => world.setUp({ limits: { emailChangePerWindow: 1000, emailChangePerIpPerWindow: 1000 } }));
  after(() => world.tearDown());

  async function signedIn(email: string, password: string): Promise<Browser> {
    const b = world.browser();
    await b.login(email, password);
    return b;
  }

  async function newLogin(email: string, password: string): Promise<Browser> {
    await world.host.au.createAccount({ name: `Co of ${email}`, owner: { email, name: 'Person', password } });
    return signedIn(email, password);
  }

  /** `GUESSES` wrong current passwords: the first PER_LOGIN answered 400 naming the field, every later one 429 with Retry-After. */
  async function guess(post: (currentPassword: string) => Promise<request.Response>) {
    const statuses: number[] = [];
    for (let i = 0; i < GUESSES; i++) {
      const res = await post(`wrong-guess-${i}`);
      statuses.push(res.status);
      if (res.status === 400) expect(res.body.error.fields).to.deep.equal([{ field: 'currentPassword', message: 'is not your current password' }]);
      if (res.status === 429) {
        expect(res.body.error.code).to.equal('too_many_requests');
        expect(res.body.error.message).to.equal('Too many wrong passwords for your login.');
        expect(Number(res.headers['retry-after'])).to.be.within(1, 15 * 60);
      }
    }
    expect(statuses).to.deep.equal([...Array(PER_LOGIN).fill(400), ...Array(GUESSES - PER_LOGIN).fill(429)]);
  }

  const signIn = (email: string, password: string) =>
    request(world.host.app).post('/login').set('Accept', 'application/json').type('form').send({ email, password });

  it(`POST /user/password: ${GUESSES} wrong current passwords → 429, then the right one refused too; the password is unchanged`, async () => {
    const email = 'pw-guess@acme.test';
    const b = await newLogin(email, 'pw-guess-password-1');
    const hashBefore = (await world.knex('au_users').where({ email }).first()).password_hash;
    await b.getJson(`${USER_MOUNT}/profile`);
    await guess((currentPassword) => b.postJson(`${USER_MOUNT}/password`, { currentPassword, newPassword: 'taken-over-password-1' }));
    const right = await b.postJson(`${USER_MOUNT}/password`, { currentPassword: 'pw-guess-password-1', newPassword: 'taken-over-password-1' });
    expect(right.status).to.equal(429);
    expect((await world.knex('au_users').where({ email }).first()).password_hash).to.equal(hashBefore);
    expect(await world.knex('au_user_activity').where({ action: 'user.password_changed' })).to.have.length(0);
  });

  it('shares the count with sign-ins: the locked login cannot sign in either, with any spelling of its address', async () => {
    expect((await signIn('pw-guess@acme.test', 'pw-guess-password-1')).status).to.equal(429);
    expect((await signIn(' PW-Guess@Acme.test', 'pw-guess-password-1')).status).to.equal(429);
  });

  it(`POST /user/email: ${GUESSES} wrong current passwords → 429, then the right one refused too; no change requested, no email sent`, async () => {
    const email = 'mail-guess@acme.test';
    const b = await newLogin(email, 'mail-guess-password-1');
    await b.getJson(`${USER_MOUNT}/profile`);
    const outboxBefore = await world.count('outbox');
    await guess((currentPassword) => b.postJson(`${USER_MOUNT}/email`, { email: 'thief@evil.test', currentPassword }));
    const right = await b.postJson(`${USER_MOUNT}/email`, { email: 'thief@evil.test', currentPassword: 'mail-guess-password-1' });
    expect(right.status).to.equal(429);
    expect(await world.knex('au_user_tokens').where({ purpose: 'email_change' })).to.have.length(0);
    expect(await world.count('outbox')).to.equal(outboxBefore);
    expect(world.smtp.to('thief@evil.test')).to.have.length(0);
    expect((await world.knex('au_users').where({ email }).first()).email).to.equal(email);
  });

  it(`POST /transfer: ${GUESSES} wrong current passwords → 429, then the right one refused too; no offer made`, async () => {
    const owner = await signedIn(OWNER.email, OWNER.password);
    const member = await addMember(world, owner, 'heir@acme.test', ['invoices']);
    await owner.getJson(`${MOUNT}/transfer`);
    await guess((currentPassword) => owner.postJson(`${MOUNT}/transfer`, { userId: member.userId, currentPassword }));
    const right = await owner.postJson(`${MOUNT}/transfer`, { userId: member.userId, currentPassword: OWNER.password });
    expect(right.status).to.equal(429);
    expect(await world.count('ownership_transfers')).to.equal(0);
    expect(world.smtp.to(member.email).filter((m) => /owner/i.test(m.subject ?? ''))).to.have.length(0);
    const page = await owner.getJson(`${MOUNT}/transfer`);
    expect(page.body.pending ?? null).to.equal(null);
  });

  it('lets the right password through once the window has passed, and a wrong one below the limit is still answered 400', async () => {
    world.host.clock.advance(15 * 60 * 1000 + 1000);
    const owner = await signedIn(OWNER.email, OWNER.password);
    await owner.getJson(`${MOUNT}/transfer`);
    expect((await owner.postJson(`${MOUNT}/transfer`, { userId: 999_999, currentPassword: 'still-wrong' })).status).to.equal(400);
    const b = await signedIn('pw-guess@acme.test', 'pw-guess-password-1');
    await b.getJson(`${USER_MOUNT}/profile`);
    expect((await b.postJson(`${USER_MOUNT}/password`, { currentPassword: 'pw-guess-password-1', newPassword: 'pw-guess-password-2' })).status).to.equal(200);
  });

  describe('guesses sent all at once', () => {
    const racing = new World();
    // A hash of realistic cost (the default is N=2^17), so the checks overlap as they do in production.
    before(() => racing.setUp({ passwordHashing: { N: 2 ** 14, r: 8, p: 1 } }));
    after(() => racing.tearDown());

    it(`checks at most ${PER_LOGIN} of 60 simultaneous wrong current passwords (POST /user/password), refuses the rest with 429, and leaves the password as it was`, async () => {
      const email = 'parallel-guess@acme.test';
      await racing.host.au.createAccount({ name: 'Parallel Co', owner: { email, name: 'Person', password: 'parallel-password-1' } });
      const thief = racing.browser();
      await thief.login(email, 'parallel-password-1');
      await thief.getJson(`${USER_MOUNT}/profile`);
      const hashBefore = (await racing.knex('au_users').where({ email }).first()).password_hash;
      // Each guess is counted before its check: none can read the count while the others hash.
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          thief.postJson(`${USER_MOUNT}/password`, { currentPassword: `wrong-guess-${i}`, newPassword: 'taken-over-password-1' }),
        ),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 400).length, `${statuses.filter((s) => s === 400).length} of 60 were checked`).to.equal(PER_LOGIN);
      expect(statuses.filter((s) => s === 429).length).to.equal(60 - PER_LOGIN);
      expect((await racing.knex('au_users').where({ email }).first()).password_hash).to.equal(hashBefore);
    });
  });
});
