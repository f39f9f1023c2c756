import { expect } from 'chai';
import type { Request } from 'express';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { invite } from './support/invitations.js';
import { addMember } from './support/members.js';
import { BUILT_IN_LOCALES } from '../lib/i18n/built-in.js';
import { DEFAULT_MESSAGES } from '../lib/index.js';

const de = BUILT_IN_LOCALES.de!.messages!;

/**
 * Words of the English pages that a translated page never shows: any of them on a German page is
 * an English string left behind. (German shares "Name", "Status", "Login", "Account" with English.)
 */
const ENGLISH_ONLY = [
  'Invite',
  'invite',
  'Permissions',
  'permissions',
  'Remove',
  'Accept',
  'Owner',
  'Users',
  'Invitations',
  'Switch',
  'Leave',
  'Cancel',
  'Save',
  'Resend',
  'expires',
  'Never',
  'Manage',
  'delivery',
  'Last login',
  'Actions',
  'pending',
  'Please',
  'your',
  'Your',
  ' the ',
  ' and ',
  ' you ',
  'Activity',
  'Transfer ownership',
  'Change',
  'Pay',
  'View',
  'Billing contact',
];

/** What a person reads on a page: its text and the words of titles, labels and data-labels; without the people's own data. */
function readable(html: string, data: readonly string[]): string {
  const attributes = [...html.matchAll(/\s(?:title|aria-label|data-label|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<(script|style)[^>]*>[^]*?<\/\1>/g, ' ')
    // A line-break opportunity is not a space: an address with <wbr> in it reads as one word.
    .replace(/<wbr>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&');
  let all = `${text} ${attributes.join(' ')}`;
  for (const value of data) all = all.split(value).join(' ');
  return all.replace(/\s+/g, ' ');
}

function speaking(browser: Browser, language: string): Browser {
  browser.agent.set('Accept-Language', language);
  return browser;
}

describe("pages in the request's language", function () {
  this.timeout(60_000);
  const world = new World();
  const DATA = [OWNER.name, OWNER.email, 'Acme Ltd', 'Mia Member', 'mia@example.com', 'pending@example.com'];
  let owner: Browser;
  let memberId: number;

  before(async () => {
    await world.setUp({
      delegation: true,
      presets: [{ key: 'billing', label: 'Billing contact', permissions: ['invoices', 'quotes'] }],
      locales: { de: { presets: { billing: 'Rechnungskontakt' } } },
    });
    owner = await world.ownerBrowser();
    memberId = (await addMember(world, owner, 'mia@example.com', ['invoices', 'domains'], { name: 'Mia Member' })).userId;
    await invite(owner, 'pending@example.com', ['tickets']);
  });
  after(() => world.tearDown());

  describe('German, from Accept-Language', () => {
    const pages = [
      ['users', `${MOUNT}/`],
      ['invite', `${MOUNT}/invite`],
      ['member', `${MOUNT}/users/{member}`],
      ['remove', `${MOUNT}/users/{member}/remove`],
      ['accounts', `${MOUNT}/accounts`],
      ['activity', `${MOUNT}/activity`],
      ['transfer', `${MOUNT}/transfer`],
      ['profile', `${USER_MOUNT}/profile`],
      ['not found', `${MOUNT}/users/999999`],
    ] as const;

    for (const [name, path] of pages) {
      it(`the ${name} page has lang="de" and no English left`, async () => {
        speaking(owner, 'de-DE,de;q=0.9,en;q=0.5');
        const res = await owner.get(path.replace('{member}', String(memberId)));
        expect(res.status).to.be.oneOf([200, 404]);
        expect(res.text).to.match(/<html lang="de" dir="ltr">/);
        const words = readable(res.text, DATA);
        expect(
          ENGLISH_ONLY.filter((w) => words.includes(w)),
          words,
        ).to.deep.equal([]);
      });
    }

    it('the accept page and its form errors, for a German invitee', async () => {
      speaking(owner, 'de');
      await owner.getJson(`${MOUNT}/`);
      await owner.postJson(`${MOUNT}/invite`, { email: 'neu@example.com', permissions: ['invoices'] });
      const link = new URL(world.smtp.linkFor('neu@example.com')).pathname;
      const invitee = speaking(world.browser(), 'de');
      const page = await invitee.get(link);
      expect(page.status).to.equal(200);
      expect(ENGLISH_ONLY.filter((w) => readable(page.text, [...DATA, 'neu@example.com']).includes(w))).to.deep.equal([]);
      const refused = await invitee.post(`${link}/register`, { name: '', password: 'short' });
      expect(refused.status).to.equal(400);
      const words = readable(refused.text, [...DATA, 'neu@example.com']);
      expect(
        ENGLISH_ONLY.filter((w) => words.includes(w)),
        words,
      ).to.deep.equal([]);
      expect(refused.text).to.contain(de['field.required']!).and.contain(de['field.tooShort']!.replace('{min}', '8'));
    });

    it('the pages of people who are not signed in: forgotten password, a dead reset link, a cancelled invitation', async () => {
      speaking(owner, 'de');
      await owner.getJson(`${MOUNT}/`);
      const sent = await owner.postJson(`${MOUNT}/invite`, { email: 'storniert@example.com', permissions: ['invoices'] });
      const link = new URL(world.smtp.linkFor('storniert@example.com')).pathname;
      await owner.postJson(`${MOUNT}/invitations/${sent.body.invitation.id}/cancel`, {});
      const visitor = speaking(world.browser(), 'de');
      for (const [path, status] of [
        [`${USER_MOUNT}/password/forgot`, 200],
        [`${USER_MOUNT}/password/reset/${'x'.repeat(43)}`, 404],
        [link, 410],
      ] as const) {
        const res = await visitor.get(path);
        expect(res.status, path).to.equal(status);
        expect(res.text, path).to.match(/<html lang="de"/);
        const words = readable(res.text, [...DATA, 'storniert@example.com']);
        expect(
          ENGLISH_ONLY.filter((w) => words.includes(w)),
          `${path}: ${words}`,
        ).to.deep.equal([]);
      }
    });

    it('dates and relative times in German', async () => {
      speaking(owner, 'de');
      const page = await owner.get(`${MOUNT}/`);
      // The pending invitation was just sent and expires in 7 days.
      expect(page.text).to.contain('in 7 Tagen');
    });
  });

  describe('Arabic', () => {
    it('pages carry lang="ar" dir="rtl"', async () => {
      for (const path of [`${MOUNT}/`, `${MOUNT}/invite`, `${MOUNT}/accounts`, `${USER_MOUNT}/profile`]) {
        const res = await speaking(owner, 'ar').get(path);
        expect(res.text, path).to.match(/<html lang="ar" dir="rtl">/);
      }
      const users = await speaking(owner, 'ar').get(`${MOUNT}/`);
      expect(users.text).to.contain(BUILT_IN_LOCALES.ar!.messages!['users.title']!);
    });
  });

  describe('every built-in language', () => {
    for (const tag of Object.keys(BUILT_IN_LOCALES)) {
      it(`${tag}: the users page is in it, with its title and lang`, async () => {
        const res = await speaking(owner, tag).get(`${MOUNT}/`);
        const messages = { ...DEFAULT_MESSAGES, ...BUILT_IN_LOCALES[tag]!.messages };
        expect(res.text).to.contain(`<html lang="${tag}"`);
        expect(res.text).to.contain(`<h1>${messages['users.title']}</h1>`);
      });
    }
  });

  describe('Accept-Language negotiation', () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'en'],
      ['fr-CH, de;q=0.8', 'fr'],
      ['en;q=0.1, nl', 'nl'],
      ['pt', 'pt-BR'],
      ['pt-PT', 'pt-BR'],
      ['es-419', 'es'],
      ['xx, zz;q=0.5', 'en'],
      ['*', 'en'],
    ];
    for (const [header, tag] of cases) {
      it(`${header ?? 'no header'} → ${tag}`, async () => {
        const b = world.browser();
        if (header !== undefined) b.agent.set('Accept-Language', header);
        await b.login(OWNER.email, OWNER.password);
        const res = await b.get(`${MOUNT}/`);
        expect(res.text).to.contain(`<html lang="${tag}"`);
      });
    }
  });

  describe('JSON errors', () => {
    it("are in the request's language: the message and each field's; code and field names stay the same", async () => {
      speaking(owner, 'de');
      await owner.getJson(`${MOUNT}/`);
      const res = await owner.postJson(`${MOUNT}/invite`, { email: 'not-an-email', permissions: [] });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('invalid_input');
      expect(res.body.error.message).to.equal(`email: ${de['field.email']}; permissions: ${de['field.choosePermission']}`);
      expect(res.body.error.fields).to.deep.equal([
        { field: 'email', message: de['field.email'] },
        { field: 'permissions', message: de['field.choosePermission'] },
      ]);
      const missing = await owner.getJson(`${MOUNT}/users/999999`);
      expect(missing.status).to.equal(404);
      expect(missing.body.error).to.deep.equal({ code: 'not_found', message: de['error.noSuchMember'] });
      speaking(owner, 'fr');
      const french = await owner.getJson(`${MOUNT}/users/999999`);
      expect(french.body.error.message).to.equal(BUILT_IN_LOCALES.fr!.messages!['error.noSuchMember']);
    });

    it('au.api throws the same errors with English messages', async () => {
      const err = await world.host.au.api.getMember({ actor: { userId: world.ownerId }, accountId: world.account.id, userId: 999999 }).catch((e: Error) => e);
      expect((err as Error).message).to.equal(DEFAULT_MESSAGES['error.noSuchMember']);
    });
  });
});

describe('the locale option', function () {
  this.timeout(30_000);

  describe('as a tag', () => {
    const world = new World();
    before(() => world.setUp({ locale: 'nl' }));
    after(() => world.tearDown());

    it('speaks that language whatever the browser asks for', async () => {
      const b = world.browser();
      b.agent.set('Accept-Language', 'de');
      await b.login(OWNER.email, OWNER.password);
      expect((await b.get(`${MOUNT}/`)).text).to.contain('<html lang="nl"');
    });
  });

  describe('as a function', () => {
    const world = new World();
    before(() => world.setUp({ locale: (req: Request) => (typeof req.query.lang === 'string' ? req.query.lang : undefined) }));
    after(() => world.tearDown());

    it('speaks what it answers, and negotiates Accept-Language when it answers undefined or an unknown tag', async () => {
      const b = world.browser();
      b.agent.set('Accept-Language', 'fr');
      await b.login(OWNER.email, OWNER.password);
      expect((await b.get(`${MOUNT}/?lang=es`)).text).to.contain('<html lang="es"');
      expect((await b.get(`${MOUNT}/?lang=pt-br`)).text).to.contain('<html lang="pt-BR"');
      expect((await b.get(`${MOUNT}/`)).text).to.contain('<html lang="fr"');
      expect((await b.get(`${MOUNT}/?lang=klingon`)).text).to.contain('<html lang="fr"');
    });
  });
});
