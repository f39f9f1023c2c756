import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { RunningPortal, DEMO_OWNER } from './support/portal.js';
import { expectAccessible, invitationLinkFromMailCatcher, launchChromium, logIn, newPerson } from './support/browser.js';

const DAY = 24 * 60 * 60 * 1000;

/** Invitation links work for 7 days; after that the invitee is told so, and the owner can resend. */
describe('an expired invitation link in a real browser', () => {
  const running = new RunningPortal();
  let browser: Browser;
  let owner: Page;
  let invitee: Page;
  let link = '';

  before(async () => {
    [browser] = await Promise.all([launchChromium(), running.start()]);
    owner = (await newPerson(browser, running.url)).page;
    invitee = (await newPerson(browser, running.url)).page;
    await owner.goto('/login');
    await logIn(owner, DEMO_OWNER.email, DEMO_OWNER.password);
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    await owner.getByRole('link', { name: 'Invite New User' }).click();
    await owner.getByLabel('Email Address').fill('late@example.com');
    await owner.getByRole('checkbox', { name: /View Emails/ }).check();
    await owner.getByRole('button', { name: 'Send Invite' }).click();
    await owner.getByText('Invitation sent to late@example.com').waitFor();
    link = await invitationLinkFromMailCatcher(owner, 'late@example.com');
  });
  after(async () => {
    await browser?.close();
    await running.stop();
  });

  it('answers a link opened after 7 days with 410 and a page that says it expired', async () => {
    running.clock.advance(8 * DAY);
    const response = await invitee.goto(link);
    expect(response?.status()).to.equal(410);
    await invitee.getByRole('heading', { name: 'This invitation no longer works' }).waitFor();
    const text = await invitee.locator('main').textContent();
    expect(text).to.contain('This invitation has expired').and.contain('Ask the account owner to resend the invitation.');
    expect(await invitee.getByRole('button', { name: 'Create an account' }).count()).to.equal(0);
    await expectAccessible(invitee, 'the expired invitation page');
  });

  it('shows the owner the invitation as expired, with Resend', async () => {
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    const row = owner.getByRole('row', { name: /late@example\.com/ });
    expect(await row.textContent()).to.contain('expired');
    await row.getByRole('button', { name: 'Resend' }).click();
    await owner.getByText('Invitation re-sent to late@example.com').waitFor();
  });

  it('sends a new link that works, while the old one stays dead', async () => {
    const fresh = await invitationLinkFromMailCatcher(owner, 'late@example.com');
    expect(fresh).to.not.equal(link);
    const ok = await invitee.goto(fresh);
    expect(ok?.status()).to.equal(200);
    await invitee.getByRole('heading', { name: 'You have been invited' }).waitFor();
    const old = await invitee.goto(link);
    // The resend replaced the token: the old one is now simply unknown.
    expect(old?.status()).to.equal(404);
  });
});
