import { expect } from 'chai';
import { World } from './support/world.js';
import { apiMember, newLogin, refusedWith } from './support/api.js';
import { countQueries } from './support/queries.js';
import type { AccountUsers } from '../lib/index.js';

describe('au.api.can: requirePermission outside a route', () => {
  const world = new World();
  let au: AccountUsers;
  let accountId: number;
  beforeEach(async () => {
    await world.setUp();
    au = world.host.au;
    accountId = world.account.id;
  });
  afterEach(() => world.tearDown());

  it('is true for the owner for any known key, and for a member only with every key asked for', async () => {
    const member = await apiMember(world, ['invoices', 'tickets']);
    expect(await au.api.can({ userId: world.ownerId, accountId }, 'profile', 'orders')).to.equal(true);
    expect(await au.api.can({ userId: member.userId, accountId }, 'invoices')).to.equal(true);
    expect(await au.api.can({ userId: member.userId, accountId }, 'invoices', 'tickets')).to.equal(true);
    expect(await au.api.can({ userId: member.userId, accountId }, 'invoices', 'domains')).to.equal(false);
  });

  it('is false for a user of another account, and for an account that does not exist', async () => {
    const stranger = await newLogin(au);
    expect(await au.api.can({ userId: stranger.userId, accountId }, 'invoices')).to.equal(false);
    expect(await au.api.can({ userId: world.ownerId, accountId: stranger.ownAccountId }, 'invoices')).to.equal(false);
    expect(await au.api.can({ userId: world.ownerId, accountId: 2_000_000_000 }, 'invoices')).to.equal(false);
  });

  it('is false on the very next call after a revoke, and after a removal (no cache)', async () => {
    const member = await apiMember(world, ['invoices', 'tickets']);
    const who = { userId: member.userId, accountId };
    expect(await au.api.can(who, 'tickets')).to.equal(true);
    await au.api.setPermissions({ actor: { userId: world.ownerId }, accountId, userId: member.userId, permissions: ['invoices'] });
    expect(await au.api.can(who, 'tickets')).to.equal(false);
    expect(await au.api.can(who, 'invoices')).to.equal(true);
    await au.api.removeMember({ actor: { system: 'support' }, accountId, userId: member.userId });
    expect(await au.api.can(who, 'invoices')).to.equal(false);
  });

  it('answers with one query', async () => {
    const member = await apiMember(world, ['invoices']);
    const { result, queries } = await countQueries(world.knex, () => au.api.can({ userId: member.userId, accountId }, 'invoices'));
    expect(result).to.equal(true);
    expect(queries).to.have.length(1);
  });

  it('refuses an unknown key or none, as requirePermission does, instead of answering false', async () => {
    const typo = await refusedWith(au.api.can({ userId: world.ownerId, accountId }, 'invocies' as never), 'InvalidInputError');
    expect(typo.issues).to.deep.equal([{ field: 'keys', message: 'unknown permission "invocies"' }]);
    await refusedWith((au.api.can as (who: unknown, ...keys: string[]) => Promise<boolean>)({ userId: world.ownerId, accountId }), 'InvalidInputError');
    const bad = await refusedWith(au.api.can({ userId: 'me' as never, accountId }, 'invoices'), 'InvalidInputError');
    expect(bad.issues!.map((i) => i.field)).to.deep.equal(['userId']);
  });

  it("knows the host's own permission keys", async () => {
    await world.tearDown();
    await world.setUp({ permissions: [{ key: 'reports', label: 'View Reports' }] });
    const typed = world.host.au as unknown as AccountUsers<'reports' | 'invoices'>;
    const member = await apiMember(world, ['reports']);
    expect(await typed.api.can({ userId: member.userId, accountId: world.account.id }, 'reports')).to.equal(true);
    expect(await typed.api.can({ userId: member.userId, accountId: world.account.id }, 'invoices')).to.equal(false);
  });
});
