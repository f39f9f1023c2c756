import { expect } from 'chai';
import { EXPORT_PAGE } from '../lib/services/roster/export.js';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { World, OWNER } from './support/world.js';
import { MOUNT } from './support/app.js';
import { apiMember, newLogin, refusedWith } from './support/api.js';
import { addMember } from './support/members.js';
import { seedAccount, seedActivity } from './support/seed.js';
import { enrolTotp } from './support/two-factor.js';
import type { AccountUsers } from '../lib/index.js';

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return out;
}

const csvRows = (body: string) => parse<Record<string, string>>(body, { bom: true, columns: true });

/**
 * Exports (au.api.exportMembers / exportActivity, GET /export/…): the account's members and log as
 * CSV or JSON, streamed a page at a time, formula-safe, for those who manage users only.
 */
describe('exports', function () {
  this.timeout(120_000);

  const world = new World();
  let au: AccountUsers;

  before(async () => {
    await world.setUp({ delegation: true, twoFactor: { encryptionKey: 'a-test-key-of-at-least-32-characters!' } });
    au = world.host.au;
  });
  after(() => world.tearDown());

  it('neutralises cells beginning with = + - @ tab or CR with a leading apostrophe', async () => {
    const names = ['=HYPERLINK("http://evil.test","x")', '+1+2', '-3', '@SUM(A1)', '\tTabbed', '\rReturn'];
    for (const name of names) {
      const login = await newLogin(au, 'formula');
      await world.knex('au_users').where({ id: login.userId }).update({ name });
      const { invitation } = await au.api.invite({
        actor: { system: 'setup' },
        accountId: world.account.id,
        email: login.email,
        permissions: ['invoices'],
        send: false,
      });
      await au.api.acceptInvitation({ userId: login.userId, invitationId: invitation.id });
    }
    const rows = csvRows(await text(await au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'csv' })));
    const exported = rows.map((r) => r.name);
    for (const name of names) expect(exported, name).to.include(`'${name}`);
    for (const cell of rows.flatMap((r) => Object.values(r))) expect(cell, cell).to.not.match(/^[=+\-@\t\r]/);
  });

  it('exports name, email, owner, permissions, last sign-in and access end; the owner holds every key', async () => {
    const member = await apiMember(world, ['invoices', 'tickets'], 'columns');
    const until = new Date(Date.now() + 30 * 86_400_000);
    await au.api.setPermissions({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      userId: member.userId,
      permissions: ['invoices', 'tickets'],
      accessUntil: until,
    });
    const body = await text(await au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'csv' }));
    expect(body.split('\r\n')[0]).to.equal('\ufeffname,email,owner,permissions,last_sign_in,access_until,suspended,two_factor');
    const rows = csvRows(body);
    const owner = rows.find((r) => r.email === OWNER.email)!;
    expect(owner.owner).to.equal('yes');
    expect(owner.permissions!.split(';')).to.include.members(['invoices', 'manageusers', 'tickets']);
    const row = rows.find((r) => r.email === member.email)!;
    expect(row).to.include({ owner: 'no', permissions: 'invoices;tickets', last_sign_in: '', access_until: until.toISOString() });
  });

  it('exports JSON as { members: [...] } with the same rows', async () => {
    const json = JSON.parse(await text(await au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'json' })));
    const csv = csvRows(await text(await au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'csv' })));
    expect(json.members.map((m: { email: string }) => m.email)).to.deep.equal(csv.map((r) => r.email));
    expect(json.members[0]).to.have.keys(['name', 'email', 'owner', 'permissions', 'lastSignIn', 'accessUntil', 'suspended', 'twoFactor']);
  });

  it('exports whether each member is suspended and has two-factor sign-in, in CSV and JSON', async () => {
    const suspended = await apiMember(world, ['invoices'], 'suspended');
    await au.api.suspendMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: suspended.userId, reason: 'On leave' });
    const careful = await apiMember(world, ['invoices'], 'careful');
    const browser = world.browser();
    await browser.login(careful.email, careful.password);
    await enrolTotp(browser, world.host, careful.password);
    const rows = csvRows(await text(await au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'csv' })));
    expect(rows.find((r) => r.email === suspended.email)).to.include({ suspended: 'yes', two_factor: 'no' });
    expect(rows.find((r) => r.email === careful.email)).to.include({ suspended: 'no', two_factor: 'yes' });
    expect(rows.find((r) => r.email === OWNER.email)).to.include({ suspended: 'no', two_factor: 'no' });
    const json = JSON.parse(await text(await au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'json' })));
    const member = (email: string) => json.members.find((m: { email: string }) => m.email === email);
    expect(member(suspended.email)).to.include({ suspended: true, twoFactor: false });
    expect(member(careful.email)).to.include({ suspended: false, twoFactor: true });
  });

  it('reads back as a roster that changes nothing, suspensions included', async () => {
    const csv = await text(await au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'csv' }));
    expect(csv).to.match(/,yes,no\r\n/);
    const { changes } = await au.api.reconcileRoster({ actor: { userId: world.ownerId }, accountId: world.account.id, csv });
    expect([changes.invite, changes.change, changes.suspend, changes.reinstate, changes.remove]).to.deep.equal([[], [], [], [], []]);
  });

  it('exports the activity log newest first, details as JSON, formula-safe', async () => {
    const rows = csvRows(await text(await au.api.exportActivity({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'csv' })));
    expect(rows.length).to.be.greaterThan(5);
    expect(Object.keys(rows[0]!)).to.deep.equal(['at', 'action', 'actor', 'subject', 'ip', 'details']);
    const times = rows.map((r) => r.at);
    expect([...times].sort().reverse()).to.deep.equal(times);
    expect(rows.find((r) => r.action === 'member.permissions_changed')!.actor).to.equal(`${OWNER.name} <${OWNER.email}>`);
    for (const r of rows) expect(() => JSON.parse(r.details!)).to.not.throw();
  });

  it('streams every member of a large account, page after page (1,234 members)', async () => {
    const { accountId, userIds } = await seedAccount(world.knex, 'big', 1234, 'x');
    const json = JSON.parse(await text(await au.api.exportMembers({ actor: { userId: userIds[0]! }, accountId, format: 'json' })));
    expect(json.members).to.have.length(1234);
    expect(new Set(json.members.map((m: { email: string }) => m.email)).size).to.equal(1234);
  });

  it('exports the activity log as JSON, { activity: [...] }, the same entries as the CSV', async () => {
    const asOwner = { actor: { userId: world.ownerId }, accountId: world.account.id };
    const json = JSON.parse(await text(await au.api.exportActivity({ ...asOwner, format: 'json' })));
    const csv = csvRows(await text(await au.api.exportActivity({ ...asOwner, format: 'csv' })));
    expect(json.activity[0]).to.have.keys(['at', 'action', 'actor', 'actorUserId', 'subject', 'subjectUserId', 'ip', 'details']);
    // The CSV, asked after, begins with its own download; the rest are the JSON's entries.
    expect(csv[0]).to.include({ action: 'activity.exported', details: '{"format":"csv"}' });
    expect(csv.slice(1).map((r) => [r.at, r.action])).to.deep.equal(json.activity.map((e: { at: string; action: string }) => [e.at, e.action]));
    const changed = json.activity.find((e: { action: string }) => e.action === 'member.permissions_changed');
    expect(changed.details).to.be.an('object').with.property('to');
    expect(changed.actor).to.equal(`${OWNER.name} <${OWNER.email}>`);
  });

  it(`streams the whole activity log past a page of ${EXPORT_PAGE} entries, newest first, none twice or skipped (1,234 entries)`, async () => {
    const { accountId, userIds } = await seedAccount(world.knex, 'log', 2, 'x');
    await seedActivity(world.knex, accountId, userIds[0]!, userIds[1]!, 1234);
    const json = JSON.parse(await text(await au.api.exportActivity({ actor: { userId: userIds[0]! }, accountId, format: 'json' })));
    const seeded = json.activity.filter((e: { action: string }) => e.action === 'member.permissions_changed');
    expect(json.activity).to.have.length(1235);
    expect(json.activity[0].action).to.equal('activity.exported');
    expect(seeded.map((e: { details: { n: number } }) => e.details.n)).to.deep.equal(Array.from({ length: 1234 }, (_, i) => 1233 - i));
    const csv = csvRows(await text(await au.api.exportActivity({ actor: { userId: userIds[0]! }, accountId, format: 'csv' })));
    expect(csv).to.have.length(1236);
  });

  describe('a trace of every export', () => {
    const events: Array<{ action: string; actorUserId: number | null; details?: Record<string, unknown> }> = [];
    before(() => {
      au.events.on('activity', (e) => events.push(e));
    });

    it('records a members export in the activity log and on au.events: who, and which format', async () => {
      events.length = 0;
      await text(await au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'json' }));
      const row = await world.knex('au_activity').where({ account_id: world.account.id, action: 'members.exported' }).orderBy('id', 'desc').first();
      expect(row).to.include({ actor_user_id: world.ownerId });
      expect(JSON.parse(row.details)).to.deep.equal({ format: 'json' });
      expect(events.map((e) => [e.action, e.actorUserId, e.details])).to.deep.equal([['members.exported', world.ownerId, { format: 'json' }]]);
    });

    it('records an activity export, and one by a system actor by its name', async () => {
      events.length = 0;
      await text(await au.api.exportActivity({ actor: { system: 'nightly backup' }, accountId: world.account.id, format: 'csv' }));
      expect(events.map((e) => [e.action, e.details])).to.deep.equal([['activity.exported', { format: 'csv' }]]);
      const row = await world.knex('au_activity').where({ account_id: world.account.id, action: 'activity.exported' }).orderBy('id', 'desc').first();
      expect(row).to.include({ actor_system: 'nightly backup', actor_user_id: null });
    });

    it('records nothing for a refused export', async () => {
      events.length = 0;
      const other = await newLogin(au, 'no-trace');
      await refusedWith(au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: other.ownAccountId, format: 'csv' }), 'NotFoundError');
      await refusedWith(au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: world.account.id, format: 'xml' as never }), 'InvalidInputError');
      expect(events).to.deep.equal([]);
    });

    it("shows the owner a delegate's download on the activity page, in the page's language", async () => {
      const owner = await world.ownerBrowser();
      const delegate = await addMember(world, owner, 'downloader@example.com', ['manageusers', 'invoices']);
      expect((await delegate.browser.agent.get(`${MOUNT}/export/members.csv`).buffer(true)).status).to.equal(200);
      const page = await owner.get(`${MOUNT}/activity`);
      expect(page.text).to.contain('downloader@example.com&gt; downloaded the list of users (CSV)');
      const german = await owner.agent.get(`${MOUNT}/activity`).set('Accept-Language', 'de');
      expect(german.text).to.contain('downloader@example.com&gt; hat die Benutzerliste heruntergeladen (CSV)');
    });
  });

  it('refuses an export of another account by id as not found', async () => {
    const other = await newLogin(au, 'other-owner');
    await refusedWith(au.api.exportMembers({ actor: { userId: world.ownerId }, accountId: other.ownAccountId, format: 'csv' }), 'NotFoundError');
    await refusedWith(au.api.exportActivity({ actor: { userId: world.ownerId }, accountId: other.ownAccountId, format: 'csv' }), 'NotFoundError');
  });

  it('refuses a member without the right to manage users (403), over HTTP', async () => {
    const owner = await world.ownerBrowser();
    const member = await addMember(world, owner, 'no-export@example.com', ['invoices']);
    for (const path of ['/export/members.csv', '/export/members.json', '/export/activity.csv']) {
      const res = await member.browser.agent.get(`${MOUNT}${path}`).set('Accept', 'application/json');
      expect(res.status, path).to.equal(403);
    }
  });

  it('serves the files as attachments, never cached, to a delegate who manages users', async () => {
    const owner = await world.ownerBrowser();
    const delegate = await addMember(world, owner, 'exporter@example.com', ['manageusers', 'invoices']);
    const res = await delegate.browser.agent.get(`${MOUNT}/export/members.csv`).buffer(true);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).to.equal('attachment; filename="members.csv"');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.text).to.contain('exporter@example.com');
    const json = await delegate.browser.agent.get(`${MOUNT}/export/members.json`);
    expect(json.status).to.equal(200);
    expect(json.body.members.some((m: { email: string }) => m.email === 'exporter@example.com')).to.equal(true);
    const activity = await delegate.browser.agent.get(`${MOUNT}/export/activity.csv`).buffer(true);
    expect(activity.status).to.equal(200);
    expect(activity.headers['content-disposition']).to.equal('attachment; filename="activity.csv"');
  });
});
