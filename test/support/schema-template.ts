import type { Knex } from 'knex';
import { dialect } from './db.js';

/**
 * `au.migrate()` for a test world, made cheap: the first world of each kind in a test process
 * runs the kit's migrations for real and keeps the schema they left (every CREATE statement,
 * read back from the database, and the rows they wrote, the migration table's included); later
 * worlds of that kind on an empty database get that schema replayed instead. Running the
 * twenty-odd migrations cost 0.3–0.6 s per world on MariaDB (table rebuilds, a file each) and
 * about 70 ms on SQLite; the replay costs about 70 ms and 5 ms. PostgreSQL runs its migrations
 * as they are: replaying its statements saved little there.
 *
 * Only an empty database is replayed into (a test that made a table of its own first, or
 * migrates a second host onto the same database, migrates for real), and the kind is the table
 * prefix and whether the host keeps its own users table, the two things the migrations depend on.
 * The migration tests call `au.migrate()` themselves and never come here.
 */
export async function migrateWorld(knex: Knex, au: { migrate(): Promise<void>; migrationTableName: string }, ownUsers: boolean): Promise<void> {
  const kind = dialect();
  if (kind === 'pg' || process.env.AU_TEST_REAL_MIGRATIONS === '1') return au.migrate();
  if ((await tableNames(knex)).length > 0) return au.migrate();
  const key = `${au.migrationTableName}|${ownUsers}`;
  const known = templates.get(key);
  if (known) return replay(knex, await known);
  const captured = au.migrate().then(() => capture(knex));
  templates.set(key, captured);
  try {
    await captured;
  } catch (error) {
    templates.delete(key);
    throw error;
  }
}

interface Template {
  /** CREATE statements in an order that replays (foreign keys are off while they run on MariaDB). */
  statements: string[];
  rows: { table: string; rows: Record<string, unknown>[] }[];
}

const templates = new Map<string, Promise<Template>>();

async function tableNames(knex: Knex): Promise<string[]> {
  if (dialect() === 'sqlite') {
    const rows = await knex.raw<{ name: string }[]>("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'");
    return rows.map((r) => r.name);
  }
  const [rows] = (await knex.raw("show full tables where Table_type = 'BASE TABLE'")) as [Record<string, string>[]];
  return rows.map((r) => Object.values(r)[0]!);
}

async function capture(knex: Knex): Promise<Template> {
  const names = await tableNames(knex);
  let statements: string[];
  if (dialect() === 'sqlite') {
    // In the order SQLite recorded them: each table before the indexes and triggers on it.
    const rows = await knex.raw<{ sql: string }[]>("select sql from sqlite_master where sql is not null and name not like 'sqlite_%' order by rowid");
    statements = rows.map((r) => r.sql);
  } else {
    statements = [];
    for (const name of names) {
      const [[row]] = (await knex.raw('show create table ??', [name])) as [Record<string, string>[]];
      statements.push(row!['Create Table']!);
    }
  }
  const rows: Template['rows'] = [];
  for (const table of names) {
    const found = (await knex(table).select()) as Record<string, unknown>[];
    if (found.length > 0) rows.push({ table, rows: found });
  }
  return { statements, rows };
}

async function replay(knex: Knex, template: Template): Promise<void> {
  await knex.transaction(async (trx) => {
    if (dialect() === 'mysql') await trx.raw('set foreign_key_checks = 0');
    for (const sql of template.statements) await trx.raw(sql);
    for (const { table, rows } of template.rows) await trx(table).insert(rows);
    if (dialect() === 'mysql') await trx.raw('set foreign_key_checks = 1');
  });
}
