import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type express from 'express';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import { addMember, setPermissions, type Member } from './support/members.js';
import { USER_MOUNT } from './support/app.js';
import { countQueries } from './support/queries.js';
import { OptionsError } from '../lib/index.js';

/**
 * au.sessionStore(): express-session's sessions in the kit's database. A guarded request reads
 * the session, the user and the active membership in one statement and sends nothing else; every
 * kit instance (each with its own connection pool, as separate processes have) reads the same
 * sessions; the expiry is extended at most once per touchAfterMs.
 */
describe('au.sessionStore(): sessions in the kit database', () => {
  const world = new World();
  let member: Member;
  let memberCookie: string;
  let ownerCookie: string;

  async function cookieFor(app: express.Express, email: string, password: string, previous?: string): Promise<string> {
    const req = request(app).post('/login').type('form');
    if (previous) req.set('Cookie', previous);
    const res = await req.send({ email, password });
    expect(res.status, res.text).to.equal(303);
    return String(res.headers['set-cookie']![0]).split(';')[0]!;
  }
  const get = (app: express.Express, path: string, cookie: string) => request(app).get(path).set('Cookie', cookie).set('Accept', 'application/json');
  /** The session id a cookie carries (express-session signs it: `s:<id>.<signature>`). */
  const sidOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]!).slice(2).split('.')[0]!;
  const hashOf = (sid: string) => createHash('sha256').update(sid).digest('hex');
  const rowOf = async (cookie: string) =>
    (await world
      .knex('au_sessions')
      .where({ sid_hash: hashOf(sidOf(cookie)) })
      .first()) as { sid_hash: string; user_id: unknown; account_id: unknown; data: string; expires_at: unknown } | undefined;

  before(async () => {
    await world.setUp({}, (au) => au.sessionStore({ touchAfterMs: 60_000 }));
    const owner = await world.ownerBrowser();
    member = await addMember(world, owner, 'stored@example.com', ['invoices', 'tickets']);
    memberCookie = await cookieFor(world.host.app, member.email, member.password);
    ownerCookie = await cookieFor(world.host.app, OWNER.email, OWNER.password);
    // The first request picks the default account and saves it in the session.
    await get(world.host.app, '/host/invoices', memberCookie);
    await get(world.host.app, '/host/invoices', ownerCookie);
  });
  after(() => world.tearDown());

  it('sends exactly one statement for a guarded request of a member: the session, the user and the membership together', async () => {
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', memberCookie));
    expect(result.status).to.equal(200);
    expect(queries, queries.join('\n')).to.have.length(1);
    expect(queries[0])
      .to.match(/au_sessions/)
      .and.to.match(/au_account_users/)
      .and.to.match(/au_users/);
  });

  it('sends exactly one statement for the owner, and for a refusal (403)', async () => {
    const owner = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', ownerCookie));
    expect(owner.result.status).to.equal(200);
    expect(owner.queries, owner.queries.join('\n')).to.have.length(1);
    const refused = await countQueries(world.knex, () => get(world.host.app, '/host/orders', memberCookie));
    expect(refused.result.status).to.equal(403);
    expect(refused.queries, refused.queries.join('\n')).to.have.length(1);
  });

  it('refuses a revoked permission on the very next request, still in one statement', async () => {
    expect((await get(world.host.app, '/host/tickets', memberCookie)).status).to.equal(200);
    await setPermissions(await world.ownerBrowser(), member.userId, ['invoices']);
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, '/host/tickets', memberCookie));
    expect(result.status).to.equal(403);
    expect(queries, queries.join('\n')).to.have.length(1);
  });

  it('stores the session id hashed, with the user and the chosen account beside the JSON', async () => {
    const sid = sidOf(memberCookie);
    const row = await rowOf(memberCookie);
    expect(row, 'a row under the hash of the id').to.not.equal(undefined);
    expect(Number(row!.user_id)).to.equal(member.userId);
    expect(Number(row!.account_id)).to.equal(world.account.id);
    const all: Array<{ sid_hash: string; data: string }> = await world.knex('au_sessions').select('sid_hash', 'data');
    for (const r of all) {
      expect(r.sid_hash).to.not.equal(sid);
      expect(r.data).to.not.include(sid);
    }
    expect(JSON.parse(row!.data).passport.user).to.equal(member.userId);
  });

  it('shares sessions between two kit instances with their own connection pools: a sign-in on one is read by the other, a sign-out on the other ends it', async () => {
    const other = world.secondInstance({}, (au) => au.sessionStore());
    const cookie = await cookieFor(world.host.app, member.email, member.password);
    const onOther = await countQueries(world.knex, () => get(other.app, '/host/invoices', cookie));
    expect(onOther.result.status, onOther.result.text).to.equal(200);
    // The first request saves the chosen account; from then on one statement on either instance.
    const again = await get(other.app, '/host/invoices', cookie);
    expect(again.status).to.equal(200);
    expect((await get(world.host.app, '/host/invoices', cookie)).status).to.equal(200);
    const out = await request(other.app).post('/logout').set('Cookie', cookie);
    expect(out.status).to.equal(303);
    expect((await get(world.host.app, '/host/invoices', cookie)).status).to.equal(401);
    expect(await rowOf(cookie)).to.equal(undefined);
  });

  it('gives a new session id at sign-in and deletes the old row: an id planted before the sign-in is worth nothing', async () => {
    // A page that keeps a CSRF token saves a session before anyone signs in.
    const page = await request(world.host.app).get(`${USER_MOUNT}/password/forgot`).set('Accept', 'application/json');
    const planted = String(page.headers['set-cookie']![0]).split(';')[0]!;
    expect(await rowOf(planted), 'the visitor session is stored').to.not.equal(undefined);
    const signedIn = await cookieFor(world.host.app, member.email, member.password, planted);
    expect(sidOf(signedIn)).to.not.equal(sidOf(planted));
    expect(await rowOf(planted)).to.equal(undefined);
    expect((await get(world.host.app, '/host/invoices', planted)).status).to.equal(401);
    expect((await get(world.host.app, '/host/invoices', signedIn)).status).to.equal(200);
  });

  it('a sign-in from a fresh browser sends the sign-in statements and one insert of the session (no delete of a row it never had)', async () => {
    const { result, queries } = await countQueries(world.knex, () =>
      request(world.host.app).post('/login').type('form').send({ email: member.email, password: member.password }),
    );
    expect(result.status).to.equal(303);
    expect(
      queries.filter((q) => /au_sessions/.test(q)),
      queries.join('\n'),
    ).to.have.length(1);
    expect(queries.filter((q) => /au_sessions/.test(q))[0]).to.match(/^insert/i);
    expect(queries, queries.join('\n')).to.have.length.at.most(5);
  });

  it('extends the expiry at most once per touchAfterMs: no statement within it, one update after it', async () => {
    const cookie = await cookieFor(world.host.app, member.email, member.password);
    await get(world.host.app, '/host/invoices', cookie);
    const first = Number((await rowOf(cookie))!.expires_at);
    world.host.clock.advance(30_000);
    try {
      const within = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', cookie));
      expect(within.result.status).to.equal(200);
      expect(within.queries, within.queries.join('\n')).to.have.length(1);
      expect(Number((await rowOf(cookie))!.expires_at)).to.equal(first);
      world.host.clock.advance(31_000);
      const after = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', cookie));
      expect(after.result.status).to.equal(200);
      expect(after.queries, after.queries.join('\n')).to.have.length(2);
      expect(after.queries[1]).to.match(/^update/i);
      const touched = Number((await rowOf(cookie))!.expires_at);
      expect(touched).to.be.greaterThan(first + 60_000);
      const next = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', cookie));
      expect(next.queries, next.queries.join('\n')).to.have.length(1);
    } finally {
      world.host.clock.advance(-61_000);
    }
  });

  it('does not read a session past its expiry, and au.maintenance.prune deletes it', async () => {
    const cookie = await cookieFor(world.host.app, member.email, member.password);
    await get(world.host.app, '/host/invoices', cookie);
    const expiresAt = Number((await rowOf(cookie))!.expires_at);
    const jump = expiresAt - world.host.clock.now().getTime() + 1000;
    world.host.clock.advance(jump);
    try {
      expect((await get(world.host.app, '/host/invoices', cookie)).status).to.equal(401);
      const live = await world.knex('au_sessions').where('expires_at', '>', world.host.clock.now().getTime()).count({ n: '*' }).first();
      const pruned = await world.host.au.maintenance.prune({ olderThan: 0 });
      expect(pruned.sessions).to.be.greaterThan(0);
      expect(await rowOf(cookie)).to.equal(undefined);
      const left = await world.knex('au_sessions').count({ n: '*' }).first();
      expect(Number((left as { n: unknown }).n)).to.equal(Number((live as { n: unknown }).n));
    } finally {
      world.host.clock.advance(-jump);
    }
  });

  it('signs out another session after a password change, within the one statement, on every instance', async () => {
    const other = world.secondInstance({}, (au) => au.sessionStore());
    const stale = await cookieFor(world.host.app, member.email, member.password);
    await get(world.host.app, '/host/invoices', stale);
    const b = world.browser();
    await b.login(member.email, member.password);
    await b.get(`${USER_MOUNT}/profile`);
    expect((await b.post(`${USER_MOUNT}/password`, { currentPassword: member.password, newPassword: 'stored-new-password-1' })).status).to.equal(303);
    member.password = 'stored-new-password-1';
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', stale));
    expect(result.status).to.equal(401);
    // The read, then the session saved without its user (passport forgets a user it cannot deserialize).
    expect(queries, queries.join('\n')).to.have.length(2);
    expect(queries[1]).to.match(/^insert/i);
    expect((await get(other.app, '/host/invoices', stale)).status).to.equal(401);
    expect((await b.agent.get('/host/invoices').set('Accept', 'application/json')).status).to.equal(200);
  });

  it('keeps the last of two saves of one session (whole-session writes, as connect-pg-simple does)', async () => {
    const store = world.host.au.sessionStore();
    const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000).toISOString(), httpOnly: true, path: '/' };
    const set = (value: string) =>
      new Promise<void>((resolve, reject) => store.set('two-tabs', { cookie, note: value } as never, (err) => (err ? reject(err) : resolve())));
    await Promise.all([set('first'), set('second')]);
    await set('third');
    const read = await new Promise<unknown>((resolve, reject) => store.get('two-tabs', (err, s) => (err ? reject(err) : resolve(s))));
    expect((read as { note: string }).note).to.equal('third');
    await new Promise<void>((resolve, reject) => store.destroy('two-tabs', (err) => (err ? reject(err) : resolve())));
    const gone = await new Promise<unknown>((resolve, reject) => store.get('two-tabs', (err, s) => (err ? reject(err) : resolve(s))));
    expect(gone).to.equal(null);
  });

  it('counts live sessions (length) and clears them all (clear)', async () => {
    const store = world.host.au.sessionStore();
    const n = await new Promise<number>((resolve, reject) => store.length!((err, len) => (err ? reject(err) : resolve(len ?? -1))));
    expect(n).to.be.greaterThan(0);
    await new Promise<void>((resolve, reject) => store.clear!((err) => (err ? reject(err) : resolve())));
    expect((await get(world.host.app, '/host/invoices', memberCookie)).status).to.equal(401);
    const none = await new Promise<number>((resolve, reject) => store.length!((err, len) => (err ? reject(err) : resolve(len ?? -1))));
    expect(none).to.equal(0);
  });

  it('refuses an unknown or bad option at start-up, naming it', () => {
    expect(() => world.host.au.sessionStore({ touchAfter: 5 } as never)).to.throw(OptionsError, /touchAfter/);
    expect(() => world.host.au.sessionStore({ touchAfterMs: -1 })).to.throw(OptionsError, /touchAfterMs/);
    expect(() => world.host.au.sessionStore({ ttlMs: 'day' as never })).to.throw(OptionsError, /ttlMs/);
  });
});
