import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { accountUsers, type AccountUsers } from '../lib/index.js';
import { freshDatabase, type TestDatabase } from './support/db.js';
import { bareOptions, FAST_HASHING } from './support/app.js';

const TABLES = [
  'users',
  'accounts',
  'account_users',
  'invitations',
  'activity',
  'outbox',
  'rate_limits',
  'user_tokens',
  'user_activity',
  'ownership_transfers',
  'user_locales',
  'removed_members',
  'sessions',
];

/** The kit's migrations, in the order au.migrate() applies them. */
const KIT_MIGRATIONS = [
  '20261129000000_initial',
  '20261129120000_invitations_page_index',
  '20261129130000_memberships_page_index',
  '20261129140000_invitations_keyset_index',
  '20261129150000_rate_limits',
  '20261129160000_system_actors_and_declines',
  '20261129170000_self_service',
  '20261129180000_access_until',
  '20261129190000_ownership_transfers',
  '20261129200000_locales',
  '20261129215000_user_token_pending_slot',
  '20261206100000_email_verified',
  '20261206130000_two_factor',
  '20261206140000_member_lifecycle',
  '20261206120000_users_page_search',
  '20261206160000_invitation_link_mailed',
  '20261207110000_two_factor_devices_and_reminders',
  '20261207120000_sessions',
  '20261207140000_previous_login',
  '20261207100000_passkeys',
];

function kit(knex: Knex, tablePrefix?: string): AccountUsers {
  return accountUsers(bareOptions(knex, { passwordHashing: FAST_HASHING, ...(tablePrefix ? { tablePrefix } : {}) }));
}

async function existing(knex: Knex, names: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) if (await knex.schema.hasTable(name)) found.push(name);
  return found;
}

const prefixed = (prefix: string) => TABLES.map((t) => `${prefix}${t}`);

describe('migrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(() => db.destroy());

  it('creates every table, drops them all on rollback, and creates them again', async () => {
    const au = kit(db.knex);
    const rollbackAll = () => db.knex.migrate.rollback({ migrationSource: au.migrationSource, tableName: au.migrationTableName }, true);

    expect(await existing(db.knex, prefixed('au_'))).to.deep.equal([]);
    await au.migrate();
    expect(await existing(db.knex, prefixed('au_'))).to.deep.equal(prefixed('au_'));
    expect(await db.knex.schema.hasTable('au_migrations')).to.equal(true);

    await rollbackAll();
    expect(await existing(db.knex, prefixed('au_'))).to.deep.equal([]);

    await au.migrate();
    expect(await existing(db.knex, prefixed('au_'))).to.deep.equal(prefixed('au_'));
    // The re-created schema works.
    const { account } = await au.createAccount({ name: 'Acme Ltd', owner: { email: 'o@acme.test', name: 'Olive', password: 'owner-password-1' } });
    expect(account.id).to.be.a('number');
  });

  it('is a no-op when run again', async () => {
    const au = kit(db.knex);
    await au.migrate();
    await au.migrate();
    const rows = await db.knex('au_migrations').select('name');
    expect(rows.map((r: { name: string }) => r.name)).to.deep.equal(KIT_MIGRATIONS);
  });

  it('creates prefixed tables for a custom tablePrefix, beside the default ones', async () => {
    const crm = kit(db.knex, 'crm_');
    expect(crm.migrationTableName).to.equal('crm_migrations');
    await crm.migrate();
    expect(await existing(db.knex, [...prefixed('crm_'), 'crm_migrations'])).to.deep.equal([...prefixed('crm_'), 'crm_migrations']);
    expect(await existing(db.knex, [...prefixed('au_'), 'au_migrations'])).to.deep.equal([]);

    await crm.createAccount({ name: 'Acme Ltd', owner: { email: 'o@acme.test', name: 'Olive', password: 'owner-password-1' } });
    const users = await db.knex('crm_users').select('email');
    expect(users.map((u: { email: string }) => u.email)).to.deep.equal(['o@acme.test']);

    const au = kit(db.knex);
    await au.migrate();
    expect(await existing(db.knex, prefixed('au_'))).to.deep.equal(prefixed('au_'));
    await db.knex.migrate.rollback({ migrationSource: crm.migrationSource, tableName: crm.migrationTableName }, true);
    expect(await existing(db.knex, prefixed('crm_'))).to.deep.equal([]);
    expect(await existing(db.knex, prefixed('au_'))).to.deep.equal(prefixed('au_'));
  });

  describe("beside a host's own knex migrations", () => {
    let dir: string;
    beforeEach(async () => {
      // The host's migrations directory, as a knexfile would name it; its table is knex's default.
      dir = await mkdtemp(join(tmpdir(), 'au-host-migrations-'));
      await writeFile(
        join(dir, '20250101000000_invoices.mjs'),
        `export async function up(knex) { await knex.schema.createTable('host_invoices', (t) => { t.increments('id'); t.string('number', 32); }); }
export async function down(knex) { await knex.schema.dropTable('host_invoices'); }
`,
      );
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    const host = () => ({ directory: dir, loadExtensions: ['.mjs'] });

    it('keeps the two migration lists apart, so neither trips the other', async () => {
      const au = kit(db.knex);
      await db.knex.migrate.latest(host());
      await au.migrate();
      // Each runs again over the other's completed migrations: no "migration directory is corrupt".
      await db.knex.migrate.latest(host());
      await au.migrate();

      const hostNames = (await db.knex('knex_migrations').select('name')).map((r: { name: string }) => r.name);
      const kitNames = (await db.knex(au.migrationTableName).select('name')).map((r: { name: string }) => r.name);
      expect(hostNames).to.deep.equal(['20250101000000_invoices.mjs']);
      expect(kitNames).to.deep.equal(KIT_MIGRATIONS);
      expect(await existing(db.knex, ['host_invoices', ...prefixed('au_')])).to.deep.equal(['host_invoices', ...prefixed('au_')]);
    });

    it("rolls back the host's migrations without touching the kit's, and the other way round", async () => {
      const au = kit(db.knex);
      await au.migrate();
      await db.knex.migrate.latest(host());

      await db.knex.migrate.rollback(host(), true);
      expect(await existing(db.knex, ['host_invoices', ...prefixed('au_')])).to.deep.equal(prefixed('au_'));

      await db.knex.migrate.latest(host());
      await db.knex.migrate.rollback({ migrationSource: au.migrationSource, tableName: au.migrationTableName }, true);
      expect(await existing(db.knex, ['host_invoices', ...prefixed('au_')])).to.deep.equal(['host_invoices']);
    });
  });
});
