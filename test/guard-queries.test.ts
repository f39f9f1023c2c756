import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import { addMember, setPermissions, type Member } from './support/members.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { countQueries } from './support/queries.js';
import { enrolTotp, freshCode } from './support/two-factor.js';

/**
 * The guard's cost in round trips: with the kit's deserializeUser the user and the active
 * membership come back in one query, which is all a guarded request sends to the database,
 * and it is read fresh every time, so a revocation is refused on the very next request.
 */
describe('requirePermission: SQL queries per request', () => {
  const world = new World();
  const store = new session.MemoryStore();
  let member: Member;
  let memberCookie: string;
  let ownerCookie: string;

  async function cookieFor(app: express.Express, email: string, password: string): Promise<string> {
    const res = await request(app).post('/login').type('form').send({ email, password });
    expect(res.status).to.equal(303);
    return String(res.headers['set-cookie']![0]).split(';')[0]!;
  }

  const get = (app: express.Express, path: string, cookie: string) => request(app).get(path).set('Cookie', cookie).set('Accept', 'application/json');

  before(async () => {
    await world.setUp({}, store);
    const owner = await world.ownerBrowser();
    member = await addMember(world, owner, 'counted@example.com', ['invoices', 'tickets']);
    memberCookie = await cookieFor(world.host.app, member.email, member.password);
    ownerCookie = await cookieFor(world.host.app, OWNER.email, OWNER.password);
    // The first request picks the default account and remembers it in the session.
    await get(world.host.app, '/host/invoices', memberCookie);
    await get(world.host.app, '/host/invoices', ownerCookie);
  });
  after(() => world.tearDown());

  it('issues exactly one query for a member granted the permission (user and membership together)', async () => {
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', memberCookie));
    expect(result.status).to.equal(200);
    expect(queries, queries.join('\n')).to.have.length(1);
  });

  it('issues exactly one query for the owner', async () => {
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', ownerCookie));
    expect(result.status).to.equal(200);
    expect(queries, queries.join('\n')).to.have.length(1);
  });

  it('issues exactly one query when it refuses a member without the permission', async () => {
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, '/host/orders', memberCookie));
    expect(result.status).to.equal(403);
    expect(queries, queries.join('\n')).to.have.length(1);
  });

  it('issues exactly one query on the first request after login, when the default account is chosen', async () => {
    const fresh = await cookieFor(world.host.app, member.email, member.password);
    const { queries } = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', fresh));
    expect(queries, queries.join('\n')).to.have.length(1);
  });

  it('refuses a revoked permission on the very next request', async () => {
    expect((await get(world.host.app, '/host/tickets', memberCookie)).status).to.equal(200);
    await setPermissions(await world.ownerBrowser(), member.userId, ['invoices']);
    expect((await get(world.host.app, '/host/tickets', memberCookie)).status).to.equal(403);
  });

  it('refuses a removed member on the very next request', async () => {
    const owner = await world.ownerBrowser();
    const removed = await addMember(world, owner, 'removed@example.com', ['invoices']);
    const cookie = await cookieFor(world.host.app, removed.email, removed.password);
    expect((await get(world.host.app, '/host/invoices', cookie)).status).to.equal(200);
    await owner.getJson(`${MOUNT}/users/${removed.userId}/remove`);
    expect((await owner.postJson(`${MOUNT}/users/${removed.userId}/remove`, {})).status).to.equal(200);
    expect((await get(world.host.app, '/host/invoices', cookie)).status).to.equal(403);
  });

  it('issues exactly one query for a time-limited member, before and after the access ends, and names the account', async () => {
    const owner = await world.ownerBrowser();
    const limited = await addMember(world, owner, 'limited@example.com', ['invoices']);
    const until = new Date(world.host.clock.now().getTime() + 60 * 60 * 1000);
    await owner.getJson(`${MOUNT}/users/${limited.userId}`);
    expect(
      (await owner.postJson(`${MOUNT}/users/${limited.userId}/permissions`, { permissions: ['invoices'], accessUntil: until.toISOString() })).status,
    ).to.equal(200);
    const cookie = await cookieFor(world.host.app, limited.email, limited.password);
    await get(world.host.app, '/host/invoices', cookie);
    const before = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', cookie));
    expect(before.result.status).to.equal(200);
    expect(before.queries, before.queries.join('\n')).to.have.length(1);
    world.host.clock.advance(2 * 60 * 60 * 1000);
    try {
      const after = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', cookie));
      expect(after.result.status).to.equal(403);
      expect(after.result.body.error.message).to.include('Acme Ltd');
      expect(after.queries, after.queries.join('\n')).to.have.length(1);
    } finally {
      world.host.clock.advance(-2 * 60 * 60 * 1000);
    }
  });

  /**
   * The same kit behind a host that wraps deserializeUser in a two-argument function: passport
   * then passes no request, so the guard looks the membership up itself.
   */
  function hostWithOwnDeserializer(): express.Express {
    const au = world.host.au;
    const auth = new passport.Passport();
    auth.serializeUser(au.serializeUser);
    auth.deserializeUser((id: unknown, done: (err: unknown, user?: Express.User | false) => void) => au.deserializeUser(id, done));
    const app = express();
    app.use(session({ secret: 'test-secret', resave: false, saveUninitialized: false, store }));
    app.use(auth.initialize());
    app.use(auth.session());
    for (const key of ['invoices', 'tickets'] as const) app.get(`/host/${key}`, au.requirePermission(key), (_req, res) => res.json({ ok: key }));
    return app;
  }

  it("adds exactly one query to a host's own deserializeUser (the fallback path)", async () => {
    const app = hostWithOwnDeserializer();
    const { result, queries } = await countQueries(world.knex, () => get(app, '/host/invoices', ownerCookie));
    expect(result.status).to.equal(200);
    expect(queries, queries.join('\n')).to.have.length(2);
  });

  it('still refuses a revoked permission on the very next request on the fallback path', async () => {
    await setPermissions(await world.ownerBrowser(), member.userId, ['invoices', 'tickets']);
    const app = hostWithOwnDeserializer();
    expect((await get(app, '/host/tickets', memberCookie)).status).to.equal(200);
    await setPermissions(await world.ownerBrowser(), member.userId, ['invoices']);
    expect((await get(app, '/host/tickets', memberCookie)).status).to.equal(403);
  });
  it("issues exactly one query whatever the account's two-factor rule: during the grace, and when it refuses after it", async () => {
    const api = world.host.au.api;
    await api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: true, graceDays: 1 });
    try {
      const during = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', memberCookie));
      expect(during.result.status).to.equal(200);
      expect(during.queries, during.queries.join('\n')).to.have.length(1);
      world.host.clock.advance(2 * 24 * 60 * 60 * 1000);
      const after = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', memberCookie));
      expect(after.result.status).to.equal(403);
      expect(after.result.body.error.code).to.equal('two_factor_required');
      expect(after.queries, after.queries.join('\n')).to.have.length(1);
    } finally {
      world.host.clock.advance(-2 * 24 * 60 * 60 * 1000);
      await api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: false });
    }
  });

  it("issues exactly one query for a suspended member while the account's two-factor rule is on", async () => {
    const api = world.host.au.api;
    const owner = await world.ownerBrowser();
    const held = await addMember(world, owner, 'held@example.com', ['invoices']);
    const cookie = await cookieFor(world.host.app, held.email, held.password);
    await get(world.host.app, '/host/invoices', cookie);
    await api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: true, graceDays: 7 });
    await api.suspendMember({ actor: { system: 'support' }, accountId: world.account.id, userId: held.userId, reason: 'audit' });
    try {
      const refused = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', cookie));
      expect(refused.result.status).to.equal(403);
      expect(refused.queries, refused.queries.join('\n')).to.have.length(1);
    } finally {
      await api.reinstateMember({ actor: { system: 'support' }, accountId: world.account.id, userId: held.userId });
      await api.setAccountTwoFactorRule({ actor: { system: 'support' }, accountId: world.account.id, required: false });
    }
  });

  it('issues exactly one query for a session that owes its second factor (refused), and for one that gave it', async () => {
    const owner = await world.ownerBrowser();
    const withFactor = await addMember(world, owner, 'factor@example.com', ['invoices']);
    const { secret } = await enrolTotp(withFactor.browser, world.host, withFactor.password);
    const owing = await cookieFor(world.host.app, withFactor.email, withFactor.password);
    const refused = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', owing));
    expect(refused.result.status).to.equal(401);
    expect(refused.queries, refused.queries.join('\n')).to.have.length(1);
    const b = world.browser();
    await b.login(withFactor.email, withFactor.password);
    await b.getJson(`${USER_MOUNT}/two-factor/verify`);
    expect((await b.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(world.host, secret) })).status).to.equal(200);
    await b.agent.get('/host/invoices').set('Accept', 'application/json');
    const passed = await countQueries(world.knex, () => b.agent.get('/host/invoices').set('Accept', 'application/json'));
    expect(passed.result.status).to.equal(200);
    expect(passed.queries, passed.queries.join('\n')).to.have.length(1);
  });

  // Last: it signs the member's other sessions out.
  it('signs out another session after a password change within the same one query', async () => {
    expect((await get(world.host.app, '/host/invoices', memberCookie)).status).to.equal(200);
    const other = world.browser();
    await other.login(member.email, member.password);
    await other.get(`${USER_MOUNT}/profile`);
    expect((await other.post(`${USER_MOUNT}/password`, { currentPassword: member.password, newPassword: 'member-new-password-1' })).status).to.equal(303);
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, '/host/invoices', memberCookie));
    expect(result.status).to.equal(401);
    expect(queries, queries.join('\n')).to.have.length(1);
    const kept = await countQueries(world.knex, () => other.agent.get('/host/invoices').set('Accept', 'application/json'));
    expect(kept.result.status).to.equal(200);
    expect(kept.queries, kept.queries.join('\n')).to.have.length(1);
  });
});

/** With `delegation: true` the user-management guard is requirePermission('manageusers'): still one statement. */
describe('requirePermission: SQL queries per request, with delegation', () => {
  const world = new World();
  let delegateCookie: string;
  let memberCookie: string;

  async function cookieFor(app: express.Express, email: string, password: string): Promise<string> {
    const res = await request(app).post('/login').type('form').send({ email, password });
    expect(res.status).to.equal(303);
    return String(res.headers['set-cookie']![0]).split(';')[0]!;
  }
  const get = (app: express.Express, path: string, cookie: string) => request(app).get(path).set('Cookie', cookie).set('Accept', 'application/json');

  before(async () => {
    await world.setUp({ delegation: true });
    world.host.app.get('/host/manageusers', world.host.au.requirePermission('manageusers' as never), (_req, res) => res.json({ ok: 'manageusers' }));
    const owner = await world.ownerBrowser();
    const delegate = await addMember(world, owner, 'delegate@example.com', ['manageusers', 'invoices']);
    const member = await addMember(world, owner, 'plain@example.com', ['invoices']);
    delegateCookie = await cookieFor(world.host.app, delegate.email, delegate.password);
    memberCookie = await cookieFor(world.host.app, member.email, member.password);
    await get(world.host.app, '/host/invoices', delegateCookie);
    await get(world.host.app, '/host/invoices', memberCookie);
  });
  after(() => world.tearDown());

  it('issues exactly one query for a delegate on a route guarded by manageusers', async () => {
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, '/host/manageusers', delegateCookie));
    expect(result.status).to.equal(200);
    expect(queries, queries.join('\n')).to.have.length(1);
  });

  it('issues exactly one query when the user-management guard refuses a member without manageusers', async () => {
    const { result, queries } = await countQueries(world.knex, () => get(world.host.app, `${MOUNT}/`, memberCookie));
    expect(result.status).to.equal(403);
    expect(queries, queries.join('\n')).to.have.length(1);
  });
});
