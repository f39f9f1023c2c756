import { expect } from 'chai';
import { Secret, TOTP } from 'otpauth';
import type { SmtpSink } from '../../support/smtp.js';
import { SoftAuthenticator } from '../../support/soft-authenticator.js';

/** One answer the app received, with the route as the OpenAPI document names it. */
export interface SpaAnswer {
  method: 'get' | 'post';
  route: string;
  status: number;
  contentType: string;
  body: unknown;
}

const M = '/account/users';
const U = '/user';

/**
 * A single-page app in a browser tab, as `fetch` sees it: the session cookie carried by hand (a
 * browser would do it for a same-origin `fetch`), `Accept: application/json`, a JSON body, and the
 * CSRF token taken from every answer that carries one (docs/json-api.md, "Authentication and CSRF").
 */
export class SpaTab {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(
    private readonly baseUrl: string,
    private readonly heard: SpaAnswer[],
  ) {}

  private async fetch(method: 'GET' | 'POST', path: string, body: unknown, token: string | null) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      if (token !== null) headers['x-csrf-token'] = token;
    }
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    const parsed: unknown = contentType.startsWith('application/json') ? JSON.parse(text) : text;
    return { status: res.status, contentType, body: parsed as Record<string, any> };
  }

  /** A kit route: the answer recorded for the contract check, its token kept, its status checked. */
  async call(method: 'get' | 'post', route: string, path: string, body?: unknown, opts: { csrf?: string | null; expect?: number } = {}) {
    const res = await this.fetch(method === 'get' ? 'GET' : 'POST', path, body, opts.csrf === undefined ? this.csrf : opts.csrf);
    if (res.body && typeof res.body === 'object' && typeof res.body.csrfToken === 'string') this.csrf = res.body.csrfToken;
    this.heard.push({ method, route: `${route}`, status: res.status, contentType: res.contentType, body: res.body });
    if (opts.expect !== undefined) expect(res.status, `${method.toUpperCase()} ${path}: ${JSON.stringify(res.body).slice(0, 600)}`).to.equal(opts.expect);
    return res;
  }

  /** The host's own JSON routes (not the kit's: not in its document). */
  async host(method: 'GET' | 'POST', path: string, body?: unknown) {
    return this.fetch(method, path, body, null);
  }

  async signUp(company: string, name: string, email: string, password: string) {
    const res = await this.host('POST', '/api/signup', { company, name, email, password });
    expect(res.status, `signup ${email}: ${JSON.stringify(res.body)}`).to.equal(201);
    // A sign-in gives the session a new token: the app reads it from the kit before its next POST.
    await this.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
    return Number(res.body.user.id);
  }

  async signIn(email: string, password: string) {
    const res = await this.host('POST', '/api/login', { email, password });
    expect(res.status, `login ${email}: ${JSON.stringify(res.body)}`).to.equal(200);
    return res.body as { user: { id: number }; secondFactorOwed: boolean };
  }
}

/** The path of the newest link in `to`'s mail that `pattern` matches, waiting for the `count`th. */
async function linkTo(smtp: SmtpSink, to: string, pattern: RegExp, count = 1): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const links = smtp
      .to(to)
      .map((m) => pattern.exec(m.text ?? '')?.[0])
      .filter((l): l is string => l !== undefined);
    if (links.length >= count) return new URL(links[count - 1]!).pathname;
    if (Date.now() > deadline) throw new Error(`expected ${count} link(s) to ${to}, got ${links.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const ACCEPT = /https?:\/\/\S+\/accept\/[A-Za-z0-9_-]{43}/;
const OFFER = /https?:\/\/\S+\/transfer\/[A-Za-z0-9_-]{43}/;
const VERIFY = /https?:\/\/\S+\/email\/verify\/[A-Za-z0-9_-]{43}/;
const CONFIRM = /https?:\/\/\S+\/email\/confirm\/[A-Za-z0-9_-]{43}/;
const RESET = /https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]{43}/;

function totp(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at });
}

/**
 * The story a single-page app lives through, over `fetch` against a host running the packed
 * package: the owner signs up, verifies the address, invites (with an end date; again within the
 * cooldown; resent; cancelled), an invitee registers through the link, another accepts with the
 * login they have (by the link, and in the app), one declines; permissions, suspension, removal
 * and restore, leave, switch, bulk invite, a roster, the exports, the activity log, ownership
 * offered, withdrawn, declined and accepted, the two-factor rule, the profile, the password, an
 * address change, a reset, two-factor sign-in. Every kit answer is recorded for the contract check.
 */
export async function singlePageAppStory(baseUrl: string, smtp: SmtpSink): Promise<SpaAnswer[]> {
  const heard: SpaAnswer[] = [];
  const tab = () => new SpaTab(baseUrl, heard);
  const tag = Math.random().toString(36).slice(2, 8);
  const address = (who: string) => `${who}-${tag}@example.test`;

  // --- The owner signs up with the host, then verifies the address through the kit.
  const owner = tab();
  await owner.call('get', `${M}/`, `${M}/`, undefined, { expect: 401 });
  await owner.call('get', `${M}/openapi.json`, `${M}/openapi.json`, undefined, { expect: 200 });
  await owner.call('get', `${U}/openapi.json`, `${U}/openapi.json`, undefined, { expect: 200 });
  const ownerEmail = address('olive');
  const ownerId = await owner.signUp('Acme Ltd', 'Olive Owner', ownerEmail, 'owner-password-1');
  await owner.call('get', `${U}/profile`, `${U}/profile`, undefined, { expect: 200 });
  await owner.call('post', `${U}/email/verify`, `${U}/email/verify`, {}, { expect: 202 });
  const ownerVerify = await linkTo(smtp, ownerEmail, VERIFY);
  await owner.call('get', `${U}/email/verify/{token}`, ownerVerify, undefined, { expect: 200 });
  await owner.call('post', `${U}/email/verify/{token}`, ownerVerify, {}, { expect: 200 });
  await owner.call('post', `${U}/email/verify`, `${U}/email/verify`, {}, { expect: 200 });

  // --- Invitations: refused, sent with an end date, sent again within the cooldown, resent, cancelled.
  const page = await owner.call('get', `${M}/`, `${M}/`, undefined, { expect: 200 });
  expect(page.body.members.map((m: { userId: number }) => m.userId)).to.deep.equal([ownerId]);
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: 'x@example.test', permissions: ['invoices'] }, { csrf: 'wrong', expect: 403 });
  await owner.call('get', `${M}/invite`, `${M}/invite`, undefined, { expect: 200 });
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: 'not an address', permissions: ['invoices'] }, { expect: 400 });
  const anna = address('anna');
  const sent = await owner.call('post', `${M}/invite`, `${M}/invite`, { email: anna, permissions: ['invoices'], accessUntil: '2099-12-31' }, { expect: 201 });
  expect(sent.body.invitation.accessUntil).to.equal('2099-12-31T23:59:59.999Z');
  const updated = await owner.call(
    'post',
    `${M}/invite`,
    `${M}/invite`,
    { email: anna, permissions: ['invoices', 'quotes'], accessUntil: '2099-12-31' },
    { expect: 200 },
  );
  expect(updated.body.outcome).to.equal('updated');
  const invitationId = Number(sent.body.invitation.id);
  await owner.call('post', `${M}/invitations/{id}/resend`, `${M}/invitations/${invitationId}/resend`, {}, { expect: 429 });
  await new Promise((r) => setTimeout(r, 2100));
  await owner.call('post', `${M}/invitations/{id}/resend`, `${M}/invitations/${invitationId}/resend`, {}, { expect: 200 });
  await owner.call('post', `${M}/invitations/{id}/resend`, `${M}/invitations/999999/resend`, {}, { expect: 404 });
  const annaLink = await linkTo(smtp, anna, ACCEPT, 2);
  const cancelled = await owner.call('post', `${M}/invite`, `${M}/invite`, { email: address('cancel'), permissions: ['invoices'] }, { expect: 201 });
  const cancelPath = `${M}/invitations/${cancelled.body.invitation.id}/cancel`;
  await owner.call('get', `${M}/invitations/{id}/cancel`, cancelPath, undefined, { expect: 200 });
  await owner.call('post', `${M}/invitations/{id}/cancel`, cancelPath, {}, { expect: 200 });
  await owner.call('post', `${M}/invitations/{id}/cancel`, cancelPath, {}, { expect: 409 });

  // --- Anna registers through the link: her browser opens the app (the host serves its page for
  // the link's path), which reads the token from the address bar and asks the same path for JSON.
  const opened = await fetch(`${baseUrl}${annaLink}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  expect(await opened.text()).to.match(/<main id="app">/);
  const annaTab = tab();
  const shown = await annaTab.call('get', `${M}/accept/{token}`, annaLink, undefined, { expect: 200 });
  expect(shown.body.existingLogin).to.equal(false);
  await annaTab.call('post', `${M}/accept/{token}/register`, `${annaLink}/register`, { name: 'Anna', password: 'x' }, { expect: 400 });
  const registered = await annaTab.call(
    'post',
    `${M}/accept/{token}/register`,
    `${annaLink}/register`,
    { name: 'Anna Accountant', password: 'anna-password-1' },
    { expect: 201 },
  );
  const annaId = Number(registered.body.user.id);
  expect(registered.body.membership.permissions).to.deep.equal(['invoices', 'quotes']);
  // The registration's token is the signed-in session's: the next POST needs no GET first.
  await annaTab.call('post', `${U}/profile`, `${U}/profile`, { name: 'Anna A. Accountant' }, { expect: 200 });
  await annaTab.call('get', `${M}/accept/{token}`, annaLink, undefined, { expect: 410 });
  await annaTab.call('get', `${M}/`, `${M}/`, undefined, { expect: 403 });
  expect((await annaTab.host('GET', '/api/invoices')).status, 'granted /api/invoices').to.equal(200);
  expect((await annaTab.host('GET', '/api/domains')).status, 'refused /api/domains').to.equal(403);

  // --- A stranger declines an invitation by its link.
  const declinerEmail = address('decliner');
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: declinerEmail, permissions: ['invoices'] }, { expect: 201 });
  const declineLink = await linkTo(smtp, declinerEmail, ACCEPT);
  const stranger = tab();
  await stranger.call('get', `${M}/accept/{token}`, declineLink, undefined, { expect: 200 });
  await stranger.call('get', `${M}/accept/{token}/decline`, `${declineLink}/decline`, undefined, { expect: 200 });
  await stranger.call('post', `${M}/accept/{token}/decline`, `${declineLink}/decline`, {}, { expect: 200 });

  // --- Ben has a login (and an account) of his own: invited, he accepts in the app once his address is verified.
  const benEmail = address('ben');
  const ben = tab();
  await ben.signUp('Ben Books', 'Ben Bookkeeper', benEmail, 'ben-password-1');
  const benAccountId = Number((await ben.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 })).body.activeAccountId);
  const inApp = await owner.call('post', `${M}/invite`, `${M}/invite`, { email: benEmail, permissions: ['invoices', 'tickets'] }, { expect: 201 });
  // An invitation from his own account's neighbour, Other Ltd, which he declines.
  const otherOwner = tab();
  const otherEmail = address('otto');
  await otherOwner.signUp('Other Ltd', 'Otto Other', otherEmail, 'other-password-1');
  const toDecline = await otherOwner.call('post', `${M}/invite`, `${M}/invite`, { email: benEmail, permissions: ['invoices'] }, { expect: 201 });
  await ben.call(
    'post',
    `${M}/accounts/invitations/{invitationId}/accept`,
    `${M}/accounts/invitations/${inApp.body.invitation.id}/accept`,
    {},
    { expect: 403 },
  );
  await ben.call('post', `${U}/email/verify`, `${U}/email/verify`, {}, { expect: 202 });
  const benVerify = await linkTo(smtp, benEmail, VERIFY);
  await owner.call('get', `${U}/email/verify/{token}`, benVerify, undefined, { expect: 403 });
  await ben.call('get', `${U}/email/verify/{token}`, benVerify, undefined, { expect: 200 });
  await ben.call('post', `${U}/email/verify/{token}`, benVerify, {}, { expect: 200 });
  const listed = await ben.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
  expect(listed.body.invitations).to.have.length(2);
  const declinePath = `${M}/accounts/invitations/${toDecline.body.invitation.id}/decline`;
  await ben.call('get', `${M}/accounts/invitations/{invitationId}/decline`, declinePath, undefined, { expect: 200 });
  await ben.call('post', `${M}/accounts/invitations/{invitationId}/decline`, declinePath, {}, { expect: 200 });
  await ben.call('post', `${M}/accounts/invitations/{invitationId}/accept`, `${M}/accounts/invitations/999999/accept`, {}, { expect: 404 });
  const joined = await ben.call(
    'post',
    `${M}/accounts/invitations/{invitationId}/accept`,
    `${M}/accounts/invitations/${inApp.body.invitation.id}/accept`,
    {},
    { expect: 200 },
  );
  const acmeId = Number(joined.body.membership.account.id);
  await ben.call('post', `${M}/accounts/switch`, `${M}/accounts/switch`, { accountId: benAccountId }, { expect: 200 });
  await ben.call('post', `${M}/accounts/switch`, `${M}/accounts/switch`, { accountId: 999999 }, { expect: 404 });
  await ben.call('post', `${M}/accounts/switch`, `${M}/accounts/switch`, { accountId: acmeId }, { expect: 200 });
  expect((await ben.host('GET', '/api/invoices')).body.account).to.equal('Acme Ltd');

  // --- Carl, signed in with his login, accepts by the link; Ben, signed in as someone else, may not.
  const carlEmail = address('carl');
  const carl = tab();
  const carlId = await carl.signUp('Carl Co', 'Carl Clerk', carlEmail, 'carl-password-1');
  await owner.call('post', `${M}/invite`, `${M}/invite`, { email: carlEmail, permissions: ['invoices'] }, { expect: 201 });
  const carlLink = await linkTo(smtp, carlEmail, ACCEPT);
  await carl.call('post', `${M}/accept/{token}`, carlLink, {}, { csrf: null, expect: 403 });
  await carl.call('get', `${M}/accept/{token}`, carlLink, undefined, { expect: 200 });
  await ben.call('get', `${M}/accept/{token}`, carlLink, undefined, { expect: 200 });
  await ben.call('post', `${M}/accept/{token}`, carlLink, {}, { expect: 403 });
  await carl.call('post', `${M}/accept/{token}`, carlLink, {}, { expect: 200 });
  await carl.call('post', `${M}/accept/{token}`, carlLink, {}, { expect: 410 });

  // --- Permissions and the end of access, suspension, removal and restore, leaving.
  await owner.call('get', `${M}/users/{userId}`, `${M}/users/${annaId}`, undefined, { expect: 200 });
  await owner.call('get', `${M}/users/{userId}`, `${M}/users/999999`, undefined, { expect: 404 });
  const edited = await owner.call(
    'post',
    `${M}/users/{userId}/permissions`,
    `${M}/users/${annaId}/permissions`,
    { permissions: ['invoices', 'domains'], accessUntil: '2099-06-30T12:00Z' },
    { expect: 200 },
  );
  expect(edited.body.member.accessUntil).to.equal('2099-06-30T12:00:00.000Z');
  await owner.call('post', `${M}/users/{userId}/permissions`, `${M}/users/${annaId}/permissions`, { permissions: ['no-such-key'] }, { expect: 400 });
  expect((await annaTab.host('GET', '/api/domains')).status, 'granted /api/domains').to.equal(200);
  await owner.call('get', `${M}/users/{userId}/suspend`, `${M}/users/${annaId}/suspend`, undefined, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/suspend`, `${M}/users/${annaId}/suspend`, { reason: 'On leave' }, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/suspend`, `${M}/users/${annaId}/suspend`, {}, { expect: 409 });
  await owner.call('post', `${M}/users/{userId}/suspend`, `${M}/users/${ownerId}/suspend`, {}, { expect: 400 });
  expect((await annaTab.host('GET', '/api/invoices')).status, 'suspended /api/invoices').to.equal(403);
  const annaAccounts = await annaTab.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
  expect(annaAccounts.body.accounts.find((a: { id: number }) => a.id === acmeId)).to.include({ suspended: true, suspendedReason: 'On leave' });
  await owner.call('get', `${M}/users/{userId}/reinstate`, `${M}/users/${annaId}/reinstate`, undefined, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/reinstate`, `${M}/users/${annaId}/reinstate`, {}, { expect: 200 });
  expect((await annaTab.host('GET', '/api/domains')).status, 'reinstated /api/domains').to.equal(200);
  await owner.call('get', `${M}/users/{userId}/remove`, `${M}/users/${carlId}/remove`, undefined, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/remove`, `${M}/users/${carlId}/remove`, {}, { expect: 200 });
  await owner.call('post', `${M}/users/{userId}/remove`, `${M}/users/${ownerId}/remove`, {}, { expect: 400 });
  expect((await carl.host('GET', '/api/invoices')).status, 'removed /api/invoices').to.not.equal(200);
  await owner.call('get', `${M}/users/{userId}/restore`, `${M}/users/${carlId}/restore`, undefined, { expect: 200 });
  await owner.call('get', `${M}/users/{userId}/restore`, `${M}/users/999999/restore`, undefined, { expect: 404 });
  await owner.call('post', `${M}/users/{userId}/restore`, `${M}/users/${carlId}/restore`, {}, { expect: 200 });
  await carl.call('post', `${M}/accounts/switch`, `${M}/accounts/switch`, { accountId: acmeId }, { expect: 200 });
  expect((await carl.host('GET', '/api/invoices')).status, 'restored /api/invoices').to.equal(200);
  await carl.call('get', `${M}/accounts/{accountId}/leave`, `${M}/accounts/${acmeId}/leave`, undefined, { expect: 200 });
  await carl.call('post', `${M}/accounts/{accountId}/leave`, `${M}/accounts/${acmeId}/leave`, {}, { expect: 200 });
  await ben.call('post', `${M}/accounts/{accountId}/leave`, `${M}/accounts/${benAccountId}/leave`, {}, { expect: 400 });

  // --- Many at once, the exports, the log.
  await owner.call('get', `${M}/invite/bulk`, `${M}/invite/bulk`, undefined, { expect: 200 });
  await owner.call('post', `${M}/invite/bulk`, `${M}/invite/bulk`, { emails: address('bulk-1'), permissions: [] }, { expect: 400 });
  const bulk = await owner.call(
    'post',
    `${M}/invite/bulk`,
    `${M}/invite/bulk`,
    { emails: `${address('bulk-1')}\n${address('bulk-2')}, not-an-address; ${benEmail}`, permissions: ['invoices'] },
    { expect: 200 },
  );
  expect(bulk.body.results.map((r: { outcome: string }) => r.outcome)).to.deep.equal(['invited', 'invited', 'invalid', 'already_member']);
  const exported = await owner.call('get', `${M}/export/members.json`, `${M}/export/members.json`, undefined, { expect: 200 });
  expect(exported.body.members.map((m: { email: string }) => m.email)).to.include.members([ownerEmail, anna, benEmail]);
  const csv = await owner.call('get', `${M}/export/members.csv`, `${M}/export/members.csv`, undefined, { expect: 200 });
  expect(csv.body).to.match(/^\uFEFF?name,email,owner,permissions/);
  await owner.call('get', `${M}/export/activity.csv`, `${M}/export/activity.csv`, undefined, { expect: 200 });
  const log = await owner.call('get', `${M}/activity`, `${M}/activity`, undefined, { expect: 200 });
  expect(log.body.entries.map((e: { action: string }) => e.action)).to.include.members(['member.suspended', 'member.restored', 'member.left']);
  await owner.call('get', `${M}/activity`, `${M}/activity?after=x`, undefined, { expect: 400 });

  // --- A roster, in Other Ltd (applying it removes whom it leaves out): refused, compared, applied.
  await otherOwner.call('get', `${M}/roster`, `${M}/roster`, undefined, { expect: 200 });
  await otherOwner.call('post', `${M}/roster`, `${M}/roster`, { csv: 'email,permissions\nno-address,invoices', apply: false }, { expect: 400 });
  const roster = `email,permissions\n${address('roster-1')},invoices\n${address('roster-2')},invoices;tickets\n`;
  const dry = await otherOwner.call('post', `${M}/roster`, `${M}/roster`, { csv: roster, apply: false }, { expect: 200 });
  const applied = await otherOwner.call('post', `${M}/roster`, `${M}/roster`, { csv: roster, apply: true }, { expect: 200 });
  expect(applied.body.changes).to.deep.equal(dry.body.changes);

  // --- Ownership: offered to Anna, withdrawn, offered and accepted by the link; she offers it back:
  // declined by the link, declined on the accounts page, accepted there.
  await owner.call('get', `${M}/transfer`, `${M}/transfer`, undefined, { expect: 200 });
  await owner.call('post', `${M}/transfer`, `${M}/transfer`, { userId: 999999, currentPassword: 'owner-password-1' }, { expect: 400 });
  await owner.call('post', `${M}/transfer/cancel`, `${M}/transfer/cancel`, {}, { expect: 404 });
  await owner.call('post', `${M}/transfer`, `${M}/transfer`, { userId: annaId, currentPassword: 'owner-password-1' }, { expect: 201 });
  await owner.call('post', `${M}/transfer`, `${M}/transfer`, { userId: annaId, currentPassword: 'owner-password-1' }, { expect: 409 });
  await owner.call('get', `${M}/transfer/cancel`, `${M}/transfer/cancel`, undefined, { expect: 200 });
  await owner.call('post', `${M}/transfer/cancel`, `${M}/transfer/cancel`, {}, { expect: 200 });
  // The withdrawn offer's email may or may not have left before it was withdrawn: the next one is the newest.
  const offersBefore = smtp.to(anna).filter((m) => OFFER.test(m.text ?? '')).length;
  await owner.call('post', `${M}/transfer`, `${M}/transfer`, { userId: annaId, currentPassword: 'owner-password-1' }, { expect: 201 });
  const offerLink = await linkTo(smtp, anna, OFFER, offersBefore + 1);
  await ben.call('get', `${M}/transfer/{token}`, offerLink, undefined, { expect: 403 });
  await annaTab.call('get', `${M}/transfer/{token}`, offerLink, undefined, { expect: 200 });
  await annaTab.call('post', `${M}/transfer/{token}`, offerLink, {}, { expect: 200 });
  const afterTransfer = await annaTab.call('get', `${M}/`, `${M}/`, undefined, { expect: 200 });
  expect(afterTransfer.body.members[0].userId, 'the new owner listed first').to.equal(annaId);
  await annaTab.call('post', `${M}/transfer`, `${M}/transfer`, { userId: ownerId, currentPassword: 'anna-password-1' }, { expect: 201 });
  const backLink = await linkTo(smtp, ownerEmail, OFFER);
  await owner.call('get', `${M}/transfer/{token}/decline`, `${backLink}/decline`, undefined, { expect: 200 });
  await owner.call('post', `${M}/transfer/{token}/decline`, `${backLink}/decline`, {}, { expect: 200 });
  const offerOnPage = async () => {
    await annaTab.call('post', `${M}/transfer`, `${M}/transfer`, { userId: ownerId, currentPassword: 'anna-password-1' }, { expect: 201 });
    const accounts = await owner.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
    return Number(accounts.body.ownershipOffers[0].transfer.id);
  };
  const declined = await offerOnPage();
  await owner.call('get', `${M}/accounts/offers/{transferId}/decline`, `${M}/accounts/offers/${declined}/decline`, undefined, { expect: 200 });
  await owner.call('post', `${M}/accounts/offers/{transferId}/decline`, `${M}/accounts/offers/${declined}/decline`, {}, { expect: 200 });
  const accepted = await offerOnPage();
  await owner.call('post', `${M}/accounts/offers/{transferId}/accept`, `${M}/accounts/offers/999999/accept`, {}, { expect: 404 });
  await owner.call('post', `${M}/accounts/offers/{transferId}/accept`, `${M}/accounts/offers/${accepted}/accept`, {}, { expect: 200 });
  expect((await owner.call('get', `${M}/`, `${M}/`, undefined, { expect: 200 })).body.members[0].userId).to.equal(ownerId);

  // --- The profile, the password, an address change, a reset (Ben, in a tab of his own).
  await ben.call('get', `${U}/profile`, `${U}/profile`, undefined, { expect: 200 });
  await ben.call('post', `${U}/profile`, `${U}/profile`, { name: '' }, { expect: 400 });
  await ben.call('post', `${U}/password`, `${U}/password`, { currentPassword: 'wrong-password', newPassword: 'ben-password-2' }, { expect: 400 });
  await ben.call('post', `${U}/password`, `${U}/password`, { currentPassword: 'ben-password-1', newPassword: 'ben-password-2' }, { expect: 200 });
  const moved = address('ben-moved');
  await ben.call('post', `${U}/email`, `${U}/email`, { email: moved, currentPassword: 'ben-password-2' }, { expect: 202 });
  const confirmLink = await linkTo(smtp, moved, CONFIRM);
  const anyone = tab();
  await anyone.call('get', `${U}/email/confirm/{token}`, confirmLink, undefined, { expect: 200 });
  await anyone.call('post', `${U}/email/confirm/{token}`, confirmLink, {}, { expect: 200 });
  await anyone.call('get', `${U}/email/confirm/{token}`, confirmLink, undefined, { expect: 410 });
  const forgetful = tab();
  await forgetful.call('get', `${U}/password/forgot`, `${U}/password/forgot`, undefined, { expect: 200 });
  await forgetful.call('post', `${U}/password/forgot`, `${U}/password/forgot`, { email: 'nope' }, { expect: 400 });
  await forgetful.call('post', `${U}/password/forgot`, `${U}/password/forgot`, { email: moved }, { expect: 202 });
  const resetLink = await linkTo(smtp, moved, RESET);
  await forgetful.call('get', `${U}/password/reset/{token}`, resetLink, undefined, { expect: 200 });
  await forgetful.call('post', `${U}/password/reset/{token}`, resetLink, { password: 'ben-password-3' }, { expect: 200 });
  await forgetful.call('post', `${U}/password/reset/{token}`, resetLink, { password: 'ben-password-4' }, { expect: 410 });
  // The reset signed out every session of his, this tab's too.
  await ben.call('get', `${U}/profile`, `${U}/profile`, undefined, { expect: 401 });
  await ben.signIn(moved, 'ben-password-3');
  await ben.call('get', `${U}/profile`, `${U}/profile`, undefined, { expect: 200 });

  // --- Two-factor sign-in for the owner, then the account's rule; a sign-in that owes the code.
  await owner.call('get', `${U}/two-factor`, `${U}/two-factor`, undefined, { expect: 200 });
  await owner.call('post', `${M}/security`, `${M}/security`, { required: true, graceDays: 7 }, { expect: 409 });
  await owner.call('post', `${U}/two-factor/totp`, `${U}/two-factor/totp`, { currentPassword: 'wrong-password' }, { expect: 400 });
  const started = await owner.call('post', `${U}/two-factor/totp`, `${U}/two-factor/totp`, { currentPassword: 'owner-password-1' }, { expect: 200 });
  const secret = String(started.body.secret);
  const wrong = totp(secret) === '000000' ? '111111' : '000000';
  await owner.call('post', `${U}/two-factor/totp/confirm`, `${U}/two-factor/totp/confirm`, { code: wrong }, { expect: 400 });
  await owner.call('post', `${U}/two-factor/totp/confirm`, `${U}/two-factor/totp/confirm`, { code: totp(secret) }, { expect: 200 });
  const codes = await owner.call('post', `${U}/two-factor/recovery-codes`, `${U}/two-factor/recovery-codes`, {}, { expect: 200 });
  await owner.call('get', `${M}/security`, `${M}/security`, undefined, { expect: 200 });
  await owner.call('post', `${M}/security`, `${M}/security`, { required: true, graceDays: 'soon' }, { expect: 400 });
  await owner.call('post', `${M}/security`, `${M}/security`, { required: true, graceDays: 7 }, { expect: 200 });
  await owner.call('post', `${M}/security`, `${M}/security`, { required: false, graceDays: 0 }, { expect: 200 });
  const phone = tab();
  const signedIn = await phone.signIn(ownerEmail, 'owner-password-1');
  expect(signedIn.secondFactorOwed).to.equal(true);
  const owed = await phone.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 401 });
  expect(owed.body.error.code).to.equal('second_factor_required');
  await phone.call('get', `${U}/two-factor/verify`, `${U}/two-factor/verify`, undefined, { expect: 200 });
  await phone.call('post', `${U}/two-factor/verify`, `${U}/two-factor/verify`, { code: 'abc' }, { expect: 400 });
  await phone.call('post', `${U}/two-factor/verify`, `${U}/two-factor/verify`, { recoveryCode: codes.body.recoveryCodes[0] }, { expect: 200 });
  await phone.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
  await phone.call('post', `${U}/two-factor/devices/forget`, `${U}/two-factor/devices/forget`, { deviceId: 999999 }, { expect: 404 });
  await phone.call('post', `${U}/two-factor/devices/forget`, `${U}/two-factor/devices/forget`, {}, { expect: 200 });
  await phone.call('post', `${U}/two-factor/remove`, `${U}/two-factor/remove`, { currentPassword: 'wrong-password' }, { expect: 400 });
  await phone.call('post', `${U}/two-factor/remove`, `${U}/two-factor/remove`, { currentPassword: 'owner-password-1' }, { expect: 200 });

  // --- Passkeys (the host names localhost its relying party): one added, renamed, used for the second
  // step and to sign in alone, removed; each route refused once.
  const PK = `${U}/two-factor/passkeys`;
  const authenticator = new SoftAuthenticator(baseUrl.replace('//127.0.0.1', '//localhost'));
  const visitor = tab();
  await visitor.call('get', `${PK}/sign-in`, `${PK}/sign-in`, undefined, { expect: 200 });
  await visitor.call('get', PK, PK, undefined, { expect: 401 });
  await visitor.call('post', `${PK}/verify/options`, `${PK}/verify/options`, {}, { expect: 401 });
  await phone.call('get', PK, PK, undefined, { expect: 200 });
  await phone.call('post', `${PK}/register/options`, `${PK}/register/options`, { currentPassword: 'wrong-password' }, { expect: 400 });
  const forOther = await phone.call('post', `${PK}/register/options`, `${PK}/register/options`, { currentPassword: 'owner-password-1' }, { expect: 200 });
  const otherSite = new SoftAuthenticator('https://elsewhere.example').create(forOther.body.options);
  await phone.call('post', `${PK}/register`, `${PK}/register`, { response: otherSite }, { expect: 400 });
  const forKey = await phone.call('post', `${PK}/register/options`, `${PK}/register/options`, { currentPassword: 'owner-password-1' }, { expect: 200 });
  const added = await phone.call(
    'post',
    `${PK}/register`,
    `${PK}/register`,
    { response: authenticator.create(forKey.body.options), name: 'Laptop' },
    { expect: 200 },
  );
  const keyId = Number(added.body.passkey.id);
  await phone.call('post', `${PK}/{id}/rename`, `${PK}/${keyId}/rename`, { name: 'Work laptop' }, { expect: 200 });
  await phone.call('post', `${PK}/{id}/rename`, `${PK}/999999/rename`, { name: 'Not mine' }, { expect: 404 });
  const laptop = tab();
  expect((await laptop.signIn(ownerEmail, 'owner-password-1')).secondFactorOwed).to.equal(true);
  await laptop.call('get', `${U}/two-factor/verify`, `${U}/two-factor/verify`, undefined, { expect: 200 });
  const toVerify = await laptop.call('post', `${PK}/verify/options`, `${PK}/verify/options`, {}, { expect: 200 });
  await laptop.call('post', `${U}/two-factor/verify`, `${U}/two-factor/verify`, { response: authenticator.get(toVerify.body.options) }, { expect: 200 });
  const refused = await visitor.call('post', `${PK}/sign-in/options`, `${PK}/sign-in/options`, {}, { expect: 200 });
  await visitor.call('post', `${PK}/sign-in`, `${PK}/sign-in`, { response: authenticator.get(refused.body.options, { uv: false }) }, { expect: 400 });
  const toSignIn = await visitor.call('post', `${PK}/sign-in/options`, `${PK}/sign-in/options`, {}, { expect: 200 });
  await visitor.call('post', `${PK}/sign-in`, `${PK}/sign-in`, { response: authenticator.get(toSignIn.body.options), returnTo: '/#/' }, { expect: 200 });
  await visitor.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 200 });
  await visitor.call('post', `${PK}/{id}/remove`, `${PK}/999999/remove`, { currentPassword: 'owner-password-1' }, { expect: 404 });
  await visitor.call('post', `${PK}/{id}/remove`, `${PK}/${keyId}/remove`, { currentPassword: 'owner-password-1' }, { expect: 200 });

  // --- Signing out from the "sent to another address" page; the tab's token then is the signed-out session's.
  const out = await ben.call('post', `${M}/accept/{token}/signout`, `${carlLink}/signout`, {}, { expect: 200 });
  expect(out.body.signedOut).to.equal(true);
  await ben.call('get', `${M}/accounts`, `${M}/accounts`, undefined, { expect: 401 });
  await ben.call('post', `${U}/password/forgot`, `${U}/password/forgot`, { email: moved }, { expect: 202 });
  return heard;
}
