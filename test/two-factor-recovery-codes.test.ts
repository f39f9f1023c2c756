import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { World } from './support/world.js';
import { USER_MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { enrolTotp, freshCode, signInWithCode, wrongCodeAt } from './support/two-factor.js';
import type { Browser } from './support/client.js';

/** SHA-256 of a recovery code as a person types it, after the kit's normalisation (lower case, no spaces or dashes). */
const sha256 = (code: string) => createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, ''), 'utf8').digest('hex');

/**
 * Recovery codes as an attacker would try them: read from the database, spent twice at the same
 * moment, kept after a new set was made; and removing two-factor with a code instead of the
 * password (an app's code or a recovery code).
 */
describe('two-factor recovery codes and removal with a code', function () {
  this.timeout(60_000);
  const world = new World();
  let n = 0;

  before(() => world.setUp());
  after(() => world.tearDown());

  /** A new member with an authenticator app: their secret and the ten recovery codes shown once. */
  async function enrolled(): Promise<Member & { secret: string; recoveryCodes: string[] }> {
    const m = await addMember(world, await world.ownerBrowser(), `codes${++n}@example.com`, ['invoices']);
    const own = world.browser();
    await own.login(m.email, m.password);
    const { secret, recoveryCodes } = await enrolTotp(own, world.host, m.password);
    return { ...m, browser: own, secret, recoveryCodes };
  }

  /** A browser of `m` signed in with the password only, on the verify page. */
  async function owing(m: Member): Promise<Browser> {
    const b = world.browser();
    await b.login(m.email, m.password);
    await b.getJson(`${USER_MOUNT}/two-factor/verify`);
    return b;
  }

  it('stores only the SHA-256 of each recovery code, never the code', async () => {
    const m = await enrolled();
    const rows = await world.knex('au_two_factor_codes').where({ user_id: m.userId });
    expect(rows).to.have.length(10);
    const stored = JSON.stringify(rows);
    for (const code of m.recoveryCodes) expect(stored).to.not.include(code.replace(/[\s-]/g, '').toLowerCase());
    expect(rows.map((r) => r.code_hash).sort()).to.deep.equal(m.recoveryCodes.map(sha256).sort());
  });

  it('refuses every old recovery code once a new set is made, and accepts the new ones', async () => {
    const m = await enrolled();
    // The enrolling browser gave a code just now: no step-up owed.
    await m.browser.getJson(`${USER_MOUNT}/two-factor`);
    const regenerated = await m.browser.postJson(`${USER_MOUNT}/two-factor/recovery-codes`, {});
    expect(regenerated.status, regenerated.text).to.equal(200);
    const fresh = regenerated.body.recoveryCodes as string[];
    expect(fresh).to.have.length(10);
    for (const old of m.recoveryCodes.slice(0, 3)) {
      const b = await owing(m);
      const refused = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: old });
      expect(refused.status, old).to.equal(400);
      expect(refused.body.error.fields[0].field).to.equal('recoveryCode');
      expect((await b.getJson('/host/invoices')).status).to.equal(401);
    }
    const b = await owing(m);
    expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: fresh[0] })).status).to.equal(200);
  });

  it('lets exactly one of two sessions spending the same recovery code at the same moment in (5 rounds)', async () => {
    const m = await enrolled();
    for (let round = 0; round < 5; round++) {
      const code = m.recoveryCodes[round]!;
      const [a, b] = await Promise.all([owing(m), owing(m)]);
      const answers = await Promise.all([a, b].map((s) => s.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: code })));
      expect(answers.map((r) => r.status).sort(), `round ${round}`).to.deep.equal([200, 400]);
      const inside = await Promise.all([a, b].map(async (s) => (await s.getJson('/host/invoices')).status));
      expect(inside.sort()).to.deep.equal([200, 401]);
    }
    expect((await world.host.au.api.twoFactorStatus({ userId: m.userId })).recoveryCodesLeft).to.equal(5);
    const used = await world.knex('au_user_activity').where({ user_id: m.userId, action: 'user.recovery_code_used' });
    expect(used).to.have.length(5);
  });

  it('turns two-factor off with a code from the app instead of the password (a wrong code is 400 and leaves it on)', async () => {
    const m = await enrolled();
    const b = world.browser();
    await signInWithCode(b, world.host, m.email, m.password, m.secret);
    await b.getJson(`${USER_MOUNT}/two-factor`);
    const wrong = await b.postJson(`${USER_MOUNT}/two-factor/remove`, { code: wrongCodeAt(m.secret, world.host.clock.now()) });
    expect(wrong.status).to.equal(400);
    expect((await world.host.au.api.twoFactorStatus({ userId: m.userId })).enabled).to.equal(true);
    const removed = await b.postJson(`${USER_MOUNT}/two-factor/remove`, { code: freshCode(world.host, m.secret) });
    expect(removed.status, removed.text).to.equal(200);
    expect(await world.host.au.api.twoFactorStatus({ userId: m.userId })).to.include({ enabled: false, recoveryCodesLeft: 0 });
    const after = world.browser();
    await after.login(m.email, m.password);
    expect((await after.getJson('/host/invoices')).status).to.equal(200);
  });

  it('turns two-factor off with a recovery code instead of the password (a used one is 400 and leaves it on)', async () => {
    const m = await enrolled();
    const b = world.browser();
    await b.login(m.email, m.password);
    await b.getJson(`${USER_MOUNT}/two-factor/verify`);
    expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { recoveryCode: m.recoveryCodes[0] })).status).to.equal(200);
    await b.getJson(`${USER_MOUNT}/two-factor`);
    const spent = await b.postJson(`${USER_MOUNT}/two-factor/remove`, { recoveryCode: m.recoveryCodes[0] });
    expect(spent.status).to.equal(400);
    expect((await world.host.au.api.twoFactorStatus({ userId: m.userId })).enabled).to.equal(true);
    const removed = await b.postJson(`${USER_MOUNT}/two-factor/remove`, { recoveryCode: m.recoveryCodes[1] });
    expect(removed.status, removed.text).to.equal(200);
    expect((await world.host.au.api.twoFactorStatus({ userId: m.userId })).enabled).to.equal(false);
    expect(await world.knex('au_two_factor_codes').where({ user_id: m.userId })).to.have.length(0);
  });
});
