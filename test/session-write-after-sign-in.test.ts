import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import session from 'express-session';
import { World, OWNER } from './support/world.js';
import { MOUNT, type HostWiring } from './support/app.js';

/**
 * A session store whose writes of a session without a CSRF token land `delayMs` late (a database
 * under load), while every other write lands at once. After a sign-in, express-session writes the
 * regenerated session once more as the response ends (its `regenerate` does not record passport's
 * save); to a JSON client the sign-in's redirect has an empty body, so the client has the whole
 * answer before that write lands. The next request, maybe on another process, adds what it needs
 * (the CSRF token of the page it shows) and saves it at once; the late write then lands over it.
 */
class LateTokenlessWrites extends session.MemoryStore {
  constructor(private readonly delayMs: number) {
    super();
  }
  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const late = typeof sess.csrfToken !== 'string';
    setTimeout(() => super.set(sid, sess, cb), late ? this.delayMs : 0);
  }
}

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
  setCookie: string[] | undefined;
}

/** One request, answered in full (the client waits for the end of the body, as fetch's json() does). */
function request(port: number, method: string, path: string, headers: Record<string, string>, payload?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { accept: 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = String(res.headers['content-type']).includes('json') && text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
        resolve({ status: res.statusCode ?? 0, body: json, setCookie: res.headers['set-cookie'] });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/**
 * A host on a port of its own for the calling describe block (the client here waits for whole
 * answers over real connections): `port()` once the before hook has run.
 */
function listeningHost(store: session.Store | undefined, wiring: HostWiring): () => number {
  const world = new World();
  let server: http.Server;
  let port = 0;
  before(async () => {
    await world.setUp({}, store, wiring);
    server = http.createServer(world.host.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await world.tearDown();
  });
  return () => port;
}

for (const serializeUser of ['kit', 'host'] as const) {
  describe(`a sign-in's last session write cannot undo the next request's (serializeUser of the ${serializeUser})`, () => {
    const portOf = listeningHost(new LateTokenlessWrites(300), { serializeUser });

    it('the first form sent right after signing in as a JSON client is accepted: the session holds its CSRF token from the sign-in on', async () => {
      const port = portOf();
      const login = await request(
        port,
        'POST',
        '/login',
        { 'content-type': 'application/x-www-form-urlencoded' },
        new URLSearchParams({ email: OWNER.email, password: OWNER.password }).toString(),
      );
      expect(login.status).to.equal(303);
      const cookie = login.setCookie!.map((c) => c.split(';')[0]).join('; ');
      // At once, as a single-page app does: the users page, and its token.
      const page = await request(port, 'GET', `${MOUNT}/`, { cookie });
      expect(page.status).to.equal(200);
      const token = String(page.body!.csrfToken);
      // Whatever was still being written lands meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const payload = JSON.stringify({ email: 'first-form@acme.test', permissions: ['invoices'] });
      const invited = await request(port, 'POST', `${MOUNT}/invite`, { cookie, 'content-type': 'application/json', 'x-csrf-token': token }, payload);
      expect(invited.status, JSON.stringify(invited.body)).to.equal(201);
    });
  });
}

describe("a sign-in with passport's keepSessionInfo still gives the session a new CSRF token", () => {
  const portOf = listeningHost(undefined, { keepSessionInfo: true });

  it('a token read before signing in (planted, or read by someone else) is refused after it', async () => {
    const port = portOf();
    const before = await request(port, 'GET', '/user/password/forgot', {});
    expect(before.status).to.equal(200);
    const planted = String(before.body!.csrfToken);
    const cookie = before.setCookie!.map((c) => c.split(';')[0]).join('; ');
    const login = await request(
      port,
      'POST',
      '/login',
      { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ email: OWNER.email, password: OWNER.password }).toString(),
    );
    expect(login.status).to.equal(303);
    const signedIn = login.setCookie!.map((c) => c.split(';')[0]).join('; ');
    expect(signedIn, 'a new session id').to.not.equal(cookie);
    const payload = JSON.stringify({ email: 'planted@acme.test', permissions: ['invoices'] });
    const refused = await request(port, 'POST', `${MOUNT}/invite`, { cookie: signedIn, 'content-type': 'application/json', 'x-csrf-token': planted }, payload);
    expect(refused.status, 'the token from before the sign-in').to.equal(403);
    const page = await request(port, 'GET', `${MOUNT}/`, { cookie: signedIn });
    const token = String(page.body!.csrfToken);
    expect(token).to.not.equal(planted);
    const invited = await request(port, 'POST', `${MOUNT}/invite`, { cookie: signedIn, 'content-type': 'application/json', 'x-csrf-token': token }, payload);
    expect(invited.status, JSON.stringify(invited.body)).to.equal(201);
  });
});
