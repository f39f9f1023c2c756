import { expect } from 'chai';
import request from 'supertest';
import type { SmtpSink } from '../../support/smtp.js';

type Agent = ReturnType<typeof request.agent>;

/** A person at a browser (cookies kept) who also speaks the kit's JSON API. */
class Person {
  readonly agent: Agent;
  csrf = '';
  constructor(baseUrl: string) {
    this.agent = request.agent(baseUrl);
  }
  async getJson(path: string) {
    const res = await this.agent.get(path).set('Accept', 'application/json');
    if (res.body?.csrfToken) this.csrf = res.body.csrfToken as string;
    return res;
  }
  postJson(path: string, body: unknown) {
    return this.agent
      .post(path)
      .set('Accept', 'application/json')
      .set('x-csrf-token', this.csrf)
      .send(body as object);
  }
}

async function waitForLink(smtp: SmtpSink, to: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return smtp.linkFor(to);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * The seed's story over HTTP, against a host running from the packed package: the owner signs
 * up and invites with one permission, the email arrives, the invitee registers through the link,
 * the guard lets them through what was granted and refuses the rest, and removal ends it.
 */
export async function userManagementStory(baseUrl: string, smtp: SmtpSink, mount = '/account/users'): Promise<void> {
  const tag = Math.random().toString(36).slice(2, 8);
  const ownerEmail = `olive-${tag}@acme.test`;
  const inviteeEmail = `Anna.${tag}@Example.com`;

  // Anonymous visitors of a guarded page are sent to the host's login with returnTo.
  const anonymous = await request(baseUrl).get('/invoices').set('Accept', 'text/html');
  expect(anonymous.status, 'anonymous /invoices').to.equal(302);
  expect(anonymous.headers.location).to.equal('/login?returnTo=%2Finvoices');

  const owner = new Person(baseUrl);
  const signup = await owner.agent
    .post('/signup')
    .type('form')
    .send({ company: 'Acme Ltd', name: 'Olive Owner', email: ownerEmail, password: 'owner-password-1' });
  expect(signup.status, `signup: ${signup.text}`).to.be.oneOf([302, 303]);

  const page = await owner.getJson(`${mount}/`);
  expect(page.status, `users page: ${page.text}`).to.equal(200);
  expect(page.body.account.name).to.equal('Acme Ltd');

  const invited = await owner.postJson(`${mount}/invite`, { email: inviteeEmail, permissions: ['invoices'] });
  expect(invited.status, `invite: ${invited.text}`).to.equal(201);

  const link = await waitForLink(smtp, inviteeEmail);
  const mail = smtp.to(inviteeEmail).at(-1)!;
  expect(mail.subject).to.equal('Acme Ltd has invited you to their account.');
  const path = new URL(link).pathname;
  expect(link.startsWith(`${baseUrl}${mount}/accept/`)).to.equal(true);

  const anna = new Person(baseUrl);
  const shown = await anna.getJson(path);
  expect(shown.status, `accept page: ${shown.text}`).to.equal(200);
  expect(shown.body.existingLogin).to.equal(false);
  const registered = await anna.postJson(`${path}/register`, { name: 'Anna Accountant', password: 'anna-password-1' });
  expect(registered.status, `register: ${registered.text}`).to.equal(201);

  expect((await anna.agent.get('/invoices').set('Accept', 'application/json')).status, 'granted /invoices').to.equal(200);
  const refused = await anna.agent.get('/domains').set('Accept', 'application/json');
  expect(refused.status, 'refused /domains').to.equal(403);
  expect(refused.body.error.code).to.equal('forbidden');

  // She signs in again through the host's login, which honours returnTo.
  const again = request.agent(baseUrl);
  const login = await again.post('/login?returnTo=%2Finvoices').type('form').send({ email: inviteeEmail.toUpperCase(), password: 'anna-password-1' });
  expect(login.status, `login: ${login.text}`).to.equal(302);
  expect(login.headers.location).to.equal('/invoices');
  expect((await again.get('/invoices').set('Accept', 'application/json')).status).to.equal(200);

  const members = (await owner.getJson(`${mount}/`)).body.members as Array<{ userId: number; email: string; isOwner: boolean }>;
  const member = members.find((m) => !m.isOwner);
  expect(member?.email).to.equal(inviteeEmail.toLowerCase());
  const removed = await owner.postJson(`${mount}/users/${member!.userId}/remove`, {});
  expect(removed.status, `remove: ${removed.text}`).to.equal(200);

  expect((await anna.agent.get('/invoices').set('Accept', 'application/json')).status, 'removed /invoices').to.equal(403);
  expect((await again.get('/invoices').set('Accept', 'application/json')).status, 'removed, other session').to.equal(403);
}
