import { expect } from 'chai';
import { join, resolve } from 'node:path';
import { HostProject } from './support/host.js';
import { packedTarball } from './support/package.js';
import { userManagementStory } from './support/flow.js';
import { SmtpSink } from '../support/smtp.js';

describe('a CommonJS JavaScript host using require(), on SQLite', () => {
  const host = new HostProject('cjs');
  let smtp: SmtpSink;

  before(async () => {
    smtp = await new SmtpSink().start();
    host.copy(resolve(import.meta.dirname, 'fixtures/commonjs-host'));
    host.write('package.json', JSON.stringify({ name: 'acme-portal-cjs', private: true }, null, 2));
    // better-sqlite3 12: its 13 needs Node.js 22.
    await host.sh(`npm install ${packedTarball()} express express-session passport knex better-sqlite3@12 nodemailer`);
  });

  after(async () => {
    await host.stop();
    await smtp.stop();
    host.remove();
  });

  it('loads the package with require(): the CommonJS build, with the same exports as the ESM one', async () => {
    const out = await host.sh(
      `node -e "const m = require('express-account-users'); const mig = require('express-account-users/migrations'); console.log(JSON.stringify({ main: require.resolve('express-account-users'), exports: Object.keys(m).sort(), migrations: typeof mig.kitMigrations }))"`,
    );
    const loaded = JSON.parse(out.trim().split('\n').at(-1)!) as { main: string; exports: string[]; migrations: string };
    expect(loaded.main.endsWith('.cjs')).to.equal(true);
    expect(loaded.exports).to.include.members(['accountUsers', 'accountUserOf', 'definePermissions', 'PERMISSIONS', 'InvalidInputError', 'safeReturnPath']);
    expect(loaded.migrations).to.equal('function');
    const esm = await host.sh(`node --input-type=module -e "import * as m from 'express-account-users'; console.log(JSON.stringify(Object.keys(m).sort()))"`);
    expect(JSON.parse(esm.trim().split('\n').at(-1)!)).to.deep.equal(loaded.exports);
  });

  it('serves the whole story: invite, email, accept, guard allows and refuses, removal', async () => {
    const baseUrl = await host.start('server.cjs', {
      SQLITE_FILE: join(host.dir, 'portal.sqlite'),
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`,
      SESSION_SECRET: 'consumer-test-secret',
    });
    await userManagementStory(baseUrl, smtp);
  });
});
