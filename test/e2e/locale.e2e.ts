import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { de } from '../../lib/i18n/locales/de.js';
import { ar } from '../../lib/i18n/locales/ar.js';
import { DEMO_OWNER } from './support/portal.js';
import { portalInChromium } from './support/fixtures.js';
import { expectAccessible, invitationLinkFromMailCatcher, logInAsOwner, screenshot } from './support/browser.js';

type Strings = { readonly messages: Readonly<Record<string, string>> };

/** A message of one language with its `{placeholders}` filled, as the kit fills them (text values only). */
function say(strings: Strings, key: string, values: Record<string, string> = {}): string {
  const template = strings.messages[key];
  if (template === undefined) throw new Error(`no message ${key}`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const exactly = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

const ACCOUNT = 'Sunrise Bakery';
const ANNA = { email: 'anna@example.com', name: 'Anna Buchhalterin', password: 'anna-passwort-1' };
const PENDING = 'jonas@example.com';

/**
 * English words of the kit's pages whose German (and Arabic) translations differ: none may be left
 * in a translated page's <main>. Only the kit's <main> here; the example portal's own header,
 * navigation and footer follow the kit page's language (test/example-app.test.ts).
 */
const ENGLISH_ONLY = [
  'Invite',
  'Invitation',
  'Users',
  'Permissions',
  'Remove',
  'Accept',
  'expires',
  'Cancel',
  'Save',
  'Confirm',
  'pending',
  'Never',
  'Welcome',
];

/** Tables of the kit's <main> that stick out of its content box (longer words widen columns), described for the failure message. */
function tablesOutsideMain(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector('main.au-main')!;
    const box = main.getBoundingClientRect();
    const style = getComputedStyle(main);
    const [left, right] = [box.left + parseFloat(style.paddingLeft), box.right - parseFloat(style.paddingRight)];
    return Array.from(main.querySelectorAll('table'))
      .map((table) => ({ table, b: table.getBoundingClientRect() }))
      .filter(({ b }) => b.left < left - 0.5 || b.right > right + 0.5)
      .map(({ table, b }) => {
        const heading = table.closest('section')?.querySelector('h2')?.textContent ?? 'table';
        return `${heading}: ${Math.round(b.left)}–${Math.round(b.right)} px, <main> content ${Math.round(left)}–${Math.round(right)} px`;
      });
  });
}

/** The kit page as it stands is in `lang`: `<html lang dir>`, no English word of the list in its <main>, and its tables fit. */
async function expectKitPageIn(page: Page, lang: string, dir: 'ltr' | 'rtl', what: string): Promise<void> {
  const html = page.locator('html');
  expect(await html.getAttribute('lang'), `<html lang> of ${what}`).to.equal(lang);
  expect((await html.getAttribute('dir')) ?? 'ltr', `<html dir> of ${what}`).to.equal(dir);
  const text = await page.locator('main.au-main').innerText();
  const left = ENGLISH_ONLY.filter((word) => new RegExp(`\\b${word}\\b`, 'i').test(text));
  expect(left, `English words in the <main> of ${what}:\n${text}`).to.deep.equal([]);
  expect(await tablesOutsideMain(page), `tables wider than the <main> of ${what}`).to.deep.equal([]);
}

/** The owner's invitation through the German invite form: an email and the ticked permissions, by their German labels. */
async function inviteInGerman(owner: Page, email: string, permissionLabels: string[]): Promise<void> {
  await owner.getByRole('link', { name: de.messages['users.invite'] }).click();
  await owner.getByRole('heading', { name: de.messages['invite.title'] }).waitFor();
  await expectKitPageIn(owner, 'de', 'ltr', 'the German invite form');
  await owner.getByLabel(de.messages['invite.email']).fill(email);
  for (const label of permissionLabels) await owner.getByRole('checkbox', { name: exactly(label) }).check();
  await owner.getByRole('button', { name: de.messages['invite.submit'] }).click();
  await owner.getByText(say(de, 'flash.invited', { email })).waitFor();
}

/** The seed flow with every person's browser set to German, and the users page in Arabic, right to left. */
describe('kit pages in the browser’s language in a real browser', () => {
  const e2e = portalInChromium();
  let owner: Page;
  let anna: Page;
  let link = '';

  before(async () => {
    // Playwright sends Accept-Language from the context's locale: de-DE, which the kit's default negotiation maps to de.
    [owner, anna] = await Promise.all([e2e.person(undefined, 'de-DE'), e2e.person(undefined, 'de-DE')]);
  });

  it('shows a German owner User Management as "Benutzerverwaltung"', async () => {
    await logInAsOwner(owner);
    // The portal's link is in the language of the page it is on (its own pages are English).
    await owner
      .getByRole('link', { name: /^(User Management|Benutzerverwaltung)$/ })
      .first()
      .click();
    await owner.getByRole('heading', { name: de.messages['users.title'], level: 1 }).waitFor();
    await expectKitPageIn(owner, 'de', 'ltr', 'the German users page');
    expect(await owner.getByRole('row', { name: /Sam Sunrise/ }).textContent()).to.contain(de.messages['users.owner']);
  });

  it('sends invitations from the German invite form', async () => {
    await inviteInGerman(owner, ANNA.email, [de.permissions.invoices.label, de.permissions.tickets.label]);
    await inviteInGerman(owner, PENDING, [de.permissions.domains.label]);
    await expectKitPageIn(owner, 'de', 'ltr', 'the German users page after inviting');
    expect(await owner.getByRole('row', { name: exactly(PENDING) }).textContent()).to.contain(de.messages['status.pending']);
  });

  it('writes the invitation email in German, the language its sender used', async () => {
    link = await invitationLinkFromMailCatcher(owner, ANNA.email);
    // The catcher's page of the message: its subject as the heading, its text body below.
    expect(await owner.getByRole('heading', { level: 1 }).textContent()).to.equal(say(de, 'mail.invitation.subject', { account: ACCOUNT }));
    const body = await owner.locator('pre.acme-mail').textContent();
    expect(body).to.contain(say(de, 'mail.invitation.body', { inviter: DEMO_OWNER.name, account: ACCOUNT, portal: 'Acme Hosting' }));
    expect(body).to.contain(de.messages['mail.invitation.permissions']).and.contain(de.messages['mail.invitation.acceptBelow']);
    expect(body).to.contain(de.permissions.invoices.label).and.contain(de.permissions.tickets.label);
    expect(body).to.contain(de.messages['mail.invitation.ignore']);
    expect(link).to.match(new RegExp(`^${e2e.running.url}/account/users/accept/[A-Za-z0-9_-]{43}$`));
  });

  it('shows the German invitee the accept page, and creates their login', async () => {
    await anna.goto(link);
    await anna.getByRole('heading', { name: de.messages['accept.title'] }).waitFor();
    await expectKitPageIn(anna, 'de', 'ltr', 'the German accept page');
    const text = await anna.locator('main').textContent();
    expect(text).to.contain(say(de, 'accept.body', { inviter: DEMO_OWNER.name, account: ACCOUNT }));
    expect(text).to.contain(de.permissions.invoices.label).and.contain(de.permissions.tickets.label).and.not.contain(de.permissions.domains.label);
    await anna.getByLabel(de.messages['accept.name']).fill(ANNA.name);
    await anna.getByLabel(de.messages['accept.password']).fill(ANNA.password);
    await anna.getByRole('button', { name: de.messages['accept.register'] }).click();
    await anna.getByText(say(de, 'flash.accepted', { account: ACCOUNT })).waitFor();
    await anna.getByRole('heading', { name: de.messages['accounts.title'], level: 1 }).waitFor();
    await expectKitPageIn(anna, 'de', 'ltr', 'the German accounts page');
  });

  it('shows the owner the new user on the German users page', async () => {
    await owner
      .getByRole('link', { name: /^(User Management|Benutzerverwaltung)$/ })
      .first()
      .click();
    await owner.getByRole('heading', { name: de.messages['users.title'], level: 1 }).waitFor();
    const row = await owner.getByRole('row', { name: exactly(ANNA.name) }).textContent();
    expect(row).to.contain(de.permissions.invoices.label).and.contain(de.permissions.tickets.label);
    expect(await owner.getByRole('row', { name: exactly(PENDING) }).textContent()).to.contain(de.messages['status.pending']);
    await expectKitPageIn(owner, 'de', 'ltr', 'the German users page with a member and a pending invitation');
    await expectAccessible(owner, 'the German users page');
    await screenshot(owner, 'users-de');
  });

  it('shows the same users page in Arabic, laid out right to left', async () => {
    const arabic = await e2e.person(undefined, 'ar');
    await logInAsOwner(arabic);
    await arabic.goto('/account/users/');
    const h1 = arabic.getByRole('heading', { name: ar.messages['users.title'], level: 1 });
    await h1.waitFor();
    await expectKitPageIn(arabic, 'ar', 'rtl', 'the Arabic users page');
    expect(await h1.evaluate((el) => getComputedStyle(el).direction)).to.equal('rtl');
    // Right to left: the heading starts at the right edge of <main>, the invite button sits to its left,
    // and the table's first column (the name) is its rightmost.
    const [main, heading, button] = await Promise.all([
      arabic.locator('main.au-main').boundingBox(),
      h1.boundingBox(),
      arabic.getByRole('link', { name: ar.messages['users.invite'] }).boundingBox(),
    ]);
    expect(main && heading && button, 'boxes of <main>, the heading and the invite button').to.be.ok;
    expect(heading!.x, 'the heading is in the right half of <main>').to.be.greaterThan(main!.x + main!.width / 2);
    expect(button!.x + button!.width, 'the invite button is left of the heading').to.be.at.most(heading!.x);
    const columns = arabic.locator('#au-members ~ table thead th');
    const [first, second] = await Promise.all([columns.nth(0).boundingBox(), columns.nth(1).boundingBox()]);
    expect(first!.x, 'the first column is right of the second').to.be.greaterThan(second!.x);
    expect(await arabic.getByRole('row', { name: exactly(ANNA.name) }).textContent()).to.contain(ar.permissions.invoices.label);
    expect(await arabic.getByRole('row', { name: exactly(PENDING) }).textContent()).to.contain(ar.messages['status.pending']);
    await expectAccessible(arabic, 'the Arabic users page');
    await screenshot(arabic, 'users-ar');
  });

  it('widens the new user’s permissions on the German permissions form', async () => {
    await owner
      .getByRole('row', { name: exactly(ANNA.name) })
      .getByRole('link', { name: de.messages['users.managePermissions'] })
      .click();
    await owner.getByRole('heading', { name: `${de.messages['member.title']}: ${ANNA.name}` }).waitFor();
    await expectKitPageIn(owner, 'de', 'ltr', 'the German permissions form');
    await owner.getByRole('checkbox', { name: exactly(de.permissions.domains.label) }).check();
    await owner.getByRole('button', { name: de.messages['member.save'] }).click();
    await owner.getByText(say(de, 'flash.permissionsSaved', { name: ANNA.name })).waitFor();
    await expectKitPageIn(owner, 'de', 'ltr', 'the German users page after saving');
    expect(await owner.getByRole('row', { name: exactly(ANNA.name) }).textContent()).to.contain(de.permissions.domains.label);
  });

  it('removes the user through the German confirmation', async () => {
    await owner.getByRole('link', { name: say(de, 'users.removeNamed', { name: ANNA.name }) }).click();
    await owner.getByRole('heading', { name: de.messages['remove.title'] }).waitFor();
    await expectKitPageIn(owner, 'de', 'ltr', 'the German remove confirmation');
    expect(await owner.locator('main').textContent()).to.contain(say(de, 'remove.body', { name: ANNA.name, email: ANNA.email, account: ACCOUNT }));
    await owner.getByRole('button', { name: say(de, 'remove.confirm', { name: ANNA.name }) }).click();
    await owner.getByText(say(de, 'flash.removed', { name: ANNA.name })).waitFor();
    await expectKitPageIn(owner, 'de', 'ltr', 'the German users page after removing');
    expect(
      await owner
        .locator('section[aria-labelledby="au-members"]')
        .getByRole('row', { name: exactly(ANNA.name) })
        .count(),
    ).to.equal(0);
  });
});
