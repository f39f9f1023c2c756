import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { refusedWith } from './support/api.js';

/** au.api.listAccounts and au.api.searchUsers: keyset-paged lists for the host's staff tools, `{ system }` actors only. */
describe('au.api.listAccounts and au.api.searchUsers (staff tools)', function () {
  this.timeout(30_000);
  const world = new World();
  const staff = { system: 'Support: Jane' };
  const accountIds: number[] = [];

  before(async () => {
    await world.setUp();
    accountIds.push(world.account.id);
    for (let i = 1; i <= 4; i++) {
      const { account } = await world.host.au.api.createAccount({
        name: `Shop ${i} Ltd`,
        owner: { email: `shop-${i}@example.test`, name: i === 2 ? 'Pat 100%_Sure' : `Shop Keeper ${i}`, password: 'shop-password-1' },
      });
      accountIds.push(account.id);
    }
  });
  after(() => world.tearDown());

  it('lists every account by id, two at a time, each once, ending with next: null', async () => {
    const seen: number[] = [];
    let after: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await world.host.au.api.listAccounts({ actor: staff, limit: 2, ...(after ? { after } : {}) });
      pages++;
      seen.push(...page.items.map((a) => a.id));
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen).to.deep.equal(accountIds);
    expect(pages).to.equal(3);
    const first = (await world.host.au.api.listAccounts({ actor: staff, limit: 1 })).items[0]!;
    expect(first).to.deep.include({ id: world.account.id, name: 'Acme Ltd', ownerUserId: world.ownerId });
    expect(first.createdAt).to.be.instanceOf(Date);
  });

  it('finds logins by part of the address or name, ignoring case, paged', async () => {
    const byMail = await world.host.au.api.searchUsers({ actor: staff, query: 'SHOP-' });
    expect(byMail.items.map((u) => u.email)).to.deep.equal(['shop-1@example.test', 'shop-2@example.test', 'shop-3@example.test', 'shop-4@example.test']);
    const paged = await world.host.au.api.searchUsers({ actor: staff, query: 'shop', limit: 3 });
    expect(paged.items.length).to.equal(3);
    const rest = await world.host.au.api.searchUsers({ actor: staff, query: 'shop', limit: 3, after: paged.next! });
    expect(rest.next).to.equal(null);
    expect([...paged.items, ...rest.items].map((u) => u.email)).to.have.members(byMail.items.map((u) => u.email));
    const byName = await world.host.au.api.searchUsers({ actor: staff, query: 'olive' });
    expect(byName.items).to.have.length(1);
    expect(byName.items[0]).to.deep.include({ email: OWNER.email, name: OWNER.name });
    expect(byName.items[0]!.emailVerified).to.be.a('boolean');
    expect(byName.items[0]).to.not.have.property('passwordHash');
  });

  it('takes % and _ literally', async () => {
    expect((await world.host.au.api.searchUsers({ actor: staff, query: '100%_' })).items.map((u) => u.name)).to.deep.equal(['Pat 100%_Sure']);
    expect((await world.host.au.api.searchUsers({ actor: staff, query: '%' })).items.map((u) => u.name)).to.deep.equal(['Pat 100%_Sure']);
  });

  it('refuses a user actor, even an owner, with ForbiddenError', async () => {
    await refusedWith(world.host.au.api.listAccounts({ actor: { userId: world.ownerId } }), 'ForbiddenError');
    await refusedWith(world.host.au.api.searchUsers({ actor: { userId: world.ownerId }, query: 'a' }), 'ForbiddenError');
  });

  it('refuses a limit over 1000 and an empty query, naming the field', async () => {
    expect((await refusedWith(world.host.au.api.listAccounts({ actor: staff, limit: 1001 }), 'InvalidInputError')).issues![0]!.field).to.equal('limit');
    expect((await refusedWith(world.host.au.api.searchUsers({ actor: staff, query: ' ' }), 'InvalidInputError')).issues![0]!.field).to.equal('query');
  });
});
