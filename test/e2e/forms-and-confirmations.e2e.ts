import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_OWNER } from './support/portal.js';
import { portalInChromium } from './support/fixtures.js';
import type { PermissionKey } from '../../lib/index.js';
import { expectAccessible, logIn, logInAsOwner, settled } from './support/browser.js';

const TICKETS = 'View & Open Support Tickets';
const DOMAINS = 'View Domains';
// The first preset's permissions: what Enter used to apply instead of sending.
const BILLING = ['View & Pay Invoices', 'View & Accept Quotes', 'View Emails'];
const PASSWORD = 'member-password-1';
const HOUR = 3_600_000;

/** axe on the page as it stands, at 360 and 1280 px, light and dark. */
async function accessibleEverywhere(page: Page, what: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1200, height: 800 };
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      // The colour transitions of the new scheme must end before axe reads the colours.
      await settled(page);
      await expectAccessible(page, `${what} at ${width} px, ${colorScheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(size);
}

/**
 * The owner's and the invitee's forms in Chromium: Enter sends what is ticked (a preset is never
 * the default button), and every action nothing undoes asks first, on a page naming what happens.
 */
describe('forms that send on Enter and actions that ask first, in a real browser', () => {
  const e2e = portalInChromium();
  let owner: Page;
  let ownerId = 0;
  let accountId = 0;

  const api = () => e2e.running.portal.au.api;

  /** A login of their own (with an account of their own), made a user of the demo account with `permissions`. */
  async function member(email: string, name: string, permissions: PermissionKey[], accessUntil?: Date): Promise<number> {
    const { owner: user } = await api().createAccount({ name: `${name}'s shop`, owner: { email, name, password: PASSWORD, emailVerified: true } });
    const { invitation } = await api().invite({
      actor: { userId: ownerId },
      accountId,
      email,
      permissions,
      send: false,
      ...(accessUntil ? { accessUntil } : {}),
    });
    await api().acceptInvitation({ userId: user.id, invitationId: invitation.id });
    return user.id;
  }

  async function signedInAs(email: string): Promise<Page> {
    const page = await e2e.person();
    await page.goto('/login');
    await logIn(page, email, PASSWORD);
    return page;
  }

  /** The invitation's row of the users page, as the owner sees it. */
  const invitationRow = (email: string) => owner.getByRole('row', { name: new RegExp(email.replace(/[.]/g, '\\.')) }).first();

  before(async () => {
    const found = await api().findUserByEmail({ email: DEMO_OWNER.email });
    ownerId = found!.id;
    accountId = (await api().accountsOf({ userId: ownerId }))[0]!.account.id;
    owner = await e2e.person();
    await logInAsOwner(owner);
  });

  describe('Enter in the invite form', () => {
    async function openInviteForm(email: string): Promise<void> {
      await owner.goto('/account/users/invite');
      await owner.getByLabel('Email Address').fill(email);
      await owner.getByRole('checkbox', { name: new RegExp(TICKETS) }).check();
    }

    async function expectSentWithTicketsOnly(email: string): Promise<void> {
      await owner.getByText(`Invitation sent to ${email}`).waitFor();
      const text = (await invitationRow(email).textContent()) ?? '';
      expect(text).to.contain(TICKETS);
      for (const label of BILLING) expect(text).not.to.contain(label);
    }

    it('in the email field sends the invitation with exactly the ticked permissions', async () => {
      await openInviteForm('enter-email@example.com');
      await owner.getByLabel('Email Address').press('Enter');
      await expectSentWithTicketsOnly('enter-email@example.com');
    });

    it('on a ticked checkbox sends it too', async () => {
      await openInviteForm('enter-box@example.com');
      await owner.getByRole('checkbox', { name: new RegExp(TICKETS) }).press('Enter');
      await expectSentWithTicketsOnly('enter-box@example.com');
    });

    it('in "Access until" sends it with that end date', async () => {
      await openInviteForm('enter-until@example.com');
      const field = owner.getByLabel('Access until (optional)');
      await field.fill('2099-12-31T17:00');
      await field.press('Enter');
      await expectSentWithTicketsOnly('enter-until@example.com');
      expect(await invitationRow('enter-until@example.com').textContent()).to.contain('2099');
    });

    it('leaves the presets to a click (without one, nothing is applied)', async () => {
      await owner.goto('/account/users/invite');
      await accessibleEverywhere(owner, 'the invite form');
      const defaultButton = await owner.$eval('form.au-form', (form) => {
        const first = form.querySelector('button[type=submit], button:not([type])');
        return first ? { presetButton: first.hasAttribute('data-au-preset'), name: first.getAttribute('name') } : null;
      });
      expect(defaultButton).to.deep.equal({ presetButton: false, name: null });
    });
  });

  describe('Enter in the permissions form', () => {
    let userId = 0;
    before(async () => {
      userId = await member('perm-enter@example.com', 'Petra Perm', ['invoices']);
    });

    const saved = async () => (await api().getMember({ actor: { userId: ownerId }, accountId, userId })).member;

    it('on a checkbox saves exactly the ticked permissions', async () => {
      await owner.goto(`/account/users/users/${userId}`);
      await owner.getByRole('checkbox', { name: new RegExp(TICKETS) }).check();
      await owner.getByRole('checkbox', { name: new RegExp(TICKETS) }).press('Enter');
      await owner.getByText('Permissions for Petra Perm saved.').waitFor();
      expect((await saved()).permissions).to.deep.equal(['invoices', 'tickets']);
    });

    it('in "Access until" saves the permissions and the date', async () => {
      await owner.goto(`/account/users/users/${userId}`);
      await owner.getByRole('checkbox', { name: new RegExp(DOMAINS) }).check();
      const field = owner.getByLabel('Access until (optional)');
      await field.fill('2099-06-30T12:00');
      await field.press('Enter');
      await owner.getByText('Permissions for Petra Perm saved.').waitFor();
      const m = await saved();
      expect(m.permissions).to.deep.equal(['domains', 'invoices', 'tickets']);
      expect(m.accessUntil?.toISOString()).to.equal('2099-06-30T12:00:00.000Z');
    });
  });

  describe('a member whose access has ended', () => {
    let userId = 0;
    before(async () => {
      userId = await member('ended@example.com', 'Erik Ended', ['invoices'], new Date(e2e.running.clock.now().getTime() + HOUR));
      e2e.running.clock.advance(2 * HOUR);
    });

    const saved = async () => (await api().getMember({ actor: { userId: ownerId }, accountId, userId })).member;

    it('says so on the edit page and saves permission changes without touching the date', async () => {
      await owner.goto(`/account/users/users/${userId}`);
      await owner.getByText(/The access of Erik Ended ended on/).waitFor();
      await accessibleEverywhere(owner, 'the permissions form of an ended access');
      await owner.getByRole('checkbox', { name: new RegExp(TICKETS) }).check();
      await owner.getByRole('button', { name: 'Save Changes' }).click();
      await owner.getByText('Permissions for Erik Ended saved.').waitFor();
      const m = await saved();
      expect(m.permissions).to.deep.equal(['invoices', 'tickets']);
      expect(m.accessEnded).to.equal(true);
    });

    it('restores the access, without an end date when the field is left empty', async () => {
      await owner.goto(`/account/users/users/${userId}`);
      await owner.getByRole('radio', { name: /Restore access/ }).check();
      await owner.getByRole('button', { name: 'Save Changes' }).click();
      await owner.getByText('Permissions for Erik Ended saved.').waitFor();
      const m = await saved();
      expect(m.accessEnded).to.equal(false);
      expect(m.accessUntil).to.equal(null);
    });
  });

  describe('a second step for what cannot be undone', () => {
    it('cancels an invitation only from the page that names its address', async () => {
      await api().invite({ actor: { userId: ownerId }, accountId, email: 'to-cancel@example.com', permissions: ['tickets'], send: false });
      await owner.goto('/account/users/');
      await owner.getByRole('link', { name: 'Cancel invitation to to-cancel@example.com' }).click();
      await owner.getByRole('heading', { name: 'Cancel the invitation to to-cancel@example.com?' }).waitFor();
      expect(await invitationRowStatus('to-cancel@example.com')).to.equal('pending');
      await accessibleEverywhere(owner, 'the page asking to cancel an invitation');
      await owner.getByRole('button', { name: 'Cancel invitation to to-cancel@example.com' }).click();
      await owner.getByText('Invitation to to-cancel@example.com cancelled.').waitFor();
      expect(await invitationRowStatus('to-cancel@example.com')).to.equal('cancelled');
    });

    async function invitationRowStatus(email: string): Promise<string> {
      const page = await api().listInvitations({ actor: { userId: ownerId }, accountId });
      return page.items.find((i) => i.email === email)?.status ?? 'none';
    }

    it('declines an invitation from the link page only after asking', async () => {
      const { link } = await api().invite({ actor: { userId: ownerId }, accountId, email: 'no-thanks@example.com', permissions: ['tickets'], send: false });
      const visitor = await e2e.person();
      await visitor.goto(link!);
      await visitor.getByRole('link', { name: 'Decline' }).click();
      await visitor.getByRole('heading', { name: 'Decline the invitation to Sunrise Bakery?' }).waitFor();
      expect(await invitationRowStatus('no-thanks@example.com')).to.equal('pending');
      await accessibleEverywhere(visitor, 'the page asking to decline an invitation');
      await visitor.getByRole('button', { name: 'Decline the invitation to Sunrise Bakery' }).click();
      await visitor.getByRole('heading', { name: 'Invitation declined' }).waitFor();
      expect(await invitationRowStatus('no-thanks@example.com')).to.equal('declined');
    });

    it('declines an invitation from the accounts page only after asking', async () => {
      await api().createAccount({ name: 'Dora Decline Ltd', owner: { email: 'dora@example.com', name: 'Dora', password: PASSWORD, emailVerified: true } });
      await api().invite({ actor: { userId: ownerId }, accountId, email: 'dora@example.com', permissions: ['tickets'], send: false });
      const dora = await signedInAs('dora@example.com');
      await dora.goto('/account/users/accounts');
      await dora.getByRole('link', { name: 'Decline the invitation to Sunrise Bakery' }).click();
      await dora.getByRole('heading', { name: 'Decline the invitation to Sunrise Bakery?' }).waitFor();
      expect(await invitationRowStatus('dora@example.com')).to.equal('pending');
      await dora.getByRole('button', { name: 'Decline the invitation to Sunrise Bakery' }).click();
      await dora.getByText('You declined the invitation to Sunrise Bakery.').waitFor();
      expect(await invitationRowStatus('dora@example.com')).to.equal('declined');
    });

    it('leaves an account only after asking, from a button that is not a link-styled one', async () => {
      const userId = await member('leaver@example.com', 'Lea Leaver', ['tickets']);
      const lea = await signedInAs('leaver@example.com');
      await lea.goto('/account/users/accounts');
      const leave = lea.getByRole('link', { name: 'Leave Sunrise Bakery' });
      expect(await leave.getAttribute('class')).to.contain('au-button');
      await leave.click();
      await lea.getByRole('heading', { name: 'Leave Sunrise Bakery?' }).waitFor();
      expect((await api().accountsOf({ userId })).map((m) => m.account.name)).to.include('Sunrise Bakery');
      await accessibleEverywhere(lea, 'the page asking to leave an account');
      await lea.getByRole('button', { name: 'Leave Sunrise Bakery' }).click();
      await lea.getByText('You have left Sunrise Bakery.').waitFor();
      expect((await api().accountsOf({ userId })).map((m) => m.account.name)).not.to.include('Sunrise Bakery');
    });

    it('withdraws an ownership offer only after asking', async () => {
      const userId = await member('offered@example.com', 'Otto Offered', ['tickets']);
      await api().offerOwnership({ actor: { userId: ownerId }, accountId, toUserId: userId });
      await owner.goto('/account/users/transfer');
      await owner.getByRole('link', { name: 'Withdraw the offer' }).click();
      await owner.getByRole('heading', { name: 'Withdraw the offer of ownership to Otto Offered?' }).waitFor();
      expect(await owner.getByText('You offered ownership to Otto Offered').count()).to.equal(0);
      await accessibleEverywhere(owner, 'the page asking to withdraw an ownership offer');
      await owner.getByRole('button', { name: 'Withdraw the offer to Otto Offered' }).click();
      await owner.getByText('The ownership offer was withdrawn.').waitFor();
    });
  });

  describe('the keyboard on a confirmation page', () => {
    /** Tab presses from the page as it loads until the focus is on `target` (at most 40). */
    async function tabsTo(page: Page, target: string): Promise<number> {
      for (let tabs = 0; tabs <= 40; tabs++) {
        if (await page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, target)) return tabs;
        await page.keyboard.press('Tab');
      }
      return Infinity;
    }

    // It took 18 Tabs through the example portal's header (or the skip link, Enter and a Tab).
    it("reaches Remove in one Tab: the page starts at its heading, past the portal's header", async () => {
      const userId = await member('tabbed@example.com', 'Tess Tabbed', ['tickets']);
      await owner.goto(`/account/users/users/${userId}/remove`);
      expect(await owner.evaluate(() => document.activeElement?.tagName)).to.equal('H1');
      // Enter does not confirm by itself: the heading, not the button, has the focus.
      await owner.keyboard.press('Enter');
      expect(owner.url()).to.match(new RegExp(`/users/${userId}/remove$`));
      expect((await api().accountsOf({ userId })).map((m) => m.account.id)).to.include(accountId);
      expect(await tabsTo(owner, 'form button.au-button-danger')).to.equal(1);
      expect(await owner.evaluate(() => document.activeElement?.textContent)).to.equal('Confirm: remove Tess Tabbed');
    });

    it('reaches the button of every other confirmation (leave here) in one Tab too', async () => {
      await member('tabbed-leaver@example.com', 'Tilo Leaver', ['tickets']);
      const tilo = await signedInAs('tabbed-leaver@example.com');
      await tilo.goto(`/account/users/accounts/${accountId}/leave`);
      expect(await tabsTo(tilo, 'form[data-au-confirm] button')).to.equal(1);
    });
  });

  describe('the recipient of an ownership offer', () => {
    let userId = 0;
    let recipient: Page;
    before(async () => {
      userId = await member('heir@example.com', 'Hana Heir', ['tickets']);
      await member('gone@example.com', 'Gina Gone', ['tickets'], new Date(e2e.running.clock.now().getTime() + HOUR));
      e2e.running.clock.advance(2 * HOUR);
      recipient = await signedInAs('heir@example.com');
    });

    it('is offered "Choose…" and only members with access on the owner\'s form', async () => {
      await owner.goto('/account/users/transfer');
      const select = owner.getByLabel('New owner');
      expect(await select.inputValue()).to.equal('');
      const options = await select.locator('option').allTextContents();
      expect(options[0]).to.equal('Choose…');
      expect(options.join('\n')).to.contain('Hana Heir').and.not.contain('Gina Gone').and.not.contain('Sam Sunrise');
    });

    it('declines from the accounts page, after asking', async () => {
      await api().offerOwnership({ actor: { userId: ownerId }, accountId, toUserId: userId });
      await recipient.goto('/account/users/accounts');
      await accessibleEverywhere(recipient, 'the accounts page with an ownership offer');
      await recipient.getByRole('link', { name: 'Decline ownership of Sunrise Bakery' }).click();
      await recipient.getByRole('heading', { name: 'Decline ownership of Sunrise Bakery?' }).waitFor();
      await recipient.getByRole('button', { name: 'Decline ownership of Sunrise Bakery' }).click();
      await recipient.getByText('You declined ownership of Sunrise Bakery.').waitFor();
      expect((await api().accountsOf({ userId: ownerId })).find((m) => m.account.id === accountId)?.isOwner).to.equal(true);
    });

    it('accepts from the accounts page', async () => {
      await api().offerOwnership({ actor: { userId: ownerId }, accountId, toUserId: userId });
      await recipient.goto('/account/users/accounts');
      await recipient.getByRole('button', { name: 'Accept ownership of Sunrise Bakery' }).click();
      await recipient.getByText('You are now the owner of Sunrise Bakery.').waitFor();
      expect((await api().accountsOf({ userId })).find((m) => m.account.id === accountId)?.isOwner).to.equal(true);
    });
  });
});
