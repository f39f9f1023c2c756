import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_OWNER } from './support/portal.js';
import { portalInChromium } from './support/fixtures.js';
import { expectAccessible, logIn, navSections, screenshot } from './support/browser.js';

/**
 * The feature as billing customers know it (../shared/seed-user-management.txt), clicked
 * through in Chromium: invite, email, register, permissions, widen, remove.
 */
describe('the seed flow in a real browser', () => {
  const e2e = portalInChromium();
  let owner: Page;
  let member: Page;
  let link = '';

  before(async () => {
    [owner, member] = await Promise.all([e2e.person(), e2e.person()]);
  });

  it('lets the owner sign in and open User Management from the navigation', async () => {
    await owner.goto('/');
    expect(owner.url()).to.match(/\/login$/);
    await expectAccessible(owner, "the portal's login page");
    await logIn(owner, DEMO_OWNER.email, DEMO_OWNER.password);
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    await owner.getByRole('heading', { name: 'User Management' }).waitFor();
    expect(await owner.getByRole('row', { name: /Sam Sunrise/ }).textContent()).to.contain('Owner');
    await expectAccessible(owner, 'the users page');
  });

  it('sends an invitation for an email and two ticked permissions', async () => {
    await owner.getByRole('link', { name: 'Invite New User' }).click();
    await owner.getByLabel('Email Address').fill('anna@example.com');
    await owner.getByRole('checkbox', { name: /View & Pay Invoices/ }).check();
    await owner.getByRole('checkbox', { name: /View & Open Support Tickets/ }).check();
    await expectAccessible(owner, 'the invite form');
    await screenshot(owner, 'invite');
    await owner.getByRole('button', { name: 'Send Invite' }).click();
    await owner.getByText('Invitation sent to anna@example.com').waitFor();
    expect(await owner.getByRole('row', { name: /anna@example\.com/ }).textContent()).to.contain('pending');
  });

  it('delivers the invitation email, with its link, to the mail catcher', async () => {
    await owner.getByRole('link', { name: 'Mail catcher' }).click();
    await owner.getByRole('link', { name: 'Sunrise Bakery has invited you to their account.' }).click();
    link = (await owner.getByRole('link', { name: /\/accept\// }).getAttribute('href')) ?? '';
    expect(link).to.match(new RegExp(`^${e2e.running.url}/account/users/accept/[A-Za-z0-9_-]{43}$`));
  });

  it('shows the invitee who invited them, to what, with which permissions', async () => {
    await member.goto(link);
    await member.getByRole('heading', { name: 'You have been invited' }).waitFor();
    const text = await member.locator('main').textContent();
    expect(text).to.contain('Sam Sunrise has invited you to Sunrise Bakery');
    expect(text).to.contain('View & Pay Invoices').and.contain('View & Open Support Tickets').and.not.contain('View Domains');
    await expectAccessible(member, 'the accept page');
    await screenshot(member, 'accept');
  });

  it("creates the invitee's login and shows them only the two permitted sections", async () => {
    await member.getByLabel('Your name').fill('Anna Accountant');
    await member.getByLabel('Choose a password').fill('anna-password-1');
    await member.getByRole('button', { name: 'Create a login' }).click();
    await member.getByText('Welcome! You now have access to Sunrise Bakery, and you are now working in it.').waitFor();
    await expectAccessible(member, 'the accounts page');
    await member.getByRole('link', { name: 'Home' }).click();
    expect(await navSections(member)).to.deep.equal(['invoices', 'tickets']);
    expect(await member.getByRole('link', { name: 'User Management' }).count()).to.equal(0);
    await expectAccessible(member, "the portal's home page for a member");
    await screenshot(member, 'member-view');
    await member.getByRole('link', { name: 'Invoices' }).first().click();
    await member.getByRole('heading', { name: 'Invoices' }).waitFor();
  });

  it('shows the owner the new user, and lets the owner widen their permissions', async () => {
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    expect(
      await owner
        .getByRole('row', { name: /anna@example\.com/ })
        .first()
        .textContent(),
    ).to.contain('View & Pay Invoices');
    await screenshot(owner, 'users');
    await owner
      .getByRole('row', { name: /Anna Accountant/ })
      .getByRole('link', { name: 'Manage permissions' })
      .click();
    await owner.getByRole('heading', { name: /Manage permissions: Anna Accountant/ }).waitFor();
    await expectAccessible(owner, 'the member permissions page');
    await screenshot(owner, 'member');
    await owner.getByRole('checkbox', { name: /View Domains/ }).check();
    await owner.getByRole('button', { name: 'Save Changes' }).click();
    await owner.getByText('Permissions for Anna Accountant saved.').waitFor();
  });

  it('shows the member the new section after a reload', async () => {
    expect(await navSections(member)).to.deep.equal(['invoices', 'tickets']);
    await member.reload();
    expect(await navSections(member)).to.deep.equal(['domains', 'invoices', 'tickets']);
    await member.getByRole('link', { name: 'Domains' }).click();
    await member.getByRole('heading', { name: 'Domains' }).waitFor();
  });

  it('removes the member with the rubbish-bin icon and Confirm', async () => {
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    await owner.getByRole('link', { name: 'Remove Anna Accountant' }).click();
    await owner.getByRole('heading', { name: 'Remove user?' }).waitFor();
    await expectAccessible(owner, 'the remove confirmation');
    await owner.getByRole('button', { name: 'Confirm' }).click();
    await owner.getByText('User Anna Accountant removed.').waitFor();
    // Gone from the users; listed under "Recently removed", where the owner may restore her.
    expect(
      await owner
        .locator('section[aria-labelledby="au-members"]')
        .getByRole('row', { name: /Anna Accountant/ })
        .count(),
    ).to.equal(0);
    expect(
      await owner
        .locator('section[aria-labelledby="au-removed"]')
        .getByRole('row', { name: /Anna Accountant/ })
        .count(),
    ).to.equal(1);
  });

  it("refuses the removed member's very next click", async () => {
    const [response] = await Promise.all([
      member.waitForResponse((r) => new URL(r.url()).pathname === '/invoices'),
      member.getByRole('link', { name: 'Invoices' }).first().click(),
    ]);
    expect(response.status()).to.equal(403);
    await member.getByText('You no longer have access to this account').waitFor();
    expect(await navSections(member)).to.deep.equal([]);
  });

  it('records every step in the activity log', async () => {
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    await owner.getByRole('link', { name: 'Activity' }).click();
    const text = await owner.locator('main').textContent();
    expect(text).to.contain('anna@example.com');
    await expectAccessible(owner, 'the activity page');
  });
});
