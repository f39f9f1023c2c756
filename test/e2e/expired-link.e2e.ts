import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { portalInChromium } from './support/fixtures.js';
import { expectAccessible, invitationLinkFromMailCatcher, invite, logInAsOwner } from './support/browser.js';

const DAY = 24 * 60 * 60 * 1000;

/** Invitation links work for 7 days; after that the invitee is told so, and the owner can resend. */
describe('an expired invitation link in a real browser', () => {
  const e2e = portalInChromium();
  let owner: Page;
  let invitee: Page;
  let link = '';

  before(async () => {
    [owner, invitee] = await Promise.all([e2e.person(), e2e.person()]);
    await logInAsOwner(owner);
    await invite(owner, 'late@example.com', [/View Emails/]);
    link = await invitationLinkFromMailCatcher(owner, 'late@example.com');
  });

  it('answers a link opened after 7 days with 410 and a page that says it expired', async () => {
    e2e.running.clock.advance(8 * DAY);
    const response = await invitee.goto(link);
    expect(response?.status()).to.equal(410);
    await invitee.getByRole('heading', { name: 'This invitation no longer works' }).waitFor();
    const text = await invitee.locator('main').textContent();
    expect(text).to.contain('This invitation has expired').and.contain('Ask the account owner to resend the invitation.');
    expect(await invitee.getByRole('button', { name: 'Create a login' }).count()).to.equal(0);
    await expectAccessible(invitee, 'the expired invitation page');
  });

  it('shows the owner the invitation as expired, with Resend', async () => {
    await owner.getByRole('link', { name: 'User Management' }).first().click();
    // Expired invitations are history: behind the link under the pending ones.
    await owner.getByRole('link', { name: 'Show accepted, declined, cancelled and expired invitations' }).click();
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
