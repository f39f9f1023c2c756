import { expect } from 'chai';
import express from 'express';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { World } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { driveEveryJsonRoute, routesOf, type RecordedAnswer } from './support/json-routes.js';

interface Document {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
        responses: Record<string, { content: Record<string, { schema: object }> }>;
      }
    >
  >;
}
type JsonSchema = { properties?: Record<string, JsonSchema>; additionalProperties?: unknown; [key: string]: unknown };

/** A copy of `schema` whose objects refuse properties they do not list (the passkey answer, an open object, stays open). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: JsonSchema = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  if (copy.type === 'object' && copy.properties && Object.keys(copy.properties).length > 0 && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

/**
 * Properties the kit reads from a JSON body that change nothing in a JSON answer, so the document
 * does not list them: each redraws an HTML form or names the page a form goes to next.
 */
const READ_FOR_FORMS_ONLY: Record<string, string[]> = {
  [`post ${MOUNT}/accounts/switch`]: ['returnTo'], // the page a form's redirect goes to
  [`post ${MOUNT}/users/{userId}/permissions`]: ['restoreAccess'], // the "Restore access" choice of a member whose access ended
  [`post ${MOUNT}/invite/bulk`]: ['allPermissions'], // read by the step-up check /invite shares; bulk invitations take no "All permissions"
  [`post ${USER_MOUNT}/two-factor/totp`]: ['returnTo'], // the enrolment page's way back
  [`post ${USER_MOUNT}/two-factor/totp/confirm`]: ['returnTo'],
  [`post ${USER_MOUNT}/two-factor/recovery-codes`]: ['returnTo'],
  [`post ${USER_MOUNT}/two-factor/remove`]: ['returnTo'],
};

/**
 * The properties the kit reads from each JSON body, by `post <path>`: express.json's body is
 * handed on as a proxy that notes every property asked for, present or not (the handlers, the
 * rate limits and the CSRF check all read it as `req.body`). Installed before the routers are
 * built, since they call express.json() once, then.
 */
const bodyReads = new Map<string, Set<string>>();
const originalJson = express.json;
function recordBodyReads(): void {
  const proxies = new WeakSet<object>();
  const recordingJson: typeof express.json = (options) => {
    const parse = originalJson(options) as unknown as express.RequestHandler;
    const recordingJsonParser: express.RequestHandler = (req, res, next) => {
      parse(req, res, (err?: unknown) => {
        const body: unknown = req.body;
        if (!err && typeof body === 'object' && body !== null && !Array.isArray(body) && !proxies.has(body)) {
          const key = `${req.method.toLowerCase()} ${req.originalUrl.split('?')[0]}`;
          const seen = bodyReads.get(key) ?? new Set<string>();
          bodyReads.set(key, seen);
          const proxy = new Proxy(body, {
            get(target, property, receiver) {
              if (typeof property === 'string') seen.add(property);
              return Reflect.get(target, property, receiver) as unknown;
            },
          });
          proxies.add(proxy);
          req.body = proxy;
        }
        next(err);
      });
    };
    return recordingJsonParser as unknown as ReturnType<typeof express.json>;
  };
  Object.assign(express, { json: recordingJson });
}

/** A file download (the CSV exports): documented under its own media type, not validated as JSON. */
const isCsv = (a: RecordedAnswer) => a.contentType.startsWith('text/csv');

/**
 * The OpenAPI document the routers serve against what they answer: every JSON route of both
 * routers is driven (successes and refusals) and every answer must validate against the document's
 * schema for its route and status, and every documented route must have been driven. Objects in
 * the document are closed, so a field the code adds without documenting it fails here too.
 */
describe('the JSON API answers as its OpenAPI document says (GET <mount>/openapi.json)', function () {
  this.timeout(60_000);
  const world = new World();
  let answers: RecordedAnswer[] = [];
  let doc: Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);

  before(async () => {
    recordBodyReads();
    // rememberDeviceDays: `rememberDevice` of POST /two-factor/verify is read only with it.
    await world.setUp({ twoFactor: { encryptionKey: 'a-test-key-of-at-least-32-characters!', rememberDeviceDays: 30 } });
    Object.assign(express, { json: originalJson });
    answers = await driveEveryJsonRoute(world);
    doc = answers.find((a) => a.route === `${MOUNT}/openapi.json`)!.body as Document;
    ajv.addSchema(doc, 'openapi.json');
  });
  after(() => world.tearDown());

  it('serves an OpenAPI 3.1 document at both mounts, with the paths under the host mounts', () => {
    expect((doc as unknown as { openapi: string }).openapi).to.equal('3.1.0');
    expect(answers.find((a) => a.route === `${USER_MOUNT}/openapi.json`)!.body).to.deep.equal(doc);
    expect(Object.keys(doc.paths)).to.include.members([`${MOUNT}/`, `${MOUNT}/transfer/{token}`, `${USER_MOUNT}/profile`]);
  });

  it('answers every request in JSON, also a POST with a JSON body and no Accept header', () => {
    const notJson = answers.filter((a) => !a.contentType.startsWith('application/json') && !isCsv(a));
    expect(notJson.map((a) => `${a.method} ${a.route} ${a.status}`)).to.deep.equal([]);
  });

  it('validates every answer, success and refusal, against the schema of its route and status', () => {
    const failures: string[] = [];
    for (const a of answers) {
      const op = doc.paths[a.route]?.[a.method];
      if (!op) {
        failures.push(`${a.method} ${a.route}: not in the document`);
        continue;
      }
      if (!op.responses[String(a.status)]) {
        failures.push(`${a.method} ${a.route} ${a.status}: status not in the document`);
        continue;
      }
      const response = op.responses[String(a.status)] as { $ref?: string; content?: Record<string, unknown> };
      if (isCsv(a)) {
        if (!response.content?.['text/csv']) failures.push(`${a.method} ${a.route} ${a.status}: text/csv not in the document`);
        continue;
      }
      // A shared response (components/responses) or the operation's own.
      const at = response.$ref ? response.$ref.slice(1) : `/paths/${a.route.replace(/~/g, '~0').replace(/\//g, '~1')}/${a.method}/responses/${a.status}`;
      const pointer = `openapi.json#${at}/content/application~1json/schema`;
      const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
      if (!validate(a.body)) failures.push(`${a.method} ${a.route} ${a.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(a.body).slice(0, 400)}`);
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('lists every route of both routers (the route tables, read from the routers themselves)', () => {
    const routes = [...routesOf(world.host.au.router, MOUNT), ...routesOf(world.host.au.userRouter, USER_MOUNT)];
    const listed = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect(routes.length).to.be.greaterThan(60);
    expect(routes.filter((r) => !listed.has(r))).to.deep.equal([]);
  });

  it("accepts no POST body its route's requestBody schema refuses, with objects closed to properties the schema does not list", () => {
    const failures: string[] = [];
    // A body the kit refused may break the schema on purpose (the driver sends wrong input too): only accepted ones count.
    for (const a of answers.filter((x) => x.method === 'post' && x.status < 300)) {
      const op = doc.paths[a.route]?.post;
      if (!op) continue; // reported by the answers' test
      const schema = op.requestBody?.content['application/json'].schema;
      if (!schema) {
        if (JSON.stringify(a.requestBody) !== '{}') failures.push(`post ${a.route}: a body ${JSON.stringify(a.requestBody)} where the document lists none`);
        continue;
      }
      const validate = ajv.compile(closed(schema) as object);
      if (!validate(a.requestBody)) failures.push(`post ${a.route}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(a.requestBody).slice(0, 300)}`);
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('reads from each JSON body exactly the properties its requestBody lists, and nothing from a route that lists none', () => {
    const failures: string[] = [];
    const posts = new Map<string, Set<string>>();
    for (const a of answers.filter((x) => x.method === 'post')) {
      const read = bodyReads.get(`post ${a.path.split('?')[0]}`) ?? new Set<string>();
      const union = posts.get(a.route) ?? new Set<string>();
      // `_csrf`: the CSRF check's form field (JSON sends the header).
      for (const key of read) if (key !== '_csrf' && !READ_FOR_FORMS_ONLY[`post ${a.route}`]?.includes(key)) union.add(key);
      posts.set(a.route, union);
    }
    for (const [route, read] of posts) {
      const listed = Object.keys(doc.paths[route]?.post?.requestBody?.content['application/json'].schema.properties ?? {});
      const unlisted = [...read].filter((k) => !listed.includes(k));
      const unread = listed.filter((k) => !read.has(k));
      if (unlisted.length) failures.push(`post ${route}: reads ${unlisted.join(', ')}, which the document does not list`);
      if (unread.length) failures.push(`post ${route}: the document lists ${unread.join(', ')}, which the kit never read`);
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('has driven every route the document lists', () => {
    const driven = new Set(answers.map((a) => `${a.method} ${a.route}`));
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(listed.filter((r) => !driven.has(r))).to.deep.equal([]);
  });
});
