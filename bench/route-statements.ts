/**
 * `npm run bench:statements`: the SQL statements the kit sends per request, route by route, over
 * HTTP (DATABASE_URL picks the database; in-memory SQLite otherwise). The session store's own
 * statements are not counted (MemoryStore here): connect-pg-simple adds a read and a write per
 * request, Redis none. docs/deployment.md turns these into a capacity estimate.
 */
import { World, OWNER } from '../test/support/world.js';
import { MOUNT } from '../test/support/app.js';
import { countQueries } from '../test/support/queries.js';
import { pathOf } from '../test/support/client.js';

const world = await new World().setUp({ limits: { invitationsPerDay: 1000 } });
const rows: Array<[string, number, number]> = [];
async function measure(route: string, work: () => Promise<{ status: number }>): Promise<void> {
  const { result, queries } = await countQueries(world.knex, work);
  rows.push([route, result.status, queries.length]);
}

try {
  const owner = world.browser();
  await measure('POST /login (right password; host route with au.loginLimit)', () =>
    owner.agent.post('/login').type('form').send({ email: OWNER.email, password: OWNER.password }),
  );
  await measure('GET /host/invoices (guarded, first request of the session)', () => owner.agent.get('/host/invoices'));
  await measure('GET /host/invoices (guarded)', () => owner.agent.get('/host/invoices'));
  await measure(`GET ${MOUNT}/ (users page, JSON)`, () => owner.getJson(`${MOUNT}/`));
  await measure(`POST ${MOUNT}/invite (email sent in the request)`, () =>
    owner.postJson(`${MOUNT}/invite`, { email: 'measured@example.com', permissions: ['invoices'] }),
  );
  const link = pathOf(world.smtp.linkFor('measured@example.com'));
  const invitee = world.browser();
  await measure('GET /accept/:token (JSON)', () => invitee.getJson(link));
  await measure('POST /accept/:token/register', () => invitee.postJson(`${link}/register`, { name: 'Measured', password: 'measured-password-1' }));
  const member = await world.knex('au_users').where({ email: 'measured@example.com' }).first<{ id: number }>('id');
  await measure('GET /host/invoices (guarded, member)', () => invitee.agent.get('/host/invoices'));
  await owner.getJson(`${MOUNT}/`);
  await measure(`POST ${MOUNT}/users/:id/permissions`, () =>
    owner.postJson(`${MOUNT}/users/${member.id}/permissions`, { permissions: ['invoices', 'tickets'] }),
  );
  await measure(`GET ${MOUNT}/accounts`, () => invitee.getJson(`${MOUNT}/accounts`));
  await measure(`POST ${MOUNT}/accounts/switch`, () => invitee.postJson(`${MOUNT}/accounts/switch`, { accountId: world.account.id }));
  await measure(`POST ${MOUNT}/users/:id/remove`, () => owner.postJson(`${MOUNT}/users/${member.id}/remove`, {}));
  const wrong = world.browser();
  await measure('POST /login (wrong password)', () => wrong.agent.post('/login').type('form').send({ email: OWNER.email, password: 'wrong-password-1' }));
  await measure('POST /login (unknown address)', () =>
    wrong.agent.post('/login').type('form').send({ email: 'nobody@example.com', password: 'wrong-password-1' }),
  );

  console.log(
    `statements per request (${process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).protocol.replace(':', '') : 'sqlite'}; sessions not counted)\n`,
  );
  console.log('| route | status | statements |\n| --- | --- | --- |');
  for (const [route, status, n] of rows) console.log(`| ${route} | ${status} | ${n} |`);
} finally {
  await world.tearDown();
}
