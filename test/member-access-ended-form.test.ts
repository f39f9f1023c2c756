import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';

const HOUR = 3_600_000;

/**
 * The permissions form of a member whose access has ended: it says so, saves permission changes
 * without touching the date (which has passed, and would fail "must be in the future"), and
 * offers Restore access with a new end date or none.
 */
describe('the permissions form of a member whose access ended', function () {
  this.timeout(60_000);

  let world: World;
  let owner: Awaited<ReturnType<World['ownerBrowser']>>;
  let member: Member;
  const ended = new Date(Date.now() - HOUR);

  beforeEach(async () => {
    world = await new World().setUp();
    owner = await world.ownerBrowser();
    member = await addMember(world, owner, 'ended@example.com', ['invoices'], { name: 'Erik Ended' });
    await world.knex('au_account_users').where({ user_id: member.userId }).update({ access_until: ended.getTime() });
  });
  afterEach(() => world.tearDown());

  const row = () => world.knex('au_account_users').where({ user_id: member.userId }).first();

  it('says the access ended and prefills no past date', async () => {
    const page = await owner.get(`${MOUNT}/users/${member.userId}`);
    expect(page.text).to.contain('The access of Erik Ended ended on').and.contain('name="restoreAccess" value="no" checked');
    expect(page.text).to.contain('name="accessUntil" value=""');
  });

  it('saves permission changes and keeps the access ended', async () => {
    await owner.get(`${MOUNT}/users/${member.userId}`);
    const res = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices', 'tickets'], restoreAccess: 'no', accessUntil: '' });
    expect(res.status, res.text).to.equal(303);
    const r = await row();
    expect(JSON.parse(r.permissions)).to.deep.equal(['invoices', 'tickets']);
    expect(Number(r.access_until)).to.equal(ended.getTime());
  });

  it('restores the access without an end date, or until a new one', async () => {
    await owner.get(`${MOUNT}/users/${member.userId}`);
    expect(
      (await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], restoreAccess: 'yes', accessUntil: '2099-01-31T10:00' }))
        .status,
    ).to.equal(303);
    expect(Number((await row()).access_until)).to.equal(Date.UTC(2099, 0, 31, 10));
    await world.knex('au_account_users').where({ user_id: member.userId }).update({ access_until: ended.getTime() });
    await owner.get(`${MOUNT}/users/${member.userId}`);
    expect(
      (await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], restoreAccess: 'yes', accessUntil: '' })).status,
    ).to.equal(303);
    expect((await row()).access_until).to.equal(null);
  });

  it('leaves the date alone when the field comes back as it was shown, though that moment has passed', async () => {
    const soon = new Date(Date.now() + HOUR);
    await world.knex('au_account_users').where({ user_id: member.userId }).update({ access_until: soon.getTime() });
    await owner.get(`${MOUNT}/users/${member.userId}`);
    // A form opened before its date passed: the field and its shown value are the same past minute.
    const shown = '2020-01-01T00:00';
    const res = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['tickets'], accessUntil: shown, accessUntilShown: shown });
    expect(res.status, res.text).to.equal(303);
    const r = await row();
    expect(JSON.parse(r.permissions)).to.deep.equal(['tickets']);
    expect(Number(r.access_until)).to.equal(soon.getTime());
    // A changed field is a new date, checked as ever.
    await owner.get(`${MOUNT}/users/${member.userId}`);
    const refused = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, {
      permissions: ['tickets'],
      accessUntil: '2021-01-01T00:00',
      accessUntilShown: shown,
    });
    expect(refused.status).to.equal(400);
  });
});
