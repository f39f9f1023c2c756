import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { packedTarball } from './support/package.js';
import { singlePageAppStory, type SpaAnswer } from './support/spa-flow.js';
import { consumerHost } from './support/world.js';

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: object }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/**
 * A single-page app's server on PostgreSQL (the kit's JSON routes, the host's own sign-up/in/out in JSON and a
 * static page), built from the packed package. The app's whole life is driven with the global
 * `fetch` and every answer checked against the OpenAPI document the package ships
 * (`express-account-users/openapi.json`, as installed): its status listed for its route, its body
 * valid against that status's schema, whose objects are closed, so an undocumented field fails.
 */
describe('a single-page app on the JSON routes, every answer checked against the shipped OpenAPI document', function () {
  let shipped: Document;
  let answers: SpaAnswer[] = [];
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);

  consumerHost('spa', {
    database: 'pg',
    async prepare({ host, smtp, start }) {
      host.copy(resolve(import.meta.dirname, 'fixtures/spa-host'));
      host.write('package.json', JSON.stringify({ name: 'acme-spa', private: true, type: 'module' }, null, 2));
      await host.sh(`npm install ${packedTarball()} express express-session passport knex pg nodemailer`);
      // The document as a host's tooling finds it: through the package's exports.
      const path = (await host.sh(`node -e "console.log(require.resolve('express-account-users/openapi.json'))"`)).trim().split('\n').at(-1)!;
      expect(path.startsWith(join(host.dir, 'node_modules'))).to.equal(true);
      shipped = JSON.parse(readFileSync(path, 'utf8')) as Document;
      ajv.addSchema(shipped, 'openapi.json');
      const baseUrl = await start('server.mjs', { TWO_FACTOR_KEY: 'a-consumer-key-of-at-least-32-characters' });
      const shell = await fetch(`${baseUrl}/`);
      expect(shell.status).to.equal(200);
      expect(await shell.text()).to.match(/<main id="app">/);
      answers = await singlePageAppStory(baseUrl, smtp);
    },
  });

  it('ships an OpenAPI 3.1 document, the one the routers serve at the default mounts', () => {
    expect(shipped.openapi).to.equal('3.1.0');
    const served = answers.filter((a) => a.route.endsWith('/openapi.json'));
    expect(served).to.have.length(2);
    for (const a of served) expect(a.body).to.deep.equal(shipped);
  });

  it('answers every request of the app in JSON (the CSV exports as CSV)', () => {
    const other = answers.filter((a) => !a.contentType.startsWith('application/json') && !a.contentType.startsWith('text/csv'));
    expect(other.map((a) => `${a.method} ${a.route} ${a.status} ${a.contentType}`)).to.deep.equal([]);
  });

  it('validates every answer, success and refusal, against the shipped schema of its route and status', () => {
    const failures: string[] = [];
    for (const a of answers) {
      const op = shipped.paths[a.route]?.[a.method];
      if (!op) {
        failures.push(`${a.method} ${a.route}: not in the document`);
        continue;
      }
      const response = op.responses[String(a.status)];
      if (!response) {
        failures.push(`${a.method} ${a.route} ${a.status}: status not in the document`);
        continue;
      }
      if (a.contentType.startsWith('text/csv')) {
        if (!response.content?.['text/csv']) failures.push(`${a.method} ${a.route} ${a.status}: text/csv not in the document`);
        continue;
      }
      const at = response.$ref ? response.$ref.slice(1) : `/paths/${a.route.replace(/~/g, '~0').replace(/\//g, '~1')}/${a.method}/responses/${a.status}`;
      const pointer = `openapi.json#${at}/content/application~1json/schema`;
      const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
      if (!validate(a.body)) failures.push(`${a.method} ${a.route} ${a.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(a.body).slice(0, 400)}`);
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('has called every route the document lists', () => {
    const called = new Set(answers.map((a) => `${a.method} ${a.route}`));
    const listed = Object.entries(shipped.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(listed.filter((r) => !called.has(r))).to.deep.equal([]);
  });
});
