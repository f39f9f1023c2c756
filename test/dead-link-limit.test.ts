import { createHash } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { World } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { addMember, type Member } from './support/members.js';
import { invite } from './support/invitations.js';
import { linkIn, waitForMail } from './support/user-mail.js';

/** A token of the right shape that matches nothing. */
const deadToken = (i: number) => `dead${String(i).padStart(39, '0')}`;
const OFFICE_IP = '203.0.113.50';

/**
 * Finding 12 of issue 21: a cross-site page that loads 100 dead links as images, from behind an
 * office's IP, used to lock everyone there out of the invitation and transfer links they were
 * sent. Only links whose token matches nothing count (per IP, in the kit's database), and the
 * limit is read only then: a link that works always opens; guessing is still slowed to a 429.
 */
describe('dead-link limit', function () {
  this.timeout(120_000);
  const world = new World();
  let owner: Awaited<ReturnType<World['ownerBrowser']>>;
  let member: Member;
  let invitationLink: string;
  let transferLink: string;
  let resetLink: string;

  /** A GET from the office, as an <img> of a cross-site page makes it: no cookie, no CSRF token. */
  const fromOffice = (path: string) => request(world.host.app).get(path).set('X-Forwarded-For', OFFICE_IP);

  before(async () => {
    await world.setUp({ delegation: true });
    world.host.app.set('trust proxy', 'loopback');
    owner = await world.ownerBrowser();
    member = await addMember(world, owner, 'successor@example.com', ['invoices']);
    await owner.postJson(`${MOUNT}/invite`, { email: 'newcomer@example.com', permissions: ['invoices'] });
    invitationLink = pathOf(world.smtp.linkFor('newcomer@example.com'));
    await world.host.au.api.offerOwnership({ actor: { system: 'support' }, accountId: world.account.id, toUserId: member.userId });
    const offer = world.smtp.to(member.email).find((m) => /\/transfer\/[A-Za-z0-9_-]{43}/.test(m.text ?? ''))!;
    transferLink = pathOf(/https?:\/\/\S+\/transfer\/[A-Za-z0-9_-]{43}/.exec(offer.text!)![0]);
    const mailsBefore = world.smtp.to(member.email).length;
    const forgot = world.browser();
    await forgot.get(`${USER_MOUNT}/password/forgot`);
    await forgot.post(`${USER_MOUNT}/password/forgot`, { email: member.email });
    resetLink = linkIn(await waitForMail(world.smtp, member.email, mailsBefore + 1), 'password/reset');
  });
  after(() => world.tearDown());

  it('answers 120 dead invitation links from one IP: the first 100 with 404, the rest 429 with Retry-After', async () => {
    const invitations = await world.knex('au_invitations').select('id', 'status', 'token_hash').orderBy('id');
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) statuses.push((await fromOffice(`${MOUNT}/accept/${deadToken(i)}`)).status);
    expect(
      statuses.slice(0, 100).every((s) => s === 404),
      statuses.slice(0, 100).join(' '),
    ).to.equal(true);
    expect(
      statuses.slice(100).every((s) => s === 429),
      statuses.slice(100).join(' '),
    ).to.equal(true);
    const json = await fromOffice(`${MOUNT}/accept/${deadToken(999)}`).set('Accept', 'application/json');
    expect(json.status).to.equal(429);
    expect(json.body.error.code).to.equal('too_many_requests');
    expect(Number(json.headers['retry-after'])).to.be.within(1, 15 * 60);
    expect(await world.knex('au_invitations').select('id', 'status', 'token_hash').orderBy('id')).to.deep.equal(invitations);
  });

  it('still opens a valid invitation link from that IP (200), and the invitee registers with it', async () => {
    const page = await fromOffice(invitationLink);
    expect(page.status, page.text).to.equal(200);
    expect(page.text).to.contain('Acme Ltd');
    const invitee = world.browser();
    const opened = await invitee.agent.get(invitationLink).set('X-Forwarded-For', OFFICE_IP).set('Accept', 'application/json');
    expect(opened.status).to.equal(200);
    invitee.csrf = opened.body.csrfToken;
    const registered = await invitee.agent
      .post(`${invitationLink}/register`)
      .set('X-Forwarded-For', OFFICE_IP)
      .set('Accept', 'application/json')
      .set('x-csrf-token', invitee.csrf)
      .send({ name: 'New Comer', password: 'a-good-password' });
    expect(registered.status, registered.text).to.equal(201);
  });

  it('still opens a valid transfer link (200) and a valid reset link (200) from that IP', async () => {
    const transfer = await member.browser.agent.get(transferLink).set('X-Forwarded-For', OFFICE_IP);
    expect(transfer.status, transfer.text).to.equal(200);
    expect(transfer.text).to.contain('Become the owner of Acme Ltd');
    const reset = await fromOffice(resetLink);
    expect(reset.status, reset.text).to.equal(200);
  });

  it('answers the 121st dead link 429, whatever its kind: guessing stays slowed', async () => {
    expect((await fromOffice(`${MOUNT}/accept/${deadToken(121)}`)).status).to.equal(429);
    expect((await member.browser.agent.get(`${MOUNT}/transfer/${deadToken(122)}`).set('X-Forwarded-For', OFFICE_IP)).status).to.equal(429);
    expect((await fromOffice(`${USER_MOUNT}/password/reset/${deadToken(123)}`)).status).to.equal(429);
    expect((await fromOffice(`${USER_MOUNT}/email/confirm/${deadToken(124)}`)).status).to.equal(429);
  });

  it('counts per IP: another network opens dead links with a 404, and the limit lifts after the window', async () => {
    expect(
      (
        await request(world.host.app)
          .get(`${MOUNT}/accept/${deadToken(1)}`)
          .set('X-Forwarded-For', '198.51.100.9')
      ).status,
    ).to.equal(404);
    world.host.clock.advance(15 * 60 * 1000 + 1000);
    expect((await fromOffice(`${MOUNT}/accept/${deadToken(2)}`)).status).to.equal(404);
  });

  it('spent or replaced links of a real token are told as such (410), not counted as dead', async () => {
    // The invitation was accepted above: its link now says so, however often it is opened.
    for (let i = 0; i < 3; i++) expect((await fromOffice(invitationLink)).status).to.equal(410);
    // The office's count in this window: the one dead link of the test before.
    const key = createHash('sha256').update(`accept-view:${OFFICE_IP}`).digest('hex');
    const row = await world.knex('au_rate_limits').where({ key }).first();
    expect(Number(row.hits)).to.equal(1);
  });
});

/**
 * The attack review of the issue-21 fixes: POSTs of dead links (accept, register, decline) had a
 * per-IP limit of their own that counted every failure and then refused every link, so a coworker
 * with a session of their own (a CSRF token is all a POST needs) could lock the office out of the
 * invitations it was sent. Only POSTs whose token matches nothing count now, and only they are refused.
 */
describe('dead-link POSTs (limits.acceptPerWindow: 20)', function () {
  this.timeout(60_000);
  const world = new World();
  beforeEach(() => world.setUp());
  afterEach(() => world.tearDown());

  it('lets the real invitee behind the same IP register through a valid link after 20 POSTs of dead links, while the 21st dead POST is 429', async () => {
    await invite(await world.ownerBrowser(), 'newhire@acme.test', ['invoices']);
    const link = pathOf(world.smtp.linkFor('newhire@acme.test'));
    const invitations = await world.knex('au_invitations').select('id', 'status', 'token_hash').orderBy('id');
    // A coworker behind the same office IP, with a CSRF token of their own session (no login needed).
    const coworker = world.browser();
    await coworker.get(link);
    for (let i = 0; i < 20; i++) {
      const path = `${MOUNT}/accept/${deadToken(i)}${i % 2 ? '/decline' : '/register'}`;
      expect((await coworker.post(path, { name: 'Guesser', password: 'guess-password-1' })).status, path).to.equal(404);
    }
    expect(await world.knex('au_invitations').select('id', 'status', 'token_hash').orderBy('id')).to.deep.equal(invitations);
    // The real invitee, same IP: the link opens and registering through it works.
    const invitee = world.browser();
    expect((await invitee.get(link)).status).to.equal(200);
    const registered = await invitee.post(`${link}/register`, { name: 'New Hire', password: 'new-hire-password-1' });
    expect(registered.status, registered.text).to.equal(303);
    expect(
      await world.host.au.api.can(
        { userId: (await world.host.au.api.findUserByEmail({ email: 'newhire@acme.test' }))!.id, accountId: world.account.id },
        'invoices',
      ),
    ).to.equal(true);
    // Guessing is still slowed: the next dead POST from that IP is refused.
    const refused = await coworker.postJson(`${MOUNT}/accept/${deadToken(99)}/decline`, {});
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 15 * 60);
  });
});
