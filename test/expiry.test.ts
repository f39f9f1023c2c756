import { expect } from 'chai';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { invite, linkPath } from './support/invitations.js';

const DAY = 24 * 60 * 60 * 1000;

/** Invitation links are valid for 7 days from sending (option invitationTtl), then answer 410. */
describe('invitation expiry', function () {
  this.timeout(30_000);

  describe('with the default 7 days', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let link: string;
    let invitationId: number;
    let visitor: Browser;
    before(async () => {
      invitationId = (await invite(owner, 'late@example.com')).id;
      link = linkPath(world, 'late@example.com');
      visitor = world.browser();
      await visitor.get(link);
    });

    it('still opens the link a second before 7 days have passed', async () => {
      world.host.clock.advance(7 * DAY - 1000);
      expect((await world.browser().getJson(link)).status).to.equal(200);
    });

    it('answers 410 and says the invitation expired after 7 days, telling the invitee to ask for a resend', async () => {
      world.host.clock.advance(1001);
      const res = await world.browser().get(link);
      expect(res.status).to.equal(410);
      expect(res.headers['referrer-policy']).to.equal('no-referrer');
      expect(res.text).to.contain('This invitation has expired. Invitations are valid for 7 days.');
      expect(res.text).to.contain('Ask the account owner to resend the invitation.');
    });

    it('answers 410 with code invitation_expired as JSON', async () => {
      const res = await world.browser().getJson(link);
      expect(res.status).to.equal(410);
      expect(res.body.error).to.include({ code: 'invitation_expired', reason: 'expired' });
    });

    it('refuses to register through the expired link (a form loaded in time) with 410, creating no login', async () => {
      const users = await world.count('users');
      const res = await visitor.postJson(`${link}/register`, { name: 'Too Late', password: 'too-late-password' });
      expect(res.status).to.equal(410);
      expect(await world.count('users')).to.equal(users);
      expect(await world.count('account_users')).to.equal(1);
    });

    it('shows the owner the invitation as expired, with Resend, in the history', async () => {
      expect((await owner.get(`${MOUNT}/`)).text).to.not.contain(`data-invitation-id="${invitationId}"`);
      const page = await owner.get(`${MOUNT}/?status=expired`);
      const row = page.text.slice(page.text.indexOf(`data-invitation-id="${invitationId}"`));
      expect(row).to.match(/^[^]*?<span class="au-status au-status-expired">expired<\/span>/);
      expect(row.slice(0, row.indexOf('</tr>'))).to.contain(`action="${MOUNT}/invitations/${invitationId}/resend"`);
      const json = await owner.getJson(`${MOUNT}/?status=history`);
      expect(json.body.invitations[0].status).to.equal('expired');
    });

    it('re-sends an expired invitation: a new email whose link works for another 7 days', async () => {
      const res = await owner.postJson(`${MOUNT}/invitations/${invitationId}/resend`, {});
      expect(res.status).to.equal(200);
      expect(res.body.invitation.status).to.equal('pending');
      expect(world.smtp.to('late@example.com')).to.have.length(2);
      const fresh = linkPath(world, 'late@example.com');
      expect(fresh).to.not.equal(link);
      expect((await world.browser().getJson(fresh)).status).to.equal(200);
      world.host.clock.advance(7 * DAY - 1000);
      expect((await world.browser().getJson(fresh)).status).to.equal(200);
    });

    it('lets the invitee register through the new link', async () => {
      const fresh = linkPath(world, 'late@example.com');
      const visitor = world.browser();
      await visitor.getJson(fresh);
      const res = await visitor.postJson(`${fresh}/register`, { name: 'Finally', password: 'finally-password' });
      expect(res.status).to.equal(201);
      expect((await visitor.agent.get('/host/invoices')).status).to.equal(200);
    });

    it('no longer knows the first link (404)', async () => {
      expect((await world.browser().getJson(link)).status).to.equal(404);
    });
  });

  describe('with invitationTtl: 2 days', () => {
    const world = new World();
    let link: string;
    before(async () => {
      await world.setUp({ invitationTtl: 2 * DAY });
      await invite(await world.ownerBrowser(), 'short@example.com');
      link = linkPath(world, 'short@example.com');
    });
    after(() => world.tearDown());

    it('says "2 days" in the email', () => {
      const mail = world.smtp.to('short@example.com')[0]!;
      expect(mail.text).to.contain('valid for 2 days');
      expect(String(mail.html)).to.contain('valid for 2 days');
    });

    it('keeps the link working until just before 2 days', async () => {
      world.host.clock.advance(2 * DAY - 1000);
      expect((await world.browser().getJson(link)).status).to.equal(200);
    });

    it('answers 410 after 2 days, saying invitations are valid for 2 days', async () => {
      world.host.clock.advance(1001);
      const res = await world.browser().get(link);
      expect(res.status).to.equal(410);
      expect(res.text).to.contain('This invitation has expired. Invitations are valid for 2 days.');
    });
  });
});
