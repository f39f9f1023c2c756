import { expect } from 'chai';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { packedTarball } from './support/package.js';
import { userManagementStory } from './support/flow.js';
import { consumerHost } from './support/world.js';

describe('a CommonJS JavaScript host using require(), on SQLite', () => {
  const consumer = consumerHost('cjs', {
    async prepare({ host }) {
      host.copy(resolve(import.meta.dirname, 'fixtures/commonjs-host'));
      host.write('package.json', JSON.stringify({ name: 'acme-portal-cjs', private: true }, null, 2));
      // better-sqlite3 12: its 13 needs Node.js 22.
      await host.sh(`npm install ${packedTarball()} express express-session passport knex better-sqlite3@12 nodemailer`);
    },
  });
  const { host, smtp } = consumer;

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
    const baseUrl = await consumer.start('server.cjs', { SQLITE_FILE: join(host.dir, 'portal.sqlite') });
    await userManagementStory(baseUrl, smtp);
  });

  it("speaks German in a portal with defaultLocale: 'de': Accept-Language: * gets German pages and errors, and the staff CLI's au.api invitations go out in German", async () => {
    await host.stop();
    const env = consumer.env({ SQLITE_FILE: join(host.dir, 'german-portal.sqlite'), DEFAULT_LOCALE: 'de' });
    const baseUrl = await host.start('server.cjs', env);
    const unknownLink = `/account/users/accept/${'A'.repeat(43)}`;
    const page = await request(baseUrl).get(unknownLink).set('Accept', 'text/html').set('Accept-Language', '*');
    expect(page.text).to.match(/<html lang="de"/);
    const json = await request(baseUrl).get(unknownLink).set('Accept', 'application/json').set('Accept-Language', '*');
    expect(json.body.error.message).to.match(/Einladung/);
    // Accept-Language still negotiates among the languages the kit speaks.
    expect((await request(baseUrl).get(unknownLink).set('Accept', 'text/html').set('Accept-Language', 'fr')).text).to.match(/<html lang="fr"/);

    const owner = request.agent(baseUrl);
    await owner.post('/signup').type('form').send({ company: 'Acme GmbH', name: 'Olga Owner', email: 'olga@acme.test', password: 'owner-password-1' });
    const users = await owner.get('/account/users/').set('Accept', 'application/json');
    expect(users.status, users.text).to.equal(200);
    const out = await host.sh(`node staff-invite.cjs ${users.body.account.id as number} neu@acme.test invoices`, { ...env, BASE_URL: baseUrl });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).to.deep.equal({ outcome: 'sent', delivery: 'sent' });
    const [mail] = smtp.to('neu@acme.test');
    expect(mail?.subject).to.equal('Einladung zum Konto Acme GmbH');
  });
});
