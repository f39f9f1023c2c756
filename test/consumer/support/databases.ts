import knexFactory from 'knex';
import { randomBytes } from 'node:crypto';

const PG = process.env.CONSUMER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL = process.env.CONSUMER_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function once(client: string, connection: string, sql: string) {
  const admin = knexFactory({ client, connection, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}

/** A new, empty database on the local server, as a host starting out would have: its URL and how to drop it. */
export async function freshServerDatabase(kind: 'pg' | 'mysql'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `au_consumer_${randomBytes(4).toString('hex')}`;
  const server = kind === 'pg' ? PG : MYSQL;
  const client = kind === 'pg' ? 'pg' : 'mysql2';
  await once(client, server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => once(client, server, kind === 'pg' ? `drop database if exists ${name} with (force)` : `drop database if exists ${name}`),
  };
}
