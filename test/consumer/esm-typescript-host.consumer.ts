import { expect } from 'chai';
import knexFactory from 'knex';
import { randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { codeBlocks } from '../support/docs-code-blocks.js';
import { ROOT } from './support/package.js';
import { packedTarball } from './support/package.js';
import { readmeFile, readmeInstallLines, readmeMigrateLine } from './support/readme.js';
import { userManagementStory } from './support/flow.js';
import { consumerHost, type ServerDatabase } from './support/world.js';
import { strictTsconfig } from './support/typescript.js';

const STRICT_TSCONFIG = strictTsconfig('nodenext', ['server.ts']);

describe('an ESM TypeScript host built from the README, on PostgreSQL, typechecked under strict without skipLibCheck', () => {
  const consumer = consumerHost('esm-ts', {
    database: 'pg',
    async prepare({ host }) {
      host.write('package.json', JSON.stringify({ name: 'acme-portal', private: true, type: 'module' }, null, 2));
      host.write('server.ts', readmeFile('server.ts'));
      host.write('tsconfig.json', JSON.stringify(STRICT_TSCONFIG, null, 2));
      const tarball = packedTarball();
      for (const line of readmeInstallLines()) await host.sh(line.replace(/(npm install(?: --save-dev)?) express-account-users\b/, `$1 ${tarball}`));
    },
  });
  const { host, smtp } = consumer;
  let baseUrl: string;

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
    await host.sh(readmeMigrateLine(), { DATABASE_URL: consumer.db.url });
    const knex = knexFactory({ client: 'pg', connection: consumer.db.url });
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
    baseUrl = await consumer.start('build/server.js');
    await userManagementStory(baseUrl, smtp);
  });

  describe('then, in the same project, an existing portal adopting the kit as docs/existing-portal.md says', () => {
    let portalDb: ServerDatabase;
    let portalUrl: string;
    const docBlock = (name: string) => {
      const block = codeBlocks('docs/existing-portal.md', ROOT).find((b) => b.code.startsWith(`// ${name}\n`));
      if (!block) throw new Error(`docs/existing-portal.md has no block "// ${name}"`);
      return block.code;
    };
    // The portal's own hashes: scrypt, "salt:key" in hex (portal.ts checks them).
    const portalHash = (password: string) => {
      const salt = randomBytes(16);
      return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
    };
    const signIn = async (email: string, password: string) => {
      const agent = request.agent(portalUrl);
      const res = await agent.post('/login').type('form').send({ email, password });
      expect(res.status, `sign-in of ${email}`).to.equal(302);
      expect(res.headers.location, `sign-in of ${email} refused`).to.equal('/invoices');
      return agent;
    };
    const signedIn = async (agent: ReturnType<typeof request.agent>) => {
      const res = await agent.get('/user/profile').set('Accept', 'application/json');
      expect(res.status).to.be.oneOf([200, 401]);
      return res.status === 200;
    };
    const startPortal = () => consumer.start('build-portal/portal.js', { DATABASE_URL: portalDb.url });

    before(async () => {
      await host.stop();
      portalDb = await consumer.anotherDatabase();
      // The portal as it was before the kit: customers who sign in, and their invoices.
      const knex = knexFactory({ client: 'pg', connection: portalDb.url });
      try {
        await knex.schema.createTable('customers', (t) => {
          t.increments('id');
          t.string('email').notNullable().unique();
          t.string('full_name').notNullable();
          t.string('company');
          t.string('password_hash').notNullable();
          t.timestamp('confirmed_at', { useTz: true });
          t.timestamp('last_login_at', { useTz: true });
        });
        await knex.schema.createTable('invoices', (t) => {
          t.increments('id');
          t.integer('customer_id').notNullable().references('customers.id');
          t.decimal('amount', 10, 2).notNullable();
        });
        const [olga, pete] = await knex('customers')
          .insert([
            {
              email: 'olga@acme.test',
              full_name: 'Olga Owner',
              company: 'Acme GmbH',
              password_hash: portalHash('olga-old-password'),
              confirmed_at: new Date('2024-01-01'),
            },
            { email: 'pete@solo.test', full_name: 'Pete Solo', company: null, password_hash: portalHash('pete-old-password'), confirmed_at: null },
          ])
          .returning('id');
        await knex('invoices').insert([
          { customer_id: olga.id, amount: '12.50' },
          { customer_id: pete.id, amount: '99.00' },
        ]);
      } finally {
        await knex.destroy();
      }
      host.write('portal.ts', readFileSync(resolve(import.meta.dirname, 'fixtures/existing-portal/portal.ts'), 'utf8'));
      host.write('create-accounts.ts', docBlock('create-accounts.ts'));
      host.write('portal-migrations/20260301000000_account_users_columns.ts', docBlock('migrations/20260301000000_account_users_columns.ts'));
      host.write(
        'tsconfig.portal.json',
        JSON.stringify(strictTsconfig('nodenext', ['portal.ts', 'create-accounts.ts', 'portal-migrations/*.ts'], { outDir: 'build-portal' }), null, 2),
      );
      await host.sh('npx tsc -p tsconfig.portal.json');
    });
    after(() => host.stop());

    it('gives every existing customer an account of their own, once however often it runs', async () => {
      portalUrl = await startPortal();
      await host.stop();
      portalUrl = await startPortal();
      expect(host.output).to.contain('created 2 account(s)').and.contain('created 0 account(s)');
      const knex = knexFactory({ client: 'pg', connection: portalDb.url });
      try {
        const accounts = await knex('au_accounts').orderBy('id').select('name');
        expect(accounts.map((a: { name: string }) => a.name)).to.deep.equal(['Acme GmbH', 'Pete Solo']);
        // The migration's verified addresses: the confirmed customer's, not the other's.
        const verified = await knex('customers').orderBy('id').select('email_verified_at');
        expect(verified.map((r: { email_verified_at: Date | null }) => r.email_verified_at !== null)).to.deep.equal([true, false]);
      } finally {
        await knex.destroy();
      }
    });

    it("signs existing customers in with their old passwords, into their own invoices, with the portal's navigation on the kit's profile page", async () => {
      const olga = await signIn('olga@acme.test', 'olga-old-password');
      const invoices = await olga.get('/invoices').set('Accept', 'application/json');
      expect(invoices.status).to.equal(200);
      expect(invoices.body).to.have.length(1);
      expect(invoices.body[0].amount).to.equal('12.50');
      const profile = await olga.get('/user/profile').set('Accept', 'text/html');
      expect(profile.status).to.equal(200);
      expect(profile.text).to.match(/<nav data-portal-nav><a href="\/invoices">Invoices<\/a> signed in<\/nav>/);
    });

    it('keeps every sign-in after a password change signed in (the portal keeps its own serializeUser), and signs out the sessions from before it', async () => {
      const before = await signIn('olga@acme.test', 'olga-old-password');
      const changer = await signIn('olga@acme.test', 'olga-old-password');
      const csrf = (await changer.get('/user/profile').set('Accept', 'application/json')).body.csrfToken as string;
      const changed = await changer
        .post('/user/password')
        .set('Accept', 'application/json')
        .set('x-csrf-token', csrf)
        .send({ currentPassword: 'olga-old-password', newPassword: 'olga-new-password' });
      expect(changed.status, changed.text).to.equal(200);
      expect(await signedIn(changer), 'the browser that changed it').to.equal(true);
      expect(await signedIn(before), 'a session from before the change').to.equal(false);
      for (let i = 0; i < 3; i++) {
        const after = await signIn('olga@acme.test', 'olga-new-password');
        expect(await signedIn(after), `sign-in ${i + 1} after the change`).to.equal(true);
        expect((await after.get('/invoices').set('Accept', 'application/json')).status).to.equal(200);
      }
    });

    it('keeps a sign-in after a password reset signed in, and signs out the sessions from before it', async () => {
      const before = await signIn('pete@solo.test', 'pete-old-password');
      const visitor = request.agent(portalUrl);
      let csrf = (await visitor.get('/user/password/forgot').set('Accept', 'application/json')).body.csrfToken as string;
      const asked = await visitor.post('/user/password/forgot').set('Accept', 'application/json').set('x-csrf-token', csrf).send({ email: 'pete@solo.test' });
      expect(asked.status, asked.text).to.equal(202);
      const deadline = Date.now() + 15_000;
      while (smtp.to('pete@solo.test').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const mail = smtp.to('pete@solo.test').at(-1);
      const link = /https?:\/\/\S+\/user\/password\/reset\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
      expect(link, 'the reset email').to.be.a('string');
      const path = new URL(link!).pathname;
      csrf = (await visitor.get(path).set('Accept', 'application/json')).body.csrfToken as string;
      const reset = await visitor.post(path).set('Accept', 'application/json').set('x-csrf-token', csrf).send({ password: 'pete-new-password' });
      expect(reset.status, reset.text).to.equal(200);
      expect(await signedIn(before), 'a session from before the reset').to.equal(false);
      const after = await signIn('pete@solo.test', 'pete-new-password');
      expect(await signedIn(after)).to.equal(true);
      expect(await signedIn(after), 'and on the request after').to.equal(true);
      expect(host.output).to.not.contain('no record of the password');
    });
  });
});
