import { SmtpSink } from '../../support/smtp.js';
import { freshServerDatabase } from './databases.js';
import { HostProject } from './host.js';

export interface ServerDatabase {
  url: string;
  drop(): Promise<void>;
}

/** What consumerHost() hands the describe block: the host project, the SMTP sink, the database, and how to start the host. */
export interface ConsumerWorld {
  readonly host: HostProject;
  /** The SMTP sink every host sends to (SMTP_URL). */
  readonly smtp: SmtpSink;
  /** The host's empty PostgreSQL or MariaDB database (DATABASE_URL), when `database` named one. */
  readonly db: ServerDatabase;
  /** A new empty database on the same kind of server, dropped with the host's. */
  anotherDatabase(): Promise<ServerDatabase>;
  /** The environment every host's server reads: DATABASE_URL (when it has one), SMTP_URL, SESSION_SECRET, then `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Starts `node <entry>` in the project with env(extra); resolves to its base URL. */
  start(entry: string, extra?: NodeJS.ProcessEnv): Promise<string>;
}

/**
 * The set-up every consumer host shares, as before/after hooks of the calling describe block:
 * a project folder of its own, an SMTP sink, a fresh database on the local server
 * (`database`), then `prepare` (copy its files, install the packed tarball); afterwards the
 * host stopped, the databases dropped and the folder removed.
 */
export function consumerHost(name: string, { database, prepare }: { database?: 'pg' | 'mysql'; prepare(world: ConsumerWorld): Promise<void> }): ConsumerWorld {
  const host = new HostProject(name);
  const smtp = new SmtpSink();
  const databases: ServerDatabase[] = [];
  const world: ConsumerWorld = {
    host,
    smtp,
    get db() {
      const db = databases[0];
      if (!db) throw new Error(`consumerHost(${name}): no database (give { database })`);
      return db;
    },
    async anotherDatabase() {
      if (!database) throw new Error(`consumerHost(${name}): no database server (give { database })`);
      const db = await freshServerDatabase(database);
      databases.push(db);
      return db;
    },
    env: (extra = {}) => ({
      ...(databases[0] ? { DATABASE_URL: databases[0].url } : {}),
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`,
      SESSION_SECRET: 'consumer-test-secret',
      ...extra,
    }),
    start: (entry, extra) => host.start(entry, world.env(extra)),
  };

  before(async () => {
    await smtp.start();
    if (database) await world.anotherDatabase();
    await prepare(world);
  });
  after(async () => {
    await host.stop();
    await smtp.stop();
    for (const db of databases) await db.drop();
    host.remove();
  });
  return world;
}
