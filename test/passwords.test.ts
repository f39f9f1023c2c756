import { expect } from 'chai';
import request from 'supertest';
import { hashPassword, needsRehash, verifyPassword } from '../lib/services/passwords.js';
import { World, OWNER } from './support/world.js';
import { FAST_HASHING, type TestHost } from './support/app.js';

const FORMAT = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

describe('password hashing (scrypt)', () => {
  it('writes the scrypt parameters, a 16-byte salt and a 32-byte key into the hash', async () => {
    const hash = await hashPassword('correct horse', { N: 2048, r: 8, p: 2 });
    const m = FORMAT.exec(hash);
    expect(m, hash).to.not.equal(null);
    expect([m![1], m![2], m![3]]).to.deep.equal(['2048', '8', '2']);
    expect(Buffer.from(m![4]!, 'base64')).to.have.length(16);
    expect(Buffer.from(m![5]!, 'base64')).to.have.length(32);
  });

  it('salts every hash: the same password hashes differently twice', async () => {
    expect(await hashPassword('same password', FAST_HASHING)).to.not.equal(await hashPassword('same password', FAST_HASHING));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse', FAST_HASHING);
    expect(await verifyPassword('correct horse', hash)).to.equal(true);
    expect(await verifyPassword('correct horsf', hash)).to.equal(false);
    expect(await verifyPassword('', hash)).to.equal(false);
  });

  it('verifies with the parameters the hash carries, not the current ones', async () => {
    const hash = await hashPassword('old password', { N: 512, r: 4, p: 1 });
    expect(await verifyPassword('old password', hash)).to.equal(true);
  });

  it('refuses a hash whose parameters were altered', async () => {
    const hash = await hashPassword('correct horse', FAST_HASHING);
    expect(await verifyPassword('correct horse', hash.replace('N=1024', 'N=2048'))).to.equal(false);
  });

  it('refuses a missing or foreign hash without throwing', async () => {
    expect(await verifyPassword('x', null)).to.equal(false);
    expect(await verifyPassword('x', '')).to.equal(false);
    expect(await verifyPassword('x', '$2b$10$abcdefghijklmnopqrstuu5Y0fq1l1i3vYbCq9Zb3bVQ9p1Q1r7a')).to.equal(false);
  });

  it('treats composed and decomposed accents as the same password (NFKC)', async () => {
    const hash = await hashPassword('caf\u00e9-password', FAST_HASHING);
    expect(await verifyPassword('cafe\u0301-password', hash)).to.equal(true);
  });

  it('asks for a rehash exactly when N, r or p differ from the current parameters', async () => {
    const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
    expect(needsRehash(hash, { N: 1024, r: 8, p: 1 })).to.equal(false);
    expect(needsRehash(hash, { N: 2048, r: 8, p: 1 })).to.equal(true);
    expect(needsRehash(hash, { N: 1024, r: 16, p: 1 })).to.equal(true);
    expect(needsRehash(hash, { N: 1024, r: 8, p: 2 })).to.equal(true);
    expect(needsRehash('not a hash', { N: 1024, r: 8, p: 1 })).to.equal(true);
  });
});

describe('password hashes in the users table', () => {
  const OLD = { N: 512, r: 8, p: 1 };
  const world = new World();
  let current: TestHost;

  const storedHash = async () => ((await world.knex('au_users').where({ email: OWNER.email }).first()) as { password_hash: string }).password_hash;
  const login = (host: TestHost, password: string) => request(host.app).post('/login').type('form').send({ email: OWNER.email, password });

  before(async () => {
    // The owner's login was made when the kit hashed with older, weaker parameters...
    await world.setUp({ passwordHashing: OLD });
    // ...and the portal now runs with the current ones.
    current = world.secondInstance({ passwordHashing: FAST_HASHING });
  });
  after(() => world.tearDown());

  it('stores a hash that names the parameters it was made with', async () => {
    expect(await storedHash()).to.match(/^\$scrypt\$N=512,r=8,p=1\$/);
  });

  it('leaves an old hash alone after a failed login', async () => {
    const before = await storedHash();
    expect((await login(current, 'wrong-password')).status).to.equal(401);
    expect(await storedHash()).to.equal(before);
  });

  it('upgrades an old hash to the current parameters on the next successful login', async () => {
    const before = await storedHash();
    expect((await login(current, OWNER.password)).status).to.equal(303);
    const after = await storedHash();
    expect(after).to.not.equal(before);
    expect(after).to.match(/^\$scrypt\$N=1024,r=8,p=1\$/);
    expect(await verifyPassword(OWNER.password, after)).to.equal(true);
  });

  it('keeps working, and stops rehashing, once the hash is current', async () => {
    const before = await storedHash();
    expect((await login(current, OWNER.password)).status).to.equal(303);
    expect(await storedHash()).to.equal(before);
  });
});
