import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { hostInChromium } from './support/fixtures.js';
import { OWNER } from '../support/world.js';
import { addMember, type Member } from '../support/members.js';
import { expectAccessible } from './support/browser.js';

/** Reconciling a roster uploaded as a file (dry run, then apply) and downloading the members export, as an owner does them. */
describe('reconciling a roster and exporting the users in a real browser', () => {
  const e2e = hostInChromium();
  let owner: Page;
  let keep: Member;
  let leave: Member;
  let gone: Member;

  before(async () => {
    owner = await e2e.person();
    const api = await e2e.world.ownerBrowser();
    keep = await addMember(e2e.world, api, 'keep@roster.example.com', ['invoices'], { name: 'Kim Keep' });
    leave = await addMember(e2e.world, api, 'leave@roster.example.com', ['invoices', 'tickets'], { name: 'Lee Leave' });
    gone = await addMember(e2e.world, api, 'gone@roster.example.com', ['tickets'], { name: 'Gus Gone' });
    await owner.request.post('/login', { form: { email: OWNER.email, password: OWNER.password } });
  });

  it('reads an uploaded CSV, shows the difference (invite, suspend, remove) and changes nothing yet', async () => {
    await owner.goto('/account/users/');
    await owner.getByRole('link', { name: 'Reconcile a roster' }).click();
    await owner.getByRole('heading', { name: 'Reconcile a roster' }).waitFor();
    await expectAccessible(owner, 'the roster form');
    const csv = [
      'email,permissions,suspended',
      `${OWNER.email},,`,
      `${keep.email},invoices,no`,
      `${leave.email},invoices;tickets,yes`,
      'new@roster.example.com,invoices,',
    ].join('\n');
    await owner.getByLabel('Or read a file').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    // The page reads the file into the text area (its own script), where it can still be edited.
    await owner.waitForFunction(() => (document.getElementById('au-roster') as HTMLTextAreaElement).value.includes('new@roster.example.com'));
    await owner.getByRole('button', { name: 'Show the difference' }).click();
    await owner.getByRole('heading', { name: 'What the roster changes' }).waitFor();
    for (const heading of ['To invite (1)', 'To change (0)', 'To suspend (1)', 'To reinstate (0)', 'To remove (1)', 'Unchanged (2)']) {
      await owner.getByRole('heading', { name: heading }).waitFor();
    }
    await owner.getByRole('cell', { name: 'new@roster.example.com (invitation)' }).waitFor();
    await owner.getByRole('cell', { name: gone.email }).waitFor();
    await expectAccessible(owner, 'the roster difference');
    const { member } = await e2e.world.host.au.api.getMember({ actor: { system: 'test' }, accountId: e2e.world.account.id, userId: leave.userId });
    expect(member.suspended).to.equal(false);
  });

  it('applies it on the second click: invited, suspended, removed, in one step', async () => {
    await owner.getByRole('button', { name: 'Apply these changes' }).click();
    await owner.getByText('Roster applied: 1 invited, 0 changed, 1 suspended, 0 reinstated, 1 removed.').waitFor();
    await expectAccessible(owner, 'the users page after a roster');
    const api = e2e.world.host.au.api;
    const actor = { system: 'test' };
    expect((await api.getMember({ actor, accountId: e2e.world.account.id, userId: leave.userId })).member.suspended).to.equal(true);
    expect(await api.can({ userId: gone.userId, accountId: e2e.world.account.id }, 'tickets')).to.equal(false);
    const rows = await e2e.world.knex('au_activity').where({ account_id: e2e.world.account.id, action: 'roster.reconciled' });
    expect(rows).to.have.length(1);
  });

  it('downloads the users as CSV, with their suspension and two-factor status, which reads back as a roster that changes nothing', async () => {
    await owner.goto('/account/users/');
    const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('link', { name: 'Export users (CSV)' }).click()]);
    expect(download.suggestedFilename()).to.equal('members.csv');
    const text = await readFile(await download.path(), 'utf8');
    const rows = parse<Record<string, string>>(text, { bom: true, columns: true });
    expect(rows.map((r) => r.email).sort()).to.deep.equal([keep.email, leave.email, OWNER.email].sort());
    expect(rows.find((r) => r.email === leave.email)).to.include({ owner: 'no', permissions: 'invoices;tickets', suspended: 'yes', two_factor: 'no' });
    expect(rows.find((r) => r.email === keep.email)).to.include({ permissions: 'invoices', suspended: 'no' });
    expect(rows.find((r) => r.email === OWNER.email)).to.include({ owner: 'yes', suspended: 'no' });
    const { changes } = await e2e.world.host.au.api.reconcileRoster({ actor: { userId: e2e.world.ownerId }, accountId: e2e.world.account.id, csv: text });
    // The pending invitation is not a member, so not in the export: reading it back would cancel it.
    expect([changes.invite, changes.change, changes.suspend, changes.reinstate]).to.deep.equal([[], [], [], []]);
    expect(changes.remove.map((c) => c.email)).to.deep.equal(['new@roster.example.com']);
  });
});
