import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { World } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { driveEveryJsonRoute, routesOf, type RecordedAnswer } from './support/json-routes.js';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: object }> }> }>>;
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
    await world.setUp({ twoFactor: { encryptionKey: 'a-test-key-of-at-least-32-characters!' } });
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

  it('has driven every route the document lists', () => {
    const driven = new Set(answers.map((a) => `${a.method} ${a.route}`));
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(listed.filter((r) => !driven.has(r))).to.deep.equal([]);
  });
});
