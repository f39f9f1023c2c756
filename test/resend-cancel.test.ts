import { expect } from 'chai';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { invite, linkPath } from './support/invitations.js';
import { addMember } from './support/members.js';

const DAY = 24 * 60 * 60 * 1000;
const COOLDOWN = 60_000;

async function invitationRow(world: World, id: number) {
  return world.knex('au_invitations').where({ id }).first();
}

/** POST /invitations/:id/resend and /invitations/:id/cancel. */
describe('resending and cancelling invitations', function () {
  this.timeout(30_000);

  describe('resend', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let id: number;
    let firstLink: string;
    before(async () => {
      id = (await invite(owner, 'again@example.com')).id;
      firstLink = linkPath(world, 'again@example.com');
    });

    it('refuses a resend within the cooldown with 429, Retry-After and a page saying when to try again, sending nothing', async () => {
      world.host.clock.advance(20_000);
      await owner.get(`${MOUNT}/`);
      const res = await owner.post(`${MOUNT}/invitations/${id}/resend`);
      expect(res.status).to.equal(429);
      expect(Number(res.headers['retry-after'])).to.be.within(39, 41);
      expect(res.text).to.contain(`Try again in ${res.headers['retry-after']} seconds`);
      expect(world.smtp.to('again@example.com')).to.have.length(1);
      expect((await world.browser().getJson(firstLink)).status).to.equal(200);
    });

    it('after the cooldown sends a new email with a new token and tells the owner', async () => {
      world.host.clock.advance(3 * DAY);
      const hashBefore = (await invitationRow(world, id)).token_hash;
      await owner.get(`${MOUNT}/`);
      const res = await owner.post(`${MOUNT}/invitations/${id}/resend`);
      expect(res.status).to.equal(303);
      expect(world.smtp.to('again@example.com')).to.have.length(2);
      expect(linkPath(world, 'again@example.com')).to.not.equal(firstLink);
      expect((await invitationRow(world, id)).token_hash)
        .to.match(/^[0-9a-f]{64}$/)
        .and.not.equal(hashBefore);
      expect((await owner.get(`${MOUNT}/`)).text).to.contain('Invitation re-sent to again@example.com.');
    });

    it('answers the old link with 404 "not valid"', async () => {
      const res = await world.browser().get(firstLink);
      expect(res.status).to.equal(404);
      expect(res.text).to.contain('This invitation link is not valid.');
    });

    it('opens the new link', async () => {
      expect((await world.browser().getJson(linkPath(world, 'again@example.com'))).status).to.equal(200);
    });

    it('restarts the 7 days from the resend', async () => {
      const row = await invitationRow(world, id);
      const left = Number(row.expires_at) - world.host.clock.now().getTime();
      expect(left).to.be.within(7 * DAY - 10_000, 7 * DAY);
      expect(Number(row.send_count)).to.equal(2);
      expect(await world.count('invitations')).to.equal(1);
    });

    it('answers JSON with the invitation, still pending', async () => {
      world.host.clock.advance(COOLDOWN);
      await owner.getJson(`${MOUNT}/`);
      const res = await owner.postJson(`${MOUNT}/invitations/${id}/resend`, {});
      expect(res.status).to.equal(200);
      expect(res.body.invitation).to.include({ id, status: 'pending', email: 'again@example.com' });
      expect(res.body.delivery).to.equal('sent');
    });
  });

  describe('resend while the mail server is down', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let id: number;
    let firstLink: string;
    let firstHash: string;
    let port: number;
    before(async () => {
      id = (await invite(owner, 'down@example.com')).id;
      firstLink = linkPath(world, 'down@example.com');
      firstHash = (await invitationRow(world, id)).token_hash;
      port = world.smtp.port;
      await world.smtp.stop();
      world.host.clock.advance(COOLDOWN);
      const res = await owner.postJson(`${MOUNT}/invitations/${id}/resend`, {});
      expect(res.status).to.equal(200);
      expect(res.body.delivery).to.equal('failed');
    });

    it('kills the old link at once, before any new email has gone out', async () => {
      expect((await invitationRow(world, id)).token_hash).to.not.equal(firstHash);
      expect((await world.browser().getJson(firstLink)).status).to.equal(404);
    });

    it('sends the new link once the mail server is back, and it works', async () => {
      await world.smtp.start(port);
      world.host.clock.advance(31_000);
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 1, failed: 0 });
      const fresh = linkPath(world, 'down@example.com');
      expect(fresh).to.not.equal(firstLink);
      expect((await world.browser().getJson(fresh)).status).to.equal(200);
    });
  });

  describe('cancel', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let id: number;
    let link: string;
    before(async () => {
      id = (await invite(owner, 'nevermind@example.com')).id;
      link = linkPath(world, 'nevermind@example.com');
      await owner.get(`${MOUNT}/`);
      const res = await owner.post(`${MOUNT}/invitations/${id}/cancel`);
      expect(res.status).to.equal(303);
    });

    it('answers the link at once with 410 and a page saying it was cancelled', async () => {
      const res = await world.browser().get(link);
      expect(res.status).to.equal(410);
      expect(res.text).to.contain('This invitation was cancelled by the account owner.');
      expect(res.text).to.contain('Ask the account owner to resend the invitation.');
      const json = await world.browser().getJson(link);
      expect(json.body.error).to.include({ code: 'invitation_cancelled', reason: 'cancelled' });
    });

    it('shows the owner a notice and the invitation as cancelled in the history only, without Resend or Cancel', async () => {
      const page = (await owner.get(`${MOUNT}/`)).text;
      expect(page).to.contain('Invitation to nevermind@example.com cancelled.');
      expect(page).to.not.contain(`data-invitation-id="${id}"`);
      const history = (await owner.get(`${MOUNT}/?status=history`)).text;
      const row = history.slice(history.indexOf(`data-invitation-id="${id}"`));
      const cells = row.slice(0, row.indexOf('</tr>'));
      expect(cells).to.contain('<span class="au-status au-status-cancelled">cancelled</span>');
      expect(cells).to.not.contain('/resend').and.not.contain('/cancel');
    });

    it('refuses a second cancel and a resend of the cancelled invitation with 409', async () => {
      await owner.getJson(`${MOUNT}/`);
      world.host.clock.advance(COOLDOWN);
      const cancel = await owner.postJson(`${MOUNT}/invitations/${id}/cancel`, {});
      expect(cancel.status).to.equal(409);
      expect(cancel.body.error.message).to.equal('The invitation to nevermind@example.com is no longer pending.');
      const resend = await owner.postJson(`${MOUNT}/invitations/${id}/resend`, {});
      expect(resend.status).to.equal(409);
      expect(world.smtp.to('nevermind@example.com')).to.have.length(1);
    });

    it('lets the owner invite the same address afresh, with a new invitation', async () => {
      const fresh = await invite(owner, 'nevermind@example.com');
      expect(fresh.id).to.not.equal(id);
      expect((await invitationRow(world, id)).status).to.equal('cancelled');
      expect((await world.browser().getJson(link)).status).to.equal(410);
    });
  });

  describe('cancel while the email is still waiting to be sent', () => {
    const world = new World();
    let id: number;
    let port: number;
    before(async () => {
      await world.setUp();
      const owner = await world.ownerBrowser();
      port = world.smtp.port;
      await world.smtp.stop();
      id = (await invite(owner, 'queued@example.com')).id;
      expect((await world.knex('au_outbox').where({ invitation_id: id }).first()).status).to.equal('queued');
      const res = await owner.postJson(`${MOUNT}/invitations/${id}/cancel`, {});
      expect(res.status).to.equal(200);
      await world.smtp.start(port);
      world.host.clock.advance(DAY);
    });
    after(() => world.tearDown());

    it('never mails it: a flush sends nothing', async () => {
      expect(await world.host.au.mail.flush()).to.deep.equal({ sent: 0, failed: 0 });
      expect(world.smtp.messages).to.have.length(0);
    });

    it('leaves its outbox message cancelled and the invitation cancelled', async () => {
      expect((await world.knex('au_outbox').where({ invitation_id: id }).first()).status).to.equal('cancelled');
      expect((await invitationRow(world, id)).status).to.equal('cancelled');
    });
  });

  describe('an accepted invitation', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let id: number;
    before(async () => {
      await addMember(world, owner, 'done@example.com', ['invoices']);
      id = Number((await world.knex('au_invitations').where({ email: 'done@example.com' }).first()).id);
      world.host.clock.advance(COOLDOWN);
      await owner.getJson(`${MOUNT}/`);
    });

    it('cannot be re-sent: 409 saying it was already accepted', async () => {
      const res = await owner.postJson(`${MOUNT}/invitations/${id}/resend`, {});
      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.equal('The invitation to done@example.com has already been accepted.');
    });

    it('cannot be cancelled: 409', async () => {
      const res = await owner.postJson(`${MOUNT}/invitations/${id}/cancel`, {});
      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.equal('The invitation to done@example.com is no longer pending.');
    });

    it('stays accepted, with the membership and no further email', async () => {
      expect((await invitationRow(world, id)).status).to.equal('accepted');
      expect(await world.count('account_users')).to.equal(2);
      expect(world.smtp.to('done@example.com')).to.have.length(1);
    });
  });
});
