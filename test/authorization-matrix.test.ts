import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT } from './support/app.js';
import { Browser, pathOf } from './support/client.js';
import { addMember, setPermissions } from './support/members.js';
import { PERMISSIONS } from '../lib/index.js';

const ALL = PERMISSIONS.map((p) => p.key);
const MEMBER_PASSWORD = 'member-password-1';
const OTHER_OWNER = { email: 'other-owner@beta.test', name: 'Otto Other', password: 'other-password-1' };
const FOREIGN_OWNER = { email: 'gina@gamma.test', name: 'Gina Gamma', password: 'gamma-password-1' };

type Actor = 'anonymous' | 'member with all permissions' | 'member with none' | 'owner of another account' | 'owner';
type Scope = 'own account ids' | 'foreign account ids';
type Mode = 'html' | 'json';
/** 'login': 302 to the login page for HTML, 401 for JSON. 'ok': 200 for a GET; 303 (HTML) or `okJson` (JSON) for a POST. */
type Outcome = 'ok' | 'login' | 400 | 403 | 404;

const ACTORS: Actor[] = ['anonymous', 'member with all permissions', 'member with none', 'owner of another account', 'owner'];
const SCOPES: Scope[] = ['own account ids', 'foreign account ids'];
const MODES: Mode[] = ['html', 'json'];

interface Ids {
  invitationId: number;
  userId: number;
  accountId: number;
  token: string;
}

interface Cell {
  actor: Actor;
  scope: Scope;
  mode: Mode;
}

interface RouteSpec {
  method: 'GET' | 'POST';
  path: string;
  okJson?: number;
  expected(actor: Actor, scope: Scope): Outcome;
  /** The concrete URL and body; may create fresh targets (or a fresh acting user) where the request will succeed. */
  build(cell: Cell, ids: Ids): Promise<{ url: string; body?: Record<string, unknown>; as?: { email: string; password: string } }>;
}

/**
 * Every route of au.router × five kinds of visitor × ids from the account under test or from an
 * account none of them belongs to, in HTML and JSON: the exact status of every cell.
 */
describe('authorization matrix', function () {
  this.timeout(60_000);
  const world = new World();
  let owner: Browser;
  let foreignOwner: Browser;
  let own: Ids;
  let foreign: Ids;
  let seq = 0;
  const logins: Record<Exclude<Actor, 'anonymous'>, { email: string; password: string }> = {
    'member with all permissions': { email: 'all@acme.test', password: MEMBER_PASSWORD },
    'member with none': { email: 'none@acme.test', password: MEMBER_PASSWORD },
    'owner of another account': OTHER_OWNER,
    owner: OWNER,
  };

  const ownerRoute =
    (withIds: boolean) =>
    (actor: Actor, scope: Scope): Outcome => {
      if (actor === 'anonymous') return 'login';
      if (actor.startsWith('member')) return 403;
      if (!withIds) return 'ok'; // another account's owner manages their own account
      return actor === 'owner' && scope === 'own account ids' ? 'ok' : 404;
    };
  const signedIn = (actor: Actor): Outcome => (actor === 'anonymous' ? 'login' : 'ok');
  const fresh = (cell: Cell) => cell.actor === 'owner' && cell.scope === 'own account ids';

  async function freshInvitation(from: Browser, scope: Scope): Promise<{ id: number; token: string; email: string }> {
    const email = `fresh${++seq}@example.com`;
    const res = await from.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] });
    expect(res.status, res.text).to.equal(201);
    const token = pathOf(world.smtp.linkFor(email)).split('/').pop()!;
    void scope;
    return { id: res.body.invitation.id, token, email };
  }

  const ROUTES: RouteSpec[] = [
    { method: 'GET', path: '/', expected: ownerRoute(false), build: async () => ({ url: '/' }) },
    { method: 'GET', path: '/invite', expected: ownerRoute(false), build: async () => ({ url: '/invite' }) },
    {
      method: 'POST',
      path: '/invite',
      okJson: 201,
      expected: ownerRoute(false),
      build: async () => ({ url: '/invite', body: { email: `invitee${++seq}@example.com`, permissions: ['invoices'] } }),
    },
    {
      method: 'POST',
      path: '/invitations/:id/resend',
      okJson: 200,
      expected: ownerRoute(true),
      build: async (cell, ids) => {
        if (!fresh(cell)) return { url: `/invitations/${ids.invitationId}/resend` };
        const inv = await freshInvitation(owner, cell.scope);
        world.host.clock.advance(61_000);
        return { url: `/invitations/${inv.id}/resend` };
      },
    },
    {
      method: 'POST',
      path: '/invitations/:id/cancel',
      okJson: 200,
      expected: ownerRoute(true),
      build: async (cell, ids) => ({ url: `/invitations/${fresh(cell) ? (await freshInvitation(owner, cell.scope)).id : ids.invitationId}/cancel` }),
    },
    { method: 'GET', path: '/users/:userId', expected: ownerRoute(true), build: async (_c, ids) => ({ url: `/users/${ids.userId}` }) },
    {
      method: 'POST',
      path: '/users/:userId/permissions',
      okJson: 200,
      expected: ownerRoute(true),
      build: async (_c, ids) => ({ url: `/users/${ids.userId}/permissions`, body: { permissions: ['invoices', 'tickets'] } }),
    },
    { method: 'GET', path: '/users/:userId/remove', expected: ownerRoute(true), build: async (_c, ids) => ({ url: `/users/${ids.userId}/remove` }) },
    {
      method: 'POST',
      path: '/users/:userId/remove',
      okJson: 200,
      expected: ownerRoute(true),
      build: async (cell, ids) => ({
        url: `/users/${fresh(cell) ? (await addMember(world, owner, `removable${++seq}@example.com`, ['invoices'])).userId : ids.userId}/remove`,
      }),
    },
    { method: 'GET', path: '/accept/:token', expected: () => 'ok', build: async (_c, ids) => ({ url: `/accept/${ids.token}` }) },
    {
      method: 'POST',
      path: '/accept/:token',
      okJson: 200,
      // Signed in as anyone but the invited address: refused (requireMatchingEmail).
      expected: (actor) => (actor === 'anonymous' ? 'login' : 403),
      build: async (_c, ids) => ({ url: `/accept/${ids.token}` }),
    },
    {
      method: 'POST',
      path: '/accept/:token/register',
      okJson: 201,
      expected: (actor) => (actor === 'anonymous' ? 'ok' : 403),
      build: async (cell, ids) => {
        if (cell.actor !== 'anonymous') return { url: `/accept/${ids.token}/register`, body: { name: 'New Person', password: 'a-good-password' } };
        const inv = await freshInvitation(cell.scope === 'own account ids' ? owner : foreignOwner, cell.scope);
        return { url: `/accept/${inv.token}/register`, body: { name: 'New Person', password: 'a-good-password' } };
      },
    },
    { method: 'POST', path: '/accept/:token/signout', okJson: 200, expected: () => 'ok', build: async (_c, ids) => ({ url: `/accept/${ids.token}/signout` }) },
    { method: 'GET', path: '/accounts', expected: signedIn, build: async () => ({ url: '/accounts' }) },
    {
      method: 'POST',
      path: '/accounts/switch',
      okJson: 200,
      expected: (actor, scope) => (actor === 'anonymous' ? 'login' : actor === 'owner of another account' || scope === 'foreign account ids' ? 404 : 'ok'),
      build: async (_c, ids) => ({ url: '/accounts/switch', body: { accountId: String(ids.accountId) } }),
    },
    {
      method: 'POST',
      path: '/accounts/:accountId/leave',
      okJson: 200,
      expected: (actor, scope) =>
        actor === 'anonymous' ? 'login' : scope === 'foreign account ids' || actor === 'owner of another account' ? 404 : actor === 'owner' ? 400 : 'ok',
      build: async (cell, ids) => {
        if (!cell.actor.startsWith('member') || cell.scope !== 'own account ids') return { url: `/accounts/${ids.accountId}/leave` };
        // A member who leaves is gone: act as a fresh member of the same kind.
        const m = await addMember(world, owner, `leaver${++seq}@example.com`, cell.actor === 'member with none' ? [] : ALL);
        return { url: `/accounts/${ids.accountId}/leave`, as: { email: m.email, password: m.password } };
      },
    },
    { method: 'GET', path: '/activity', expected: ownerRoute(false), build: async () => ({ url: '/activity' }) },
    { method: 'GET', path: '/assets/:file', expected: () => 'ok', build: async () => ({ url: '/assets/au.js' }) },
  ];

  before(async () => {
    await world.setUp({ limits: { acceptPerWindow: 100_000, invitationsPerDay: 100_000 } });
    owner = await world.ownerBrowser();
    await owner.getJson(`${MOUNT}/`);
    await addMember(world, owner, 'all@acme.test', ALL);
    await addMember(world, owner, 'none@acme.test', []);
    const target = await addMember(world, owner, 'target@acme.test', ['invoices']);
    const ownInvitation = await freshInvitation(owner, 'own account ids');
    own = { invitationId: ownInvitation.id, userId: target.userId, accountId: world.account.id, token: ownInvitation.token };

    await world.host.au.createAccount({ name: 'Beta Corp', owner: OTHER_OWNER });
    const gamma = await world.host.au.createAccount({ name: 'Gamma Inc', owner: FOREIGN_OWNER });
    foreignOwner = world.browser();
    await foreignOwner.login(FOREIGN_OWNER.email, FOREIGN_OWNER.password);
    await foreignOwner.getJson(`${MOUNT}/`);
    const foreignTarget = await addMember(world, foreignOwner, 'target@gamma.test', ['invoices']);
    const foreignInvitation = await freshInvitation(foreignOwner, 'foreign account ids');
    foreign = { invitationId: foreignInvitation.id, userId: foreignTarget.userId, accountId: gamma.account.id, token: foreignInvitation.token };
  });
  after(() => world.tearDown());

  const sessions = new Map<Actor, Browser>();

  /** One signed-in session per kind of visitor, reused; a fresh one where the request signs in or out. */
  async function browserFor(actor: Actor, as?: { email: string; password: string }, reuse = true): Promise<Browser> {
    const cached = reuse && !as ? sessions.get(actor) : undefined;
    if (cached) {
      await cached.getJson(`${MOUNT}/accept/${own.token}`); // a session switch renews the CSRF token
      return cached;
    }
    const b = world.browser();
    if (reuse && !as) sessions.set(actor, b);
    if (actor !== 'anonymous') {
      const login = as ?? logins[actor];
      await b.login(login.email, login.password);
    }
    // A CSRF token for this session, as a page would carry it.
    await b.getJson(`${MOUNT}/accept/${own.token}`);
    return b;
  }

  function expectedStatus(route: RouteSpec, outcome: Outcome, mode: Mode): number {
    if (outcome === 'login') return mode === 'html' ? 302 : 401;
    if (outcome !== 'ok') return outcome;
    if (route.method === 'GET') return 200;
    return mode === 'html' ? 303 : route.okJson!;
  }

  for (const route of ROUTES) {
    describe(`${route.method} ${route.path}`, () => {
      for (const actor of ACTORS) {
        for (const scope of SCOPES) {
          for (const mode of MODES) {
            const outcome = route.expected(actor, scope);
            it(`${actor} × ${scope} × ${mode} → ${outcome === 'login' ? (mode === 'html' ? '302 to login' : 401) : outcome}`, async () => {
              const ids = scope === 'own account ids' ? own : foreign;
              const { url, body, as } = await route.build({ actor, scope, mode }, ids);
              const b = await browserFor(actor, as, !/signout|register/.test(route.path));
              const full = `${MOUNT}${url}`;
              const res =
                route.method === 'GET'
                  ? mode === 'json'
                    ? await b.getJson(full)
                    : await b.agent.get(full)
                  : mode === 'json'
                    ? await b.postJson(full, body ?? {})
                    : await b.post(full, Object.fromEntries(Object.entries(body ?? {}).map(([k, v]) => [k, v as string | string[]])));
              expect(res.status, `${route.method} ${full}: ${res.text?.slice(0, 300)}`).to.equal(expectedStatus(route, outcome, mode));
              if (outcome === 'login' && mode === 'html') expect(res.headers.location).to.match(/^\/login\?returnTo=/);
              if (outcome === 404 && mode === 'json') expect(res.body.error.code).to.equal('not_found');
            });
          }
        }
      }
    });
  }

  describe('members never manage users', () => {
    it('refuses a member with every permission who tries to grant permissions, and changes nothing', async () => {
      const none = (await world.knex('au_users').where({ email: 'none@acme.test' }).first()) as { id: number };
      const before = await world.knex('au_account_users').where({ user_id: none.id }).first();
      const b = await browserFor('member with all permissions');
      const res = await b.postJson(`${MOUNT}/users/${none.id}/permissions`, { permissions: ALL });
      expect(res.status).to.equal(403);
      expect(await world.knex('au_account_users').where({ user_id: none.id }).first()).to.deep.equal(before);
    });

    it('refuses a member who tries to widen their own permissions', async () => {
      const self = (await world.knex('au_users').where({ email: 'none@acme.test' }).first()) as { id: number };
      const b = await browserFor('member with none');
      const res = await b.postJson(`${MOUNT}/users/${self.id}/permissions`, { permissions: ALL });
      expect(res.status).to.equal(403);
      const row = (await world.knex('au_account_users').where({ user_id: self.id }).first()) as { permissions: unknown };
      expect(JSON.parse(String(row.permissions))).to.deep.equal([]);
    });

    it('refuses a member who tries to invite someone (who would then hold the permissions)', async () => {
      const count = await world.count('invitations');
      const b = await browserFor('member with all permissions');
      const res = await b.postJson(`${MOUNT}/invite`, { email: 'friend@example.com', permissions: ALL });
      expect(res.status).to.equal(403);
      expect(await world.count('invitations')).to.equal(count);
    });
  });

  describe('the owner cannot leave the account ownerless', () => {
    it('refuses editing the owner row with 400', async () => {
      const res = await owner.postJson(`${MOUNT}/users/${world.ownerId}/permissions`, { permissions: ['invoices'] });
      expect(res.status).to.equal(400);
    });

    it('refuses removing the owner with 400, on the confirmation page and the POST', async () => {
      expect((await owner.getJson(`${MOUNT}/users/${world.ownerId}/remove`)).status).to.equal(400);
      expect((await owner.postJson(`${MOUNT}/users/${world.ownerId}/remove`, {})).status).to.equal(400);
    });

    it('refuses the owner leaving with 400', async () => {
      expect((await owner.postJson(`${MOUNT}/accounts/${world.account.id}/leave`, {})).status).to.equal(400);
    });

    it('keeps the owner, their membership and every permission', async () => {
      const account = (await world.knex('au_accounts').where({ id: world.account.id }).first()) as { owner_user_id: unknown };
      expect(Number(account.owner_user_id)).to.equal(world.ownerId);
      const row = (await world.knex('au_account_users').where({ account_id: world.account.id, user_id: world.ownerId }).first()) as { permissions: unknown };
      expect(JSON.parse(String(row.permissions))).to.have.members(ALL);
      expect((await owner.getJson(`${MOUNT}/`)).status).to.equal(200);
    });
  });

  describe('mass assignment is ignored', () => {
    const EXTRA = (accountId: number, userId: number) => ({
      owner_user_id: String(userId),
      account_id: String(accountId),
      accountId: String(accountId),
      isOwner: 'true',
      is_owner: '1',
      user_id: String(userId),
      status: 'accepted',
      invited_by: String(userId),
    });

    it("on invite: the invitation belongs to the owner's account, pending, invited by the owner", async () => {
      const accountsBefore = await world.knex('au_accounts').orderBy('id');
      const res = await owner.postJson(`${MOUNT}/invite`, {
        email: 'mass@example.com',
        permissions: ['invoices'],
        ...EXTRA(foreign.accountId, foreign.userId),
      });
      expect(res.status).to.equal(201);
      const row = (await world.knex('au_invitations').where({ email: 'mass@example.com' }).first()) as Record<string, unknown>;
      expect(Number(row.account_id)).to.equal(world.account.id);
      expect(row.status).to.equal('pending');
      expect(Number(row.invited_by)).to.equal(world.ownerId);
      expect(JSON.parse(String(row.permissions))).to.deep.equal(['invoices']);
      expect(await world.knex('au_accounts').orderBy('id')).to.deep.equal(accountsBefore);
    });

    it("on permissions: only the target member's permissions in this account change", async () => {
      const accountsBefore = await world.knex('au_accounts').orderBy('id');
      const foreignBefore = await world.knex('au_account_users').where({ account_id: foreign.accountId }).orderBy('user_id');
      await setPermissions(owner, own.userId, ['invoices']);
      const res = await owner.postJson(`${MOUNT}/users/${own.userId}/permissions`, { permissions: ['tickets'], ...EXTRA(foreign.accountId, foreign.userId) });
      expect(res.status).to.equal(200);
      const row = (await world.knex('au_account_users').where({ account_id: world.account.id, user_id: own.userId }).first()) as { permissions: unknown };
      expect(JSON.parse(String(row.permissions))).to.deep.equal(['tickets']);
      expect(await world.knex('au_account_users').where({ account_id: foreign.accountId }).orderBy('user_id')).to.deep.equal(foreignBefore);
      expect(await world.knex('au_accounts').orderBy('id')).to.deep.equal(accountsBefore);
    });

    it('on register: the new user has the invited address and only the invited permissions, and owns nothing', async () => {
      const accountsBefore = await world.knex('au_accounts').orderBy('id');
      const inv = await freshInvitation(owner, 'own account ids');
      const visitor = world.browser();
      await visitor.getJson(`${MOUNT}/accept/${inv.token}`);
      const res = await visitor.post(`${MOUNT}/accept/${inv.token}/register`, {
        name: 'Mallory',
        password: 'a-good-password',
        email: 'attacker@evil.test',
        permissions: ALL,
        ...EXTRA(foreign.accountId, world.ownerId),
      });
      expect(res.status).to.equal(303);
      expect(await world.knex('au_users').where({ email: 'attacker@evil.test' }).first()).to.equal(undefined);
      const user = (await world.knex('au_users').where({ email: inv.email }).first()) as { id: number };
      const memberships = (await world.knex('au_account_users').where({ user_id: user.id })) as Array<{ account_id: unknown; permissions: unknown }>;
      expect(memberships).to.have.length(1);
      expect(Number(memberships[0]!.account_id)).to.equal(world.account.id);
      expect(JSON.parse(String(memberships[0]!.permissions))).to.deep.equal(['invoices']);
      expect(await world.knex('au_accounts').orderBy('id')).to.deep.equal(accountsBefore);
      expect((await visitor.agent.get('/host/domains').set('Accept', 'application/json')).status).to.equal(403);
    });
  });
});
