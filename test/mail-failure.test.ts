import { expect } from 'chai';
import { useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { linkPath } from './support/invitations.js';

/** A failed send never loses an invitation: the owner sees it, and the outbox delivers it later. */
describe('invitation email that cannot be delivered', function () {
  this.timeout(30_000);

  const { world, owner } = useWorld({}, { owner: 'signed-in' });
  let port: number;
  let invitationId: number;
  let response: { status: number; headers: Record<string, string> };
  before(async () => {
    port = world.smtp.port;
    await world.smtp.stop();
    await owner.get(`${MOUNT}/invite`);
    response = await owner.post(`${MOUNT}/invite`, { email: 'unlucky@example.com', permissions: ['invoices', 'tickets'] });
  });

  it('still stores the invitation, pending, and answers the form as a success', async () => {
    expect(response.status).to.equal(303);
    const row = await world.knex('au_invitations').first();
    expect(row).to.include({ email: 'unlucky@example.com', status: 'pending' });
    invitationId = Number(row.id);
    expect(world.smtp.messages).to.have.length(0);
  });

  it('tells the owner the email could not be delivered yet and will be retried', async () => {
    const page = await owner.get(`${MOUNT}/`);
    expect(page.text).to.contain('Invitation to unlucky@example.com saved, but the email could not be delivered yet.');
    expect(page.text).to.contain('au-flash-error');
  });

  it('shows delivery "failing" with the problem in words on the owner page, and offers Resend', async () => {
    const page = (await owner.get(`${MOUNT}/`)).text;
    const row = page.slice(page.indexOf(`data-invitation-id="${invitationId}"`)).split('</tr>')[0]!;
    expect(row).to.contain('<span class="au-delivery au-delivery-failing">failing</span>');
    expect(row).to.contain('could not reach the mail server');
    expect(row).to.contain(`action="${MOUNT}/invitations/${invitationId}/resend"`);
    expect(row).to.contain('<span class="au-status au-status-pending">pending</span>');
  });

  it('logs the error through the logger option', () => {
    const errors = world.host.logs.filter((l) => l.startsWith('error:') && l.includes('unlucky@example.com'));
    expect(errors).to.have.length(1);
    expect(errors[0])
      .to.match(/attempt 1/)
      .and.match(/ECONNREFUSED/);
  });

  it('answers the JSON invite with 201 and delivery "failed"', async () => {
    await owner.getJson(`${MOUNT}/`);
    const res = await owner.postJson(`${MOUNT}/invite`, { email: 'unlucky2@example.com', permissions: ['invoices'] });
    expect(res.status).to.equal(201);
    expect(res.body.delivery).to.equal('failed');
    expect(res.body.invitation.status).to.equal('pending');
  });

  it('sends nothing on a flush before the backoff has passed, even with SMTP back', async () => {
    await world.smtp.start(port);
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
    expect(world.smtp.messages).to.have.length(0);
  });

  it('delivers exactly one email per invitation once the backoff has passed', async () => {
    world.host.clock.advance(31_000);
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 2, failed: 0 });
    expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
    expect(world.smtp.to('unlucky@example.com')).to.have.length(1);
    expect(world.smtp.to('unlucky2@example.com')).to.have.length(1);
    expect(world.smtp.to('unlucky@example.com')[0]!.subject).to.equal('Acme Ltd has invited you to their account.');
  });

  it('shows delivery "sent" afterwards', async () => {
    const page = (await owner.get(`${MOUNT}/`)).text;
    const row = page.slice(page.indexOf(`data-invitation-id="${invitationId}"`)).split('</tr>')[0]!;
    expect(row)
      .to.contain('<span class="au-delivery au-delivery-sent">sent</span>')
      .and.not.match(/ECONNREFUSED/);
  });

  it('mails a link that works: the invitee registers and reaches what was granted', async () => {
    const link = linkPath(world, 'unlucky@example.com');
    const visitor = world.browser();
    expect((await visitor.get(link)).status).to.equal(200);
    const res = await visitor.post(`${link}/register`, { name: 'Lucky At Last', password: 'lucky-password-1' });
    expect(res.status).to.equal(303);
    expect((await visitor.agent.get('/host/tickets')).status).to.equal(200);
  });
});
