import { expect } from 'chai';
import { World } from './support/world.js';
import { FAST_HASHING, MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { addMember } from './support/members.js';
import { invite, linkPath, otherAccount } from './support/invitations.js';
import { PASSWORD, seedAccount, seedInvitations } from './support/seed.js';
import { hashPassword } from '../lib/services/passwords.js';
import { countQueries } from './support/queries.js';

interface PageBody {
  members: Array<{ userId: number; name: string; email: string }>;
  membersPage: { next: number | null; previous: number | null };
  invitations: Array<{ id: number; email: string; status: string }>;
  invitationsPage: { next: number | null; previous: number | null };
  filter: { q?: string; permission?: string; status: string };
  membersSearched: boolean;
}

const DAY = 24 * 60 * 60 * 1000;

describe('users page: pending invitations apart from the history, search and filters', () => {
  const world = new World();
  let owner: Browser;
  const ids: Record<string, number> = {};

  const page = async (query = ''): Promise<PageBody> => {
    const res = await owner.getJson(`${MOUNT}/${query}`);
    expect(res.status, res.text.slice(0, 300)).to.equal(200);
    return res.body as PageBody;
  };
  const emails = (body: PageBody) => body.invitations.map((i) => i.email).sort();
  const memberEmails = (body: PageBody) => body.members.map((m) => m.email).sort();

  before(async () => {
    await world.setUp();
    owner = await world.ownerBrowser();
    // Members: Ada holds invoices, Bo_b holds domains (an underscore, taken literally by the search).
    await addMember(world, owner, 'ada@example.com', ['invoices'], { name: 'Ada Lovelace' });
    await addMember(world, owner, 'bo_b@example.com', ['domains'], { name: 'Bob 100% Builder' });
    // Invitations in every state: accepted (the two above), pending, expired, cancelled, declined.
    ids.expired = (await invite(owner, 'late@example.com', ['invoices'])).id;
    world.host.clock.advance(8 * DAY);
    ids.pending = (await invite(owner, 'waiting@example.com', ['domains', 'tickets'])).id;
    ids.cancelled = (await invite(owner, 'gone@example.com', ['invoices'])).id;
    expect((await owner.postJson(`${MOUNT}/invitations/${ids.cancelled}/cancel`, {})).status).to.equal(200);
    ids.declined = (await invite(owner, 'no@example.com', ['invoices'])).id;
    const link = linkPath(world, 'no@example.com');
    const invitee = world.browser();
    await invitee.getJson(link);
    expect((await invitee.postJson(`${link}/decline`, {})).status).to.equal(200);
  });
  after(() => world.tearDown());

  it('lists only the pending invitations by default: the accepted, cancelled, declined and expired ones are history', async () => {
    const body = await page();
    expect(emails(body)).to.deep.equal(['waiting@example.com']);
    expect(body.filter.status).to.equal('pending');
    const html = (await owner.get(`${MOUNT}/`)).text;
    expect(html).to.contain('Pending invitations');
    expect(html).to.contain(`href="${MOUNT}/?status=history"`);
    expect(html).to.not.contain('late@example.com');
  });

  it('shows the history behind the status filter, each state on its own', async () => {
    expect(emails(await page('?status=history'))).to.deep.equal([
      'ada@example.com',
      'bo_b@example.com',
      'gone@example.com',
      'late@example.com',
      'no@example.com',
    ]);
    expect(emails(await page('?status=expired'))).to.deep.equal(['late@example.com']);
    expect(emails(await page('?status=accepted'))).to.deep.equal(['ada@example.com', 'bo_b@example.com']);
    expect(emails(await page('?status=cancelled'))).to.deep.equal(['gone@example.com']);
    expect(emails(await page('?status=declined'))).to.deep.equal(['no@example.com']);
    expect((await page('?status=all')).invitations).to.have.length(6);
  });

  it('offers an expired invitation Resend, not Cancel, and says when it expired', async () => {
    const html = (await owner.get(`${MOUNT}/?status=expired`)).text;
    const row = html.slice(html.indexOf(`data-invitation-id="${ids.expired}"`));
    const cells = row.slice(0, row.indexOf('</tr>'));
    expect(cells).to.contain(`/invitations/${ids.expired}/resend`);
    expect(cells).to.not.contain(`/invitations/${ids.expired}/cancel`);
    const expires = cells.slice(cells.indexOf('data-label="Expires"'));
    expect(expires.slice(0, expires.indexOf('</td>'))).to.match(/expired on [A-Z][a-z]{2} \d+, \d{4}/);
  });

  it('searches members by name or address, in any case, and invitations by address', async () => {
    expect(memberEmails(await page('?q=LOVELACE'))).to.deep.equal(['ada@example.com']);
    expect(memberEmails(await page('?q=ada%40EXAMPLE'))).to.deep.equal(['ada@example.com']);
    const byAddress = await page('?q=waiting&status=all');
    expect(emails(byAddress)).to.deep.equal(['waiting@example.com']);
    expect(byAddress.members).to.deep.equal([]);
    // The search text is text, not a pattern: _ and % match only themselves.
    expect(memberEmails(await page('?q=bo_b'))).to.deep.equal(['bo_b@example.com']);
    expect(memberEmails(await page('?q=o_'))).to.deep.equal(['bo_b@example.com']);
    expect(memberEmails(await page('?q=100%25'))).to.deep.equal(['bo_b@example.com']);
    expect(memberEmails(await page('?q=%25'))).to.deep.equal(['bo_b@example.com']);
    const html = (await owner.get(`${MOUNT}/?q=nobody-at-all`)).text;
    expect(html).to.contain('No user matches.');
    expect(html).to.contain('value="nobody-at-all"');
  });

  it('filters by permission: members holding it (the owner holds all) and invitations granting it', async () => {
    const domains = await page('?permission=domains&status=all');
    expect(memberEmails(domains)).to.deep.equal(['bo_b@example.com', 'owner@acme.test']);
    expect(emails(domains)).to.deep.equal(['bo_b@example.com', 'waiting@example.com']);
    const invoices = await page('?permission=invoices&q=ada');
    expect(memberEmails(invoices)).to.deep.equal(['ada@example.com']);
  });

  it('finds nobody of another account, whatever the search', async () => {
    await otherAccount(world);
    const body = await page('?q=globex&status=all');
    expect(body.members).to.deep.equal([]);
    expect(body.invitations).to.deep.equal([]);
  });

  it('refuses a bad parameter with 400 naming it, and writes nothing', async () => {
    for (const [query, field] of [
      ['?status=archived', 'status'],
      ['?permission=nope', 'permission'],
      ['?q=a&q=b', 'q'],
      [`?q=${'x'.repeat(101)}`, 'q'],
      ['?q=%0A', 'q'],
    ] as const) {
      const res = await owner.getJson(`${MOUNT}/${query}`);
      expect(res.status, query).to.equal(400);
      expect(
        res.body.error.fields.map((f: { field: string }) => f.field),
        query,
      ).to.deep.equal([field]);
    }
    const html = await owner.get(`${MOUNT}/?status=archived`);
    expect(html.status).to.equal(400);
  });

  it('takes the same filter through au.api: listMembers and listInvitations', async () => {
    const as = { actor: { userId: world.ownerId }, accountId: world.account.id };
    const members = await world.host.au.api.listMembers({ ...as, q: 'lovelace' });
    expect(members.items.map((m) => m.email)).to.deep.equal(['ada@example.com']);
    // au.api lists every invitation unless told: its callers saw them all before the filter existed.
    expect((await world.host.au.api.listInvitations(as)).items).to.have.length(6);
    const expired = await world.host.au.api.listInvitations({ ...as, status: 'expired' });
    expect(expired.items.map((i) => i.email)).to.deep.equal(['late@example.com']);
    const granting = await world.host.au.api.listInvitations({ ...as, status: 'all', permission: 'tickets' });
    expect(granting.items.map((i) => i.email)).to.deep.equal(['waiting@example.com']);
  });
});

describe('users page: a filtered list pages by the same cursors, one statement per list', () => {
  const world = new World();
  let owner: Browser;
  let big: { accountId: number; userIds: number[]; emails: string[] };

  const page = async (query: string): Promise<PageBody> => {
    const res = await owner.getJson(`${MOUNT}/${query}`);
    expect(res.status, res.text.slice(0, 300)).to.equal(200);
    return res.body as PageBody;
  };

  before(async () => {
    await world.setUp();
    big = await seedAccount(world.knex, 'paging', 150, await hashPassword(PASSWORD, FAST_HASHING));
    await seedInvitations(world.knex, big.accountId, big.userIds[0]!, 120);
    owner = world.browser();
    await owner.login('paging-0@bench.test', PASSWORD);
  });
  after(() => world.tearDown());

  it('visits every matching member exactly once by following next, keeping the search in the links', async () => {
    // "user 1" matches users 1, 10–19 and 100–149: 62 of them.
    const expected = big.userIds.filter((_, i) => String(i).startsWith('1'));
    const seen: number[] = [];
    let next: number | null = null;
    do {
      const body: PageBody = await page(`?q=user+1${next === null ? '' : `&membersAfter=${next}`}`);
      seen.push(...body.members.map((m) => m.userId));
      next = body.membersPage.next;
    } while (next !== null);
    expect(seen).to.deep.equal(expected);
    const html = (await owner.get(`${MOUNT}/?q=user+1`)).text;
    expect(html).to.match(/href="\?q&#x3D;user\+1&amp;membersAfter&#x3D;\d+" rel="next"/);
  });

  it('reads a filtered page in no more statements than an unfiltered one, without count(*)', async () => {
    const statements = async (query: string) => (await countQueries(world.knex, () => page(query))).queries;
    const plain = await statements('');
    for (const query of ['?q=user+1', '?permission=tickets&status=all', '?q=invitee&status=history&permission=invoices']) {
      const sqls = await statements(query);
      expect(sqls.length, `${query}\n${sqls.join('\n')}`).to.be.at.most(plain.length);
      expect(sqls.filter((q) => /count\(/i.test(q))).to.deep.equal([]);
    }
  });
});
