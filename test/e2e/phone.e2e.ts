import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { hostInChromium, portalInChromium } from './support/fixtures.js';
import { OWNER } from '../support/world.js';
import { addMember } from '../support/members.js';
import { invite as inviteOverHttp, linkPath } from '../support/invitations.js';
import { expectAccessible, invitationLinkFromMailCatcher, invite, logIn, logInAsOwner, screenshot, settled, type Viewport } from './support/browser.js';

const PHONE: Viewport = { width: 360, height: 740 };
const DESKTOP: Viewport = { width: 1280, height: 800 };
const DAY = 24 * 60 * 60 * 1000;

// Long enough to overflow a 360 px screen unless the page lets them wrap.
const LONG_EMAIL = 'maximilian.alexander.featherstonehaugh-worthington@accounts-payable.sunrise-bakery-holdings.example.com';
const MEMBER_EMAIL = 'anna-katharina.bartholomew@accounts-payable.sunrise-bakery-holdings.example.com';
const MEMBER_NAME = 'Anna-Katharina Bartholomew-Featherstonehaugh';
const BOB = { email: 'bob@example.com', name: 'Bob Builder', password: 'bob-password-1' };

/** Every interactive element (a checkbox by its label) smaller than 44 × 44 CSS px, described for the failure message. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    const interactive = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(interactive))) {
      if (getComputedStyle(el).visibility === 'hidden') continue;
      // A form's default button (what Enter presses) is hidden from people and out of the tab order: nobody touches it.
      if (el.getAttribute('aria-hidden') === 'true' && el.getAttribute('tabindex') === '-1') continue;
      let box = el.getBoundingClientRect();
      // Not rendered, or parked off-screen until focused (the skip link).
      if ((box.width === 0 && box.height === 0) || box.right <= 0) continue;
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
        const label = el.closest('label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`) : null);
        if (label) box = label.getBoundingClientRect();
      }
      if (box.width < 44 || box.height < 44) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.getAttribute('name') ?? '').replace(/\s+/g, ' ').trim();
        small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return small;
  });
}

/** Table cells that stick out of their row (on a phone, of their card), described for the failure message. */
function cellsOutsideTheirRow(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('td'))
      .filter((cell) => {
        const [c, r] = [cell.getBoundingClientRect(), cell.parentElement!.getBoundingClientRect()];
        return c.width > 0 && (c.left < r.left - 0.5 || c.right > r.right + 0.5);
      })
      .map((cell) => `${cell.getAttribute('data-label') ?? cell.tagName}: ${(cell.textContent ?? '').trim().slice(0, 40)}`),
  );
}

/**
 * The page as it stands, at 360 × 740 and at 1280 × 800, in the light and the dark scheme:
 * no sideways scrolling of the document, no serious or critical axe violation, and on the
 * phone every control at least 44 × 44.
 */
async function expectFitsPhoneAndDesktop(page: Page, what: string): Promise<void> {
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      // The colour transitions of the new scheme must end before axe reads the colours.
      await settled(page);
      const where = `${what} at ${viewport.width} px, ${colorScheme} scheme`;
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `document width of ${where}`).to.be.at.most(viewport.width);
      expect(await cellsOutsideTheirRow(page), `table cells outside their row on ${where}`).to.deep.equal([]);
      if (viewport === PHONE && colorScheme === 'light') expect(await smallTargets(page), `controls under 44 × 44 on ${where}`).to.deep.equal([]);
      await expectAccessible(page, where);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(PHONE);
}

/** Kit pages on a 360 px phone and on a desktop, each variant reached as a person reaches it. */
describe('kit pages on a phone and on a desktop in a real browser', () => {
  const e2e = portalInChromium();
  let owner: Page;
  let member: Page;
  let bob: Page;
  let visitor: Page;
  const link = { expired: '', member: '', bob: '', carol: '' };

  before(async () => {
    [owner, member, bob, visitor] = await Promise.all([e2e.person(PHONE), e2e.person(PHONE), e2e.person(PHONE), e2e.person(PHONE)]);
    await e2e.running.portal.au.createAccount({ name: 'Bob Builds', owner: BOB });
    await logInAsOwner(owner);
    await invite(owner, 'late@example.com', [/View Emails/]);
    link.expired = await invitationLinkFromMailCatcher(owner, 'late@example.com');
    e2e.running.clock.advance(8 * DAY);
    await invite(owner, LONG_EMAIL, [/View & Pay Invoices/, /View & Open Support Tickets/, /View Domains/, /Manage Contacts/]);
    await invite(owner, MEMBER_EMAIL, [/View & Pay Invoices/]);
    link.member = await invitationLinkFromMailCatcher(owner, MEMBER_EMAIL);
    await invite(owner, BOB.email, [/View & Accept Quotes/]);
    link.bob = await invitationLinkFromMailCatcher(owner, BOB.email);
    await invite(owner, 'carol@example.com', [/View Emails/]);
    link.carol = await invitationLinkFromMailCatcher(owner, 'carol@example.com');

    await member.goto(link.member);
    await member.getByLabel('Your name').fill(MEMBER_NAME);
    await member.getByLabel('Choose a password').fill('anna-password-1');
    await member.getByRole('button', { name: 'Create a login' }).click();
    await member.getByText('Welcome! You now have access to Sunrise Bakery, and you are now working in it.').waitFor();
    await bob.goto('/login');
    await logIn(bob, BOB.email, BOB.password);
    await bob.getByRole('heading', { name: 'Welcome, Bob Builder' }).waitFor();
  });

  it('fits the users page, with a long name, long emails and an expired invitation, on a phone', async () => {
    await owner.goto('/account/users/');
    await owner.getByRole('heading', { name: 'User Management' }).waitFor();
    await expectFitsPhoneAndDesktop(owner, 'the users page');
    // One phone screen: the member's card with its actions, then the invitations.
    await owner.getByRole('heading', { name: 'Users', exact: true }).evaluate((h) => h.scrollIntoView());
    await screenshot(owner, 'phone-users', { fullPage: false });
    await owner.evaluate(() => window.scrollTo(0, 0));
  });

  it("keeps the rubbish-bin action's name and a finger-sized target on a phone", async () => {
    const remove = owner.getByRole('link', { name: `Remove ${MEMBER_NAME}` });
    const box = await remove.boundingBox();
    expect(box?.width).to.be.at.least(44);
    expect(box?.height).to.be.at.least(44);
    expect(await owner.getByRole('button', { name: 'Resend' }).count()).to.be.at.least(1);
  });

  it('fits the users page written right to left', async () => {
    await owner.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    expect(await owner.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await owner.evaluate(() => document.documentElement.removeAttribute('dir'));
  });

  it('turns transitions off for people who ask for reduced motion', async () => {
    const duration = () =>
      owner
        .locator('.au-button')
        .first()
        .evaluate((el) => getComputedStyle(el).transitionDuration);
    expect(await duration()).to.not.equal('0s');
    await owner.emulateMedia({ reducedMotion: 'reduce' });
    expect(await duration()).to.equal('0s');
    await owner.emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('fits the invite form, and the invite form with its errors', async () => {
    await owner.getByRole('link', { name: 'Invite New User' }).click();
    await owner.getByLabel('Email Address').fill('someone.with.a.long.address@example.com');
    await owner.getByRole('checkbox', { name: /View & Pay Invoices/ }).check();
    await expectFitsPhoneAndDesktop(owner, 'the invite form');
    // One phone screen from the top: the portal's header, its sections' row, the form.
    await owner.evaluate(() => window.scrollTo(0, 0));
    await screenshot(owner, 'phone-invite', { fullPage: false });
    await owner.getByLabel('Email Address').fill('not an address');
    await owner.getByRole('button', { name: 'Send Invite' }).click();
    await owner.getByText('Please correct the following:').waitFor();
    await expectFitsPhoneAndDesktop(owner, 'the invite form with errors');
  });

  it('fits the member permissions page', async () => {
    await owner.goto('/account/users/');
    await owner
      .getByRole('row', { name: new RegExp(MEMBER_NAME) })
      .getByRole('link', { name: 'Manage permissions' })
      .click();
    await owner.getByRole('heading', { name: /Manage permissions/ }).waitFor();
    await expectFitsPhoneAndDesktop(owner, 'the member permissions page');
  });

  it('fits the remove confirmation', async () => {
    await owner.goto('/account/users/');
    await owner.getByRole('link', { name: `Remove ${MEMBER_NAME}` }).click();
    await owner.getByRole('heading', { name: 'Remove user?' }).waitFor();
    await expectFitsPhoneAndDesktop(owner, 'the remove confirmation');
  });

  it('fits the activity log', async () => {
    await owner.goto('/account/users/activity');
    await expectFitsPhoneAndDesktop(owner, 'the activity page');
  });

  it('fits the accept page offering a new address "Create a login"', async () => {
    await visitor.goto(link.carol);
    await visitor.getByRole('button', { name: 'Create a login' }).waitFor();
    await expectFitsPhoneAndDesktop(visitor, 'the accept page for a new address');
  });

  it('fits the accept page offering an existing login "Sign in to accept"', async () => {
    await visitor.goto(link.bob);
    await visitor.getByRole('link', { name: 'Sign in to accept' }).waitFor();
    await expectFitsPhoneAndDesktop(visitor, 'the accept page for an existing login');
  });

  it('fits the accept page signed in as someone else, before and after trying to accept', async () => {
    await bob.goto(link.carol);
    await bob.locator('main').getByRole('button', { name: 'Sign out' }).waitFor();
    await expectFitsPhoneAndDesktop(bob, 'the accept page signed in as someone else');
    // Accepting anyway (a stale tab, say) answers the mismatch page; the form is the sign-out one pointed at accept.
    await bob.locator('form[action$="/signout"]').evaluate((form: HTMLFormElement) => {
      form.action = form.action.replace(/\/signout$/, '');
      form.submit();
    });
    await bob.getByText('This invitation was sent to carol@example.com').waitFor();
    await expectFitsPhoneAndDesktop(bob, 'the mismatch page');
  });

  it('fits the accept page signed in, and the accounts page after accepting', async () => {
    await bob.goto(link.bob);
    await bob.getByRole('button', { name: 'Accept Invitation' }).waitFor();
    await expectFitsPhoneAndDesktop(bob, 'the accept page signed in');
    await bob.getByRole('button', { name: 'Accept Invitation' }).click();
    await bob.getByText(/^Welcome! You now have access to Sunrise Bakery. You are now working in Sunrise Bakery instead of /).waitFor();
    await expectFitsPhoneAndDesktop(bob, 'the accounts page');
  });

  it('fits the expired invitation page', async () => {
    const response = await visitor.goto(link.expired);
    expect(response?.status()).to.equal(410);
    await expectFitsPhoneAndDesktop(visitor, 'the expired invitation page');
  });

  it('fits the 403 page a member gets from User Management', async () => {
    const response = await member.goto('/account/users/');
    expect(response?.status()).to.equal(403);
    await expectFitsPhoneAndDesktop(member, 'the 403 page');
  });

  it('fits the 404 page of an unknown invitation link', async () => {
    const response = await visitor.goto(`/account/users/accept/${'x'.repeat(43)}`);
    expect(response?.status()).to.equal(404);
    await expectFitsPhoneAndDesktop(visitor, 'the 404 page');
  });

  it('fits the profile page of au.userRouter, with a long name and email', async () => {
    const response = await member.goto('/user/profile');
    expect(response?.status()).to.equal(200);
    await expectFitsPhoneAndDesktop(member, 'the profile page');
  });

  it('fits the forgotten-password page', async () => {
    const response = await visitor.goto('/user/password/forgot');
    expect(response?.status()).to.equal(200);
    await expectFitsPhoneAndDesktop(visitor, 'the forgotten-password page');
  });

  it('fits the ownership transfer page, listing a long name and email', async () => {
    const response = await owner.goto('/account/users/transfer');
    expect(response?.status()).to.equal(200);
    await expectFitsPhoneAndDesktop(owner, 'the ownership transfer page');
  });

  // Last: once the limit is reached, every view of a dead link from this address is refused for a while.
  it('fits the 429 page after too many views of dead invitation links', async () => {
    const attempt = `${e2e.running.url}/account/users/accept/${'y'.repeat(43)}`;
    for (let i = 0; i < 150 && (await visitor.request.get(attempt)).status() !== 429; i++);
    const response = await visitor.goto(attempt);
    expect(response?.status()).to.equal(429);
    await visitor.getByRole('heading', { name: 'Please wait' }).waitFor();
    await expectFitsPhoneAndDesktop(visitor, 'the 429 page');
  });
});

/** The same pages with no host layout around them: the kit's own layout.hbs and au.css alone. */
describe('kit pages in their built-in layout on a phone and on a desktop in a real browser', () => {
  const e2e = hostInChromium();
  let owner: Page;
  let visitor: Page;

  before(async () => {
    [owner, visitor] = await Promise.all([e2e.person(PHONE), e2e.person(PHONE)]);
    const api = await e2e.world.ownerBrowser();
    await addMember(e2e.world, api, MEMBER_EMAIL, ['invoices', 'tickets'], { name: MEMBER_NAME });
    await inviteOverHttp(api, LONG_EMAIL, ['invoices', 'tickets', 'domains', 'contacts']);
    await owner.request.post('/login', { form: { email: OWNER.email, password: OWNER.password } });
  });

  it('fits the users page', async () => {
    await owner.goto('/account/users/');
    await owner.getByRole('heading', { name: 'User Management' }).waitFor();
    await expectFitsPhoneAndDesktop(owner, 'the users page in the built-in layout');
  });

  it('fits the invite form', async () => {
    await owner.goto('/account/users/invite');
    await expectFitsPhoneAndDesktop(owner, 'the invite form in the built-in layout');
  });

  it('fits the accept page', async () => {
    await visitor.goto(linkPath(e2e.world, LONG_EMAIL));
    await visitor.getByRole('button', { name: 'Create a login' }).waitFor();
    await expectFitsPhoneAndDesktop(visitor, 'the accept page in the built-in layout');
  });
});
