import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { addMember } from './support/members.js';
import { refusedWith } from './support/api.js';
import { waitForMail } from './support/user-mail.js';
import { BUILT_IN_LOCALES } from '../lib/i18n/built-in.js';
import { createLocales } from '../lib/i18n/locales.js';
import { PermissionCatalogue } from '../lib/permissions.js';
import { DEFAULT_MESSAGES } from '../lib/index.js';

const de = BUILT_IN_LOCALES.de!;
const nl = BUILT_IN_LOCALES.nl!;
const fr = BUILT_IN_LOCALES.fr!;
const PORTAL = 'portal.example.com';
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

function speaking(browser: Browser, language: string): Browser {
  browser.agent.set('Accept-Language', language);
  return browser;
}

/** Emails go out in the recipient's language: an invitation in its sender's, a person's own emails in the one they last used. */
describe("emails in the recipient's language", function () {
  this.timeout(30_000);
  const world = new World();
  let owner: Browser;

  before(async () => {
    await world.setUp({ limits: { resendCooldownMs: 0, passwordResetPerWindow: 100 } });
    owner = speaking(await world.ownerBrowser(), 'de-DE,de;q=0.9');
  });
  after(() => world.tearDown());

  it('an invitation sent from a German page arrives in German, its resend from an English page too', async () => {
    await owner.getJson(`${MOUNT}/`);
    const sent = await owner.postJson(`${MOUNT}/invite`, { email: 'kunde@example.com', permissions: ['invoices', 'domains'] });
    expect(sent.status).to.equal(201);
    const first = await waitForMail(world.smtp, 'kunde@example.com');
    expect(first.subject).to.equal(fill(de.messages!['mail.invitation.subject']!, { account: 'Acme Ltd' }));
    expect(first.text).to.contain(fill(de.messages!['mail.invitation.body']!, { inviter: OWNER.name, account: 'Acme Ltd', portal: PORTAL }));
    expect(first.text).to.contain(de.permissions!.invoices!.label).and.contain(de.permissions!.domains!.label);
    const sevenDays = new Intl.NumberFormat('de', { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(7);
    expect(first.text).to.contain(fill(de.messages!['mail.invitation.validity']!, { validity: sevenDays }));
    expect(first.html).to.contain('<html lang="de" dir="ltr">');
    expect(first.text).not.to.contain('has invited you');
    expect((await world.knex('au_invitations').where({ email: 'kunde@example.com' }).first()).locale).to.equal('de');

    speaking(owner, 'en');
    await owner.getJson(`${MOUNT}/`);
    const resent = await owner.postJson(`${MOUNT}/invitations/${sent.body.invitation.id}/resend`, {});
    expect(resent.status, resent.text).to.equal(200);
    const second = await waitForMail(world.smtp, 'kunde@example.com', 2);
    expect(second.subject).to.equal(first.subject);
    expect(second.text).to.contain(de.permissions!.invoices!.label);
    speaking(owner, 'de');
  });

  it("an invitation from an English page keeps the seed's subject exactly", async () => {
    const english = await world.ownerBrowser();
    await english.getJson(`${MOUNT}/`);
    await english.postJson(`${MOUNT}/invite`, { email: 'client@example.com', permissions: ['invoices'] });
    const mail = await waitForMail(world.smtp, 'client@example.com');
    expect(mail.subject).to.equal('Acme Ltd has invited you to their account.');
    expect(mail.text)
      .to.contain('Olive Owner has invited you to their account Acme Ltd on portal.example.com.')
      .and.contain('View & Pay Invoices')
      .and.contain('valid for 7 days');
  });

  it('au.api invites in the language it is given, else the default, and refuses one the kit does not speak', async () => {
    const api = world.host.au.api;
    const actor = { userId: world.ownerId };
    await api.invite({ actor, accountId: world.account.id, email: 'client-fr@example.com', permissions: ['invoices'], locale: 'fr' });
    const french = await waitForMail(world.smtp, 'client-fr@example.com');
    expect(french.subject).to.equal(fill(fr.messages!['mail.invitation.subject']!, { account: 'Acme Ltd' }));
    await api.invite({ actor, accountId: world.account.id, email: 'client-en@example.com', permissions: ['invoices'] });
    expect((await waitForMail(world.smtp, 'client-en@example.com')).subject).to.equal('Acme Ltd has invited you to their account.');
    const err = await refusedWith(
      api.invite({ actor, accountId: world.account.id, email: 'x@example.com', permissions: ['invoices'], locale: 'tlh' }),
      'InvalidInputError',
    );
    expect(err.issues).to.deep.equal([{ field: 'locale', message: DEFAULT_MESSAGES['field.locale'] }]);
    expect(await world.knex('au_invitations').where({ email: 'x@example.com' }).first()).to.equal(undefined);
  });

  it('a password reset reaches a person in the language they last signed in in, whoever asks for it', async () => {
    const member = await addMember(world, owner, 'lid@example.com', ['invoices']);
    const dutch = speaking(world.browser(), 'nl');
    await dutch.login(member.email, member.password);
    const anyone = world.browser();
    await anyone.get(`${USER_MOUNT}/password/forgot`);
    expect((await anyone.post(`${USER_MOUNT}/password/forgot`, { email: member.email })).status).to.equal(303);
    const mail = await waitForMail(world.smtp, member.email, 2);
    expect(mail.subject).to.equal(fill(nl.messages!['mail.passwordReset.subject']!, { portal: PORTAL }));
    expect(mail.html).to.contain('<html lang="nl"');
  });

  it('a suspension reaches the member in the language they last signed in in, not the default: German, with the reason', async () => {
    const member = await addMember(world, owner, 'mitglied@example.com', ['invoices']);
    const german = speaking(world.browser(), 'de');
    await german.login(member.email, member.password);
    // Suspended through au.api, which has no request language (English by default): the member's own decides.
    await world.host.au.api.suspendMember({ actor: { system: 'HR' }, accountId: world.account.id, userId: member.userId, reason: 'Elternzeit' });
    const mail = world.smtp.to(member.email).find((m) => m.subject === fill(de.messages!['mail.member.suspended.subject']!, { account: 'Acme Ltd' }));
    expect(
      mail,
      world.smtp
        .to(member.email)
        .map((m) => m.subject)
        .join(' | '),
    ).to.not.equal(undefined);
    expect(mail!.text).to.contain(fill(de.messages!['mail.member.suspended.body']!, { name: `Member ${member.email}`, account: 'Acme Ltd' }));
    expect(mail!.text).to.contain('Elternzeit');
    expect(mail!.html).to.contain('<html lang="de"');
  });

  it('a login made through a Spanish invitation page keeps Spanish for its own emails', async () => {
    await owner.getJson(`${MOUNT}/`);
    await owner.postJson(`${MOUNT}/invite`, { email: 'nuevo@example.com', permissions: ['invoices'] });
    const link = new URL(world.smtp.linkFor('nuevo@example.com')).pathname;
    const invitee = speaking(world.browser(), 'es');
    await invitee.getJson(link);
    const registered = await invitee.postJson(`${link}/register`, { name: 'Nuevo', password: 'nuevo-password-1' });
    expect(registered.status).to.equal(201);
    expect((await world.knex('au_user_locales').where({ user_id: registered.body.user.id }).first()).locale).to.equal('es');
  });

  it('a reset for a login with no language of its own is in the language of the request', async () => {
    const { owner: someone } = await world.host.au.createAccount({
      name: 'Fresh Ltd',
      owner: { email: 'fresh@example.com', name: 'Fresh', password: 'fresh-password-1' },
    });
    expect(someone.id).to.be.a('number');
    const french = speaking(world.browser(), 'fr');
    await french.get(`${USER_MOUNT}/password/forgot`);
    await french.post(`${USER_MOUNT}/password/forgot`, { email: 'fresh@example.com' });
    expect((await waitForMail(world.smtp, 'fresh@example.com')).subject).to.equal(fill(fr.messages!['mail.passwordReset.subject']!, { portal: PORTAL }));
  });

  it("an email change asked for on a German profile sends both emails in German and keeps German as the person's language", async () => {
    const before = world.smtp.to(OWNER.email).length;
    await owner.get(`${USER_MOUNT}/profile`);
    const res = await owner.post(`${USER_MOUNT}/email`, { email: 'olive@neu.example', currentPassword: OWNER.password });
    expect(res.status).to.equal(303);
    const confirm = await waitForMail(world.smtp, 'olive@neu.example');
    expect(confirm.subject).to.equal(fill(de.messages!['mail.emailChange.subject']!, { portal: PORTAL }));
    const notice = await waitForMail(world.smtp, OWNER.email, before + 1);
    expect(notice.subject).to.equal(fill(de.messages!['mail.emailChangeNotice.subject']!, { portal: PORTAL }));
    const row = await world.knex('au_user_locales').where({ user_id: world.ownerId }).first();
    expect(row.locale).to.equal('de');
  });

  // The offer's end is a full date ({date}), so the catalogue's rule about a preposition before a
  // date covers it; this proves each language's email carries the sentence with the date set in.
  it('an ownership offer names its end date with the preposition of the recipient’s language, in every built-in language', async () => {
    const heir = await addMember(world, owner, 'erbe@example.com', ['invoices']);
    const words = createLocales({ hostMessages: {}, hostLocales: {}, catalogue: new PermissionCatalogue([]), now: () => new Date(), logger: console });
    const api = world.host.au.api;
    const actor = { actor: { userId: world.ownerId }, accountId: world.account.id };
    for (const tag of Object.keys(BUILT_IN_LOCALES)) {
      // Signing in keeps the language the recipient's own emails are written in.
      await speaking(heir.browser, tag).login(heir.email, heir.password);
      const before = world.smtp.to(heir.email).length;
      const { transfer } = await api.offerOwnership({ ...actor, toUserId: heir.userId });
      const mail = await waitForMail(world.smtp, heir.email, before + 1);
      const messages = (BUILT_IN_LOCALES[tag]!.messages ?? DEFAULT_MESSAGES) as Record<string, string>;
      const validity = fill(messages['mail.ownership.validity']!, { date: words.get(tag).format.date(transfer.expiresAt) });
      // Arabic sets the date apart in Unicode isolates: the words are compared without them.
      const plain = (text: string | false | undefined) => (text || '').replace(/[\u2066-\u2069]/g, '');
      expect(plain(mail.text), tag).to.contain(validity);
      expect(plain(mail.html), tag).to.contain(validity.replace(/'/g, '&#x27;'));
      await api.cancelOwnershipOffer(actor);
    }
  });
});
