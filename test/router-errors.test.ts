import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import request from 'supertest';
import { World } from './support/world.js';
import { MOUNT } from './support/app.js';

/**
 * Requests that make Express itself fail inside the kit's router (a body the parsers refuse, a
 * path that does not decode, an asset name that is an Object.prototype property) are answered
 * by the kit as a 4xx: they never reach the host's error handler (a stack trace in development).
 */
describe('errors raised inside the kit router', function () {
  this.timeout(30_000);
  const world = new World();
  let portal: express.Express;
  const reachedHost: unknown[] = [];

  before(async () => {
    await world.setUp();
    // Built as the README says: no body parser of the host's in front of the kit.
    const au = world.host.au;
    const auth = new passport.Passport();
    auth.use(au.passportStrategy());
    auth.serializeUser(au.serializeUser);
    auth.deserializeUser(au.deserializeUser);
    portal = express();
    portal.use(session({ secret: 'test-secret', resave: false, saveUninitialized: false }));
    portal.use(auth.session());
    portal.use(MOUNT, au.router);
    portal.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      reachedHost.push(err);
      res.status(500).send(`host error handler: ${String((err as Error)?.stack)}`);
    });
  });
  beforeEach(() => {
    reachedHost.length = 0;
  });
  after(() => world.tearDown());

  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`GET /assets/${name} → 404 from the kit`, async () => {
      const res = await request(portal).get(`${MOUNT}/assets/${name}`);
      expect(res.status).to.equal(404);
      expect(res.text).not.to.contain('host error handler');
      expect(reachedHost).to.deep.equal([]);
      const json = await request(portal).get(`${MOUNT}/assets/${name}`).set('Accept', 'application/json');
      expect(json.body.error.code).to.equal('not_found');
    });
  }

  it('GET /accept/%E0%A4%A (bad percent-encoding) → 400 naming the path, as a page and as JSON', async () => {
    const res = await request(portal).get(`${MOUNT}/accept/%E0%A4%A`);
    expect(res.status).to.equal(400);
    expect(res.headers['content-type']).to.match(/html/);
    expect(res.text).not.to.contain('host error handler');
    const json = await request(portal).get(`${MOUNT}/accept/%E0%A4%A`).set('Accept', 'application/json');
    expect(json.status).to.equal(400);
    expect(json.body.error.code).to.equal('invalid_input');
    expect(json.body.error.fields[0].field).to.equal('path');
    expect(reachedHost).to.deep.equal([]);
  });

  it('POST /accept/%E0%A4%A → 400, not the host handler', async () => {
    const res = await request(portal).post(`${MOUNT}/accept/%E0%A4%A`).set('Accept', 'application/json').send({});
    expect(res.status).to.be.within(400, 499);
    expect(reachedHost).to.deep.equal([]);
  });

  for (const [encoding, body] of [
    ['gzip', 'this is not gzip'],
    ['br', 'nor brotli'],
    ['x-unknown', 'email=a%40b.test'],
  ] as const) {
    it(`a form body with Content-Encoding: ${encoding} that cannot be read → 4xx from the kit`, async () => {
      const res = await request(portal)
        .post(`${MOUNT}/invite`)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('Content-Encoding', encoding)
        .send(body);
      expect(res.status).to.be.within(400, 499);
      expect(res.text).not.to.contain('host error handler');
      expect(reachedHost).to.deep.equal([]);
    });
  }

  it('malformed JSON → 400 invalid_input naming the body', async () => {
    const res = await request(portal).post(`${MOUNT}/invite`).set('Accept', 'application/json').set('Content-Type', 'application/json').send('{"email":');
    expect(res.status).to.equal(400);
    expect(res.body.error.fields[0].field).to.equal('body');
    expect(reachedHost).to.deep.equal([]);
  });
});
