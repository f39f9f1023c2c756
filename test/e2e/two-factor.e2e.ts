import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { hostInChromium } from './support/fixtures.js';
import { OWNER } from '../support/world.js';
import { addMember, type Member } from '../support/members.js';
import { codeAt } from '../support/two-factor.js';
import { boxesPastTheEdge, expectAccessible, settled, type Viewport } from './support/browser.js';

const PHONE: Viewport = { width: 360, height: 740 };
const DAY = 24 * 60 * 60 * 1000;

/** No sideways scrolling on a 360 px phone, no text or control past the screen's edge, and no serious or critical axe violation. */
async function expectFitsPhone(page: Page, what: string): Promise<void> {
  await settled(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${what} scrolls sideways`).to.be.at.most(PHONE.width);
  expect(await boxesPastTheEdge(page), `text past the screen's edge on ${what}`).to.deep.equal([]);
  await expectAccessible(page, what);
}

/**
 * Two-factor sign-in as people do it in Chromium: the owner enrols an authenticator app from the
 * secret the page shows (the test computes the codes from it, as the app would), keeps the recovery
 * codes, signs out and in again with a code, and requires it of the account; a member without a
 * factor, on a phone in German, is sent to enrol once the grace is over, enrols there and signs in
 * again with a code. Each two-factor page (the QR code and secret, the recovery codes, the second
 * step, the owner's /security) is checked at 360 px in German: no sideways scrolling, every box
 * within the screen, axe.
 */
describe('two-factor sign-in in a real browser: enrol, sign in with a code, the account rule', () => {
  const e2e = hostInChromium();
  let owner: Page;
  let secret = '';
  let recoveryCodes: string[] = [];
  let member: Member;
  let phone: Page;
  let memberSecret = '';

  /** The code the app shows now (the owner's, or the one of `of`), one time step after the last one the test used. */
  const nextCode = (of = secret) => {
    e2e.world.host.clock.advance(30_000);
    return codeAt(of, e2e.world.host.clock.now());
  };

  before(async () => {
    owner = await e2e.person();
    member = await addMember(e2e.world, await e2e.world.ownerBrowser(), 'mitglied@example.com', ['invoices'], { name: 'Mia Mitglied' });
    await owner.request.post('/login', { form: { email: OWNER.email, password: OWNER.password } });
  });

  it('enrols an authenticator app on the two-factor page with a code made from the shown secret', async () => {
    await owner.goto('/user/two-factor');
    await owner.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await expectAccessible(owner, 'the two-factor page, off');
    await owner.locator('#au-enrol-password').fill(OWNER.password);
    await owner.getByRole('button', { name: 'Set Up Authenticator App' }).click();
    await owner.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    expect(await owner.getByRole('img', { name: 'QR code for your authenticator app' }).isVisible()).to.equal(true);
    secret = (await owner.locator('[data-field="secret"]').textContent())!.trim();
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    await expectAccessible(owner, 'the enrolment page');
    await owner.getByLabel('Code from your app').fill(nextCode());
    await owner.getByRole('button', { name: 'Confirm and Turn On' }).click();
    await owner.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    recoveryCodes = await owner.locator('[data-field="recovery-codes"] code').allTextContents();
    expect(recoveryCodes).to.have.length(10);
    await expectAccessible(owner, 'the recovery codes');
    await owner.getByRole('link', { name: 'I Have Saved Them' }).click();
    await owner.locator('[data-field="two-factor-status"]').getByText('On').waitFor();
  });

  it('signs out, and signs in again with the password and a code from the app', async () => {
    await owner.request.post('/logout');
    await owner.request.post('/login', { form: { email: OWNER.email, password: OWNER.password } });
    await owner.goto('/account/users/');
    await owner.getByRole('heading', { name: 'Enter your code' }).waitFor();
    expect(new URL(owner.url()).pathname).to.equal('/user/two-factor/verify');
    await expectAccessible(owner, 'the second step');
    await owner.getByLabel('Code from your app').fill(nextCode());
    await owner.getByRole('button', { name: 'Continue' }).click();
    await owner.waitForURL((url) => url.pathname === '/account/users/');
  });

  it('lets the owner require two-factor sign-in with a grace period on /security', async () => {
    await owner.goto('/account/users/security');
    await owner.getByRole('heading', { name: 'Security' }).waitFor();
    await owner.getByLabel('Require two-factor sign-in of everyone in this account').check();
    await owner.getByLabel('Grace period (days)').fill('1');
    await owner.getByRole('button', { name: 'Save' }).click();
    await owner.getByText('Two-factor sign-in is now required in this account.').waitFor();
    expect(await owner.locator(`tr[data-user-id="${member.userId}"] [data-field="factor"]`).textContent()).to.include('Not set up');
    await expectAccessible(owner, 'the security page with the rule on');
  });

  it('sends a member without a factor to enrol once the grace is over, on a 360 px phone in German', async () => {
    phone = await e2e.person(PHONE, 'de-DE');
    await phone.request.post('/login', { form: { email: member.email, password: member.password } });
    expect((await phone.request.get('/host/invoices', { headers: { accept: 'application/json' } })).status()).to.equal(200);
    e2e.world.host.clock.advance(2 * DAY);
    await phone.goto('/host/invoices');
    await phone.getByRole('heading', { name: 'Zwei-Faktor-Anmeldung' }).waitFor();
    expect(new URL(phone.url()).pathname).to.equal('/user/two-factor');
    expect(await phone.getByRole('button', { name: 'Authenticator-App einrichten' }).isVisible()).to.equal(true);
    await expectFitsPhone(phone, 'the enrol page of a member held to the rule, in German');
  });

  it('enrols the member on the phone in German: the QR code and secret page and the recovery codes fit 360 px', async () => {
    await phone.locator('#au-enrol-password').fill(member.password);
    await phone.getByRole('button', { name: 'Authenticator-App einrichten' }).click();
    await phone.getByRole('heading', { name: 'Authenticator-App einrichten' }).waitFor();
    memberSecret = (await phone.locator('[data-field="secret"]').textContent())!.trim();
    expect(memberSecret).to.match(/^[A-Z2-7]{32}$/);
    await expectFitsPhone(phone, 'the QR code and secret page, in German');
    await phone.getByLabel('Code aus Ihrer App').fill(nextCode(memberSecret));
    await phone.getByRole('button', { name: 'Bestätigen und einschalten' }).click();
    await phone.getByRole('heading', { name: 'Ihre Wiederherstellungscodes' }).waitFor();
    expect(await phone.locator('[data-field="recovery-codes"] code').count()).to.equal(10);
    await expectFitsPhone(phone, 'the recovery codes page, in German');
  });

  it('asks the member for the second step on the phone in German, and the verify page fits 360 px', async () => {
    await phone.request.post('/logout');
    await phone.request.post('/login', { form: { email: member.email, password: member.password } });
    await phone.goto('/host/invoices');
    await phone.getByRole('heading', { name: 'Code eingeben' }).waitFor();
    expect(new URL(phone.url()).pathname).to.equal('/user/two-factor/verify');
    await expectFitsPhone(phone, 'the verify page, in German');
    await phone.getByLabel('Code aus Ihrer App').fill(nextCode(memberSecret));
    await phone.getByRole('button', { name: 'Weiter' }).click();
    await phone.waitForURL((url) => url.pathname === '/host/invoices');
  });

  it("fits the owner's /security page (the rule and who has a factor) on a 360 px phone in German", async () => {
    const ownerPhone = await e2e.person(PHONE, 'de-DE');
    await ownerPhone.request.post('/login', { form: { email: OWNER.email, password: OWNER.password } });
    await ownerPhone.goto('/account/users/security');
    await ownerPhone.getByRole('heading', { name: 'Code eingeben' }).waitFor();
    await ownerPhone.getByLabel('Code aus Ihrer App').fill(nextCode());
    await ownerPhone.getByRole('button', { name: 'Weiter' }).click();
    await ownerPhone.getByRole('heading', { name: 'Sicherheit' }).waitFor();
    expect(new URL(ownerPhone.url()).pathname).to.equal('/account/users/security');
    await expectFitsPhone(ownerPhone, 'the security page with the rule on, in German');
  });
});
