import { expect } from 'chai';
import { World, OWNER } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf, type Browser } from './support/client.js';
import { addMember, type Member } from './support/members.js';
import { refusedWith } from './support/api.js';
import { DATE_OPTIONS } from '../lib/i18n/format.js';
import type { AccountUsers } from '../lib/index.js';

const HOUR = 60 * 60 * 1000;

/** A moment as English pages and messages write it: "Nov 29, 2026, 9:07 PM UTC". */
const english = (date: Date) => new Intl.DateTimeFormat('en', DATE_OPTIONS).format(date);

/** The offer link in the newest ownership email to `email`. */
function offerLink(world: World, email: string): string {
  const mail = [...world.smtp.to(email)].reverse().find((m) => /\/transfer\/[A-Za-z0-9_-]{43}/.test(m.text ?? ''));
  if (!mail) throw new Error(`no ownership offer emailed to ${email}`);
  return pathOf(/https?:\/\/\S+\/transfer\/[A-Za-z0-9_-]{43}/.exec(mail.text!)![0]);
}

/** Everything a refused accept could have changed: the kit's rows and the emails sent. */
async function everything(world: World): Promise<string> {
  const tables = ['users', 'accounts', 'account_users', 'invitations', 'outbox', 'activity', 'ownership_transfers'];
  const dump = await Promise.all(tables.map((t) => world.knex(`au_${t}`).select('*').orderBy('id')));
  return JSON.stringify({ dump, emails: world.smtp.messages.length });
}

/**
 * An ownership offer is void while its recipient's access to the account has ended: refused at
 * accept (403, naming the account and the date), shown as such on the accounts page and the
 * offer's page, and nothing changes. The owner cannot offer to such a member either.
 */
describe('ownership offered to a member whose access has ended', function () {
  this.timeout(60_000);

  let world: World;
  let at = Date.now();
  const now = () => new Date(at);
  let au: AccountUsers;
  let owner: Browser;
  let member: Member;
  let until: Date;

  beforeEach(async () => {
    at = Date.now();
    world = await new World().setUp({ now });
    au = world.host.au;
    owner = await world.ownerBrowser();
    member = await addMember(world, owner, 'successor@example.com', ['invoices']);
    until = new Date(at + HOUR);
    await au.api.setPermissions({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      userId: member.userId,
      permissions: ['invoices'],
      accessUntil: until,
    });
  });
  afterEach(() => world.tearDown());

  async function offer() {
    await owner.get(`${MOUNT}/transfer`);
    const res = await owner.post(`${MOUNT}/transfer`, { userId: String(member.userId), currentPassword: OWNER.password });
    expect(res.status, res.text).to.equal(303);
    return offerLink(world, member.email);
  }

  const ownerOf = async () => Number((await world.knex('au_accounts').where({ id: world.account.id }).first()).owner_user_id);

  it('refuses the accept of a standing offer once the access has ended (form, JSON, au.api); still not the owner, nothing changed', async () => {
    const link = await offer();
    at = until.getTime();
    const before = await everything(world);
    const message = `Your access to Acme Ltd ended on ${english(until)}, so this ownership offer can no longer be accepted.`;

    const page = await member.browser.get(link);
    expect(page.status).to.equal(403);
    expect(page.text).to.contain(message);
    const json = await member.browser.getJson(link);
    expect(json.status).to.equal(403);
    expect(json.body.error.message).to.contain(message);

    // A page with a form (declining stays possible), for the session's CSRF token.
    await member.browser.get(`${link}/decline`);
    const form = await member.browser.post(link);
    expect(form.status, form.text).to.equal(403);
    const posted = await member.browser.postJson(link, {});
    expect(posted.status, posted.text).to.equal(403);
    expect(posted.body.error.code).to.equal('forbidden');
    const err = await refusedWith(au.api.acceptOwnership({ userId: member.userId, token: link.split('/').pop()! }), 'ForbiddenError');
    expect(err.message).to.contain('Acme Ltd');

    expect(await ownerOf()).to.equal(world.ownerId);
    expect(await everything(world)).to.equal(before);
  });

  it('shows the offer on the accounts page as one that can no longer be accepted', async () => {
    await offer();
    at = until.getTime() + 1;
    const json = await member.browser.getJson(`${MOUNT}/accounts`);
    expect(json.status).to.equal(200);
    expect(json.body.ownershipOffers).to.have.length(1);
    expect(json.body.ownershipOffers[0].accessEnded).to.equal(true);
    const html = await member.browser.get(`${MOUNT}/accounts`);
    expect(html.text).to.contain('so this offer can no longer be accepted');
    expect(html.text).not.to.contain('Accept it with the link in the email sent to you');
  });

  it('refuses the owner an offer to a member whose access has ended (form, JSON, au.api) and writes nothing', async () => {
    at = until.getTime();
    await owner.get(`${MOUNT}/transfer`);
    const before = await everything(world);
    const res = await owner.postJson(`${MOUNT}/transfer`, { userId: member.userId, currentPassword: OWNER.password });
    expect(res.status, res.text).to.equal(400);
    expect(res.body.error.fields).to.deep.equal([{ field: 'userId', message: "this user's access to the account has ended; give them access again first" }]);
    const form = await owner.post(`${MOUNT}/transfer`, { userId: String(member.userId), currentPassword: OWNER.password });
    expect(form.status).to.equal(400);
    expect(form.text).to.contain('access to the account has ended');
    await refusedWith(au.api.offerOwnership({ actor: { userId: world.ownerId }, accountId: world.account.id, toUserId: member.userId }), 'InvalidInputError');
    expect(await everything(world)).to.equal(before);
  });

  it('stands again once the owner gives the member access again, and can then be accepted', async () => {
    const link = await offer();
    at = until.getTime() + 1;
    expect((await member.browser.postJson(link, {})).status).to.equal(403);
    await au.api.setPermissions({
      actor: { userId: world.ownerId },
      accountId: world.account.id,
      userId: member.userId,
      permissions: ['invoices'],
      accessUntil: new Date(at + HOUR),
    });
    await member.browser.get(link);
    const accepted = await member.browser.postJson(link, {});
    expect(accepted.status, accepted.text).to.equal(200);
    expect(await ownerOf()).to.equal(member.userId);
  });
});
