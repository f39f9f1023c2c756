import { expect } from 'chai';
import type { Router } from 'express';
import { Browser, pathOf } from './client.js';
import { BASE_URL, MOUNT, USER_MOUNT } from './app.js';
import { OWNER, type World } from './world.js';
import { linkIn, waitForMail } from './user-mail.js';
import { newLogin } from './api.js';
import { freshCode, wrongCodeAt } from './two-factor.js';
import { SoftAuthenticator } from './passkeys.js';

/** One JSON answer, with the route (as the OpenAPI document names it) that gave it. */
export interface RecordedAnswer {
  method: 'get' | 'post';
  /** The path as the document lists it: the router's mount, then the route with `{params}`. */
  route: string;
  /** The path the request went to, with its query (`route` with the values filled in). */
  path: string;
  /** A POST's JSON body as sent (`{}` for a route that takes none). */
  requestBody?: unknown;
  status: number;
  contentType: string;
  body: unknown;
}

/**
 * Drives every JSON route of both routers the way a single-page app does (a JSON body, the
 * `x-csrf-token` header, the token taken from each answer), through success and the errors each
 * route documents, and records every answer. The test then checks each against the OpenAPI
 * document: a route or an answer this leaves out is one the document cannot be trusted for.
 */
export async function driveEveryJsonRoute(world: World): Promise<RecordedAnswer[]> {
  const answers: RecordedAnswer[] = [];
  const au = world.host.au;

  /** A browser that speaks JSON only and records what it hears. */
  class App extends Browser {
    async call(method: 'get' | 'post', route: string, path: string, body?: unknown, opts: { csrf?: string | null; expect?: number } = {}) {
      const res =
        method === 'get'
          ? await this.agent.get(path).set('Accept', 'application/json')
          : await this.sendJson(path, body ?? {}, opts.csrf === undefined ? this.csrf : opts.csrf);
      if (res.body && typeof res.body.csrfToken === 'string') this.csrf = res.body.csrfToken;
      answers.push({
        method,
        route,
        path,
        ...(method === 'post' ? { requestBody: body ?? {} } : {}),
        status: res.status,
        contentType: String(res.headers['content-type'] ?? ''),
        body: res.body,
      });
      if (opts.expect !== undefined) expect(res.status, `${method.toUpperCase()} ${path}: ${res.text}`).to.equal(opts.expect);
      return res;
    }
    /** A JSON body without an Accept header, as `fetch(url, { method: 'POST', body: JSON.stringify(…) })` sends it. */
    private sendJson(path: string, body: unknown, token: string | null) {
      const req = this.agent.post(path).set('Content-Type', 'application/json');
      if (token !== null) req.set('x-csrf-token', token);
      return req.send(JSON.stringify(body));
    }
    async signIn(email: string, password: string) {
      await this.login(email, password);
    }
  }
  const app = () => new App(world.host.app);
  const M = MOUNT;
  const U = USER_MOUNT;

  // --- The owner's user management.
  const owner = app();
  await owner.call('get', `${M}/`, `${M}/`, undefined, { expect: 401 });
  await owner.signIn(OWNER.email, OWNER.password);
  await owner.call('get', `${M}/openapi.json`, `${M}/openapi.json`, undefined, { expect: 200 });
  await owner.call('get', `${U}/openapi.json`, `${U}/openapi.json`, undefined, { expect: 200 });
  await owner.call('get', `${M}/`, `${M}/`, undefined, { expect: 200 });
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: 'x@example.test', permissions: ['invoices'] }, { csrf: 'wrong', expect: 403 });
  await owner.call('get', `${M}/invite`, `${M}/invite`, undefined, { expect: 200 });
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: 'not an address', permissions: ['invoices'] }, { expect: 400 });
  const sent = await owner.call(
    'post',
    `${M}/invite`,
    `${M}/invite`,
    { email: 'newcomer@example.test', permissions: ['invoices'], accessUntil: '2099-12-31' },
    { expect: 201 },
  );
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: 'newcomer@example.test', permissions: ['invoices'] }, { expect: 200 });
  const invitationId = Number(sent.body.invitation.id);
  await owner.call('post', `${M}/invitations/{id}/resend`, `${M}/invitations/${invitationId}/resend`, {}, { expect: 429 });
  world.host.clock.advance(61_000);
  await owner.call('post', `${M}/invitations/{id}/resend`, `${M}/invitations/${invitationId}/resend`, {}, { expect: 200 });
  await owner.call('post', `${M}/invitations/{id}/resend`, `${M}/invitations/999999/resend`, {}, { expect: 404 });
  await waitForMail(world.smtp, 'newcomer@example.test', 2);
  const newcomerLink = pathOf(world.smtp.linkFor('newcomer@example.test'));

  // --- A visitor registers through the link; a second invitation is declined, a third cancelled.
  const visitor = app();
  await visitor.call('get', `${M}/accept/{token}`, newcomerLink, undefined, { expect: 200 });
  await visitor.call('post', `${M}/accept/{token}/register`, `${newcomerLink}/register`, { name: 'New Comer', password: 'x' }, { expect: 400 });
  const registered = await visitor.call(
    'post',
    `${M}/accept/{token}/register`,
    `${newcomerLink}/register`,
    { name: 'New Comer', password: 'newcomer-password-1' },
    { expect: 201 },
  );
  const newcomerId = Number(registered.body.user.id);
  // The token the registration answered with works for the next POST, with no GET in between.
  await visitor.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
  await visitor.call('get', `${M}/accept/{token}`, newcomerLink, undefined, { expect: 410 });
  await visitor.call('get', `${M}/`, `${M}/`, undefined, { expect: 403 });

  const declined = await owner.call('post', `${M}/invite`, `${M}/invite`, { email: 'decliner@example.test', permissions: ['invoices'] }, { expect: 201 });
  const declineLink = pathOf(world.smtp.linkFor('decliner@example.test'));
  const stranger = app();
  await stranger.call('get', `${M}/accept/{token}`, declineLink, undefined, { expect: 200 });
  await stranger.call('get', `${M}/accept/{token}/decline`, `${declineLink}/decline`, undefined, { expect: 200 });
  await stranger.call('post', `${M}/accept/{token}/decline`, `${declineLink}/decline`, {}, { expect: 200 });
  expect(declined.status).to.equal(201);
  const cancelled = await owner.call('post', `${M}/invite`, `${M}/invite`, { email: 'cancelled@example.test', permissions: ['invoices'] }, { expect: 201 });
  await owner.call('get', `${M}/invitations/{id}/cancel`, `${M}/invitations/${cancelled.body.invitation.id}/cancel`, undefined, { expect: 200 });
  await owner.call('post', `${M}/invitations/{id}/cancel`, `${M}/invitations/${cancelled.body.invitation.id}/cancel`, {}, { expect: 200 });
  await owner.call('post', `${M}/invitations/{id}/cancel`, `${M}/invitations/${cancelled.body.invitation.id}/cancel`, {}, { expect: 409 });

  // --- A login invited in the app: its accounts page lists the invitation; it accepts one, declines another.
  const login = await newLogin(au, 'existing');
  const inApp = await owner.call('post', `${M}/invite`, `${M}/invite`, { email: login.email, permissions: ['invoices', 'tickets'] }, { expect: 201 });
  const other = await au.createAccount({ name: 'Other Ltd', owner: { email: 'other-owner@example.test', name: 'Otto Other', password: 'other-password-1' } });
  const { invitation: toDecline } = await au.api.invite({
    actor: { system: 'Support: Jane' },
    accountId: other.account.id,
    email: login.email,
    permissions: ['invoices'],
    send: false,
  });
  const member = app();
  await member.signIn(login.email, login.password);
  await member.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
  await member.call('get', `${M}/accounts/invitations/{invitationId}/decline`, `${M}/accounts/invitations/${toDecline.id}/decline`, undefined, { expect: 200 });
  await member.call('post', `${M}/accounts/invitations/{invitationId}/decline`, `${M}/accounts/invitations/${toDecline.id}/decline`, {}, { expect: 200 });
  await member.call('post', `${M}/accounts/invitations/{invitationId}/accept`, `${M}/accounts/invitations/999999/accept`, {}, { expect: 404 });
  await member.call(
    'post',
    `${M}/accounts/invitations/{invitationId}/accept`,
    `${M}/accounts/invitations/${inApp.body.invitation.id}/accept`,
    {},
    { expect: 200 },
  );
  await member.call('post', `${M}/accounts/switch`, `${M}/accounts/switch`, { accountId: login.ownAccountId }, { expect: 200 });
  await member.call('post', `${M}/accounts/switch`, `${M}/accounts/switch`, { accountId: 999999 }, { expect: 404 });
  await member.call('post', `${M}/accounts/switch`, `${M}/accounts/switch`, { accountId: world.account.id }, { expect: 200 });

  // --- An invitation to a signed-in login, accepted by its link; one sent to another address.
  const linked = await newLogin(au, 'linked');
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: linked.email, permissions: ['invoices'] }, { expect: 201 });
  const linkedLink = pathOf(world.smtp.linkFor(linked.email));
  const linkedApp = app();
  await linkedApp.call('post', `${M}/accept/{token}`, linkedLink, {}, { csrf: null, expect: 403 });
  await linkedApp.signIn(linked.email, linked.password);
  await linkedApp.call('get', `${M}/accept/{token}`, linkedLink, undefined, { expect: 200 });
  await member.call('get', `${M}/accept/{token}`, linkedLink, undefined, { expect: 200 });
  await member.call('post', `${M}/accept/{token}`, linkedLink, {}, { expect: 403 });
  await linkedApp.call('post', `${M}/accept/{token}`, linkedLink, {}, { expect: 200 });
  await linkedApp.call('post', `${M}/accept/{token}`, linkedLink, {}, { expect: 410 });

  // --- The owner edits, removes; a member leaves.
  await owner.call('get', `${M}/users/{userId}`, `${M}/users/${newcomerId}`, undefined, { expect: 200 });
  await owner.call('get', `${M}/users/{userId}`, `${M}/users/999999`, undefined, { expect: 404 });
  await owner.call(
    'post',
    `${M}/users/{userId}/permissions`,
    `${M}/users/${newcomerId}/permissions`,
    { permissions: ['invoices', 'quotes'], accessUntil: '2099-06-30T12:00Z' },
    { expect: 200 },
  );
  await owner.call('post', `${M}/users/{userId}/permissions`, `${M}/users/${newcomerId}/permissions`, { permissions: ['no-such-key'] }, { expect: 400 });
  await owner.call('get', `${M}/users/{userId}/remove`, `${M}/users/${linked.userId}/remove`, undefined, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/remove`, `${M}/users/${linked.userId}/remove`, {}, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/remove`, `${M}/users/${world.ownerId}/remove`, {}, { expect: 400 });
  // The invite form again, with what the removed address held checked; nothing sent.
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: linked.email, applyPrevious: '1' }, { expect: 200 });
  await owner.call('get', `${M}/invite`, `${M}/invite?restore=${linked.userId}`, undefined, { expect: 200 });
  await member.call('get', `${M}/accounts/{accountId}/leave`, `${M}/accounts/${world.account.id}/leave`, undefined, { expect: 200 });
  await member.call('post', `${M}/accounts/{accountId}/leave`, `${M}/accounts/${login.ownAccountId}/leave`, {}, { expect: 400 });
  await owner.call('get', `${M}/activity`, `${M}/activity`, undefined, { expect: 200 });
  await owner.call('get', `${M}/activity`, `${M}/activity?after=x`, undefined, { expect: 400 });

  // --- Ownership: offered to the newcomer, withdrawn, offered again and accepted.
  await owner.call('get', `${M}/transfer`, `${M}/transfer`, undefined, { expect: 200 });
  await owner.call('post', `${M}/transfer`, `${M}/transfer`, { userId: 999999, currentPassword: OWNER.password }, { expect: 400 });
  await owner.call('post', `${M}/transfer/cancel`, `${M}/transfer/cancel`, {}, { expect: 404 });
  await owner.call('post', `${M}/transfer`, `${M}/transfer`, { userId: newcomerId, currentPassword: OWNER.password }, { expect: 201 });
  await owner.call('post', `${M}/transfer`, `${M}/transfer`, { userId: newcomerId, currentPassword: OWNER.password }, { expect: 409 });
  await owner.call('get', `${M}/transfer`, `${M}/transfer`, undefined, { expect: 200 });
  await owner.call('get', `${M}/transfer/cancel`, `${M}/transfer/cancel`, undefined, { expect: 200 });
  await owner.call('post', `${M}/transfer/cancel`, `${M}/transfer/cancel`, {}, { expect: 200 });
  await owner.call('post', `${M}/transfer`, `${M}/transfer`, { userId: newcomerId, currentPassword: OWNER.password }, { expect: 201 });
  const offerLink = await newestLink(world, 'newcomer@example.test', /https?:\/\/\S+\/transfer\/[A-Za-z0-9_-]{43}/, 2);
  await visitor.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
  await member.call('get', `${M}/transfer/{token}`, offerLink, undefined, { expect: 403 });
  await visitor.call('get', `${M}/transfer/{token}`, offerLink, undefined, { expect: 200 });
  await visitor.call('post', `${M}/transfer/{token}`, offerLink, {}, { expect: 200 });
  await visitor.call('get', `${M}/`, `${M}/`, undefined, { expect: 200 });

  // --- The new owner offers it back: declined by the link, declined on the accounts page, accepted there.
  await visitor.call('get', `${M}/transfer`, `${M}/transfer`, undefined, { expect: 200 });
  await visitor.call('post', `${M}/transfer`, `${M}/transfer`, { userId: world.ownerId, currentPassword: 'newcomer-password-1' }, { expect: 201 });
  const backLink = await newestLink(world, OWNER.email, /https?:\/\/\S+\/transfer\/[A-Za-z0-9_-]{43}/, 1);
  await owner.call('get', `${M}/transfer/{token}/decline`, `${backLink}/decline`, undefined, { expect: 200 });
  await owner.call('post', `${M}/transfer/{token}/decline`, `${backLink}/decline`, {}, { expect: 200 });
  await owner.call('post', `${M}/transfer/{token}/decline`, `${backLink}/decline`, {}, { expect: 404 });
  const offeredOnPage = async () => {
    await visitor.call('post', `${M}/transfer`, `${M}/transfer`, { userId: world.ownerId, currentPassword: 'newcomer-password-1' }, { expect: 201 });
    const listed = await owner.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
    return Number(listed.body.ownershipOffers[0].transfer.id);
  };
  const declineOnPage = await offeredOnPage();
  await owner.call('get', `${M}/accounts/offers/{transferId}/decline`, `${M}/accounts/offers/${declineOnPage}/decline`, undefined, { expect: 200 });
  await owner.call('post', `${M}/accounts/offers/{transferId}/decline`, `${M}/accounts/offers/${declineOnPage}/decline`, {}, { expect: 200 });
  const acceptOnPage = await offeredOnPage();
  await owner.call('post', `${M}/accounts/offers/{transferId}/accept`, `${M}/accounts/offers/999999/accept`, {}, { expect: 404 });
  await owner.call('post', `${M}/accounts/offers/{transferId}/accept`, `${M}/accounts/offers/${acceptOnPage}/accept`, {}, { expect: 200 });
  await owner.call('get', `${M}/`, `${M}/`, undefined, { expect: 200 });

  // --- Suspend and reinstate a member; restore the one removed above.
  await owner.call('get', `${M}/users/{userId}/suspend`, `${M}/users/${login.userId}/suspend`, undefined, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/suspend`, `${M}/users/${login.userId}/suspend`, { reason: 'On leave' }, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/suspend`, `${M}/users/${world.ownerId}/suspend`, {}, { expect: 400 });
  await owner.call('get', `${M}/users/{userId}/reinstate`, `${M}/users/${login.userId}/reinstate`, undefined, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/reinstate`, `${M}/users/${login.userId}/reinstate`, {}, { expect: 200 });
  await owner.call('get', `${M}/users/{userId}/restore`, `${M}/users/${linked.userId}/restore`, undefined, { expect: 200 });
  await owner.call('get', `${M}/users/{userId}/restore`, `${M}/users/999999/restore`, undefined, { expect: 404 });
  await owner.call('post', `${M}/users/{userId}/restore`, `${M}/users/${linked.userId}/restore`, {}, { expect: 200 });

  // --- Many at once, the exports, and the account's two-factor rule.
  await owner.call('get', `${M}/invite/bulk`, `${M}/invite/bulk`, undefined, { expect: 200 });
  await owner.call('post', `${M}/invite/bulk`, `${M}/invite/bulk`, { emails: 'bulk-1@example.test', permissions: [] }, { expect: 400 });
  await owner.call(
    'post',
    `${M}/invite/bulk`,
    `${M}/invite/bulk`,
    { emails: ['bulk-1@example.test', 'bulk-2@example.test', 'not an address', login.email], permissions: ['invoices'] },
    { expect: 200 },
  );
  await owner.call('get', `${M}/export/members.json`, `${M}/export/members.json`, undefined, { expect: 200 });
  await owner.call('get', `${M}/export/members.csv`, `${M}/export/members.csv`, undefined, { expect: 200 });
  await owner.call('get', `${M}/export/activity.csv`, `${M}/export/activity.csv`, undefined, { expect: 200 });
  await owner.call('get', `${M}/security`, `${M}/security`, undefined, { expect: 200 });
  await owner.call('post', `${M}/security`, `${M}/security`, { required: true, graceDays: 'soon' }, { expect: 400 });
  await owner.call('post', `${M}/security`, `${M}/security`, { required: true, graceDays: 7 }, { expect: 409 });
  await owner.call('post', `${M}/security`, `${M}/security`, { required: false, graceDays: 0 }, { expect: 200 });

  // --- A roster, in an account of its own (applying it removes whom it leaves out).
  const rosterOwner = app();
  await rosterOwner.signIn('other-owner@example.test', 'other-password-1');
  await rosterOwner.call('get', `${M}/roster`, `${M}/roster`, undefined, { expect: 200 });
  await rosterOwner.call('post', `${M}/roster`, `${M}/roster`, { csv: 'email,permissions\nno-address,invoices', apply: false }, { expect: 400 });
  const roster = `email,permissions\nroster-1@example.test,invoices\nroster-2@example.test,invoices;tickets\n`;
  await rosterOwner.call('post', `${M}/roster`, `${M}/roster`, { csv: roster, apply: false }, { expect: 200 });
  await rosterOwner.call('post', `${M}/roster`, `${M}/roster`, { csv: roster, apply: true }, { expect: 200 });

  await visitor.call('post', `${M}/accept/{token}/signout`, `${newcomerLink}/signout`, {}, { expect: 200 });
  await visitor.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 401 });

  // --- au.userRouter: the profile, the password, the address.
  const me = app();
  await me.signIn(login.email, login.password);
  await me.call('get', `${U}/profile`, `${U}/profile`, undefined, { expect: 200 });
  await me.call('post', `${U}/profile`, `${U}/profile`, { name: '' }, { expect: 400 });
  await me.call('post', `${U}/profile`, `${U}/profile`, { name: 'Ex Isting' }, { expect: 200 });
  await me.call('post', `${U}/password`, `${U}/password`, { currentPassword: 'wrong-password', newPassword: 'existing-password-2' }, { expect: 400 });
  await me.call('post', `${U}/password`, `${U}/password`, { currentPassword: login.password, newPassword: 'existing-password-2' }, { expect: 200 });
  await me.call('post', `${U}/email/verify`, `${U}/email/verify`, {}, { expect: 200 });
  await me.call('post', `${U}/email`, `${U}/email`, { email: 'moved@example.test', currentPassword: 'existing-password-2' }, { expect: 202 });
  const confirmLink = linkIn(await waitForMail(world.smtp, 'moved@example.test'), 'email/confirm');
  const anyone = app();
  await anyone.call('get', `${U}/email/confirm/{token}`, confirmLink, undefined, { expect: 200 });
  await anyone.call('post', `${U}/email/confirm/{token}`, confirmLink, {}, { expect: 200 });
  await anyone.call('get', `${U}/email/confirm/{token}`, confirmLink, undefined, { expect: 410 });
  // A login nothing has verified: refused the in-app answer, sent a link to its address, verified by it.
  const fresh = await newLogin(au, 'unverified', { verified: false });
  const { invitation: waiting } = await au.api.invite({
    actor: { system: 'setup' },
    accountId: world.account.id,
    email: fresh.email,
    permissions: ['invoices'],
    send: false,
  });
  const unverified = app();
  await unverified.signIn(fresh.email, fresh.password);
  await unverified.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
  await unverified.call('post', `${M}/accounts/invitations/{invitationId}/accept`, `${M}/accounts/invitations/${waiting.id}/accept`, {}, { expect: 403 });
  await unverified.call('get', `${U}/profile`, `${U}/profile`, undefined, { expect: 200 });
  await unverified.call('post', `${U}/email/verify`, `${U}/email/verify`, {}, { expect: 202 });
  const verifyLink = linkIn(await waitForMail(world.smtp, fresh.email), 'email/verify');
  await unverified.call('get', `${U}/email/verify/{token}`, verifyLink, undefined, { expect: 200 });
  await owner.call('get', `${U}/email/verify/{token}`, verifyLink, undefined, { expect: 403 });
  await unverified.call('post', `${U}/email/verify/{token}`, verifyLink, {}, { expect: 200 });

  const forgetful = app();
  await forgetful.call('get', `${U}/password/forgot`, `${U}/password/forgot`, undefined, { expect: 200 });
  await forgetful.call('post', `${U}/password/forgot`, `${U}/password/forgot`, { email: 'nope' }, { expect: 400 });
  await forgetful.call('post', `${U}/password/forgot`, `${U}/password/forgot`, { email: 'moved@example.test' }, { expect: 202 });
  const resetLink = linkIn(await waitForMail(world.smtp, 'moved@example.test', 2), 'password/reset');
  await forgetful.call('get', `${U}/password/reset/{token}`, resetLink, undefined, { expect: 200 });
  await forgetful.call('post', `${U}/password/reset/{token}`, resetLink, { password: 'existing-password-3' }, { expect: 200 });
  await forgetful.call('post', `${U}/password/reset/{token}`, resetLink, { password: 'existing-password-4' }, { expect: 410 });
  await forgetful.call('get', `${U}/profile`, `${U}/profile`, undefined, { expect: 401 });

  // --- Two-factor sign-in: a new account's owner enrols, requires it of the account, signs in again with a code.
  const guarded = { email: 'guarded@example.test', name: 'Gina Guard', password: 'guarded-password-1' };
  await au.createAccount({ name: 'Guarded Ltd', owner: guarded });
  const g = app();
  await g.signIn(guarded.email, guarded.password);
  await g.call('get', `${U}/two-factor`, `${U}/two-factor`, undefined, { expect: 200 });
  await g.call('post', `${U}/two-factor/totp`, `${U}/two-factor/totp`, { currentPassword: 'not-the-password' }, { expect: 400 });
  const started = await g.call('post', `${U}/two-factor/totp`, `${U}/two-factor/totp`, { currentPassword: guarded.password }, { expect: 200 });
  const secret = String(started.body.secret);
  await g.call('post', `${U}/two-factor/totp/confirm`, `${U}/two-factor/totp/confirm`, { code: wrongCodeAt(secret, world.host.clock.now()) }, { expect: 400 });
  await g.call('post', `${U}/two-factor/totp/confirm`, `${U}/two-factor/totp/confirm`, { code: freshCode(world.host, secret) }, { expect: 200 });
  await g.call('get', `${M}/security`, `${M}/security`, undefined, { expect: 200 });
  await g.call('post', `${M}/security`, `${M}/security`, { required: true, graceDays: 365 }, { expect: 400 });
  await g.call('post', `${M}/security`, `${M}/security`, { required: true, graceDays: 7 }, { expect: 200 });
  await g.call('post', `${U}/two-factor/recovery-codes`, `${U}/two-factor/recovery-codes`, {}, { expect: 200 });
  await g.call('post', `${U}/two-factor/devices/forget`, `${U}/two-factor/devices/forget`, { deviceId: 999999 }, { expect: 404 });
  await g.call('post', `${U}/two-factor/devices/forget`, `${U}/two-factor/devices/forget`, {}, { expect: 200 });
  const again = app();
  await again.signIn(guarded.email, guarded.password);
  await again.call('get', `${U}/two-factor`, `${U}/two-factor`, undefined, { expect: 401 });
  await again.call('get', `${U}/two-factor/verify`, `${U}/two-factor/verify`, undefined, { expect: 200 });
  await again.call('post', `${U}/two-factor/verify`, `${U}/two-factor/verify`, { code: wrongCodeAt(secret, world.host.clock.now()) }, { expect: 400 });
  await again.call('post', `${U}/two-factor/verify`, `${U}/two-factor/verify`, { code: freshCode(world.host, secret) }, { expect: 200 });
  world.host.clock.advance(11 * 60 * 1000);
  await again.call('post', `${U}/two-factor/recovery-codes`, `${U}/two-factor/recovery-codes`, {}, { expect: 403 });
  await again.call('post', `${U}/two-factor/remove`, `${U}/two-factor/remove`, { currentPassword: 'not-the-password' }, { expect: 400 });
  await again.call('post', `${U}/two-factor/remove`, `${U}/two-factor/remove`, { currentPassword: guarded.password }, { expect: 200 });
  {
    // The same routes as a member of the first account would meet them: recovery code, 401 before the second step.
    // --- Two-factor: enrol an authenticator app, new recovery codes, the second step of a sign-in, removal.
    const careful = await newLogin(au, 'careful');
    const enrolling = app();
    await enrolling.signIn(careful.email, careful.password);
    await enrolling.call('get', `${U}/two-factor`, `${U}/two-factor`, undefined, { expect: 200 });
    await enrolling.call('post', `${U}/two-factor/totp`, `${U}/two-factor/totp`, { currentPassword: 'wrong-password' }, { expect: 400 });
    const started = await enrolling.call('post', `${U}/two-factor/totp`, `${U}/two-factor/totp`, { currentPassword: careful.password }, { expect: 200 });
    const secret = String(started.body.secret);
    await enrolling.call(
      'post',
      `${U}/two-factor/totp/confirm`,
      `${U}/two-factor/totp/confirm`,
      { code: wrongCodeAt(secret, world.host.clock.now()) },
      { expect: 400 },
    );
    await enrolling.call('post', `${U}/two-factor/totp/confirm`, `${U}/two-factor/totp/confirm`, { code: freshCode(world.host, secret) }, { expect: 200 });
    const codes = await enrolling.call('post', `${U}/two-factor/recovery-codes`, `${U}/two-factor/recovery-codes`, {}, { expect: 200 });
    // A sensitive change asks for a recent second factor (twoFactor.stepUpMinutes).
    world.host.clock.advance(11 * 60_000);
    await enrolling.call('post', `${U}/two-factor/recovery-codes`, `${U}/two-factor/recovery-codes`, {}, { expect: 403 });
    const signingIn = app();
    await signingIn.signIn(careful.email, careful.password);
    // Signed in with the password only: every other route says the second step is owed, and where.
    await signingIn.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 401 });
    await signingIn.call('get', `${U}/two-factor/verify`, `${U}/two-factor/verify`, undefined, { expect: 200 });
    await signingIn.call('post', `${U}/two-factor/verify`, `${U}/two-factor/verify`, { code: 'abc' }, { expect: 400 });
    await signingIn.call('post', `${U}/two-factor/verify`, `${U}/two-factor/verify`, { recoveryCode: codes.body.recoveryCodes[0] }, { expect: 200 });
    await signingIn.call('post', `${U}/two-factor/remove`, `${U}/two-factor/remove`, { currentPassword: 'wrong-password' }, { expect: 400 });
    await signingIn.call('post', `${U}/two-factor/remove`, `${U}/two-factor/remove`, { currentPassword: careful.password }, { expect: 200 });
  }

  // --- Passkeys, answered by a software authenticator: added (the first one shows the recovery codes), a
  // copy refused, renamed, removed after a step-up; the second step with one, and a sign-in with one alone.
  const keyed = await newLogin(au, 'keyed');
  const auth = new SoftAuthenticator(BASE_URL);
  const PK = `${U}/two-factor/passkeys`;
  const passerby = app();
  await passerby.call('get', `${PK}/sign-in`, `${PK}/sign-in?returnTo=%2Fafter`, undefined, { expect: 200 });
  await passerby.call('get', PK, PK, undefined, { expect: 401 });
  await passerby.call('post', `${PK}/verify/options`, `${PK}/verify/options`, {}, { expect: 401 });
  const k = app();
  await k.signIn(keyed.email, keyed.password);
  await k.call('get', PK, PK, undefined, { expect: 200 });
  await k.call('post', `${PK}/register/options`, `${PK}/register/options`, { currentPassword: 'wrong-password' }, { expect: 400 });
  const forElsewhere = await k.call('post', `${PK}/register/options`, `${PK}/register/options`, { currentPassword: keyed.password }, { expect: 200 });
  const elsewhere = new SoftAuthenticator('https://elsewhere.example.test').create(forElsewhere.body.options);
  await k.call('post', `${PK}/register`, `${PK}/register`, { response: elsewhere, name: 'Elsewhere' }, { expect: 400 });
  const first = await k.call('post', `${PK}/register/options`, `${PK}/register/options`, { currentPassword: keyed.password }, { expect: 200 });
  await k.call('post', `${PK}/register`, `${PK}/register`, { response: auth.create(first.body.options), name: 'Laptop' }, { expect: 200 });
  // Two-factor is on now, given in this session: no password for the next one.
  const second = await k.call('post', `${PK}/register/options`, `${PK}/register/options`, {}, { expect: 200 });
  const phone = await k.call('post', `${PK}/register`, `${PK}/register`, { response: auth.create(second.body.options), name: 'Phone' }, { expect: 200 });
  const copy = await k.call('post', `${PK}/register/options`, `${PK}/register/options`, {}, { expect: 200 });
  const copied = new SoftAuthenticator(BASE_URL).create(copy.body.options, { credentialId: auth.credentials[0]!.id });
  await k.call('post', `${PK}/register`, `${PK}/register`, { response: copied, name: 'Copy' }, { expect: 409 });
  const phoneId = Number(phone.body.passkey.id);
  const laptop = { credential: auth.credentials[0]! };
  await k.call('post', `${PK}/{id}/rename`, `${PK}/${phoneId}/rename`, { name: 'Work phone' }, { expect: 200 });
  await k.call('post', `${PK}/{id}/rename`, `${PK}/999999/rename`, { name: 'Not mine' }, { expect: 404 });
  await k.call('get', `${U}/two-factor`, `${U}/two-factor`, undefined, { expect: 200 });
  world.host.clock.advance(11 * 60_000);
  await k.call('post', `${PK}/{id}/remove`, `${PK}/${phoneId}/remove`, {}, { expect: 403 });
  await k.call('post', `${PK}/{id}/remove`, `${PK}/${phoneId}/remove`, { currentPassword: keyed.password }, { expect: 200 });
  // An authenticator app beside the passkey: the recovery codes the login keeps still hold, none shown.
  const totp = await k.call('post', `${U}/two-factor/totp`, `${U}/two-factor/totp`, { currentPassword: keyed.password }, { expect: 200 });
  const keyedSecret = String(totp.body.secret);
  await k.call('post', `${U}/two-factor/totp/confirm`, `${U}/two-factor/totp/confirm`, { code: freshCode(world.host, keyedSecret) }, { expect: 200 });
  // The second step of a password sign-in, with the passkey.
  const stepping = app();
  await stepping.signIn(keyed.email, keyed.password);
  await stepping.call('get', `${U}/two-factor/verify`, `${U}/two-factor/verify`, undefined, { expect: 200 });
  const toVerify = await stepping.call('post', `${PK}/verify/options`, `${PK}/verify/options`, {}, { expect: 200 });
  await stepping.call('post', `${U}/two-factor/verify`, `${U}/two-factor/verify`, { response: auth.get(toVerify.body.options, laptop) }, { expect: 200 });
  // A sign-in with the passkey alone: a wrong answer refused, then the right one.
  const wrong = await passerby.call('post', `${PK}/sign-in/options`, `${PK}/sign-in/options`, {}, { expect: 200 });
  const forgedAnswer = auth.get(wrong.body.options, { ...laptop, uv: false });
  await passerby.call('post', `${PK}/sign-in`, `${PK}/sign-in`, { response: forgedAnswer }, { expect: 400 });
  const right = await passerby.call('post', `${PK}/sign-in/options`, `${PK}/sign-in/options`, {}, { expect: 200 });
  await passerby.call('post', `${PK}/sign-in`, `${PK}/sign-in`, { response: auth.get(right.body.options, laptop), returnTo: '/after' }, { expect: 200 });
  await passerby.call('get', PK, PK, undefined, { expect: 200 });
  // A host with passkeys off: their routes answer 404.
  const off = world.secondInstance({ twoFactor: { encryptionKey: 'a-test-key-of-at-least-32-characters!', passkeys: false } });
  try {
    const noPasskeys = new App(off.app);
    await noPasskeys.call('get', `${PK}/sign-in`, `${PK}/sign-in`, undefined, { expect: 404 });
    await noPasskeys.call('get', `${U}/password/forgot`, `${U}/password/forgot`, undefined, { expect: 200 });
    await noPasskeys.call('post', `${PK}/sign-in/options`, `${PK}/sign-in/options`, {}, { expect: 404 });
  } finally {
    await off.au.close();
  }
  return answers;
}

/**
 * Every `method path` of a router's route table, the path as the OpenAPI document writes it
 * (`:token` → `{token}`, under `mount`); the stylesheet and icons (`/assets/:file`) are not API.
 */
export function routesOf(router: Router, mount: string): string[] {
  const found = new Set<string>();
  for (const layer of router.stack as Array<{ route?: { path: string | string[]; methods: Record<string, boolean> } }>) {
    if (!layer.route) continue;
    for (const path of [layer.route.path].flat()) {
      if (path === '/assets/:file') continue;
      for (const method of Object.keys(layer.route.methods)) {
        if (method === 'get' || method === 'post') found.add(`${method} ${mount}${path.replace(/:(\w+)/g, '{$1}')}`);
      }
    }
  }
  return [...found];
}

/** The path of the `count`th link matching `pattern` emailed to `to`, waiting for it (mail leaves from the outbox). */
async function newestLink(world: World, to: string, pattern: RegExp, count: number): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const links = world.smtp
      .to(to)
      .map((m) => pattern.exec(m.text ?? '')?.[0])
      .filter((l): l is string => l !== undefined);
    if (links.length >= count) return pathOf(links[count - 1]!);
    if (Date.now() > deadline) throw new Error(`expected ${count} link(s) to ${to}, got ${links.length}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
