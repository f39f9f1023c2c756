import { expect } from 'chai';
import request from 'supertest';
import type { Knex } from 'knex';
import { accountUsers, OptionsError, type AccountUsersOptions } from '../lib/index.js';
import { parseOptions } from '../lib/options/checks.js';
import { ARGON2_PACKAGE, hashPassword, loadArgon2, needsRehash, verifyPassword } from '../lib/services/passwords.js';
import { World, OWNER } from './support/world.js';
import { bareOptions, FAST_HASHING, memoryKnex, type TestHost } from './support/app.js';

// The cheapest argon2id the option accepts: the tests check the format and the upgrade, not the cost.
const FAST_ARGON2 = { algorithm: 'argon2id', memoryCost: 7168, timeCost: 1, parallelism: 1 } as const;
const installed = await loadArgon2().then(
  () => true,
  () => false,
);

describe("passwordHashing { algorithm: 'argon2id' } (option)", () => {
  let base: AccountUsersOptions;
  let knex: Knex;
  before(() => (base = bareOptions((knex = memoryKnex()))));
  after(() => knex.destroy());

  function errorFor(passwordHashing: unknown): string {
    try {
      accountUsers({ ...base, passwordHashing } as AccountUsersOptions);
    } catch (err) {
      expect(err).to.be.instanceOf(OptionsError);
      return (err as Error).message;
    }
    return expect.fail('accountUsers() accepted invalid options');
  }

  it("fills in OWASP's argon2id parameters (m=19 MiB, t=2, p=1) when only the algorithm is named", () => {
    expect(parseOptions({ ...base, passwordHashing: { algorithm: 'argon2id' } }).passwordHashing).to.deep.equal({
      algorithm: 'argon2id',
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
  });

  it('still reads { N, r, p } without an algorithm as scrypt', () => {
    expect(parseOptions({ ...base, passwordHashing: { N: 1024, r: 8, p: 1 } }).passwordHashing).to.deep.equal({ algorithm: 'scrypt', N: 1024, r: 8, p: 1 });
  });

  it('refuses less memory than OWASP allows, naming the field', () => {
    expect(errorFor({ algorithm: 'argon2id', memoryCost: 4096 })).to.contain('`passwordHashing.memoryCost` must be at least 7168');
  });

  it('refuses an algorithm it does not know, naming the field', () => {
    expect(errorFor({ algorithm: 'bcrypt' })).to.contain('`passwordHashing.algorithm`');
  });

  it('refuses scrypt parameters mixed into argon2id', () => {
    expect(errorFor({ algorithm: 'argon2id', N: 1024 })).to.contain('`passwordHashing.N`');
  });
});

describe(`argon2id without ${ARGON2_PACKAGE} installed`, () => {
  before(function () {
    if (installed) this.skip();
  });

  it('fails to hash with an error that names the package to install', async () => {
    const err = await hashPassword('correct horse', FAST_ARGON2).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).to.contain(`npm install ${ARGON2_PACKAGE}`);
  });

  it('does not pass off an argon2id hash it cannot check as a wrong password', async () => {
    const stored = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$mX0wW2gQp0e5Rr7y0yPzvVKdG2zQ8b0aXo2mJ0d8m4Y';
    const err = await verifyPassword('x', stored).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).to.contain(ARGON2_PACKAGE);
  });

  it('leaves scrypt, the default, working without the package', async () => {
    expect(await verifyPassword('correct horse', await hashPassword('correct horse', FAST_HASHING))).to.equal(true);
  });
});

describe(`argon2id hashes (${ARGON2_PACKAGE})`, () => {
  before(function () {
    if (!installed) this.skip();
  });

  it('writes a PHC string that carries the algorithm, version, memory, time and parallelism', async () => {
    expect(await hashPassword('correct horse', FAST_ARGON2)).to.match(/^\$argon2id\$v=19\$m=7168,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('verifies the right password, refuses a wrong one, and reads accents composed or not as one (NFKC)', async () => {
    const hash = await hashPassword('caf\u00e9-password', FAST_ARGON2);
    expect(await verifyPassword('caf\u00e9-password', hash)).to.equal(true);
    expect(await verifyPassword('cafe\u0301-password', hash)).to.equal(true);
    expect(await verifyPassword('cafe-password', hash)).to.equal(false);
  });

  it('asks for a rehash when the algorithm or any argon2id parameter differs', async () => {
    const hash = await hashPassword('pw', FAST_ARGON2);
    expect(needsRehash(hash, FAST_ARGON2)).to.equal(false);
    expect(needsRehash(hash, { ...FAST_ARGON2, memoryCost: 19456 })).to.equal(true);
    expect(needsRehash(hash, { ...FAST_ARGON2, timeCost: 2 })).to.equal(true);
    expect(needsRehash(hash, FAST_HASHING)).to.equal(true);
    expect(needsRehash(await hashPassword('pw', FAST_HASHING), FAST_ARGON2)).to.equal(true);
  });
});

describe('switching a portal from scrypt to argon2id (users table)', () => {
  const world = new World();
  let argon: TestHost;
  let back: TestHost;
  const storedHash = async () => ((await world.knex('au_users').where({ email: OWNER.email }).first()) as { password_hash: string }).password_hash;
  const login = (host: TestHost, password: string) => request(host.app).post('/login').type('form').send({ email: OWNER.email, password });

  before(async function () {
    if (!installed) return this.skip();
    await world.setUp({ passwordHashing: FAST_HASHING });
    argon = world.secondInstance({ passwordHashing: FAST_ARGON2 });
    back = world.secondInstance({ passwordHashing: FAST_HASHING });
  });
  after(() => world.tearDown());

  it('keeps the scrypt hash after a failed login', async () => {
    const before = await storedHash();
    expect((await login(argon, 'wrong-password')).status).to.equal(401);
    expect(await storedHash()).to.equal(before);
  });

  it('replaces the scrypt hash with an argon2id one on the next successful login', async () => {
    expect(await storedHash()).to.match(/^\$scrypt\$/);
    expect((await login(argon, OWNER.password)).status).to.equal(303);
    expect(await storedHash()).to.match(/^\$argon2id\$v=19\$m=7168,t=1,p=1\$/);
  });

  it('logs in with the argon2id hash and leaves it alone once current', async () => {
    const before = await storedHash();
    expect((await login(argon, OWNER.password)).status).to.equal(303);
    expect(await storedHash()).to.equal(before);
    expect((await login(argon, 'wrong-password')).status).to.equal(401);
  });

  it('goes back to scrypt the same way when the option goes back', async () => {
    expect((await login(back, OWNER.password)).status).to.equal(303);
    expect(await storedHash()).to.match(/^\$scrypt\$N=1024,r=8,p=1\$/);
  });
});
