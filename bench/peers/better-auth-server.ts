/**
 * The peer: the same two host routes on Better Auth with its organization plugin, run as a child of
 * bench/peers/run.ts like the kit's bench server. An access-control statement `invoices: ['view']`,
 * a `billing` role that grants it, one organization with an owner and a member holding that role.
 * The guarded route makes the documented check: `auth.api.getSession`, then `auth.api.hasPermission`.
 *
 * Environment: BENCH_BA_URL (its own PostgreSQL database), BENCH_BA_COOKIE_CACHE=1 (session
 * cookie cache, 5 minutes), BENCH_BA_JOINS=1 (`advanced.database.joins`). Prints `READY <port>`.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { organization } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { adminAc, defaultStatements, memberAc, ownerAc } from 'better-auth/plugins/organization/access';
import { fromNodeHeaders, toNodeHandler } from 'better-auth/node';
import { getMigrations } from 'better-auth/db/migration';
import { installMeter } from '../meter.js';

const PASSWORD = 'bench-password-1';
const cookieCache = process.env.BENCH_BA_COOKIE_CACHE === '1';
const joins = process.env.BENCH_BA_JOINS === '1';

const ac = createAccessControl({ ...defaultStatements, invoices: ['view'] } as const);
const roles = {
  owner: ac.newRole({ ...ownerAc.statements, invoices: ['view'] }),
  admin: ac.newRole({ ...adminAc.statements, invoices: ['view'] }),
  member: ac.newRole({ ...memberAc.statements }),
  billing: ac.newRole({ invoices: ['view'] }),
};

// The same pool size as the kit's knex pool.
const pool = new pg.Pool({ connectionString: process.env.BENCH_BA_URL, max: 10 });

const auth = betterAuth({
  database: pool,
  secret: 'bench-secret-bench-secret-bench-secret-0123456789',
  baseURL: 'http://127.0.0.1:3000',
  emailAndPassword: { enabled: true },
  session: cookieCache ? { cookieCache: { enabled: true, maxAge: 5 * 60 } } : {},
  advanced: { database: { joins } },
  telemetry: { enabled: false },
  logger: { level: 'error' },
  plugins: [organization({ ac, roles })],
});

function cookiesOf(res: globalThis.Response, jar: Map<string, string>): Map<string, string> {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
  return jar;
}
const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function signIn(email: string): Promise<Map<string, string>> {
  const res = await auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
  if (!res.ok) throw new Error(`sign-in ${email}: ${res.status} ${await res.text()}`);
  return cookiesOf(res, new Map());
}

/** The owner creates the organization and adds the member with the billing role; both sign in with it active. */
async function seed(): Promise<{ owner: string; member: string; memberId: string; organizationId: string }> {
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  for (const [email, name] of [
    ['owner@bench.test', 'Owner'],
    ['member@bench.test', 'Member'],
  ] as const) {
    await auth.api.signUpEmail({ body: { email, password: PASSWORD, name } });
  }
  const ownerJar = await signIn('owner@bench.test');
  const org = await auth.api.createOrganization({ headers: new Headers({ cookie: header(ownerJar) }), body: { name: 'Bench Ltd', slug: 'bench-ltd' } });
  const memberUser = (await auth.api.signInEmail({ body: { email: 'member@bench.test', password: PASSWORD } })).user;
  await auth.api.addMember({ body: { userId: memberUser.id, organizationId: org.id, role: 'billing' } });
  const jars = { owner: ownerJar, member: await signIn('member@bench.test') };
  for (const jar of Object.values(jars)) {
    const res = await auth.api.setActiveOrganization({ headers: new Headers({ cookie: header(jar) }), body: { organizationId: org.id }, asResponse: true });
    if (!res.ok) throw new Error(`set-active: ${res.status} ${await res.text()}`);
    cookiesOf(res, jar);
  }
  return { owner: header(jars.owner), member: header(jars.member), memberId: memberUser.id, organizationId: org.id };
}

const app = express();
app.disable('x-powered-by');
installMeter(app);

const seeded = await seed();
app.get('/__bench/session', (_req, res) => res.json(seeded));

// The owner removes the member (as the organization's own endpoint does it).
app.post('/__bench/revoke-member', (_req, res, next) => {
  auth.api
    .removeMember({ headers: new Headers({ cookie: seeded.owner }), body: { memberIdOrEmail: 'member@bench.test', organizationId: seeded.organizationId } })
    .then(() => res.json({ ok: true }), next);
});
// Every session of the owner ends ("sign out everywhere", from one of them).
app.post('/__bench/revoke-sessions', (_req, res, next) => {
  auth.api.revokeSessions({ headers: new Headers({ cookie: seeded.owner }) }).then(() => res.json({ ok: true }), next);
});

const wrap = (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {
  fn(req, res).catch(next);
};

/** The host's route, as trivial as the kit's, so the figures isolate session + guard. */
app.get(
  '/peer/page',
  wrap(async (req, res) => {
    const session = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) });
    if (!session) return res.status(401).json({ error: 'signed out' });
    return res.json({ ok: true, user: session.user.id, account: session.session.activeOrganizationId ?? null });
  }),
);

app.get(
  '/peer/guarded',
  wrap(async (req, res) => {
    const headers = fromNodeHeaders(req.headers);
    const session = await auth.api.getSession({ headers });
    if (!session) return res.status(401).json({ error: 'signed out' });
    const allowed = await auth.api.hasPermission({ headers, body: { permissions: { invoices: ['view'] } } }).then(
      (r) => r.success,
      () => false, // not a member (any more) of the active organization
    );
    if (!allowed) return res.status(403).json({ error: 'forbidden' });
    return res.json({ ok: true, user: session.user.id, account: session.session.activeOrganizationId ?? null });
  }),
);

app.all('/api/auth/*splat', toNodeHandler(auth));

app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
  console.error(err);
  res.status(500).json({ error: String(err) });
});

const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`));
server.keepAliveTimeout = 60_000;
process.on('SIGTERM', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});
