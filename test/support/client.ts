import request from 'supertest';
import type { Express } from 'express';
import TestAgent from 'supertest/lib/agent.js';

/**
 * A browser-like client: keeps cookies, reads the hidden `_csrf` field from the page it
 * last loaded and sends it back with forms, as a person's browser would.
 */
export class Browser {
  csrf = '';
  private app: Express | (() => Express);
  private made: InstanceType<typeof TestAgent> | undefined;

  /** `app`, or a function that gives it once it exists (useWorld() hands out its owner's browser before the app is built). */
  constructor(app: Express | (() => Express)) {
    this.app = app;
  }

  /** The cookie-keeping supertest agent, made on first use. */
  get agent(): InstanceType<typeof TestAgent> {
    if (!this.made) {
      const app = this.app;
      this.made = request.agent(typeof app === 'function' && !('handle' in app) ? (app as () => Express)() : (app as Express));
    }
    return this.made;
  }

  async get(path: string) {
    const res = await this.agent.get(path);
    const match = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
    if (match) this.csrf = match[1]!;
    return res;
  }

  async getJson(path: string) {
    const res = await this.agent.get(path).set('Accept', 'application/json');
    if (res.body?.csrfToken) this.csrf = res.body.csrfToken;
    return res;
  }

  /** Submits a form the way a browser does: urlencoded, repeated fields for lists, the page's CSRF token. */
  async post(path: string, fields: Record<string, string | string[]> = {}, opts: { csrf?: string | null } = {}) {
    const params = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) params.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) params.append(k, item);
    return this.agent.post(path).type('form').send(params.toString());
  }

  async postJson(path: string, body: unknown, opts: { csrf?: string | null } = {}) {
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    const req = this.agent.post(path).set('Accept', 'application/json').set('Content-Type', 'application/json');
    if (token !== null) req.set('x-csrf-token', token);
    return req.send(JSON.stringify(body));
  }

  async login(email: string, password: string) {
    const res = await this.agent.post('/login').type('form').send({ email, password });
    if (res.status !== 303) throw new Error(`login as ${email} failed: ${res.status} ${res.text}`);
    return res;
  }
}

/** The path part of an absolute link (the app under test is served by supertest, not at baseUrl). */
export function pathOf(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}
