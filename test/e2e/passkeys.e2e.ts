import { expect } from 'chai';
import type { CDPSession, Page } from 'playwright-core';
import { hostOnLocalhost } from './support/fixtures.js';
import { expectAccessible, type Viewport } from './support/browser.js';
import { addMember, type Member } from '../support/members.js';

const PHONE: Viewport = { width: 360, height: 740 };

/** A platform authenticator in the browser (CDP WebAuthn domain): user-verifying, with resident keys, always says yes. */
async function virtualAuthenticator(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return cdp;
}

/** The host's guarded route, asked for JSON: 401 when not (fully) signed in, 200 when let in. */
async function invoicesStatus(page: Page): Promise<number> {
  return (await page.request.get('/host/invoices', { headers: { Accept: 'application/json' }, maxRedirects: 0 })).status();
}

async function signInWithPassword(page: Page, m: Member): Promise<void> {
  const res = await page.request.post('/login', { form: { email: m.email, password: m.password }, maxRedirects: 0 });
  expect(res.status()).to.equal(303);
}

/**
 * Passkeys in Chromium with a virtual authenticator, on a phone: registered on the two-factor page,
 * then the second step after the password, then a sign-in with the passkey alone.
 */
describe('passkeys in a real browser with a virtual authenticator, on a phone', () => {
  const e2e = hostOnLocalhost((url) => ({ baseUrl: url, twoFactor: { passkeys: { rpID: 'localhost', origin: url } } }));
  let page: Page;
  let member: Member;

  before(async () => {
    page = await e2e.person(PHONE);
    await virtualAuthenticator(page);
    member = await addMember(e2e.world, await e2e.world.ownerBrowser(), 'passkey.person@example.com', ['invoices'], { name: 'Pat Passkey' });
    await signInWithPassword(page, member);
  });

  it('registers a passkey on the two-factor page, which turns two-factor on and shows the recovery codes', async () => {
    await page.goto('/user/two-factor');
    await expectAccessible(page, 'the two-factor page with passkeys');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await page.getByLabel('Name of the passkey').fill('Test phone');
    await page.getByLabel('Current password').last().fill(member.password);
    await page.getByRole('button', { name: 'Add a Passkey' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    const status = await e2e.world.host.au.api.twoFactorStatus({ userId: member.userId });
    expect(status.methods).to.deep.equal(['passkey']);
    await page.getByRole('link', { name: 'I Have Saved Them' }).click();
    await page.getByText('Test phone', { exact: true }).waitFor();
  });

  it('signs out, signs in with the password and gives the passkey as the second factor', async () => {
    await page.waitForLoadState('networkidle');
    await page.context().clearCookies();
    await signInWithPassword(page, member);
    expect(await invoicesStatus(page), 'the password alone').to.equal(401);
    await page.goto('/user/two-factor/verify?returnTo=%2Fuser%2Fprofile');
    await expectAccessible(page, 'the verify page with a passkey');
    await page.getByRole('button', { name: 'Use a Passkey' }).click();
    await page.waitForURL('**/user/profile');
    expect(await invoicesStatus(page)).to.equal(200);
  });

  it('signs out, then signs in with the passkey alone from the sign-in page', async () => {
    // Signed out as a browser forgets its session (the authenticator, bound to this page, stays).
    await page.waitForLoadState('networkidle');
    await page.context().clearCookies();
    expect(await invoicesStatus(page)).to.equal(401);
    await page.goto('/user/two-factor/passkeys/sign-in?returnTo=%2Fuser%2Fprofile');
    await expectAccessible(page, 'the passkey sign-in page');
    await page.getByRole('button', { name: 'Sign In with a Passkey' }).click();
    await page.waitForURL('**/user/profile');
    expect(await invoicesStatus(page)).to.equal(200);
  });
});
