import { expect } from 'chai';
import { kitMigrations } from '../lib/migrations.js';
import { accountUsers, OptionsError } from '../lib/index.js';
import { freshDatabase, type TestDatabase } from './support/db.js';
import { bareOptions, FAST_HASHING } from './support/app.js';

const TABLES = [
  'users',
  'accounts',
  'account_users',
  'invitations',
  'activity',
  'outbox',
  'user_tokens',
  'user_activity',
  'ownership_transfers',
  'user_locales',
  'two_factor',
  'two_factor_codes',
  'two_factor_steps',
  'two_factor_devices',
  'two_factor_reminders',
  'removed_members',
  'sessions',
];

describe("kitMigrations() (express-account-users/migrations): the kit's migrations without a kit", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(() => db.destroy());

  const present = async (names: string[]) => {
    const found: string[] = [];
    for (const name of names) if (await db.knex.schema.hasTable(name)) found.push(name);
    return found;
  };

  it('creates every table and records the migrations in au_migrations, not knex_migrations', async () => {
    const config = kitMigrations();
    expect(config.tableName).to.equal('au_migrations');
    await db.knex.migrate.latest(config);
    expect(await present(TABLES.map((t) => `au_${t}`))).to.deep.equal(TABLES.map((t) => `au_${t}`));
    expect(await db.knex.schema.hasTable('knex_migrations')).to.equal(false);
    expect((await db.knex('au_migrations').select('name')).length).to.be.greaterThan(0);
  });

  it('is the list au.migrate() applies: after the knexfile ran, au.migrate() has nothing left to do', async () => {
    await db.knex.migrate.latest(kitMigrations());
    const before = await db.knex('au_migrations').count({ n: '*' }).first();
    const au = accountUsers(bareOptions(db.knex, { passwordHashing: FAST_HASHING }));
    await au.migrate();
    expect(await db.knex('au_migrations').count({ n: '*' }).first()).to.deep.equal(before);
    const [, pending] = (await db.knex.migrate.list({ migrationSource: au.migrationSource, tableName: au.migrationTableName })) as [unknown[], unknown[]];
    expect(pending).to.deep.equal([]);
  });

  it('uses the table prefix for the tables and the migrations table', async () => {
    const config = kitMigrations({ tablePrefix: 'crm_' });
    await db.knex.migrate.latest(config);
    expect(config.tableName).to.equal('crm_migrations');
    expect(await present(TABLES.map((t) => `crm_${t}`))).to.deep.equal(TABLES.map((t) => `crm_${t}`));
    expect(await db.knex.schema.hasTable('au_accounts')).to.equal(false);
  });

  it("creates no users table with users: 'host', and rolls back without touching a table of that name", async () => {
    await db.knex.migrate.latest(kitMigrations({ users: 'host' }));
    expect(await db.knex.schema.hasTable('au_users')).to.equal(false);
    expect(await db.knex.schema.hasTable('au_accounts')).to.equal(true);
    await db.knex.migrate.rollback(kitMigrations({ users: 'host' }), true);
    expect(await present(TABLES.map((t) => `au_${t}`))).to.deep.equal([]);
  });

  it('refuses a table prefix the kit would refuse, naming it', () => {
    expect(() => kitMigrations({ tablePrefix: 'Bad-Prefix' })).to.throw(OptionsError, /tablePrefix/);
    expect(() => kitMigrations({ users: 'other' as 'host' })).to.throw(OptionsError, /users/);
  });
});
