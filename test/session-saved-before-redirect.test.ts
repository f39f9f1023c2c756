import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import session from 'express-session';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { invite, otherAccount } from './support/invitations.js';

/** A session store as slow to write as a database under load: `set` lands `delayMs` later, `get` is immediate. */
class SlowStore extends session.MemoryStore {
  constructor(private readonly delayMs: number) {
    super();
  }
  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    setTimeout(() => super.set(sid, sess, cb), this.delayMs);
  }
}

interface Answer {
  status: number;
  location: string | undefined;
  text: string;
}

/**
 * A client that, like a browser, follows a redirect (or starts its next call after a JSON answer)
 * as soon as the answer's head arrives, without waiting for the rest: what a slow session store
 * makes visible when the session is saved only as the response ends.
 */
class HastyBrowser {
  private cookie = '';
  csrf = '';
  constructor(private readonly port: number) {}

  private send(method: string, path: string, body?: { type: string; text: string }, headers: Record<string, string> = {}, onHead?: boolean): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          agent: false,
          headers: {
            ...headers,
            ...(this.cookie ? { cookie: this.cookie } : {}),
            ...(body ? { 'content-type': body.type, 'content-length': Buffer.byteLength(body.text) } : {}),
          },
        },
        (res) => {
          const set = res.headers['set-cookie']?.find((c) => c.startsWith('connect.sid='));
          if (set) this.cookie = set.split(';')[0]!;
          const head = { status: res.statusCode ?? 0, location: res.headers.location };
          if (onHead) {
            res.resume();
            return resolve({ ...head, text: '' });
          }
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            const match = /name="_csrf" value="([^"]+)"/.exec(text);
            if (match) this.csrf = match[1]!;
            resolve({ ...head, text });
          });
        },
      );
      req.on('error', reject);
      req.end(body?.text);
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send('GET', path, undefined, headers);
  }

  /** Submits a form and, the moment the 303's head is in, loads the page it names; returns that page. */
  async submit(path: string, fields: Record<string, string | string[]> = {}): Promise<Answer & { from: Answer }> {
    const params = new URLSearchParams({ _csrf: this.csrf });
    for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) params.append(k, item);
    const from = await this.send('POST', path, { type: 'application/x-www-form-urlencoded', text: params.toString() }, {}, true);
    expect(from.status, `${path} answers with a redirect`).to.be.oneOf([302, 303]);
    return { ...(await this.get(from.location!)), from };
  }

  /** A JSON call whose answer's head alone is waited for (as `fetch` resolves), then the next call. */
  async postJsonHasty(path: string, body: unknown): Promise<Answer> {
    return this.send('POST', path, { type: 'application/json', text: JSON.stringify(body) }, { accept: 'application/json', 'x-csrf-token': this.csrf }, true);
  }

  async login(email: string, password: string): Promise<void> {
    const res = await this.send('POST', '/login', { type: 'application/x-www-form-urlencoded', text: new URLSearchParams({ email, password }).toString() });
    expect(res.status, `login as ${email}`).to.equal(303);
  }
}

describe('the session is saved before a kit redirect (a slow session store)', function () {
  this.timeout(60_000);
  const world = new World();
  let server: http.Server;
  let port: number;
  const hasty = () => new HastyBrowser(port);

  before(async () => {
    await world.setUp({}, new SlowStore(150));
    server = http.createServer(world.host.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await world.tearDown();
  });

  it('shows the "Invitation sent" notice on the very next page', async () => {
    const owner = hasty();
    await owner.login(OWNER.email, OWNER.password);
    await owner.get(`${MOUNT}/invite`);
    const next = await owner.submit(`${MOUNT}/invite`, { email: 'notice@example.com', permissions: ['invoices'] });
    expect(next.status).to.equal(200);
    expect(next.text).to.contain('Invitation sent to notice@example.com.');
  });

  it('keeps a registration through an invitation signed in, and says so, on the next page', async () => {
    await invite(await world.ownerBrowser(), 'register@example.com');
    const link = pathOf(world.smtp.linkFor('register@example.com'));
    const visitor = hasty();
    await visitor.get(link);
    const next = await visitor.submit(`${link}/register`, { name: 'Rae Register', password: 'register-password-1' });
    expect(next.status, 'signed in, not sent to the login page').to.equal(200);
    expect(next.text).to.contain('Welcome! You now have access to Acme Ltd, and you are now working in it.');

    // Signing out from another invitation's page ("sent to X, signed in as Y"): its page says so next.
    await invite(await world.ownerBrowser(), 'someone-else@example.com');
    const other = pathOf(world.smtp.linkFor('someone-else@example.com'));
    await visitor.get(other);
    const signedOut = await visitor.submit(`${other}/signout`);
    expect(signedOut.text).to.contain('You have been signed out.');
    expect((await visitor.get(`${MOUNT}/accounts`)).status, 'and signed out it stays').to.equal(302);
  });

  it('makes the accepted account and then a switched-to one active on the next request', async () => {
    const gus = await otherAccount(world);
    await invite(await world.ownerBrowser(), gus.email);
    const link = pathOf(world.smtp.linkFor(gus.email));
    const browser = hasty();
    await browser.login(gus.email, gus.password);
    await browser.get(link);
    const accepted = await browser.submit(link);
    expect(accepted.status).to.equal(200);
    expect(accepted.text).to.contain('Welcome! You now have access to Acme Ltd.');
    expect(accepted.text).to.match(new RegExp(`data-account-id="${world.account.id}"[^]*?Active`));

    const switched = await browser.submit(`${MOUNT}/accounts/switch`, { accountId: String(gus.account.id) });
    expect(switched.status, 'still signed in after the new session id').to.equal(200);
    expect(switched.text).to.contain('You are now working in Globex Corp.');
    expect((await browser.get('/host/domains', { accept: 'application/json' })).status, 'as the owner of Globex').to.equal(200);

    // Over JSON: the next call, made as soon as the answer's head is in, sees the switch too.
    await browser.get(`${MOUNT}/accounts`);
    const answer = await browser.postJsonHasty(`${MOUNT}/accounts/switch`, { accountId: world.account.id });
    expect(answer.status).to.equal(200);
    const after = JSON.parse((await browser.get(`${MOUNT}/accounts`, { accept: 'application/json' })).text) as { activeAccountId: number };
    expect(after.activeAccountId).to.equal(world.account.id);

    const left = await browser.submit(`${MOUNT}/accounts/${world.account.id}/leave`);
    expect(left.text).to.contain('You have left Acme Ltd.');
  });

  it('keeps the browser that changed its password signed in, and asks for verification with a notice', async () => {
    const owner = hasty();
    await owner.login(OWNER.email, OWNER.password);
    await owner.get(`${USER_MOUNT}/profile`);
    const changed = await owner.submit(`${USER_MOUNT}/password`, { currentPassword: OWNER.password, newPassword: 'owner-password-2' });
    expect(changed.status, 'signed in under its new session id').to.equal(200);
    expect(changed.text).to.contain('Your password has been changed.');

    const verify = await owner.submit(`${USER_MOUNT}/email/verify`);
    expect(verify.text).to.contain('We sent a verification link to owner@acme.test.');
  });
});
