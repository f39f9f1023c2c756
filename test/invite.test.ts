import { expect } from 'chai';
import { World, OWNER, useWorld } from './support/world.js';
import { BASE_URL, MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { escapeHtml, invite, linkPath } from './support/invitations.js';
import { addMember } from './support/members.js';
import { PERMISSIONS } from '../lib/index.js';

const LINK = new RegExp(`^${BASE_URL.replace(/[.]/g, '\\.')}${MOUNT}/accept/[A-Za-z0-9_-]{43}$`);
const COOLDOWN = 60_000;

/** GET /invite and POST /invite: the form, the stored invitation and the one email it sends. */
describe('inviting a user', function () {
  this.timeout(30_000);

  describe('the invite form', () => {
    const world = new World();
    let page: string;
    before(async () => {
      await world.setUp();
      const owner = await world.ownerBrowser();
      const res = await owner.get(`${MOUNT}/invite`);
      expect(res.status).to.equal(200);
      page = res.text;
    });
    after(() => world.tearDown());

    it('has one checkbox named permissions per catalogue entry, in catalogue order', () => {
      const values = [...page.matchAll(/<input type="checkbox" name="permissions" value="([^"]+)"/g)].map((m) => m[1]);
      expect(values).to.deep.equal(PERMISSIONS.map((p) => p.key));
    });

    it('shows every entry with its label and description', () => {
      for (const p of PERMISSIONS) {
        // A label may break after its slashes (<wbr>), so "Orders/Upgrades" fits a phone.
        expect(page.replace(/<wbr>/g, ''), p.key).to.contain(escapeHtml(p.label));
        expect(page, p.key).to.contain(escapeHtml(p.description));
      }
    });

    it('warns next to the profile permission', () => {
      const profile = page.slice(page.indexOf('value="profile"'), page.indexOf('value="contacts"'));
      expect(profile).to.contain('Please consider carefully before granting this permission');
    });

    it('offers an "All permissions" box, sent as itself and said to cover permissions added later', () => {
      expect(page).to.match(/<input type="checkbox" name="allPermissions" value="on" data-au-toggle-all="permissions" aria-describedby="au-all-hint">/);
      expect(page).to.match(/<strong>All permissions<\/strong> <span class="au-muted" id="au-all-hint">– including permissions added later<\/span>/);
    });

    it('labels the email field', () => {
      expect(page).to.match(/<label for="au-email">Email Address<\/label>/);
      expect(page).to.contain('id="au-email" type="email" name="email"');
    });
  });

  describe('a new invitation', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let response: { status: number; headers: Record<string, string> };
    before(async () => {
      await owner.get(`${MOUNT}/invite`);
      response = await owner.post(`${MOUNT}/invite`, { email: 'New.Person@Example.com', permissions: ['invoices', 'tickets', 'profile'] });
    });

    it('redirects back to User Management with 303', () => {
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`${MOUNT}/`);
    });

    it('stores one pending invitation for the normalised address with the chosen permissions', async () => {
      const rows = await world.knex('au_invitations').select('*');
      expect(rows).to.have.length(1);
      expect(rows[0].email).to.equal('new.person@example.com');
      expect(rows[0].status).to.equal('pending');
      expect(JSON.parse(String(rows[0].permissions))).to.deep.equal(['profile', 'invoices', 'tickets']);
    });

    it('stores only a 64-hex SHA-256 of the token, never the token', async () => {
      const row = await world.knex('au_invitations').first();
      expect(row.token_hash).to.match(/^[0-9a-f]{64}$/);
      const token = world.smtp.linkFor('new.person@example.com').split('/').pop()!;
      const everything = JSON.stringify([await world.knex('au_invitations').select('*'), await world.knex('au_outbox').select('*')]);
      expect(everything).to.not.contain(token);
    });

    it('sends exactly one email, to the invited address', () => {
      expect(world.smtp.messages).to.have.length(1);
      expect(world.smtp.to('new.person@example.com')).to.have.length(1);
    });

    it('gives the email the subject "<Account name> has invited you to their account."', () => {
      expect(world.smtp.messages[0]!.subject).to.equal('Acme Ltd has invited you to their account.');
    });

    it('names the inviter, the account, each permission, the link and "7 days" in the text body', () => {
      const text = world.smtp.messages[0]!.text!;
      expect(text).to.contain('Olive Owner has invited you to their account Acme Ltd on portal.example.com.');
      for (const label of ['Modify Master Account Profile', 'View & Pay Invoices', 'View & Open Support Tickets']) expect(text).to.contain(label);
      expect(text).to.not.contain('View Domains');
      expect(text).to.contain('7 days');
      const links = text.match(/https?:\/\/\S+/g)!;
      expect(links).to.have.length(1);
      expect(links[0]).to.match(LINK);
    });

    it('names the inviter, the account, each permission, the link and "7 days" in the HTML body', () => {
      const html = String(world.smtp.messages[0]!.html);
      const link = world.smtp.linkFor('new.person@example.com');
      expect(html).to.contain('Olive Owner has invited you to their account Acme Ltd on portal.example.com.');
      for (const label of ['Modify Master Account Profile', 'View & Pay Invoices', 'View & Open Support Tickets']) expect(html).to.contain(escapeHtml(label));
      expect(html).to.contain(`href="${link}"`);
      expect(html).to.contain('7 days');
    });

    it('shows the owner a notice and the invitation as pending', async () => {
      const res = await owner.get(`${MOUNT}/`);
      expect(res.text).to.contain('Invitation sent to new.person@example.com.');
      expect(res.text).to.match(/<span class="au-status au-status-pending">pending<\/span>/);
    });
  });

  describe('an account name carrying CR/LF', () => {
    const world = new World();
    before(async () => {
      await world.setUp();
      // The kit refuses control characters in names it is given; a host may still rename the account in its own table.
      await world.knex('au_accounts').where({ id: world.account.id }).update({ name: 'Acme\r\nBcc: attacker@evil.test\r\nX-Injected: yes' });
      const owner = await world.ownerBrowser();
      await invite(owner, 'victim@example.com');
    });
    after(() => world.tearDown());

    it('folds the line breaks into spaces in the subject', () => {
      expect(world.smtp.messages).to.have.length(1);
      expect(world.smtp.messages[0]!.subject).to.equal('Acme Bcc: attacker@evil.test X-Injected: yes has invited you to their account.');
    });

    it('adds no header and no recipient', () => {
      const mail = world.smtp.messages[0]!;
      expect(mail.headers.has('bcc')).to.equal(false);
      expect(mail.headers.has('x-injected')).to.equal(false);
      expect(mail.headerLines.filter((h) => h.key === 'subject')).to.have.length(1);
      expect(world.smtp.to('attacker@evil.test')).to.have.length(0);
    });
  });

  describe('inviting the same address again', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });
    let firstLink: string;
    before(async () => {
      await invite(owner, 'twice@example.com', ['invoices']);
      firstLink = linkPath(world, 'twice@example.com');
    });

    it('within the cooldown, with the same permissions, answers "unchanged", sends no email and keeps the link', async () => {
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'twice@example.com', permissions: ['invoices'] });
      expect(res.status).to.equal(200);
      expect(res.body.outcome).to.equal('unchanged');
      expect(world.smtp.messages).to.have.length(1);
      expect((await world.browser().getJson(firstLink)).status).to.equal(200);
    });

    it('after the cooldown re-sends the one invitation instead of creating a second', async () => {
      world.host.clock.advance(COOLDOWN + 1000);
      const res = await owner.postJson(`${MOUNT}/invite`, { email: ' TWICE@example.com', permissions: ['domains', 'invoices'] });
      expect(res.status).to.equal(200);
      expect(res.body.outcome).to.equal('resent');
      expect(await world.count('invitations')).to.equal(1);
      expect(world.smtp.to('twice@example.com')).to.have.length(2);
      expect(res.body.invitation.permissions).to.deep.equal(['domains', 'invoices']);
    });

    it('kills the first link and makes the new one work', async () => {
      expect((await world.browser().getJson(firstLink)).status).to.equal(404);
      expect((await world.browser().getJson(linkPath(world, 'twice@example.com'))).status).to.equal(200);
    });

    it('tells the owner the invitation was re-sent', async () => {
      world.host.clock.advance(COOLDOWN + 1000);
      await owner.get(`${MOUNT}/invite`);
      await owner.post(`${MOUNT}/invite`, { email: 'twice@example.com', permissions: ['invoices'] });
      expect((await owner.get(`${MOUNT}/`)).text).to.contain('Invitation re-sent to twice@example.com.');
      expect(await world.count('invitations')).to.equal(1);
    });
  });

  describe('refused invitations', () => {
    const world = new World();
    let owner: Browser;
    let counts: { invitations: number; outbox: number; mails: number };

    const snapshot = async () => ({ invitations: await world.count('invitations'), outbox: await world.count('outbox'), mails: world.smtp.messages.length });

    before(async () => {
      await world.setUp();
      owner = await world.ownerBrowser();
      await addMember(world, owner, 'member@example.com', ['invoices']);
    });
    beforeEach(async () => {
      await owner.get(`${MOUNT}/invite`);
      counts = await snapshot();
    });
    afterEach(async () => {
      expect(await snapshot(), 'nothing stored or sent').to.deep.equal(counts);
    });
    after(() => world.tearDown());

    it('answers an existing member with 400 saying they are already a user', async () => {
      const res = await owner.post(`${MOUNT}/invite`, { email: 'Member@Example.com', permissions: ['invoices'] });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('member@example.com is already a user of this account');
    });

    it('answers the owner inviting themself with 400 saying they are already a user', async () => {
      const res = await owner.postJson(`${MOUNT}/invite`, { email: OWNER.email, permissions: ['invoices'] });
      expect(res.status).to.equal(400);
      expect(res.body.error.fields).to.deep.equal([{ field: 'email', message: `${OWNER.email} is already a user of this account` }]);
    });

    it('answers a malformed email with 400 naming email and re-renders the form with what was entered', async () => {
      const res = await owner.post(`${MOUNT}/invite`, { email: 'not-an-email', permissions: ['invoices', 'domains'] });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('<strong>Email address</strong>: must be a valid email address');
      expect(res.text).to.contain('value="not-an-email"');
      expect(res.text).to.contain('aria-invalid="true" aria-describedby="email-error"');
      expect(res.text)
        .to.match(/value="invoices" checked/)
        .and.match(/value="domains" checked/);
      expect(res.text).to.not.match(/value="tickets" checked/);
    });

    it('answers an unknown permission with 400 naming permissions and the key, keeping the email', async () => {
      const res = await owner.post(`${MOUNT}/invite`, { email: 'someone@example.com', permissions: ['invoices', 'root'] });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('<strong>Permissions</strong>: unknown permission &quot;root&quot;');
      expect(res.text).to.contain('value="someone@example.com"');
      expect(res.text).to.match(/value="invoices" checked/);
    });

    it('answers an empty permission list with 400 "choose at least one permission", keeping the email', async () => {
      const res = await owner.post(`${MOUNT}/invite`, { email: 'someone@example.com' });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('<strong>Permissions</strong>: choose at least one permission');
      expect(res.text).to.contain('value="someone@example.com"');
      expect(res.text).to.not.contain(' checked');
    });

    it('answers the JSON variant of each with 400 and the field named', async () => {
      const cases: Array<[unknown, string]> = [
        [{ email: 'bad@', permissions: ['invoices'] }, 'email'],
        [{ email: 'a@example.com', permissions: ['nope'] }, 'permissions'],
        [{ email: 'a@example.com', permissions: [] }, 'permissions'],
        [{ permissions: ['invoices'] }, 'email'],
      ];
      for (const [body, field] of cases) {
        const res = await owner.postJson(`${MOUNT}/invite`, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error.code).to.equal('invalid_input');
        expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal([field]);
      }
    });
  });

  describe('the JSON API', () => {
    const world = new World();
    after(() => world.tearDown());

    it('answers GET /invite with the catalogue and a CSRF token', async () => {
      await world.setUp();
      const owner = await world.ownerBrowser();
      const res = await owner.getJson(`${MOUNT}/invite`);
      expect(res.status).to.equal(200);
      expect(res.body.csrfToken).to.be.a('string').and.not.equal('');
      expect(res.body.permissions.map((p: { key: string }) => p.key)).to.deep.equal(PERMISSIONS.map((p) => p.key));
    });

    it('answers POST /invite with 201 and the invitation', async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/invite`);
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'json@example.com', permissions: ['tickets', 'invoices'] });
      expect(res.status).to.equal(201);
      expect(res.body.outcome).to.equal('sent');
      expect(res.body.delivery).to.equal('sent');
      expect(res.body.message).to.equal('Invitation sent to json@example.com.');
      const { invitation } = res.body;
      expect(invitation).to.include({ email: 'json@example.com', status: 'pending', invitedBy: world.ownerId });
      expect(invitation.permissions).to.deep.equal(['invoices', 'tickets']);
      const row = await world.knex('au_invitations').first();
      expect(Number(row.id)).to.equal(invitation.id);
      const ttl = new Date(invitation.expiresAt).getTime() - world.host.clock.now().getTime();
      expect(ttl).to.be.within(7 * 86_400_000 - 10_000, 7 * 86_400_000);
      expect(invitation).to.not.have.property('tokenHash');
      expect(JSON.stringify(res.body)).to.not.contain(String(row.token_hash));
    });
  });
});
