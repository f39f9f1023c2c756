import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { portalInChromium } from './support/fixtures.js';
import { boxesPastTheEdge, expectAccessible, invitationLinkFromMailCatcher, invite, logInAsOwner, settled, type Viewport } from './support/browser.js';

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

describe('every kit page at 360 px in all seven languages: no sideways scroll, no text past the edge', () => {
  const e2e = portalInChromium();
  const link = { expired: '', fresh: '' };

  before(async () => {
    const owner = await e2e.person(PHONE, 'en-US');
    await logInAsOwner(owner);
    await invite(owner, 'late@example.com', [/View Emails/]);
    link.expired = await invitationLinkFromMailCatcher(owner, 'late@example.com');
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
          if (Math.abs(icon.top - before.top) > before.height) found.push('the bin icon on a line of its own');
        }
      }
      return found;
    });
    expect(problems).to.deep.equal([]);
    expect(await owner.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(DESKTOP.width);
  });
});
