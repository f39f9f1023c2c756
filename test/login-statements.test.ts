import { expect } from 'chai';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import { countQueries } from './support/queries.js';

/**
 * What one sign-in sends to the database, on every outcome: the login limit's two counts raised in
 * one statement (one per key on MariaDB/MySQL), the login read with its hash, last password change,
 * second factor and kept language in one, and after a right password the counts settled and the
 * last sign-in recorded (one statement on MariaDB/MySQL, two elsewhere). BEGIN/COMMIT count too.
 */
describe('POST /login: at most four statements a sign-in, on every outcome', () => {
  const world = new World();
  before(async () => {
    await world.setUp();
    // The language is kept at the first sign-in; the ones after it find it kept and write nothing for it.
    await request(world.host.app).post('/login').type('form').send({ email: OWNER.email, password: OWNER.password });
  });
  after(() => world.tearDown());

  const login = (email: string, password: string) => request(world.host.app).post('/login').type('form').send({ email, password });
  const counted = async (email: string, password: string) => {
    const { result, queries } = await countQueries(world.knex, () => login(email, password));
    if (process.env.SHOW_LOGIN_SQL) console.log(result.status, queries.length);
    return { status: result.status, queries };
  };

  it('a right password: at most 4 statements, and the session counts from the password it checked', async () => {
    const { status, queries } = await counted(OWNER.email, OWNER.password);
    expect(status).to.equal(303);
    expect(queries, queries.join('\n')).to.have.length.at.most(4);
    const row = await world.knex('au_users').where({ email: OWNER.email }).first();
    expect(Number(row.last_login_at)).to.be.closeTo(world.host.clock.now().getTime(), 60_000);
  });

  it('a wrong password: at most 4 statements (the failure stands as the count raised before the check)', async () => {
    const { status, queries } = await counted(OWNER.email, 'wrong-password-1');
    expect(status).to.equal(401);
    expect(queries, queries.join('\n')).to.have.length.at.most(4);
  });

  it('an unknown address: at most 4 statements, the same ones as a wrong password', async () => {
    const wrong = await counted(OWNER.email, 'wrong-password-2');
    const unknown = await counted('nobody@acme.test', 'wrong-password-1');
    expect(unknown.status).to.equal(401);
    expect(unknown.queries, unknown.queries.join('\n')).to.have.length.at.most(4);
    expect(unknown.queries.length).to.equal(wrong.queries.length);
  });

  it('locked out: at most 4 statements, and the right password is refused (429) without a check', async () => {
    for (let i = 0; i < 10; i++) expect((await login('locked@acme.test', `wrong-${i}`)).status).to.equal(401);
    const { status, queries } = await counted('locked@acme.test', 'any-password-1');
    expect(status).to.equal(429);
    expect(queries, queries.join('\n')).to.have.length.at.most(4);
  });

  it('a right password clears the address count, so the limit starts again', async () => {
    expect((await login(OWNER.email, OWNER.password)).status).to.equal(303);
    for (let i = 0; i < 9; i++) expect((await login(OWNER.email, `wrong-again-${i}`)).status).to.equal(401);
    expect((await login(OWNER.email, OWNER.password)).status).to.equal(303);
    for (let i = 0; i < 9; i++) expect((await login(OWNER.email, `wrong-once-more-${i}`)).status).to.equal(401);
    expect((await login(OWNER.email, OWNER.password)).status).to.equal(303);
  });
});
