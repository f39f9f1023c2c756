import { expect } from 'chai';
import { accountUsers, PERMISSIONS, type AccountUsers, type AccountUsersOptions, type PermissionKey } from '../lib/index.js';
import { grants } from '../lib/permissions.js';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import { addMember } from './support/members.js';

const KEYS = PERMISSIONS.map((p) => p.key);

/** Every subset of the thirteen keys, as arrays (8192 of them). */
function allSubsets(keys: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 0; mask < 1 << keys.length; mask++) out.push(keys.filter((_, i) => mask & (1 << i)));
  return out;
}

describe('the permission catalogue', () => {
  it('holds exactly the thirteen WHMCS keys, in WHMCS order', () => {
    expect(PERMISSIONS.map((p) => p.key)).to.deep.equal([
      'profile',
      'contacts',
      'products',
      'manageproducts',
      'productsso',
      'domains',
      'managedomains',
      'invoices',
      'quotes',
      'tickets',
      'affiliates',
      'emails',
      'orders',
    ]);
  });

  it('labels and describes each permission in the wording customers know', () => {
    expect(PERMISSIONS.map((p) => [p.key, p.label, p.description])).to.deep.equal([
      ['profile', 'Modify Master Account Profile', 'Access and change client profile information'],
      ['contacts', 'View & Manage Contacts', 'Access and manage contacts'],
      ['products', 'View Products & Services', 'View access to products, services, and addons'],
      ['manageproducts', 'View & Modify Product Passwords', 'Allow password resets and other actions'],
      ['productsso', 'Perform Single Sign-On', 'Enable single sign-on into services'],
      ['domains', 'View Domains', 'Access to view domain registrations'],
      ['managedomains', 'Manage Domain Settings', 'Permit domain management such as nameservers/whois/transfers'],
      ['invoices', 'View & Pay Invoices', 'View and pay invoices'],
      ['quotes', 'View & Accept Quotes', 'View and approve quotes'],
      ['tickets', 'View & Open Support Tickets', 'Access to create, respond to, and manage support tickets'],
      ['affiliates', 'View & Manage Affiliate Account', 'Access to view and request withdrawals'],
      ['emails', 'View Emails', 'Access to review account email history'],
      ['orders', 'Place New Orders/Upgrades/Cancellations', 'Enable placement of new orders'],
    ]);
  });

  it('warns only about the profile permission', () => {
    const warned = PERMISSIONS.filter((p) => 'warning' in p && p.warning);
    expect(warned.map((p) => [p.key, (p as { warning?: string }).warning])).to.deep.equal([
      ['profile', 'Please consider carefully before granting this permission'],
    ]);
  });
});

describe('grants(), the pure permission check', () => {
  const subsets = allSubsets(KEYS);

  it('lets the owner through for every requirement, whatever the stored row holds', () => {
    const refused = subsets.filter((held) =>
      [KEYS, [], ['invoices'], ['a-key-added-later']].some((required) => !grants({ isOwner: true, permissions: held }, required)),
    );
    expect(refused).to.deep.equal([]);
  });

  it('lets a member through for one key exactly when they hold it (all 8192 grant sets x 13 keys)', () => {
    const wrong: string[] = [];
    for (const held of subsets) {
      for (const key of KEYS) {
        if (grants({ isOwner: false, permissions: held }, [key]) !== held.includes(key)) wrong.push(`${held.join(',')} / ${key}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('requires a member to hold every named key (all 8192 grant sets x 78 pairs)', () => {
    const wrong: string[] = [];
    for (const held of subsets) {
      for (let i = 0; i < KEYS.length; i++) {
        for (let j = i + 1; j < KEYS.length; j++) {
          const required = [KEYS[i]!, KEYS[j]!];
          const expected = held.includes(KEYS[i]!) && held.includes(KEYS[j]!);
          if (grants({ isOwner: false, permissions: held }, required) !== expected) wrong.push(`${held.join(',')} / ${required.join(',')}`);
        }
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('refuses a member holding twelve keys the thirteenth, and all thirteen together', () => {
    for (const missing of KEYS) {
      const held = KEYS.filter((k) => k !== missing);
      expect(grants({ isOwner: false, permissions: held }, [missing]), missing).to.equal(false);
      expect(grants({ isOwner: false, permissions: held }, KEYS), missing).to.equal(false);
    }
    expect(grants({ isOwner: false, permissions: KEYS }, KEYS)).to.equal(true);
  });

  it('does not let a member through on a key added after their grant', () => {
    expect(grants({ isOwner: false, permissions: KEYS }, ['reports'])).to.equal(false);
  });
});

describe('host-added permissions (the `permissions` option)', () => {
  const REPORTS = { key: 'reports', label: 'View Reports', description: 'Read the monthly usage reports' };
  const world = new World();
  before(async () => {
    await world.setUp({ permissions: [REPORTS] });
    // The typed kit a host would hold: its key union includes 'reports'.
    const au = world.host.au as unknown as AccountUsers<PermissionKey | 'reports'>;
    world.host.app.get('/host/reports', au.requirePermission('reports'), (_req, res) => res.json({ ok: 'reports' }));
  });
  after(() => world.tearDown());

  it('lists host permissions after the thirteen built-ins', () => {
    expect(world.host.au.permissions.map((p) => p.key)).to.deep.equal([...KEYS, 'reports']);
    expect(world.host.au.permissions[13]).to.deep.equal(REPORTS);
  });

  it('offers a host permission on the invite form', async () => {
    const owner = await world.ownerBrowser();
    const form = await owner.get(`${MOUNT}/invite`);
    expect(form.text).to.contain('View Reports').and.contain('value="reports"');
  });

  it('grants and guards a host permission like a built-in one', async () => {
    const owner = await world.ownerBrowser();
    const reader = await addMember(world, owner, 'reader@example.com', ['reports']);
    const other = await addMember(world, owner, 'other@example.com', ['invoices']);
    expect((await reader.browser.agent.get('/host/reports')).status).to.equal(200);
    expect((await reader.browser.agent.get('/host/invoices')).status).to.equal(403);
    expect((await other.browser.agent.get('/host/reports')).status).to.equal(403);
    expect((await owner.agent.get('/host/reports')).status).to.equal(200);
  });
});

// Never called: `npm run typecheck` proves each @ts-expect-error line below is a type error.
function permissionKeysAreChecked(au: AccountUsers, options: AccountUsersOptions) {
  // @ts-expect-error 'invocies' is a typo of 'invoices', not a permission key
  au.requirePermission('invocies');
  // @ts-expect-error 'reports' is not built in
  au.requirePermission('invoices', 'reports');
  au.requirePermission('invoices', 'tickets');
  const withReports = accountUsers({ ...options, permissions: [{ key: 'reports', label: 'View Reports', description: '' }] });
  withReports.requirePermission('reports', 'invoices');
  // @ts-expect-error a typo of a host key is caught too
  withReports.requirePermission('reprots');
  // @ts-expect-error manageusers exists only with the delegation option
  au.requirePermission('manageusers');
  const delegating = accountUsers({ ...options, delegation: true });
  delegating.requirePermission('manageusers', 'invoices');
}
void permissionKeysAreChecked;
