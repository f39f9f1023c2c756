import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { hostInChromium } from './support/fixtures.js';
import { OWNER } from '../support/world.js';
import { addMember, type Member } from '../support/members.js';
import { boxesPastTheEdge, expectAccessible, settled, type Viewport } from './support/browser.js';

const PHONE: Viewport = { width: 360, height: 740 };
// Long words and long addresses: German's compound labels, a department's address.
const LONG = 'anna-katharina.bartholomew@accounts-payable.sunrise-bakery-holdings.example.com';
const LONGER = 'buchhaltungsabteilung.zentralverwaltung@rechnungswesen.baeckerei-sonnenaufgang.example.com';

/** No sideways scroll, no text or control past the screen's edge, no serious or critical axe violation. */
async function expectFitsPhone(page: Page, what: string): Promise<void> {
  await settled(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${what} scrolls sideways`).to.be.at.most(PHONE.width);
  expect(await boxesPastTheEdge(page), `text past the screen's edge on ${what}`).to.deep.equal([]);
  await expectAccessible(page, what);
}

/** The bulk invitation and the roster pages on a 360 px phone, in German, as an owner uses them. */
describe('bulk invitation and roster pages on a phone, in German', () => {
  const e2e = hostInChromium();
  let owner: Page;
  let member: Member;

  before(async () => {
    owner = await e2e.person(PHONE, 'de-DE');
    const api = await e2e.world.ownerBrowser();
    member = await addMember(e2e.world, api, LONG, ['invoices', 'tickets'], { name: 'Anna-Katharina Bartholomew-Featherstonehaugh' });
    await owner.request.post('/login', { form: { email: OWNER.email, password: OWNER.password } });
  });

  it('fits the bulk invitation form, with its file input', async () => {
    await owner.goto('/account/users/invite/bulk');
    await owner.getByRole('heading', { name: 'Mehrere Benutzer einladen' }).waitFor();
    await owner.locator('#au-emails-file').waitFor();
    await expectFitsPhone(owner, 'the bulk invitation form');
  });

  it('reads a file of addresses into the box, and fits the answer page', async () => {
    const file = [LONGER, 'kurz@example.com', member.email, 'keine-adresse'].join('\n');
    await owner.locator('#au-emails-file').setInputFiles({ name: 'adressen.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
    await owner.waitForFunction(() => (document.getElementById('au-emails') as HTMLTextAreaElement).value.includes('kurz@example.com'));
    await owner.locator('input[name="permissions"][value="invoices"]').check();
    await owner.getByRole('button', { name: 'Einladungen senden' }).click();
    await owner.getByRole('heading', { name: 'Sammeleinladung' }).waitFor();
    await owner.getByRole('cell', { name: LONGER }).waitFor();
    await expectFitsPhone(owner, 'the bulk invitation answer');
  });

  it('fits the roster form', async () => {
    await owner.goto('/account/users/roster');
    await owner.getByRole('heading', { name: 'Benutzerliste abgleichen' }).waitFor();
    await expectFitsPhone(owner, 'the roster form');
  });

  it('fits the roster difference, every section filled, and the refusal shown when the account changed before Apply', async () => {
    const csv = [
      'email,permissions,suspended',
      `${OWNER.email},,`,
      `${member.email},invoices;tickets;domains;quotes;orders,yes`,
      `${LONGER},invoices;tickets,`,
      'neu@example.com,invoices,',
    ].join('\n');
    await owner.locator('#au-roster-file').setInputFiles({ name: 'liste.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await owner.waitForFunction(() => (document.getElementById('au-roster') as HTMLTextAreaElement).value.includes('neu@example.com'));
    await owner.getByRole('button', { name: 'Unterschiede anzeigen' }).click();
    await owner.getByRole('heading', { name: 'Was die Liste ändert' }).waitFor();
    await owner.getByRole('cell', { name: 'kurz@example.com (Einladung)' }).waitFor();
    await expectFitsPhone(owner, 'the roster difference');

    // Someone joins before Apply: the apply is refused and the new difference shown, with the reason.
    const api = await e2e.world.ownerBrowser();
    await addMember(e2e.world, api, 'spaet@example.com', ['invoices']);
    await owner.getByRole('button', { name: 'Diese Änderungen übernehmen' }).click();
    await owner.getByRole('alert').waitFor();
    await owner.getByRole('cell', { name: 'spaet@example.com' }).waitFor();
    await expectFitsPhone(owner, 'the roster difference refused after a change');
  });
});
