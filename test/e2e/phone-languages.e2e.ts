import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { portalInChromium } from './support/fixtures.js';
import { boxesPastTheEdge, expectAccessible, invitationLinkFromMailCatcher, invite, logIn, logInAsOwner, settled, type Viewport } from './support/browser.js';
import { DEMO_OWNER } from './support/portal.js';
import type { PermissionKey } from '../../lib/index.js';
import { codeAt } from '../support/two-factor.js';

const PHONE: Viewport = { width: 360, height: 740 };
const DESKTOP: Viewport = { width: 1280, height: 800 };
const DAY = 24 * 60 * 60 * 1000;
const LANGUAGES = ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'nl-NL', 'pt-BR', 'ar'];
const MEMBER_PASSWORD = 'member-password-1';
const MEMBER = { email: 'anna-katharina.bartholomew@accounts-payable.example.com', name: 'Anna-Katharina Bartholomew' };

/** The document width and every box inside the screen, and no serious axe violation. */
async function expectFits(page: Page, what: string): Promise<void> {
  await settled(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `document width of ${what}`).to.be.at.most(PHONE.width);
  expect(await boxesPastTheEdge(page), `text past the screen's edge on ${what}`).to.deep.equal([]);
}

/** A label of a card (the cell's ::before) that overlaps the next card line: the bottom of each label within its cell. */
function labelsOutsideTheirCell(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('td[data-label]'))
      .filter((cell) => {
        const label = getComputedStyle(cell, '::before');
        // A floated label grows its cell (display: flow-root): its height fits inside the cell's.
        return label.float !== 'none' && parseFloat(label.height) > cell.getBoundingClientRect().height + 0.5;
      })
      .map((cell) => cell.getAttribute('data-label') ?? ''),
  );
}

type Look = { width: number; colorScheme: 'light' | 'dark' };
/**
 * axe at 360 and 1280 px, light and dark, on the pages of the second test, without running it
 * 4 × 7 times a page (about 1.7 s each on CI's two cores): the nth page measured is checked in two
 * looks that between them cover both sizes and both schemes (360 light and 1280 dark, or 360 dark
 * and 1280 light, alternating), each in another language, so every look runs in every language on
 * some pages and the file stays within a few minutes.
 */
const LOOKS: Look[] = [
  { width: 360, colorScheme: 'light' },
  { width: 1280, colorScheme: 'dark' },
  { width: 360, colorScheme: 'dark' },
  { width: 1280, colorScheme: 'light' },
];
function looksFor(pageIndex: number, languageIndex: number): Look[] {
  return [0, 1].filter((k) => (pageIndex + 3 * k) % LANGUAGES.length === languageIndex).map((k) => LOOKS[(pageIndex % 2) * 2 + k]!);
}

async function accessibleAt(page: Page, what: string, at: Look): Promise<void> {
  await page.setViewportSize({ width: at.width, height: PHONE.height });
  await page.emulateMedia({ colorScheme: at.colorScheme });
  // The colour transitions of the new scheme end before axe reads the colours.
  await settled(page);
  await expectAccessible(page, `${what} at ${at.width} px, ${at.colorScheme}`);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(PHONE);
}

describe('every kit page at 360 px in all seven languages: no sideways scroll, no text past the edge', function () {
  this.timeout(120_000);
  const e2e = portalInChromium();
  const link = { expired: '', fresh: '' };
  const api = () => e2e.running.portal.au.api;
  const ids = { owner: 0, account: 0, member: 0, ended: 0, suspended: 0, removed: 0 };

  /** A login of their own made a user of the demo account (what the pages below need of them is set up through au.api). */
  async function joined(email: string, name: string, permissions: PermissionKey[], accessUntil?: Date): Promise<number> {
    const { owner: user } = await api().createAccount({ name: `${name}'s shop`, owner: { email, name, password: MEMBER_PASSWORD, emailVerified: true } });
    const actor = { userId: ids.owner };
    const { invitation } = await api().invite({ actor, accountId: ids.account, email, permissions, send: false, ...(accessUntil ? { accessUntil } : {}) });
    await api().acceptInvitation({ userId: user.id, invitationId: invitation.id });
    return user.id;
  }

  before(async () => {
    ids.owner = (await api().findUserByEmail({ email: DEMO_OWNER.email }))!.id;
    ids.account = (await api().accountsOf({ userId: ids.owner }))[0]!.account.id;
    const owner = await e2e.person(PHONE, 'en-US');
    await logInAsOwner(owner);
    await invite(owner, 'late@example.com', [/View Emails/]);
    link.expired = await invitationLinkFromMailCatcher(owner, 'late@example.com');
    // Access that ends with the clock's jump below: the ended-access form.
    ids.ended = await joined(
      'wilhelmina.ended@accounts-payable.example.com',
      'Wilhelmina Ended-Access',
      ['invoices', 'orders'],
      new Date(e2e.running.clock.now().getTime() + DAY),
    );
    e2e.running.clock.advance(8 * DAY);
    await invite(owner, MEMBER.email, [/View & Pay Invoices/, /Place New Orders/, /Manage Domain Settings/]);
    const memberLink = await invitationLinkFromMailCatcher(owner, MEMBER.email);
    await invite(owner, 'fresh@example.com', [/View Emails/]);
    link.fresh = await invitationLinkFromMailCatcher(owner, 'fresh@example.com');
    const member = await e2e.person(PHONE, 'en-US');
    await member.goto(memberLink);
    await member.getByLabel('Your name').fill(MEMBER.name);
    await member.getByLabel('Choose a password').fill(MEMBER_PASSWORD);
    await member.getByRole('button', { name: 'Create a login' }).click();
    await member.getByText(/Welcome!/).waitFor();
    ids.member = (await api().findUserByEmail({ email: MEMBER.email }))!.id;
    const inAccount = { actor: { userId: ids.owner }, accountId: ids.account };
    ids.suspended = await joined('susanne.suspended@accounts-payable.example.com', 'Susanne Suspended', ['tickets']);
    await api().suspendMember({ ...inAccount, userId: ids.suspended, reason: 'Elternzeit bis zum Frühjahr' });
    ids.removed = await joined('rainer.removed@accounts-payable.example.com', 'Rainer Removed', ['domains', 'managedomains']);
    await api().removeMember({ ...inAccount, userId: ids.removed });
  });

  for (const language of LANGUAGES) {
    it(`fits every page in ${language}`, async () => {
      const owner = await e2e.person(PHONE, language);
      const visitor = await e2e.person(PHONE, language);
      await logInAsOwner(owner);
      const memberId = await owner.evaluate(async (email) => {
        const res = await fetch('/account/users/?status=all', { headers: { accept: 'application/json' } });
        const body = (await res.json()) as { members: Array<{ userId: number; email: string }> };
        return body.members.find((m) => m.email === email)!.userId;
      }, MEMBER.email);
      const pages: Array<[Page, string, string]> = [
        [owner, '/account/users/', 'the users page'],
        [owner, '/account/users/?status=history', 'the users page, history'],
        [owner, '/account/users/invite', 'the invite form'],
        [owner, `/account/users/users/${memberId}`, 'the permissions form'],
        [owner, `/account/users/users/${memberId}/remove`, 'the remove confirmation'],
        [owner, '/account/users/activity', 'the activity log'],
        [owner, '/account/users/accounts', 'the accounts page'],
        [owner, '/account/users/transfer', 'the ownership transfer page'],
        [owner, '/user/profile', 'the profile page'],
        [visitor, link.fresh, 'the accept page'],
        [visitor, link.expired, 'the expired invitation page'],
        [visitor, '/user/password/forgot', 'the forgotten-password page'],
        [visitor, `/account/users/accept/${'x'.repeat(43)}`, 'the 404 page'],
      ];
      for (const [page, path, what] of pages) {
        await page.goto(path);
        const where = `${what} in ${language}`;
        await expectFits(page, where);
        expect(await labelsOutsideTheirCell(page), `card labels taller than their cell on ${where}`).to.deep.equal([]);
        if (path === '/account/users/') await expectAccessible(page, where);
      }
    });
  }

  for (const language of LANGUAGES) {
    it(`fits the confirmations, the offer, two-factor sign-in, roster, bulk, address and email confirmation, and too-many pages in ${language}`, async () => {
      let measured = 0;
      const tag = language.toLowerCase();
      const owner = await e2e.person(PHONE, language);
      const member = await e2e.person(PHONE, language);
      const visitor = await e2e.person(PHONE, language);
      const mover = await e2e.person(PHONE, language);
      await logInAsOwner(owner);
      await member.goto('/login');
      await logIn(member, MEMBER.email, MEMBER_PASSWORD);
      const inAccount = { actor: { userId: ids.owner }, accountId: ids.account };
      const { transfer } = await api().offerOwnership({ ...inAccount, toUserId: ids.member });
      const offerMail = [...e2e.running.catcher.messages].reverse().find((m) => m.to.includes(MEMBER.email) && /\/transfer\/[\w-]{43}/.test(m.text));
      const offerPath = /\/account\/users\/transfer\/[\w-]{43}/.exec(offerMail!.text)![0];
      const fresh = (await api().listInvitations(inAccount)).items.find((i) => i.email === 'fresh@example.com')!;

      /** No sideways scroll, no text past the edge, no card label taller than its cell; and axe where this language takes a turn. */
      async function measure(page: Page, what: string): Promise<void> {
        const where = `${what} in ${language}`;
        await expectFits(page, where);
        expect(await labelsOutsideTheirCell(page), `card labels taller than their cell on ${where}`).to.deep.equal([]);
        for (const look of looksFor(measured++, LANGUAGES.indexOf(language))) await accessibleAt(page, where, look);
      }

      const pages: Array<[Page, string, string]> = [
        [owner, `/account/users/invitations/${fresh.id}/cancel`, 'the cancel-invitation confirmation'],
        [owner, '/account/users/transfer', 'the transfer page with an offer standing'],
        [owner, '/account/users/transfer/cancel', 'the withdraw-offer confirmation'],
        [owner, `/account/users/users/${ids.ended}`, 'the ended-access member form'],
        [owner, `/account/users/users/${ids.member}/suspend`, 'the suspend confirmation'],
        [owner, `/account/users/users/${ids.suspended}/reinstate`, 'the reinstate confirmation'],
        [owner, `/account/users/users/${ids.removed}/restore`, 'the restore confirmation'],
        [owner, '/account/users/security', 'the two-factor rule page'],
        [owner, '/user/two-factor', 'the two-factor page'],
        [owner, '/account/users/roster', 'the roster form'],
        [owner, '/account/users/invite/bulk', 'the bulk-invite form'],
        [member, '/account/users/accounts', 'the accounts page with an ownership offer'],
        [member, offerPath, 'the ownership offer page'],
        [member, `/account/users/accounts/offers/${transfer.id}/decline`, 'the decline-offer confirmation'],
        [member, `/account/users/accounts/${ids.account}/leave`, 'the leave confirmation'],
        [visitor, `${link.fresh}/decline`, 'the decline-invitation confirmation'],
      ];
      for (const [page, path, what] of pages) {
        await page.goto(path);
        await measure(page, what);
      }
      await api().cancelOwnershipOffer(inAccount);

      // The pages a form leads to. Two-factor sign-in, by a login of its own: the enrolment page,
      // the recovery codes (a code the app would show, from the page's secret at the portal's
      // clock), and the second step of the next sign-in.
      const enrolling = await e2e.person(PHONE, language);
      const twoFactorEmail = `tobias.two-factor-${tag}@accounts-payable.example.com`;
      await api().createAccount({
        name: `Two-factor ${tag}`,
        owner: { email: twoFactorEmail, name: 'Tobias Two-Factor', password: MEMBER_PASSWORD, emailVerified: true },
      });
      await enrolling.goto('/login');
      await logIn(enrolling, twoFactorEmail, MEMBER_PASSWORD);
      await enrolling.goto('/user/two-factor');
      await enrolling.locator('#au-enrol-password').fill(MEMBER_PASSWORD);
      await enrolling.locator('#au-enrol-password').press('Enter');
      await enrolling.locator('#au-code').waitFor();
      await measure(enrolling, 'the authenticator enrolment page');
      const secret = (await enrolling.locator('[data-field="secret"]').textContent())!.trim();
      await enrolling.locator('#au-code').fill(codeAt(secret, e2e.running.clock.now()));
      await enrolling.locator('#au-code').press('Enter');
      await enrolling.locator('[data-field="recovery-codes"] code').first().waitFor();
      expect(await enrolling.locator('[data-field="recovery-codes"] code').count(), `recovery codes in ${language}`).to.equal(10);
      await measure(enrolling, 'the recovery codes page');
      const signingIn = await e2e.person(PHONE, language);
      await signingIn.goto('/login');
      await logIn(signingIn, twoFactorEmail, MEMBER_PASSWORD);
      await signingIn.waitForLoadState();
      await signingIn.goto('/user/profile');
      await signingIn.waitForURL((url) => url.pathname === '/user/two-factor/verify');
      await signingIn.locator('#au-code').waitFor();
      await measure(signingIn, 'the second step of signing in');

      await owner.goto('/account/users/roster');
      await owner
        .locator('#au-roster')
        .fill(`${MEMBER.email},invoices;orders;domains;managedomains\nneue-kollegin-${tag}@accounts-payable.example.com,billing`);
      await owner.locator('form[action$="/roster"] button.au-button-primary').click();
      await owner.waitForLoadState();
      await measure(owner, 'the roster difference');

      await owner.goto('/account/users/invite/bulk');
      await owner.locator('#au-emails').fill(`bulk-one-${tag}@accounts-payable.example.com\nbulk-two-${tag}@accounts-payable.example.com\nnot-an-address`);
      const boxes = owner.locator('input[name="permissions"]');
      if ((await boxes.count()) > 0) await boxes.first().check();
      await owner.locator('form[action$="/invite/bulk"] button.au-button-primary').click();
      await owner.waitForLoadState();
      await measure(owner, 'the bulk-invite result');

      // An email change, confirmed from its link while signed in.
      const moverEmail = `maximiliane.mover-${tag}@accounts-payable.example.com`;
      await api().createAccount({
        name: `Mover ${tag}`,
        owner: { email: moverEmail, name: 'Maximiliane Mover', password: MEMBER_PASSWORD, emailVerified: true },
      });
      await mover.goto('/login');
      await logIn(mover, moverEmail, MEMBER_PASSWORD);
      await mover.goto('/user/profile');
      await mover.locator('#au-new-email').fill(`neu-${moverEmail}`);
      await mover.locator('#au-email-password').fill(MEMBER_PASSWORD);
      await mover.locator('#au-email-password').press('Enter');
      await mover.waitForLoadState();
      const changeMail = await expectMail(`neu-${moverEmail}`, /\/user\/email\/confirm\/[\w-]{43}/);
      await mover.goto(changeMail);
      await measure(mover, 'the email-change confirmation');
      await mover.locator('form[action*="/email/confirm/"] button[type=submit]').click();
      await mover.waitForLoadState();
      await measure(mover, 'the email-changed page');

      // A login's own address, confirmed from the link the kit mailed it: the page of the link, then where it leads.
      const checker = await e2e.person(PHONE, language);
      const checkerEmail = `valentina.verify-${tag}@accounts-payable.example.com`;
      await api().createAccount({ name: `Verify ${tag}`, owner: { email: checkerEmail, name: 'Valentina Verify', password: MEMBER_PASSWORD } });
      await checker.goto('/login');
      await logIn(checker, checkerEmail, MEMBER_PASSWORD);
      await checker.waitForLoadState();
      await checker.goto('/user/profile');
      await checker.locator('form[action$="/email/verify"] button[type=submit]').click();
      await checker.waitForLoadState();
      await checker.goto(await expectMail(checkerEmail, /\/user\/email\/verify\/[\w-]{43}/));
      await measure(checker, 'the address-confirmation page');
      await checker.locator('form[action*="/email/verify/"] button[type=submit]').click();
      await checker.waitForURL((url) => url.pathname === '/account/users/accounts');
      expect((await api().findUserByEmail({ email: checkerEmail }))!.emailVerified, `address confirmed in ${language}`).to.equal(true);
      await measure(checker, 'the accounts page after confirming the address');

      // Too many reset requests for one address: the sixth is refused with the too-many page.
      await visitor.goto('/user/password/forgot');
      await visitor.evaluate(async (email) => {
        const csrf = document.querySelector<HTMLInputElement>('input[name="_csrf"]')!.value;
        for (let i = 0; i < 5; i++) {
          await fetch('/user/password/forgot', { method: 'POST', body: new URLSearchParams({ _csrf: csrf, email }), redirect: 'manual' });
        }
      }, `nobody-${tag}@example.com`);
      await visitor.locator('#au-email').fill(`nobody-${tag}@example.com`);
      const [refused] = await Promise.all([
        visitor.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/user/password/forgot')),
        visitor.locator('#au-email').press('Enter'),
      ]);
      expect(refused.status(), 'the sixth reset request').to.equal(429);
      await visitor.waitForLoadState();
      await measure(visitor, 'the too-many-requests page');
    });
  }

  for (const language of LANGUAGES) {
    it(`fits the pages of links and where they end in ${language}: reset, declined, gone, used, another login's invitation, passkey sign-in`, async () => {
      const tag = language.toLowerCase();
      const visitor = await e2e.person(PHONE, language);
      const member = await e2e.person(PHONE, language);
      await member.goto('/login');
      await logIn(member, MEMBER.email, MEMBER_PASSWORD);
      await member.waitForLoadState();
      const inAccount = { actor: { userId: ids.owner }, accountId: ids.account };
      /** No sideways scroll, no text past the edge, no card label taller than its cell, axe at 360 px. */
      async function measure(page: Page, what: string): Promise<void> {
        const where = `${what} in ${language}`;
        await expectFits(page, where);
        expect(await labelsOutsideTheirCell(page), `card labels taller than their cell on ${where}`).to.deep.equal([]);
        await expectAccessible(page, where);
      }

      // A forgotten password: the page once sent, the reset page of the link, and the link once used.
      const resetEmail = `rosa.reset-${tag}@accounts-payable.example.com`;
      await api().createAccount({ name: `Reset ${tag}`, owner: { email: resetEmail, name: 'Rosa Reset', password: MEMBER_PASSWORD, emailVerified: true } });
      // The test's browsers share one IP, whose reset requests the too-many pages above used up: a new window.
      e2e.running.clock.advance(61 * 60 * 1000);
      await visitor.goto('/user/password/forgot');
      await visitor.locator('#au-email').fill(resetEmail);
      await visitor.locator('#au-email').press('Enter');
      await visitor.waitForLoadState();
      await measure(visitor, 'the forgotten-password page once sent');
      const resetPath = await expectMail(resetEmail, /\/user\/password\/reset\/[\w-]{43}/);
      await visitor.goto(resetPath);
      await measure(visitor, 'the reset page');
      await visitor.locator('#au-password').fill(`${MEMBER_PASSWORD}-new`);
      await visitor.locator('#au-password').press('Enter');
      await visitor.waitForLoadState();
      await visitor.goto(resetPath);
      await visitor.locator('h1').waitFor();
      await measure(visitor, 'the used reset link');

      // An invitation declined from its link, and its link after.
      const { link: declinedLink } = await api().invite({ ...inAccount, email: `dora.declines-${tag}@example.com`, permissions: ['invoices'], send: false });
      const declinedPath = new URL(declinedLink!).pathname;
      await visitor.goto(`${declinedPath}/decline`);
      await visitor.locator('form[action$="/decline"] button[type=submit]').click();
      await visitor.waitForLoadState();
      await measure(visitor, 'the declined page');
      await visitor.goto(declinedPath);
      await measure(visitor, "a declined invitation's link");

      // Another login's invitation, signed in: the accept page says so; a form sent from a tab that
      // still showed it before the sign-in is refused with the mismatch page.
      const { link: otherLink } = await api().invite({ ...inAccount, email: `otto.other-${tag}@example.com`, permissions: ['invoices'], send: false });
      const otherPath = new URL(otherLink!).pathname;
      await member.goto(otherPath);
      await measure(member, "another login's invitation, signed in");
      await member.evaluate((action) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        const csrf = document.createElement('input');
        csrf.type = 'hidden';
        csrf.name = '_csrf';
        csrf.value = document.querySelector<HTMLInputElement>('input[name="_csrf"]')!.value;
        form.append(csrf);
        document.body.append(form);
        form.submit();
      }, otherPath);
      await member.waitForLoadState();
      await member.locator('h1').waitFor();
      expect(await member.locator('[role=alert]').textContent(), `the mismatch page in ${language}`).to.include(`otto.other-${tag}@example.com`);
      // The refusal's own page, not the accept page again (which lists the permissions).
      expect(await member.locator('.au-permission-summary').count(), `the mismatch page in ${language}`).to.equal(0);
      await measure(member, 'the mismatch page');

      // Signing in with a passkey alone.
      await visitor.goto('/user/two-factor/passkeys/sign-in');
      await measure(visitor, 'the passkey sign-in page');
    });
  }

  /** The path of the newest link matching `pattern` in an email to `to`, once it has arrived. */
  async function expectMail(to: string, pattern: RegExp): Promise<string> {
    for (let tries = 0; tries < 50; tries++) {
      const mail = [...e2e.running.catcher.messages].reverse().find((m) => m.to.includes(to) && pattern.test(m.text));
      if (mail) return pattern.exec(mail.text)![0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no email to ${to} with ${pattern}`);
  }

  it('keeps addresses and times whole and the actions inside the panel on the 1280 px users table, in German', async () => {
    const owner = await e2e.person(DESKTOP, 'de-DE');
    await logInAsOwner(owner);
    await owner.goto('/account/users/?status=all');
    await settled(owner);
    const problems = await owner.evaluate(() => {
      const found: string[] = [];
      // An address may break after its @ or a dot, never inside a word.
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('.au-address'))) {
        const text = el.textContent ?? '';
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const chars: Array<{ ch: string; top: number }> = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.textContent!.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (rect) chars.push({ ch: node.textContent![i]!, top: Math.round(rect.top) });
          }
        }
        // An everyday address fits on one line.
        if (text.length <= 30 && new Set(chars.map((c) => c.top)).size > 1) found.push(`${text} on more than one line`);
        for (let i = 1; i < chars.length; i++) {
          if (chars[i]!.top > chars[i - 1]!.top + 2 && !'@.-'.includes(chars[i - 1]!.ch)) found.push(`${text} broken after "${text.slice(0, i)}"`);
        }
      }
      // A time ("vor 3 Sekunden") on one line.
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('time.au-rel'))) {
        if (el.getClientRects().length > 1) found.push(`time "${el.textContent}" on ${el.getClientRects().length} lines`);
      }
      const panel = document.querySelector('.au-main')!.getBoundingClientRect();
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('td.au-actions'))) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && (box.right > panel.right + 0.5 || box.left < panel.left - 0.5))
          found.push(`actions cell outside the panel: ${box.left}–${box.right}`);
        if (el.getClientRects().length && el.querySelector('svg') && el.querySelector('a')) {
          // The bin stays beside the action written before it (Manage, or Suspend where it is offered).
          const iconLink = el.querySelector('svg')!.closest('a')!;
          const icon = iconLink.getBoundingClientRect();
          const before = (iconLink.previousElementSibling ?? el.querySelector('a')!).getBoundingClientRect();
          if (Math.abs(icon.top - before.top) > before.height)
            found.push(
              `the bin icon on a line of its own, in the row of ${(el.closest('tr')?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 120)} (cell ${Math.round(box.width)} px wide)`,
            );
        }
      }
      return found;
    });
    expect(problems).to.deep.equal([]);
    expect(await owner.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(DESKTOP.width);
  });
});
