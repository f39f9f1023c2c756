import http from 'node:http';

/** Every answer the rig got (or the connection error instead), with when: the checks read it. */
export interface Exchange {
  at: number;
  method: string;
  path: string;
  status: number;
  /** A connection cut (a worker killed under the request) instead of an answer. */
  error?: string;
}

export interface Answer {
  status: number;
  body: any;
  pid: number;
  location?: string;
  /** This virtual user's last requests up to this one (pid, status, the session id's start): printed when a step fails. */
  trail: string;
}

export const exchanges: Exchange[] = [];

/**
 * A virtual user: one cookie, the CSRF token of the last answer. Every request opens its own
 * connection, so the cluster's round robin spreads one session's requests over every process.
 */
export class VirtualUser {
  private cookie = '';
  csrf = '';
  private readonly history: string[] = [];
  constructor(
    private readonly port: number,
    readonly label: string,
  ) {}

  request(method: 'GET' | 'POST', path: string, body?: { json?: unknown; form?: Record<string, string> }): Promise<Answer> {
    const payload = body?.form ? new URLSearchParams(body.form).toString() : body?.json !== undefined ? JSON.stringify(body.json) : undefined;
    const headers: Record<string, string> = { Accept: 'application/json', Connection: 'close' };
    if (this.cookie) headers.Cookie = this.cookie;
    if (method === 'POST' && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (payload !== undefined) {
      headers['Content-Type'] = body?.form ? 'application/x-www-form-urlencoded' : 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => {
          exchanges.push({ at: Date.now(), method, path, status: 0, error: err.message });
          reject(err);
        });
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'];
          if (setCookie) this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          if (String(res.headers['content-type']).includes('json')) parsed = JSON.parse(text || 'null');
          if (parsed && typeof parsed === 'object' && typeof parsed.csrfToken === 'string') this.csrf = parsed.csrfToken;
          exchanges.push({ at: Date.now(), method, path, status: res.statusCode ?? 0 });
          const pid = Number(res.headers['x-worker-pid'] ?? 0);
          const sid = /=s%3A([^.]{0,8})/.exec(this.cookie)?.[1] ?? '-';
          this.history.push(
            `${new Date().toISOString().slice(17, 23)} ${method} ${path} ${res.statusCode ?? 0} pid ${pid} sid ${sid}${setCookie ? ' (set)' : ''}`,
          );
          if (this.history.length > 8) this.history.shift();
          resolve({ status: res.statusCode ?? 0, body: parsed, pid, location: res.headers.location, trail: this.history.join(' | ') });
        });
      });
      // A connection the cluster's primary handed to a worker as it was killed is never answered:
      // given up after 20 s, as a browser or load balancer would (no request of the rig takes that
      // long on a machine it has to itself; requests waiting on the paused lock wait about 7 s), then retried.
      req.setTimeout(20_000, () => req.destroy(new Error('timed out')));
      req.on('error', (err) => {
        exchanges.push({ at: Date.now(), method, path, status: 0, error: err.message });
        reject(err);
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  post(path: string, json: unknown = {}): Promise<Answer> {
    return this.request('POST', path, { json });
  }

  /**
   * Does `step` again, as a person would press the button again, while the answer is a 503 or the
   * connection was cut (a worker killed under it, the database restarting), for up to 20 s of
   * retries and 2 minutes in all (a request that timed out counts its 20 s), so no step waits for ever.
   */
  async retry(step: () => Promise<Answer>): Promise<Answer> {
    const deadline = Date.now() + 120_000;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= 80 || Date.now() > deadline;
      try {
        const answer = await step();
        if (answer.status !== 503 || last) return answer;
      } catch (err) {
        if (last) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async login(email: string, password: string): Promise<Answer> {
    return this.request('POST', '/login', { form: { email, password } });
  }
}
