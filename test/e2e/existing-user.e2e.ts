import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { portalInChromium } from './support/fixtures.js';
import { expectAccessible, invitationLinkFromMailCatcher, invite, logIn, logInAsOwner, navSections } from './support/browser.js';

const ALL_SECTIONS = ['profile', 'contacts', 'products', 'domains', 'invoices', 'quotes', 'tickets', 'affiliates', 'emails', 'orders'];

/** Someone who already has a login (and an account of their own) accepts with it, then switches between accounts. */
describe('an existing user accepting an invitation in a real browser', () => {
  const e2e = portalInChromium();
  let owner: Page;
  let bob: Page;
  let link = '';

  before(async () => {
    [owner, bob] = await Promise.all([e2e.person(), e2e.person()]);
  });

  it('signs Bob up with an account of his own', async () => {
    await bob.goto('/');
    await bob.getByRole('link', { name: 'Sign up' }).click();
    await bob.getByLabel('Your name').fill('Bob Builder');
    await bob.getByLabel('Company or account name').fill('Bob Builds');
    await bob.getByLabel('Email').fill('bob@example.com');
    await bob.getByLabel('Password').fill('bob-password-1');
    await bob.getByRole('button', { name: 'Sign up' }).click();
    await bob.getByRole('heading', { name: 'Welcome, Bob Builder' }).waitFor();
    expect(await navSections(bob)).to.deep.equal(ALL_SECTIONS);
    await bob.getByRole('button', { name: 'Sign out' }).click();
    await bob.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it("lets the owner invite Bob's address to view quotes", async () => {
    await logInAsOwner(owner);
    await invite(owner, 'bob@example.com', [/View & Accept Quotes/]);
    link = await invitationLinkFromMailCatcher(owner, 'bob@example.com');
  });

  it('offers a signed-out Bob "Sign in to accept" and brings him back to the invitation after login', async () => {
    await bob.goto(link);
    // He already has a login, so the page does not offer to create one.
    expect(await bob.getByRole('button', { name: 'Create a login' }).count()).to.equal(0);
    await bob.getByRole('link', { name: 'Sign in to accept' }).click();
    expect(new URL(bob.url()).searchParams.get('returnTo')).to.equal(new URL(link).pathname);
    await logIn(bob, 'bob@example.com', 'bob-password-1');
    await bob.getByRole('button', { name: 'Accept Invitation' }).waitFor();
    expect(new URL(bob.url()).pathname).to.equal(new URL(link).pathname);
    await expectAccessible(bob, 'the accept page, signed in');
  });

  it('accepts with his own login and works in the new account with only its permission', async () => {
    await bob.getByRole('button', { name: 'Accept Invitation' }).click();
    await bob
      .getByText(/^Welcome! You now have access to Sunrise Bakery. You are now working in Sunrise Bakery instead of .+; you can switch back on this page.$/)
      .waitFor();
    const accounts = bob.getByRole('table');
    expect(await accounts.getByRole('row', { name: /Sunrise Bakery/ }).textContent()).to.contain('Active');
    expect(await accounts.getByRole('row', { name: /Bob Builds/ }).textContent()).to.contain('Owner');
    await expectAccessible(bob, 'the accounts page with two accounts');
    expect(await bob.locator('.acme-current-account').textContent()).to.contain('Sunrise Bakery');
    expect(await navSections(bob)).to.deep.equal(['quotes']);
    await bob.getByRole('link', { name: 'Quotes' }).click();
    await bob.getByRole('button', { name: 'Accept Q-204' }).click();
    await bob.getByText('Quote Q-204 accepted.').waitFor();
  });

  it("switches to his own account and back from the header's account switcher", async () => {
    await bob.getByRole('link', { name: 'Switch account' }).click();
    await bob.getByRole('button', { name: 'Switch to Bob Builds' }).click();
    await bob.getByText('You are now working in Bob Builds.').waitFor();
    expect(await bob.locator('.acme-current-account').textContent()).to.contain('Bob Builds');
    expect(await navSections(bob)).to.deep.equal(ALL_SECTIONS);
    await bob.getByRole('link', { name: 'Quotes' }).click();
    // His own account's quote is still open: each account keeps its own records.
    await bob.getByRole('button', { name: 'Accept Q-204' }).waitFor();

    await bob.getByRole('link', { name: 'Switch account' }).click();
    await bob.getByRole('button', { name: 'Switch to Sunrise Bakery' }).click();
    await bob.getByText('You are now working in Sunrise Bakery.').waitFor();
    expect(await navSections(bob)).to.deep.equal(['quotes']);
  });
});
