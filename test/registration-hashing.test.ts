import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT, FAST_HASHING, createHost } from './support/app.js';
import { pathOf } from './support/client.js';
import { knexUserStore, type UserStore } from '../lib/services/user-store.js';
import { tableNames } from '../lib/store/db.js';

/**
 * The password hash is deliberately slow. It must be computed before the kit opens its
 * transaction: on SQLite's one-connection pool a hash inside the transaction stalls every
 * other request of the app for as long as it takes.
 */
describe('registration through an invitation hashes the password before taking a database connection', () => {
  const world = new World();
  let releaseHash: () => void = () => {};
  let hashStarted: Promise<void>;

  before(async () => {
    let markStarted: () => void = () => {};
    hashStarted = new Promise((resolve) => (markStarted = resolve));
    await world.setUp();
    // The kit's own store, with a hash that waits until the test lets it finish.
    const inner = knexUserStore(world.knex, tableNames('au_'), FAST_HASHING);
    const slow: UserStore = {
      ...inner,
      hashPassword: async (password) => {
        markStarted();
        await new Promise<void>((resolve) => (releaseHash = resolve));
        return inner.hashPassword!(password);
      },
    };
    world.host = createHost(world.knex, world.smtp, { users: slow });
  });
  after(() => world.tearDown());

  it('lets other queries run while the hash is computed, then creates the user and the membership', async () => {
    const owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    expect((await owner.postJson(`${MOUNT}/invite`, { email: 'slow@example.com', permissions: ['invoices'] })).status).to.equal(201);
    const link = pathOf(world.smtp.linkFor('slow@example.com'));
    const visitor = world.browser();
    await visitor.getJson(link);

    const registration = visitor.postJson(`${link}/register`, { name: 'Sam Slow', password: 'a-good-password' });
    await hashStarted;
    // With the hash still pending, the database answers at once: no transaction holds it.
    const probe = world.knex.raw('select 1 as one');
    const outcome = await Promise.race([probe.then(() => 'answered'), new Promise((r) => setTimeout(() => r('blocked'), 2000))]);
    expect(outcome).to.equal('answered');
    expect(await world.knex('au_users').where({ email: 'slow@example.com' }).first()).to.equal(undefined);

    releaseHash();
    const res = await registration;
    expect(res.status).to.equal(201);
    const user = await world.knex('au_users').where({ email: 'slow@example.com' }).first();
    expect(user.password_hash).to.match(/^\$scrypt\$N=1024,r=8,p=1\$/);
    expect(await world.knex('au_account_users').where({ user_id: user.id, account_id: world.account.id }).first()).to.not.equal(undefined);
  });
});
