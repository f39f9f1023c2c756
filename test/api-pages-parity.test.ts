import { expect } from 'chai';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { addMember } from './support/members.js';

/** The same account actions, once through the pages' JSON routes and once through au.api. */
interface Driver {
  invite(email: string, permissions: string[]): Promise<Outcome>;
  resend(invitationId: number): Promise<Outcome>;
  cancel(invitationId: number): Promise<Outcome>;
  setPermissions(userId: number, permissions: string[]): Promise<Outcome>;
  remove(userId: number): Promise<Outcome>;
  members(): Promise<Outcome>;
  invitations(): Promise<Outcome>;
  activity(): Promise<Outcome>;
  /** The same actions by a member, who may not manage users. */
  inviteAsMember(email: string): Promise<Outcome>;
}

/** What a caller learns: the result, or the error's code and fields (HTTP status aside). */
type Outcome = { ok: unknown } | { error: { code: string; fields?: unknown } };

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

async function viaApi(work: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: json(await work()) };
  } catch (err) {
    const e = err as { code?: string; issues?: unknown };
    if (!e.code) throw err;
    return { error: e.issues ? { code: e.code, fields: e.issues } : { code: e.code } };
  }
}

function viaHttp(res: { status: number; body: Record<string, unknown> }, pick: (body: Record<string, unknown>) => unknown): Outcome {
  if (res.status >= 400) {
    const error = res.body.error as { code: string; fields?: unknown };
    return { error: error.fields ? { code: error.code, fields: error.fields } : { code: error.code } };
  }
  return { ok: json(pick(res.body)) };
}

const DRIVERS: Array<[string, (world: World, owner: Browser, member: Browser, memberId: number) => Driver]> = [
  [
    'pages (JSON routes)',
    (_world, owner, member) => ({
      invite: async (email, permissions) =>
        viaHttp(await owner.postJson(`${MOUNT}/invite`, { email, permissions }), (b) => ({
          invitation: b.invitation,
          outcome: b.outcome,
          delivery: b.delivery,
        })),
      resend: async (id) => viaHttp(await owner.postJson(`${MOUNT}/invitations/${id}/resend`, {}), (b) => ({ invitation: b.invitation, delivery: b.delivery })),
      cancel: async (id) => viaHttp(await owner.postJson(`${MOUNT}/invitations/${id}/cancel`, {}), (b) => b.invitation),
      setPermissions: async (userId, permissions) => viaHttp(await owner.postJson(`${MOUNT}/users/${userId}/permissions`, { permissions }), (b) => b.member),
      remove: async (userId) => viaHttp(await owner.postJson(`${MOUNT}/users/${userId}/remove`, {}), (b) => b.removed),
      members: async () => viaHttp(await owner.getJson(`${MOUNT}/`), (b) => b.members),
      invitations: async () => viaHttp(await owner.getJson(`${MOUNT}/?status=all`), (b) => b.invitations),
      activity: async () => viaHttp(await owner.getJson(`${MOUNT}/activity`), (b) => b.entries),
      inviteAsMember: async (email) => {
        await member.getJson(`${MOUNT}/accounts`);
        return viaHttp(await member.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] }), (b) => b);
      },
    }),
  ],
  [
    'au.api',
    (world, _owner, _member, memberId) => {
      const api = world.host.au.api;
      const as = { actor: { userId: world.ownerId }, accountId: world.account.id };
      return {
        invite: (email, permissions) =>
          viaApi(async () => {
            const r = await api.invite({ ...as, email, permissions: permissions as never[] });
            return { invitation: r.invitation, outcome: r.outcome, delivery: r.delivery };
          }),
        resend: (invitationId) =>
          viaApi(async () => {
            const r = await api.resendInvitation({ ...as, invitationId });
            return { invitation: r.invitation, delivery: r.delivery };
          }),
        cancel: (invitationId) => viaApi(async () => (await api.cancelInvitation({ ...as, invitationId })).invitation),
        setPermissions: (userId, permissions) => viaApi(async () => (await api.setPermissions({ ...as, userId, permissions: permissions as never[] })).member),
        remove: (userId) => viaApi(async () => (await api.removeMember({ ...as, userId })).member),
        members: () => viaApi(async () => (await api.listMembers(as)).items),
        invitations: () => viaApi(async () => (await api.listInvitations(as)).items),
        activity: () => viaApi(async () => (await api.listActivity(as)).items),
        inviteAsMember: (email) => viaApi(() => api.invite({ actor: { userId: memberId }, accountId: world.account.id, email, permissions: ['invoices'] })),
      };
    },
  ],
];

/** Times and IPs differ from run to run; everything else must not. */
function stable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) =>
    key === 'ip'
      ? '(the request IP; none from code)'
      : ['createdAt', 'sentAt', 'expiresAt', 'joinedAt', 'lastLoginAt', 'nextAttemptAt', 'at'].includes(key)
        ? typeof v
        : v,
  ) as unknown;
}

describe('pages and au.api give the same results for the same actions', () => {
  const results = new Map<string, Array<[string, unknown]>>();

  for (const [name, makeDriver] of DRIVERS) {
    it(`runs the script through ${name}`, async function () {
      this.timeout(30_000);
      const world = new World();
      await world.setUp();
      try {
        const owner = await world.ownerBrowser();
        await owner.getJson(`${MOUNT}/`);
        const bob = await addMember(world, owner, 'bob@example.test', ['invoices', 'tickets']);
        const carol = await addMember(world, owner, 'carol@example.test', ['domains']);
        const d = makeDriver(world, owner, bob.browser, bob.userId);
        const log: Array<[string, unknown]> = [];
        const step = async (label: string, outcome: Promise<Outcome>) => log.push([label, stable(await outcome)]);

        await step('invite dave', d.invite('Dave@Example.test ', ['quotes', 'invoices']));
        await step('invite erin', d.invite('erin@example.test', ['orders']));
        await step('invite dave again at once', d.invite('dave@example.test', ['emails']));
        await step('invite a bad address', d.invite('not an address', ['nope']));
        await step('invite a member', d.invite('bob@example.test', ['invoices']));
        await step('resend within the cooldown', d.resend(3));
        world.host.clock.advance(61_000);
        await step('resend dave', d.resend(3));
        await step('cancel erin', d.cancel(4));
        await step('cancel erin again', d.cancel(4));
        await step('cancel an unknown invitation', d.cancel(999));
        await step('set bob to nothing', d.setPermissions(bob.userId, []));
        await step('set bob to an unknown key', d.setPermissions(bob.userId, ['invocies']));
        await step("set the owner's permissions", d.setPermissions(world.ownerId, ['invoices']));
        await step('remove carol', d.remove(carol.userId));
        await step('remove carol again', d.remove(carol.userId));
        await step('remove the owner', d.remove(world.ownerId));
        await step('a member invites', d.inviteAsMember('frank@example.test'));
        await step('members', d.members());
        await step('invitations', d.invitations());
        await step('activity', d.activity());
        results.set(name, log);
      } finally {
        await world.tearDown();
      }
    });
  }

  it('records the same outcome for every step', () => {
    const [head, ...rest] = [...results.entries()];
    const [firstName, first] = head!;
    expect(first, firstName).to.have.length(20);
    // And the shared answers are the right ones.
    const outcome = (label: string) => first.find(([l]: [string, unknown]) => l === label)![1];
    expect(outcome('a member invites')).to.deep.equal({ error: { code: 'forbidden' } });
    expect(outcome('cancel an unknown invitation')).to.deep.equal({ error: { code: 'not_found' } });
    expect(outcome('resend within the cooldown')).to.deep.equal({ error: { code: 'too_many_requests' } });
    expect((outcome('invite a bad address') as { error: { fields: Array<{ field: string }> } }).error.fields.map((f) => f.field)).to.deep.equal([
      'email',
      'permissions',
    ]);
    expect((outcome('invite dave again at once') as { ok: { outcome: string } }).ok.outcome).to.equal('updated');
    expect((outcome('members') as { ok: Array<{ email: string; permissions: string[] }> }).ok.map((m) => [m.email, m.permissions.length])).to.deep.equal([
      ['owner@acme.test', 13],
      ['bob@example.test', 0],
    ]);
    for (const [name, log] of rest) {
      for (let i = 0; i < first.length; i++) {
        expect(log[i], `${name} vs ${firstName}: ${first[i]![0]}`).to.deep.equal(first[i]);
      }
    }
  });
});
