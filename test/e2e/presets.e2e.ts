import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { portalInChromium } from './support/fixtures.js';
import { expectAccessible, logInAsOwner } from './support/browser.js';

const BILLING = ['View & Pay Invoices', 'View & Accept Quotes', 'View Emails', 'Place New Orders/Upgrades/Cancellations'];

/** The names of the ticked permission boxes, in page order. */
async function tickedBoxes(page: Page): Promise<string[]> {
  return page.$$eval('input[type=checkbox][name=permissions]', (boxes) =>
    boxes.filter((b) => (b as HTMLInputElement).checked).map((b) => (b.closest('label')?.querySelector('strong')?.textContent ?? '').trim()),
  );
}

/** The example portal's presets ("Billing contact", "Technical contact") in a browser with JavaScript. */
describe('permission presets in a real browser', () => {
  const e2e = portalInChromium();
  let owner: Page;

  before(async () => {
    owner = await e2e.person();
    await logInAsOwner(owner);
  });

  it("ticks exactly the preset's permissions in place, without a round trip to the server", async () => {
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    await owner.getByRole('link', { name: 'Invite New User' }).click();
    await owner.getByLabel('Email Address').fill('accounts@example.com');
    await owner.getByRole('checkbox', { name: /View Domains/ }).check();
    const posts: string[] = [];
    owner.on('request', (r) => {
      if (r.method() === 'POST') posts.push(r.url());
    });
    await owner.getByRole('button', { name: 'Billing contact' }).click();
    expect(await tickedBoxes(owner)).to.deep.equal(BILLING);
    expect(posts).to.deep.equal([]);
    expect(await owner.getByLabel('Email Address').inputValue()).to.equal('accounts@example.com');
    await expectAccessible(owner, 'the invite form with presets');
  });

  it("sends the invitation with the preset's permissions", async () => {
    await owner.getByRole('button', { name: 'Send Invite' }).click();
    await owner.getByText('Invitation sent to accounts@example.com').waitFor();
    const row = owner.getByRole('row', { name: /accounts@example\.com/ });
    const text = await row.textContent();
    for (const label of BILLING) expect(text).to.contain(label);
    expect(text).not.to.contain('View Domains');
  });

  it('switches from one preset to another, unticking what the first one ticked', async () => {
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    await owner.getByRole('link', { name: 'Invite New User' }).click();
    await owner.getByRole('button', { name: 'Technical contact' }).click();
    expect(await tickedBoxes(owner)).to.deep.equal([
      'View Products & Services',
      'View & Modify Product Passwords',
      'View Domains',
      'Manage Domain Settings',
      'View & Open Support Tickets',
    ]);
    await owner.getByRole('button', { name: 'Billing contact' }).click();
    expect(await tickedBoxes(owner)).to.deep.equal(BILLING);
  });
});
