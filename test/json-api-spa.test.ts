import { expect } from 'chai';
import { OWNER, useWorld } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { addMember } from './support/members.js';
import { newLogin } from './support/api.js';
import type { Browser } from './support/client.js';

/** A single-page app's request: a JSON body, the token in a header, no Accept header (as `fetch` sends it). */
function fetchLike(b: Browser, path: string, body: unknown, token: string) {
  return b.agent.post(path).set('Content-Type', 'application/json').set('x-csrf-token', token).send(JSON.stringify(body));
}

/** The JSON routes as a single-page app uses them (issue 23, finding 4). */
describe('JSON for single-page apps', function () {
  this.timeout(30_000);
  const { world, owner } = useWorld();

  it('answers a POST with a JSON body and no Accept header in JSON, not with a redirect', async () => {
    const res = await fetchLike(owner, `${MOUNT}/invite`, { email: 'spa-1@example.test', permissions: ['invoices'] }, owner.csrf);
    expect(res.status, res.text).to.equal(201);
    expect(res.type).to.equal('application/json');
    expect(res.body.invitation.email).to.equal('spa-1@example.test');
  });

  it('still redirects a form POST (303)', async () => {
    const page = world.browser();
    await page.login(OWNER.email, OWNER.password);
    await page.get(`${MOUNT}/invite`);
    const res = await page.post(`${MOUNT}/invite`, { email: 'form-1@example.test', permissions: 'invoices' });
    expect(res.status).to.equal(303);
  });

  it('answers a registration with the signed-in session’s token: the next POST works without a GET, the old token does not', async () => {
    await owner.postJson(`${MOUNT}/invite`, { email: 'spa-2@example.test', permissions: ['invoices'] });
    const link = pathOf(world.smtp.linkFor('spa-2@example.test'));
    const app = world.browser();
    const before = (await app.getJson(link)).body.csrfToken as string;
    const registered = await fetchLike(app, `${link}/register`, { name: 'Spa Two', password: 'spa-two-password-1' }, before);
    expect(registered.status, registered.text).to.equal(201);
    const after = registered.body.csrfToken as string;
    expect(after).to.be.a('string').and.not.equal(before);
    expect((await fetchLike(app, `${USER_MOUNT}/profile`, { name: 'Stale Token' }, before)).body.error.code).to.equal('csrf');
    const saved = await fetchLike(app, `${USER_MOUNT}/profile`, { name: 'Spa Deux' }, after);
    expect(saved.status, saved.text).to.equal(200);
    expect(saved.body.user.name).to.equal('Spa Deux');
    expect(saved.body.csrfToken).to.equal(after);
  });

  it('answers a sign-out with the signed-out session’s token, good for the next POST', async () => {
    const login = await newLogin(world.host.au, 'spa-out');
    const app = world.browser();
    await app.login(login.email, login.password);
    const token = (await app.getJson(`${MOUNT}/accounts`)).body.csrfToken as string;
    const out = await fetchLike(app, `${MOUNT}/accept/${'x'.repeat(43)}/signout`, {}, token);
    expect(out.status, out.text).to.equal(200);
    expect(out.body.signedOut).to.equal(true);
    const next = await fetchLike(app, `${USER_MOUNT}/password/forgot`, { email: login.email }, out.body.csrfToken as string);
    expect(next.status, next.text).to.equal(202);
  });

  it('shows the active account on GET /accounts, the first request after sign-in', async () => {
    const login = await newLogin(world.host.au, 'spa-in');
    const app = world.browser();
    await app.login(login.email, login.password);
    const res = await app.getJson(`${MOUNT}/accounts`);
    expect(res.body.activeAccountId).to.equal(login.ownAccountId);
    expect(res.body.accounts.filter((a: { active: boolean }) => a.active).map((a: { id: number }) => a.id)).to.deep.equal([login.ownAccountId]);
  });

  it('names the field the request sent: POST /transfer refuses a non-member on userId', async () => {
    const stranger = await newLogin(world.host.au, 'spa-stranger');
    const res = await owner.postJson(`${MOUNT}/transfer`, { userId: stranger.userId, currentPassword: OWNER.password });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(['userId']);
  });

  it('gives an activity entry’s actor as a name and an address, each its own field', async () => {
    const res = await owner.getJson(`${MOUNT}/activity`);
    const sent = res.body.entries.find((e: { action: string }) => e.action === 'invitation.sent');
    expect(sent).to.deep.include({ actorName: OWNER.name, actorEmail: OWNER.email, actorSystem: null });
  });

  it('lists the owner first after an ownership transfer', async () => {
    const member = await addMember(world, owner, 'spa-heir@example.test', ['invoices']);
    await owner.getJson(`${MOUNT}/transfer`);
    expect((await owner.postJson(`${MOUNT}/transfer`, { userId: member.userId, currentPassword: OWNER.password })).status).to.equal(201);
    const offer = [...world.smtp.to('spa-heir@example.test')].reverse().find((m) => /\/transfer\/[A-Za-z0-9_-]{43}/.test(m.text ?? ''))!;
    const link = pathOf(/https?:\/\/\S+\/transfer\/[A-Za-z0-9_-]{43}/.exec(offer.text!)![0]);
    await member.browser.getJson(link);
    expect((await member.browser.postJson(link, {})).status).to.equal(200);
    const page = await member.browser.getJson(`${MOUNT}/`);
    expect(page.body.members[0]).to.deep.include({ userId: member.userId, isOwner: true });
    expect(page.body.members.filter((m: { isOwner: boolean }) => m.isOwner)).to.have.length(1);
    const api = await world.host.au.api.listMembers({ actor: { system: 'check' }, accountId: world.account.id });
    expect(api.items[0]!.userId).to.equal(member.userId);
  });
});
