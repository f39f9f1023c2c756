import { expect } from 'chai';
import { World, useWorld } from './support/world.js';
import { bareOptions, memoryKnex, MOUNT } from './support/app.js';
import { addMember } from './support/members.js';
import { newLogin, refusedWith } from './support/api.js';
import type { Knex } from 'knex';
import { accountUsers, OptionsError, type AccountUsersOptions } from '../lib/index.js';

const PRESETS = [
  { key: 'billing', label: 'Billing contact', permissions: ['invoices', 'quotes', 'orders', 'emails'] },
  { key: 'technical', label: 'Technical contact', permissions: ['products', 'manageproducts', 'domains', 'managedomains', 'tickets'] },
];

/** The boxes a rendered form has ticked, in page order. */
function ticked(html: string): string[] {
  return [...html.matchAll(/<input type="checkbox" name="permissions" value="([^"]+)"( checked)?>/g)].filter((m) => m[2]).map((m) => m[1]!);
}

describe('permission presets', () => {
  describe('the presets option', () => {
    let knex: Knex;
    before(() => {
      // Never queried: options are checked before any connection is made.
      knex = memoryKnex();
    });
    after(() => knex.destroy());
    const build = (options: Partial<AccountUsersOptions>) => () => accountUsers(bareOptions(knex, options)).close();

    it('accepts presets naming built-in and host permissions', () => {
      expect(
        build({
          permissions: [{ key: 'reports', label: 'Reports' }],
          presets: [...PRESETS, { key: 'analyst', label: 'Analyst', permissions: ['reports', 'invoices'] }],
        }),
      ).not.to.throw();
    });

    it('refuses a preset naming a permission the catalogue lacks, naming the preset and the key', () => {
      expect(build({ presets: [{ key: 'billing', label: 'Billing', permissions: ['invoices', 'invocies'] }] })).to.throw(OptionsError, /"billing".*"invocies"/);
    });

    it('refuses two presets with one key, naming it', () => {
      expect(
        build({
          presets: [
            { key: 'billing', label: 'Billing', permissions: ['invoices'] },
            { key: 'billing', label: 'Billing again', permissions: ['quotes'] },
          ],
        }),
      ).to.throw(OptionsError, /duplicates the preset key "billing"/);
    });
  });

  describe('in the forms', () => {
    const { world, owner } = useWorld({ presets: PRESETS }, { owner: 'signed-in' });

    it('offers each preset beside the invite form checkboxes, as a button that works without JavaScript', async () => {
      const page = await owner.get(`${MOUNT}/invite`);
      expect(page.text).to.include('name="applyPreset" value="billing"').and.to.include('>Billing contact</button>');
      expect(page.text).to.include('data-au-preset="invoices quotes emails orders"');
      expect(page.text).to.include('>Technical contact</button>');
    });

    it('answers a preset button on the invite form with the form again, its boxes ticked and the email kept, inviting nobody', async () => {
      await owner.get(`${MOUNT}/invite`);
      const before = await world.count('invitations');
      const res = await owner.post(`${MOUNT}/invite`, { email: 'billing-desk@example.com', permissions: ['affiliates'], applyPreset: 'billing' });
      expect(res.status).to.equal(200);
      expect(ticked(res.text)).to.deep.equal(['invoices', 'quotes', 'emails', 'orders']);
      expect(res.text).to.include('value="billing-desk@example.com"');
      expect(await world.count('invitations')).to.equal(before);

      // Submitting the form as it came back invites with exactly those permissions.
      const sent = await owner.post(`${MOUNT}/invite`, { email: 'billing-desk@example.com', permissions: ticked(res.text) });
      expect(sent.status, sent.text).to.equal(303);
      const row = await world.knex('au_invitations').where({ email: 'billing-desk@example.com' }).first();
      expect(JSON.parse(row.permissions)).to.deep.equal(['invoices', 'quotes', 'emails', 'orders']);
    });

    it('answers a preset button on the permissions form with the form again, changing nothing until saved', async () => {
      const member = await addMember(world, owner, 'tech@example.com', ['invoices']);
      await owner.get(`${MOUNT}/users/${member.userId}`);
      const res = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], applyPreset: 'technical' });
      expect(res.status).to.equal(200);
      expect(ticked(res.text)).to.deep.equal(['products', 'manageproducts', 'domains', 'managedomains', 'tickets']);
      const { member: view } = await world.host.au.api.getMember({ actor: { system: 'test' }, accountId: world.account.id, userId: member.userId });
      expect(view.permissions).to.deep.equal(['invoices']);
    });

    it('refuses an unknown preset button with 400 naming applyPreset', async () => {
      await owner.get(`${MOUNT}/invite`);
      const res = await owner.post(`${MOUNT}/invite`, { email: 'x@example.com', applyPreset: 'nonsense' });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('must be one of &quot;billing&quot;, &quot;technical&quot;');
    });

    it('takes `preset` over JSON on POST /invite and POST /users/:userId/permissions', async () => {
      await owner.getJson(`${MOUNT}/`);
      const invited = await owner.postJson(`${MOUNT}/invite`, { email: 'json-preset@example.com', preset: 'billing' });
      expect(invited.status, invited.text).to.equal(201);
      expect(invited.body.invitation.permissions).to.deep.equal(['invoices', 'quotes', 'emails', 'orders']);
      const member = await addMember(world, owner, 'json-member@example.com', ['invoices']);
      const set = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, { preset: 'technical', permissions: ['affiliates'] });
      expect(set.status, set.text).to.equal(200);
      expect(set.body.member.permissions).to.deep.equal(['products', 'manageproducts', 'domains', 'managedomains', 'tickets', 'affiliates']);
    });

    it('takes `preset` in au.api.invite and au.api.setPermissions, and refuses an unknown one on `preset`', async () => {
      const au = world.host.au;
      const login = await newLogin(au, 'api-preset');
      const { invitation } = await au.api.invite({
        actor: { system: 'test' },
        accountId: world.account.id,
        email: login.email,
        preset: 'technical',
        send: false,
      });
      expect(invitation.permissions).to.deep.equal(['products', 'manageproducts', 'domains', 'managedomains', 'tickets']);
      await au.api.acceptInvitation({ userId: login.userId, invitationId: invitation.id });
      const { member } = await au.api.setPermissions({ actor: { system: 'test' }, accountId: world.account.id, userId: login.userId, preset: 'billing' });
      expect(member.permissions).to.deep.equal(['invoices', 'quotes', 'emails', 'orders']);
      const err = await refusedWith(
        au.api.setPermissions({ actor: { system: 'test' }, accountId: world.account.id, userId: login.userId, preset: 'nope' }),
        'InvalidInputError',
      );
      expect(err.issues![0]!.field).to.equal('preset');
    });
  });
  describe('for a delegate (the delegation option)', () => {
    const world = new World();

    before(() => world.setUp({ presets: PRESETS, delegation: true }));
    after(() => world.tearDown());

    it('offers only the presets within the permissions the delegate holds', async () => {
      const owner = await world.ownerBrowser();
      const delegate = await addMember(world, owner, 'office-manager@example.com', ['manageusers', 'invoices', 'quotes', 'orders', 'emails']);
      const form = await delegate.browser.getJson(`${MOUNT}/invite`);
      expect(form.status, form.text).to.equal(200);
      expect(form.body.presets.map((p: { key: string }) => p.key)).to.deep.equal(['billing']);
      const page = await delegate.browser.get(`${MOUNT}/invite`);
      expect(page.text).to.include('value="billing"').and.not.to.include('value="technical"');
    });
  });
});
