import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { invite, linkPath } from './support/invitations.js';

type Row = Record<string, unknown>;

/**
 * Re-inviting an address whose invitation went out moments ago, with other permissions (issue 23,
 * finding 5): a forgotten checkbox is fixed without a cancel and without a second email.
 */
describe('a re-invite with other permissions within the resend cooldown', function () {
  this.timeout(30_000);
  const world = new World();
  let owner: Browser;
  const events: Row[] = [];

  const activity = async (action: string) => (await world.knex('au_activity').where({ action }).orderBy('id')) as Row[];

  before(async () => {
    await world.setUp();
    owner = await world.ownerBrowser();
    world.host.au.events.on('invitation.updated', (e: Row) => events.push(e));
  });
  after(() => world.tearDown());

  it('gives the pending invitation the new permissions and end of access, sends no email, keeps the link and answers "updated"', async () => {
    const first = await invite(owner, 'fix@example.com', ['invoices']);
    const link = linkPath(world, 'fix@example.com');
    world.host.clock.advance(10_000);
    const res = await owner.postJson(`${MOUNT}/invite`, { email: 'fix@example.com', permissions: ['invoices', 'domains'], accessUntil: '2099-06-30' });
    expect(res.status).to.equal(200);
    expect(res.body.outcome).to.equal('updated');
    expect(res.body.delivery).to.equal('unchanged');
    expect(res.body.message).to.equal('An invitation was sent to fix@example.com moments ago; it now grants the permissions you chose, without another email.');
    expect(res.body.invitation).to.deep.include({ id: first.id, permissions: ['domains', 'invoices'], accessUntil: '2099-06-30T23:59:59.999Z' });
    expect(world.smtp.to('fix@example.com'), 'emails').to.have.length(1);
    expect(await world.count('invitations')).to.equal(1);

    const page = await world.browser().getJson(link);
    expect(page.status, 'the emailed link still works').to.equal(200);
    expect(page.body.invitation.permissions).to.deep.equal(['domains', 'invoices']);
  });

  it('writes one activity row and one event, naming the permissions before and after', async () => {
    const rows = await activity('invitation.updated');
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ subject_email: 'fix@example.com' });
    expect(Number(rows[0]!.actor_user_id)).to.equal(world.ownerId);
    const details = JSON.parse(String(rows[0]!.details)) as Row;
    expect(details).to.deep.include({ from: ['invoices'], to: ['domains', 'invoices'], accessUntilFrom: null, accessUntil: '2099-06-30T23:59:59.999Z' });
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ action: 'invitation.updated', subjectEmail: 'fix@example.com' });
    const log = await owner.get(`${MOUNT}/activity`);
    expect(log.text).to.contain('Olive Owner &lt;owner@acme.test&gt; changed what the invitation to fix@example.com grants');
  });

  it('answers "unchanged", writing nothing, when the invitation already grants exactly that', async () => {
    const res = await owner.postJson(`${MOUNT}/invite`, { email: 'fix@example.com', permissions: ['domains', 'invoices'], accessUntil: '2099-06-30' });
    expect(res.body.outcome).to.equal('unchanged');
    expect(await activity('invitation.updated')).to.have.length(1);
    expect(world.smtp.to('fix@example.com')).to.have.length(1);
  });

  it('still refuses a resend of the email within the cooldown', async () => {
    const [row] = (await world.knex('au_invitations').where({ email: 'fix@example.com' })) as Row[];
    const res = await owner.postJson(`${MOUNT}/invitations/${String(row!.id)}/resend`, {});
    expect(res.status).to.equal(429);
    expect(world.smtp.to('fix@example.com')).to.have.length(1);
  });

  it('says so on the page after the form', async () => {
    await owner.get(`${MOUNT}/invite`);
    const res = await owner.post(`${MOUNT}/invite`, { email: 'fix@example.com', permissions: ['invoices', 'tickets'] });
    expect(res.status).to.equal(303);
    expect((await owner.get(`${MOUNT}/`)).text).to.contain('An invitation was sent to fix@example.com moments ago; it now grants the permissions you chose');
  });

  it('is what the member gets on accepting through the link they already have', async () => {
    const link = linkPath(world, 'fix@example.com');
    const visitor = world.browser();
    await visitor.getJson(link);
    const registered = await visitor.postJson(`${link}/register`, { name: 'Fay Fix', password: 'fay-password-1' });
    expect(registered.status, registered.text).to.equal(201);
    expect(registered.body.membership.permissions).to.deep.equal(['invoices', 'tickets']);
  });

  it('answers "updated" from au.api too', async () => {
    const api = world.host.au.api;
    const base = { actor: { system: 'support' }, accountId: world.account.id, email: 'api-fix@example.com' };
    expect((await api.invite({ ...base, permissions: ['invoices'] })).outcome).to.equal('sent');
    const again = await api.invite({ ...base, permissions: ['tickets'] });
    expect(again.outcome).to.equal('updated');
    expect(again.delivery).to.equal('unchanged');
    expect(again.invitation.permissions).to.deep.equal(['tickets']);
    expect(world.smtp.to('api-fix@example.com')).to.have.length(1);
  });
});
