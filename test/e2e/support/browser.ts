import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'chai';
import { DEMO_OWNER } from './portal.js';

const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');

/** Debian's Chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface Viewport {
  width: number;
  height: number;
}

/**
 * A person's browser: its own cookies, a laptop-sized window unless told otherwise, and a short patience for missing elements.
 * With a `locale` (`de-DE`, `ar`) the browser speaks that language: navigator.language and the Accept-Language header.
 */
export async function newPerson(
  browser: Browser,
  baseURL: string,
  viewport: Viewport = { width: 1200, height: 800 },
  locale?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport, ...(locale ? { locale } : {}) });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchCsp(page);
  return { context, page };
}

const cspViolations = new WeakMap<Page, string[]>();

/** Chromium reports each Content-Security-Policy violation (an inline script, say) on the console. */
function watchCsp(page: Page): void {
  const seen: string[] = [];
  cspViolations.set(page, seen);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) seen.push(msg.text());
  });
}

/**
 * axe-core on the page as it stands: no serious or critical violation is acceptable. Legacy
 * mode runs axe in the page itself instead of gathering frame by frame into a new blank page
 * (the pages have no iframes), and only violations are collected: together about 2.5 times faster.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `accessibility of ${what}`).to.deep.equal([]);
  expect(cspViolations.get(page) ?? [], `Content-Security-Policy violations up to ${what}`).to.deep.equal([]);
}

/**
 * Every element with text of its own, or a control, whose box reaches past the screen's edges:
 * the document may not scroll sideways and still hide text under a clipped ancestor, so the boxes
 * themselves are measured, not only the document's width.
 */
export function boxesPastTheEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const past: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      const control = el.matches('a, button, input, select, textarea, label');
      if (!ownText && !control) continue;
      // Inside a strip that scrolls sideways on purpose (a portal's section tabs), or inside
      // visually hidden content (a table's header on a phone): not text past the edge.
      let hidden = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        const r = a.getBoundingClientRect();
        if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && r.left >= -0.5 && r.right <= width + 0.5) hidden = true;
        if (s.overflow === 'hidden' && r.width <= 1) hidden = true;
        if (hidden) break;
      }
      if (hidden) continue;
      const box = el.getBoundingClientRect();
      // Not rendered, or parked off-screen until focused (skip links, visually hidden text).
      if (box.width === 0 || box.height === 0 || box.right <= 0 || box.left >= width || (box.width <= 1 && box.height <= 1)) continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        past.push(
          `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''} "${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)}" ${Math.round(box.left)}–${Math.round(box.right)}`,
        );
      }
    }
    return past;
  });
}

/** Resolves when the page's CSS transitions and animations (after a change of colour scheme, say) have ended. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
}

/** Refreshes docs/screenshots on a developer's machine; CI (CI=true) leaves the committed ones alone. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (process.env.CI) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await settled(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** The permission keys of the sections in the portal's navigation, in order. */
export async function navSections(page: Page): Promise<string[]> {
  const keys = await page
    .locator('nav[aria-label="Client area"] a[data-section]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('data-section') ?? ''));
  return keys.filter((k) => k !== 'home');
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** From the login page, as the demo account's owner. */
export async function logInAsOwner(page: Page): Promise<void> {
  await page.goto('/login');
  await logIn(page, DEMO_OWNER.email, DEMO_OWNER.password);
}

/** The owner's invitation through User Management, as a person sends it: an email and the ticked permissions. */
export async function invite(owner: Page, email: string, permissions: RegExp[]): Promise<void> {
  await owner.getByRole('link', { name: 'User Management' }).first().click();
  await owner.getByRole('link', { name: 'Invite New User' }).click();
  await owner.getByLabel('Email Address').fill(email);
  for (const name of permissions) await owner.getByRole('checkbox', { name }).check();
  await owner.getByRole('button', { name: 'Send Invite' }).click();
  await owner.getByText(`Invitation sent to ${email}`).waitFor();
}

/** Opens the newest email to `to` at /dev/mail, as a person would, and returns its invitation link. */
export async function invitationLinkFromMailCatcher(page: Page, to: string): Promise<string> {
  await page.goto('/dev/mail');
  await page
    .getByRole('row', { name: new RegExp(to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
    .first()
    .getByRole('link')
    .click();
  const href = await page.getByRole('link', { name: /\/accept\// }).getAttribute('href');
  if (!href) throw new Error(`no invitation link in the email to ${to}`);
  return href;
}
