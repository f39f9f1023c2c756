import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_OWNER } from './support/portal.js';
import { portalInChromium } from './support/fixtures.js';
import { expectAccessible, logIn } from './support/browser.js';

/** Opens the newest email to `to` at /dev/mail, as a person would, and returns the link in it whose path contains `path`. */
async function linkFromMailCatcher(page: Page, to: string, path: RegExp): Promise<string> {
  const row = page.getByRole('row', { name: new RegExp(to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first();
  // A password-reset email leaves just after the answer: reload until it is there.
  for (let i = 0; i < 50; i++) {
    await page.goto('/dev/mail');
    if ((await row.count()) > 0) break;
    await page.waitForTimeout(100);
  }
  await row.getByRole('link').click();
  const href = await page.getByRole('link', { name: path }).first().getAttribute('href');
  if (!href) throw new Error(`no link matching ${String(path)} in the email to ${to}`);
  return href;
}

/** au.userRouter in the example portal, in Chromium: a forgotten password, then a new email address. */
describe('a login that looks after itself, in a real browser', () => {
  const e2e = portalInChromium();
  let page: Page;

  before(async () => {
    page = await e2e.person();
  });

  it('resets a forgotten password from the login page through the mail catcher, then signs in with it', async () => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await expectAccessible(page, 'the forgot-password page');
    await page.getByLabel('Email Address').fill(DEMO_OWNER.email);
    await page.getByRole('button', { name: 'Send Reset Link' }).click();
    await page.getByText('If a login exists for that address, we sent a link').waitFor();

    const link = await linkFromMailCatcher(page, DEMO_OWNER.email, /\/user\/password\/reset\//);
    expect(link).to.match(/\/user\/password\/reset\/[A-Za-z0-9_-]{43}$/);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await expectAccessible(page, 'the reset-password page');
    await page.getByLabel('New password').fill('sunrise-reset-2');
    await page.getByRole('button', { name: 'Set Password' }).click();
    await page.getByText('Your password has been reset.').waitFor();
    expect(new URL(page.url()).pathname).to.equal('/login');

    await logIn(page, DEMO_OWNER.email, 'sunrise-reset-2');
    await page.getByRole('link', { name: DEMO_OWNER.name }).waitFor();
  });

  it('changes the email address from the profile, confirms it from the mail catcher, and signs in with the new address', async () => {
    await page.getByRole('link', { name: DEMO_OWNER.name }).click();
    await page.getByRole('heading', { name: 'Your Profile' }).waitFor();
    await expectAccessible(page, 'the profile page');
    await page.getByLabel('New email address').fill('sam@sunrise-new.test');
    await page.getByLabel('Current password').nth(1).fill('sunrise-reset-2');
    await page.getByRole('button', { name: 'Send Confirmation Link' }).click();
    await page.getByText('We sent a confirmation link to sam@sunrise-new.test').waitFor();

    const link = await linkFromMailCatcher(page, 'sam@sunrise-new.test', /\/user\/email\/confirm\//);
    // The link opens a page that changes nothing; its button confirms.
    await page.goto(link);
    await page.getByRole('heading', { name: 'Confirm your new email address' }).waitFor();
    await expectAccessible(page, 'the email confirmation page');
    await page.getByRole('button', { name: 'Use sam@sunrise-new.test for my login' }).click();
    await page.getByRole('heading', { name: 'Email address changed' }).waitFor();
    expect(await page.locator('main').textContent()).to.contain('Your login now uses sam@sunrise-new.test');

    const other = await e2e.person();
    await other.goto('/login');
    await logIn(other, 'sam@sunrise-new.test', 'sunrise-reset-2');
    await other.getByRole('link', { name: DEMO_OWNER.name }).waitFor();
    await other.goto('/login');
    await logIn(other, DEMO_OWNER.email, 'sunrise-reset-2');
    await other.getByText('Incorrect email or password.').waitFor();
  });
});
