import { expect } from 'chai';
import session from 'express-session';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import { USER_MOUNT } from './support/app.js';
import { countQueries } from './support/queries.js';

const sid = (res: { headers: Record<string, unknown> }) => {
  const cookie = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('connect.sid='));
  return cookie?.split(';')[0];
};

/**
 * POST /password: this browser stays signed in under a new session id; every other session of
 * the user is signed out on its next request, at no added query (the user row's
 * sessions_valid_after comes in the session's own statement).
 */
describe('password change (au.userRouter POST /password)', function () {
  this.timeout(20_000);
  const world = new World();
  const store = new session.MemoryStore();
  let password = OWNER.password;

  before(() => world.setUp({}, store));
  after(() => world.tearDown());

  it('keeps this browser signed in with a new session id and signs out a second session on its next request, in one statement', async () => {
    const first = world.browser();
    await first.login(OWNER.email, password);
    const second = world.browser();
    const secondLogin = await second.login(OWNER.email, password);
    const secondCookie = sid(secondLogin)!;
    expect((await second.get('/host/invoices')).status).to.equal(200);

    await first.get(`${USER_MOUNT}/profile`);
    const res = await first.post(`${USER_MOUNT}/password`, { currentPassword: password, newPassword: 'changed-password-1' });
    expect(res.status).to.equal(303);
    const newCookie = sid(res);
    expect(newCookie, 'a new session id').to.be.a('string');
    password = 'changed-password-1';

    const kept = await first.get(`${USER_MOUNT}/profile`);
    expect(kept.status).to.equal(200);
    expect(kept.text).to.contain('Your password has been changed.');
    expect((await first.get('/host/invoices')).status).to.equal(200);

    // The second session's next guarded request: refused as signed out, with the one statement a guarded request always costs.
    const { result, queries } = await countQueries(world.knex, () =>
      request(world.host.app).get('/host/invoices').set('Cookie', secondCookie).set('Accept', 'application/json'),
    );
    expect(result.status).to.equal(401);
    expect(queries, queries.join('\n')).to.have.length(1);
    expect((await second.get(`${USER_MOUNT}/profile`)).status).to.equal(302);

    // The first browser's guarded request still costs one statement.
    const { result: ok, queries: okQueries } = await countQueries(world.knex, () => first.agent.get('/host/invoices').set('Accept', 'application/json'));
    expect(ok.status).to.equal(200);
    expect(okQueries, okQueries.join('\n')).to.have.length(1);
  });

  it('signs in with the new password, not the old one', async () => {
    expect((await world.browser().agent.post('/login').type('form').send({ email: OWNER.email, password })).status).to.equal(303);
    expect((await world.browser().agent.post('/login').type('form').send({ email: OWNER.email, password: OWNER.password })).status).to.equal(401);
  });

  it('refuses a wrong current password with 400 naming the field, and changes nothing', async () => {
    const b = world.browser();
    await b.login(OWNER.email, password);
    await b.getJson(`${USER_MOUNT}/profile`);
    const res = await b.postJson(`${USER_MOUNT}/password`, { currentPassword: 'not-it-at-all', newPassword: 'whatever-password-9' });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields).to.deep.equal([{ field: 'currentPassword', message: 'is not your current password' }]);
    expect((await world.browser().agent.post('/login').type('form').send({ email: OWNER.email, password })).status).to.equal(303);
  });

  it('refuses a short new password with 400 naming the field', async () => {
    const b = world.browser();
    await b.login(OWNER.email, password);
    await b.get(`${USER_MOUNT}/profile`);
    const res = await b.post(`${USER_MOUNT}/password`, { currentPassword: password, newPassword: 'short' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('must be at least 8 characters');
  });

  it('refuses a POST without the CSRF token with 403', async () => {
    const b = world.browser();
    await b.login(OWNER.email, password);
    const res = await b.post(`${USER_MOUNT}/password`, { currentPassword: password, newPassword: 'changed-password-2' }, { csrf: null });
    expect(res.status).to.equal(403);
  });

  it('sends an anonymous visitor to the login page', async () => {
    const res = await world.browser().get(`${USER_MOUNT}/profile`);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/login?returnTo=${encodeURIComponent(`${USER_MOUNT}/profile`)}`);
  });

  it('writes an activity row for the user and emits user.password_changed', async () => {
    const events: Array<Record<string, unknown>> = [];
    world.host.au.events.on('user.password_changed', (e: Record<string, unknown>) => events.push(e));
    const b = world.browser();
    await b.login(OWNER.email, password);
    await b.get(`${USER_MOUNT}/profile`);
    expect((await b.post(`${USER_MOUNT}/password`, { currentPassword: password, newPassword: 'changed-password-3' })).status).to.equal(303);
    password = 'changed-password-3';
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ userId: world.ownerId, action: 'user.password_changed' });
    const rows = await world.knex('au_user_activity').where({ user_id: world.ownerId, action: 'user.password_changed' });
    expect(rows).to.have.length(2);
  });

  it('treats a session without a login time as established before a password change (sessions from before this feature)', async () => {
    const b = world.browser();
    const login = await b.login(OWNER.email, password);
    const id = decodeURIComponent(sid(login)!.slice('connect.sid='.length)).replace(/^s:/, '').split('.')[0]!;
    // As a session written before the kit recorded login times.
    await new Promise<void>((resolve, reject) =>
      store.get(id, (err, data) => {
        if (err || !data) return reject(err instanceof Error ? err : new Error('no session'));
        delete data.accountUsers?.loginAt;
        delete data.accountUsers?.passwordChangedAt;
        store.set(id, data, (e) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve()));
      }),
    );
    expect((await b.get(`${USER_MOUNT}/profile`)).status).to.equal(302);
  });
});
