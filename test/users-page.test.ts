import { expect } from 'chai';
import { World } from './support/world.js';
import { FAST_HASHING, MOUNT } from './support/app.js';
import type { Browser } from './support/client.js';
import { PASSWORD, seedAccount, seedInvitations } from './support/seed.js';
import { hashPassword } from '../lib/services/passwords.js';
import { escapeHtml } from './support/invitations.js';
import { countQueries } from './support/queries.js';

interface PageBody {
  members: Array<{ userId: number; isOwner: boolean }>;
  membersPage: { next: number | null; previous: number | null };
  invitations: Array<{ id: number; email: string; inviterName: string | null }>;
  invitationsPage: { next: number | null; previous: number | null };
}

describe('users page: members and invitations 50 at a time, by cursor', () => {
  const world = new World();
  let owner: Browser;
  let big: { accountId: number; userIds: number[] };
  let invitationIds: number[];

  const page = async (query = ''): Promise<PageBody> => {
    const res = await owner.getJson(`${MOUNT}/${query}`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(200);
    return res.body as PageBody;
  };

  before(async () => {
    await world.setUp();
    // 120 users and 120 invitations, written in bulk as the benchmark does: three pages of each.
    big = await seedAccount(world.knex, 'paging', 120, await hashPassword(PASSWORD, FAST_HASHING));
    await seedInvitations(world.knex, big.accountId, big.userIds[0]!, 120);
    invitationIds = (await world.knex('au_invitations').where({ account_id: big.accountId }).orderBy('id', 'desc').pluck('id')).map(Number);
    owner = world.browser();
    await owner.login('paging-0@bench.test', PASSWORD);
  });
  after(() => world.tearDown());

  it('starts with the owner and the first 50 members, and the 50 newest invitations', async () => {
    const first = await page();
    expect(first.members.map((m) => m.userId)).to.deep.equal(big.userIds.slice(0, 50));
    expect(first.members[0]!.isOwner).to.equal(true);
    expect(first.invitations.map((i) => i.id)).to.deep.equal(invitationIds.slice(0, 50));
    expect(first.invitations[0]!.inviterName).to.equal('paging user 0');
    expect(first.membersPage.previous).to.equal(null);
    expect(first.membersPage.next).to.be.a('number');
    expect(first.invitationsPage).to.deep.equal({ next: invitationIds[49], previous: null });
  });

  it('visits every member and every invitation exactly once by following next, then stops', async () => {
    const members: number[] = [];
    const sizes: number[] = [];
    let next: number | null = null;
    do {
      const body: PageBody = await page(next === null ? '' : `?membersAfter=${next}`);
      members.push(...body.members.map((m) => m.userId));
      sizes.push(body.members.length);
      next = body.membersPage.next;
    } while (next !== null);
    expect(sizes).to.deep.equal([50, 50, 20]);
    expect(members).to.deep.equal(big.userIds);

    const invitations: number[] = [];
    next = null;
    do {
      const body: PageBody = await page(next === null ? '' : `?invitationsAfter=${next}`);
      invitations.push(...body.invitations.map((i) => i.id));
      next = body.invitationsPage.next;
    } while (next !== null);
    expect(invitations).to.deep.equal(invitationIds);
  });

  it('goes back with previous to exactly the page before, and to the first page from the second', async () => {
    const first = await page();
    const second = await page(`?membersAfter=${first.membersPage.next}`);
    const third = await page(`?membersAfter=${second.membersPage.next}`);
    expect(third.membersPage.next).to.equal(null);
    const backToSecond = await page(`?membersBefore=${third.membersPage.previous}`);
    expect(backToSecond.members).to.deep.equal(second.members);
    expect(backToSecond.membersPage).to.deep.equal(second.membersPage);
    const backToFirst = await page(`?membersBefore=${second.membersPage.previous}`);
    expect(backToFirst.members).to.deep.equal(first.members);
    expect(backToFirst.membersPage).to.deep.equal({ next: first.membersPage.next, previous: null });
  });

  it('links the pages with rel="next"/"prev", each list keeping the other where it is', async () => {
    const first = await page();
    const html = (await owner.get(`${MOUNT}/?invitationsAfter=${first.invitationsPage.next}`)).text;
    // Members on their first page, invitations on their second.
    const membersNext = `?invitationsAfter=${first.invitationsPage.next}&membersAfter=${first.membersPage.next}`;
    expect(html).to.contain(`<a href="${escapeHtml(membersNext)}" rel="next">Next users</a>`);
    expect(html).to.contain(`<a href="${escapeHtml(`?invitationsBefore=${invitationIds[50]}`)}" rel="prev">Newer invitations</a>`);
    expect(html).to.contain(`<a href="${escapeHtml(`?invitationsAfter=${invitationIds[99]}`)}" rel="next">Older invitations</a>`);
    expect(html).to.not.contain('Previous users');
    expect(html.match(/<tr data-user-id=/g)).to.have.length(50);
    expect(html.match(/<tr data-invitation-id=/g)).to.have.length(50);
  });

  it('sends every Resend through the one form that carries the CSRF token, and links each Cancel to the page that asks', async () => {
    const html = (await owner.get(`${MOUNT}/`)).text;
    const form = /<form id="au-invitation-action" method="post" hidden><input type="hidden" name="_csrf" value="([^"]+)"><\/form>/.exec(html);
    expect(form, 'the shared form').to.not.equal(null);
    const buttons = [...html.matchAll(/<button type="submit" form="([^"]+)" formaction="([^"]+)"/g)];
    expect(buttons).to.have.length(50); // Resend for each of the 50 pending invitations
    for (const [, formId, action] of buttons) {
      expect(formId).to.equal('au-invitation-action');
      expect(action).to.match(new RegExp(`^${MOUNT}/invitations/\\d+/resend$`));
    }
    const cancels = [...html.matchAll(new RegExp(`<a href="${MOUNT}/invitations/(\\d+)/cancel"`, 'g'))].map((m) => Number(m[1]));
    expect(cancels).to.deep.equal(invitationIds.slice(0, 50));
    // The buttons' targets are the invitations on this page, nothing else.
    const targets = new Set(buttons.map((b) => Number(/invitations\/(\d+)\//.exec(b[2]!)![1])));
    expect([...targets]).to.deep.equal(invitationIds.slice(0, 50));
  });

  it('shows no pager on an account that fits on one page', async () => {
    const small = await world.ownerBrowser();
    const html = (await small.get(`${MOUNT}/`)).text;
    expect(html).to.not.contain('class="au-pager"');
    const body = (await small.getJson(`${MOUNT}/`)).body as PageBody;
    expect(body.membersPage).to.deep.equal({ next: null, previous: null });
    expect(body.invitationsPage).to.deep.equal({ next: null, previous: null });
  });

  it('answers a cursor past the end with the last page, one before the start with the first', async () => {
    const first = await page();
    const pastEnd = await page('?membersAfter=2147483647');
    expect(pastEnd.members.map((m) => m.userId)).to.deep.equal(big.userIds.slice(70));
    expect(pastEnd.membersPage.next).to.equal(null);
    const beforeStart = await page('?membersBefore=1');
    expect(beforeStart.members).to.deep.equal(first.members);
    expect(beforeStart.membersPage).to.deep.equal(first.membersPage);
    const invitationsPastEnd = await page('?invitationsAfter=1');
    expect(invitationsPastEnd.invitations.map((i) => i.id)).to.deep.equal(invitationIds.slice(70));
    expect(invitationsPastEnd.invitationsPage.next).to.equal(null);
  });

  it("shows only the owner's own account whatever row a cursor names", async () => {
    // Another account written after this one: its membership ids are all above this account's.
    const other = await seedAccount(world.knex, 'other', 5, 'unused-hash');
    const otherIds = (await world.knex('au_account_users').where({ account_id: other.accountId }).pluck('id')).map(Number);
    const acmeId = Number((await world.knex('au_account_users').where({ account_id: world.account.id }).first('id'))!.id);
    for (const query of [`?membersBefore=${Math.max(...otherIds) + 1}`, `?membersAfter=${Math.min(...otherIds)}`, `?membersAfter=${acmeId}`]) {
      const body = await page(query);
      expect(body.members.length, query).to.be.above(0);
      for (const m of body.members) expect(big.userIds, query).to.include(m.userId);
    }
  });

  it('sends five statements for a later page, the last and one reached by Previous, and one more (the owner) for the first', async () => {
    const first = await page();
    const statements = async (query: string) => (await countQueries(world.knex, () => page(query))).queries;
    const counts: Record<string, number> = {};
    const second = await page(`?membersAfter=${first.membersPage.next}&invitationsAfter=${first.invitationsPage.next}`);
    const lastQuery = `?membersAfter=${second.membersPage.next}&invitationsAfter=${second.invitationsPage.next}`;
    const last = await page(lastQuery);
    expect(last.membersPage.next).to.equal(null);
    const previousQuery = `?membersBefore=${last.membersPage.previous}&invitationsBefore=${last.invitationsPage.previous}`;
    for (const query of ['', `?membersAfter=${first.membersPage.next}&invitationsAfter=${first.invitationsPage.next}`, lastQuery, previousQuery]) {
      const sqls = await statements(query);
      counts[query || 'first'] = sqls.length;
      expect(
        sqls.filter((q) => /count\(/i.test(q)),
        query,
      ).to.deep.equal([]);
      expect(
        sqls.filter((q) => /\boffset\b/i.test(q)),
        query,
      ).to.deep.equal([]);
    }
    // The session's user with its membership, the two lists, the recently removed, the users they
    // name, the deliveries; the first page reads the owner apart, to lead it wherever the owner's
    // membership sorts.
    expect(Object.values(counts), JSON.stringify(counts)).to.deep.equal([7, 6, 6, 6]);
  });

  it('refuses a malformed cursor with 400 naming the parameter, on the page and in JSON', async () => {
    for (const [query, field] of [
      ['membersAfter=abc', 'membersAfter'],
      ['invitationsBefore=0', 'invitationsBefore'],
      ['membersAfter=1&membersBefore=2', 'membersBefore'],
      ['invitationsAfter=1.5', 'invitationsAfter'],
      ['membersAfter=2147483648', 'membersAfter'],
    ] as const) {
      const res = await owner.getJson(`${MOUNT}/?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body.error.fields[0].field, query).to.equal(field);
      const html = await owner.get(`${MOUNT}/?${query}`);
      expect(html.status, query).to.equal(400);
      expect(html.text, query).to.contain(field);
    }
  });
});

describe('users page: Previous after members were removed', () => {
  const world = new World();
  let owner: Browser;
  let big: { accountId: number; userIds: number[] };

  before(async () => {
    await world.setUp();
    big = await seedAccount(world.knex, 'removing', 120, await hashPassword(PASSWORD, FAST_HASHING));
    owner = world.browser();
    await owner.login('removing-0@bench.test', PASSWORD);
  });
  after(() => world.tearDown());

  it('gives the rest of the first page, short, without repeating the page it came from', async () => {
    const first = (await owner.getJson(`${MOUNT}/`)).body as PageBody;
    const second = (await owner.getJson(`${MOUNT}/?membersAfter=${first.membersPage.next}`)).body as PageBody;
    for (const userId of big.userIds.slice(10, 13)) {
      expect((await owner.postJson(`${MOUNT}/users/${userId}/remove`, {})).status).to.equal(200);
    }
    const back = (await owner.getJson(`${MOUNT}/?membersBefore=${second.membersPage.previous}`)).body as PageBody;
    expect(back.members.map((m) => m.userId)).to.deep.equal([...big.userIds.slice(0, 10), ...big.userIds.slice(13, 50)]);
    expect(back.membersPage.previous).to.equal(null);
    const forward = (await owner.getJson(`${MOUNT}/?membersAfter=${back.membersPage.next}`)).body as PageBody;
    expect(forward.members).to.deep.equal(second.members);
  });
});
