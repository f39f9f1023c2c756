import { expect } from 'chai';
import { resolve } from 'node:path';
import request from 'supertest';
import { packedTarball } from './support/package.js';
import { userManagementStory } from './support/flow.js';
import { consumerHost } from './support/world.js';
import { strictTsconfig } from './support/typescript.js';

const TSCONFIG = strictTsconfig('node16', ['server.ts']);

describe('an Express 4 host in TypeScript compiled to CommonJS, on MariaDB, with its own layout', () => {
  const consumer = consumerHost('express4', {
    database: 'mysql',
    async prepare({ host }) {
      host.copy(resolve(import.meta.dirname, 'fixtures/express4-host'));
      host.write('package.json', JSON.stringify({ name: 'acme-portal-express4', private: true }, null, 2));
      host.write('tsconfig.json', JSON.stringify(TSCONFIG, null, 2));
      await host.sh(`npm install ${packedTarball()} express@4 express-session passport knex mysql2 nodemailer`);
      await host.sh('npm install --save-dev typescript @types/node @types/express@4 @types/express-session @types/passport @types/nodemailer');
    },
  });
  const { host, smtp } = consumer;
  let baseUrl: string;

  it('compiles to CommonJS under strict without skipLibCheck, against Express 4 types', async () => {
    await host.sh('npx tsc -p tsconfig.json');
    expect(await host.sh(`node -p "require('express/package.json').version"`)).to.match(/^4\./);
  });

  it('keeps a host permission key a literal type: a misspelt key does not compile', async () => {
    host.write(
      'typo.ts',
      `import knex from 'knex';
import { accountUsers, definePermissions } from 'express-account-users';
const perms = definePermissions([{ key: 'reports', label: 'View Reports' }]);
const au = accountUsers({
  knex: knex({ client: 'mysql2' }),
  baseUrl: 'https://portal.example.com',
  mail: { transport: { sendMail: async () => ({}) }, from: 'billing@example.com' },
  permissions: perms,
});
au.requirePermission('reports', 'invoices');
au.requirePermission('reprots');
`,
    );
    host.write('tsconfig.typo.json', JSON.stringify(strictTsconfig('node16', ['typo.ts'], { noEmit: true })));
    const failed = await host.sh('npx tsc -p tsconfig.typo.json').then(
      () => '',
      (err: Error) => err.message,
    );
    // Exactly one error, on the misspelt key: the correct keys compile.
    expect(failed.match(/error TS/g)).to.have.length(1);
    expect(failed).to.match(/typo\.ts\(11,[0-9]+\): error TS2345: Argument of type '"reprots"'/);
  });

  it('serves the whole story: invite, email, accept, guard allows and refuses, removal', async () => {
    baseUrl = await consumer.start('build/server.js');
    await userManagementStory(baseUrl, smtp);
  });

  it("renders kit pages inside the host's layout", async () => {
    const res = await request(baseUrl).get('/account/users/accept/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').set('Accept', 'text/html');
    expect(res.status).to.equal(404);
    expect(res.text).to.contain('<header data-host-layout>Acme Hosting</header>');
  });
});
