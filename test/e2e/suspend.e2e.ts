import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { hostInChromium } from './support/fixtures.js';
import { OWNER } from '../support/world.js';
import { addMember, type Member } from '../support/members.js';
import { expectAccessible, type Viewport } from './support/browser.js';

const PHONE: Viewport = { width: 360, height: 740 };
const MEMBER_NAME = 'Anna-Katharina Bartholomew-Featherstonehaugh';
const MEMBER_EMAIL = 'anna-katharina.bartholomew@accounts-payable.sunrise-bakery-holdings.example.com';

/** No sideways scrolling on a 360 px phone, and no serious or critical axe violation. */
async function expectFitsPhone(page: Page, what: string): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${what} scrolls sideways`).to.be.at.most(PHONE.width);
  await expectAccessible(page, what);
}

/** Suspend, reinstate and restore as an owner does them on a phone, and what the member sees meanwhile. */
describe('suspending, reinstating and restoring a member in a real browser, on a phone', () => {
  const e2e = hostInChromium();
  let owner: Page;
  let memberPage: Page;
  let member: Member;

  before(async () => {
    [owner, memberPage] = await Promise.all([e2e.person(PHONE), e2e.person(PHONE)]);
    const api = await e2e.world.ownerBrowser();
    member = await addMember(e2e.world, api, MEMBER_EMAIL, ['invoices', 'tickets'], { name: MEMBER_NAME });
    await owner.request.post('/login', { form: { email: OWNER.email, password: OWNER.password } });
    await memberPage.request.post('/login', { form: { email: member.email, password: member.password } });
    expect((await memberPage.request.get('/host/invoices')).status()).to.equal(200);
  });

  it('suspends with a reason from the users page, and the page shows the badge', async () => {
    await owner.goto('/account/users/');
    await owner.getByRole('link', { name: `Suspend ${MEMBER_NAME}` }).click();
    await owner.getByRole('heading', { name: 'Suspend user?' }).waitFor();
    await expectFitsPhone(owner, 'the suspend confirmation');
    await owner.getByLabel('Reason (optional, sent to the user)').fill('On leave until March');
    await owner.getByRole('button', { name: 'Suspend' }).click();
    await owner.getByText(`User ${MEMBER_NAME} suspended.`).waitFor();
    expect(await owner.locator('.au-badge-suspended').count()).to.equal(1);
    await expectFitsPhone(owner, 'the users page with a suspended member');
  });

  it("refuses the member's open session and tells them on the accounts page", async () => {
    expect((await memberPage.request.get('/host/invoices')).status()).to.equal(403);
    await memberPage.goto('/account/users/accounts');
    await memberPage.getByText('Your access to Acme Ltd is suspended.').waitFor();
    await memberPage.getByText('Reason: On leave until March').waitFor();
    await expectFitsPhone(memberPage, 'the accounts page of a suspended member');
  });

  it('reinstates, and the member is let in again', async () => {
    await owner.getByRole('link', { name: `Reinstate ${MEMBER_NAME}` }).click();
    await owner.getByRole('heading', { name: 'Reinstate user?' }).waitFor();
    await expectFitsPhone(owner, 'the reinstate confirmation');
    await owner.getByRole('button', { name: 'Reinstate' }).click();
    await owner.getByText(`User ${MEMBER_NAME} reinstated.`).waitFor();
    expect((await memberPage.request.get('/host/invoices')).status()).to.equal(200);
  });

  it('removes, then restores from "Recently removed" with the same permissions', async () => {
    await owner.getByRole('link', { name: `Remove ${MEMBER_NAME}` }).click();
    await owner.getByRole('button', { name: 'Confirm' }).click();
    await owner.getByRole('heading', { name: 'Recently removed' }).waitFor();
    await expectFitsPhone(owner, 'the users page with a recently removed member');
    await owner.getByRole('link', { name: `Restore ${MEMBER_NAME}` }).click();
    await owner.getByRole('heading', { name: 'Restore user?' }).waitFor();
    await expectFitsPhone(owner, 'the restore confirmation');
    await owner.getByRole('button', { name: 'Restore' }).click();
    await owner.getByText(`User ${MEMBER_NAME} restored with their previous permissions.`).waitFor();
    const { member: view } = await e2e.world.host.au.api.getMember({ actor: { system: 'test' }, accountId: e2e.world.account.id, userId: member.userId });
    expect(view.permissions).to.deep.equal(['invoices', 'tickets']);
  });
});
