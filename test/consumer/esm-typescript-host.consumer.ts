import { expect } from 'chai';
import knexFactory from 'knex';
import { HostProject } from './support/host.js';
import { packedTarball } from './support/package.js';
import { readmeFile, readmeInstallLines, readmeMigrateLine } from './support/readme.js';
import { freshServerDatabase } from './support/databases.js';
import { userManagementStory } from './support/flow.js';
import { SmtpSink } from '../support/smtp.js';
import { strictTsconfig } from './support/typescript.js';

const STRICT_TSCONFIG = strictTsconfig('nodenext', ['server.ts']);

describe('an ESM TypeScript host built from the README, on PostgreSQL, typechecked under strict without skipLibCheck', () => {
  const host = new HostProject('esm-ts');
  let smtp: SmtpSink;
  let db: { url: string; drop(): Promise<void> };
  let baseUrl: string;

  before(async () => {
    smtp = await new SmtpSink().start();
    db = await freshServerDatabase('pg');
    host.write('package.json', JSON.stringify({ name: 'acme-portal', private: true, type: 'module' }, null, 2));
    host.write('server.ts', readmeFile('server.ts'));
    host.write('tsconfig.json', JSON.stringify(STRICT_TSCONFIG, null, 2));
    const tarball = packedTarball();
    for (const line of readmeInstallLines()) await host.sh(line.replace(/(npm install(?: --save-dev)?) express-account-users\b/, `$1 ${tarball}`));
  });

  after(async () => {
    await host.stop();
    await smtp.stop();
    await db.drop();
    host.remove();
  });

  it("installs the tarball with the README's install lines and compiles the README's server.ts", async () => {
    await host.sh('npx tsc -p tsconfig.json');
  });

  it("runs the README's knexfile: the host's migrations in knex_migrations, the kit's in au_migrations", async () => {
    host.write('knexfile.js', readmeFile('knexfile.js (an ESM project; knexfile.cjs with require() in a CommonJS one)'));
    host.write(
      'migrations/20260101000000_invoices.js',
      `export const up = (knex) => knex.schema.createTable('invoices', (t) => { t.increments('id'); t.integer('account_id').notNullable(); });
export const down = (knex) => knex.schema.dropTable('invoices');
`,
    );
    await host.sh(readmeMigrateLine(), { DATABASE_URL: db.url });
    const knex = knexFactory({ client: 'pg', connection: db.url });
    try {
      expect((await knex('knex_migrations').select('name')).map((r: { name: string }) => r.name)).to.deep.equal(['20260101000000_invoices.js']);
      const kit = (await knex('au_migrations').select('name')).map((r: { name: string }) => r.name);
      expect(kit.length).to.be.greaterThan(0);
      expect(kit.every((n: string) => !n.includes('invoices.js'))).to.equal(true);
      expect(await knex.schema.hasTable('invoices')).to.equal(true);
      expect(await knex.schema.hasTable('au_accounts')).to.equal(true);
    } finally {
      await knex.destroy();
    }
  });

  it('serves the whole story: invite, email, accept, guard allows and refuses, removal', async () => {
    baseUrl = await host.start('build/server.js', {
      DATABASE_URL: db.url,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`,
      SESSION_SECRET: 'consumer-test-secret',
    });
    await userManagementStory(baseUrl, smtp);
  });
});
