import type { Knex } from 'knex';
import { freshDatabase, type TestDatabase } from './db.js';
import { SmtpSink } from './smtp.js';
import { createHost, MOUNT, type HostWiring, type SessionStoreOf, type TestHost } from './app.js';
import { Browser } from './client.js';
import { migrateWorld } from './schema-template.js';
import { createPeopleTable, peopleStore, type PeopleOptions } from './people.js';
import type { AccountUsersOptions, UserStore } from '../../lib/index.js';

export const OWNER = { email: 'owner@acme.test', name: 'Olive Owner', password: 'owner-password-1' };

/**
 * The test world: a fresh database of its own, an SMTP sink and a host app (test/support/app.ts)
 * with one account, for one test file or describe block.
 *
 * - `await world.setUp(options)`: all of it (open, startHost, createAccount) in one call.
 * - In steps, where a test needs something between them: `open()` (database and sink), then
 *   e.g. `people()` (a host-owned users table and store), `startHost(options)` (a host on the
 *   database, migrated; the first becomes `world.host`), `createAccount()` (Acme Ltd, owned by OWNER).
 * - `useWorld(options)` registers the before/after hooks in the calling describe block.
 *
 * `tearDown()` closes every host `startHost` made, the sink and the database.
 */
export class World {
  db!: TestDatabase;
  smtp!: SmtpSink;
  host!: TestHost;
  account!: { id: number; name: string };
  ownerId!: number;
  private readonly hosts: TestHost[] = [];

  get knex(): Knex {
    return this.db.knex;
  }

  /** `sessionStore`: share one store with secondInstance() so the same cookie works on both (or `(au) => au.sessionStore()`, one per instance). */
  async setUp(options: Partial<AccountUsersOptions> = {}, sessionStore?: SessionStoreOf, wiring?: HostWiring): Promise<this> {
    await this.open();
    await this.startHost(options, sessionStore, wiring);
    await this.createAccount();
    return this;
  }

  /** A fresh database and a started SMTP sink, nothing in them yet. */
  async open(): Promise<this> {
    // A World set up again (beforeEach) starts with no host: the last one's database is gone.
    this.hosts.length = 0;
    (this as { host?: TestHost }).host = undefined;
    this.db = await freshDatabase();
    this.smtp = await new SmtpSink().start();
    return this;
  }

  /** A host app on this world's database, its tables migrated; the first one started becomes `world.host`. */
  async startHost(options: Partial<AccountUsersOptions> = {}, sessionStore?: SessionStoreOf, wiring?: HostWiring): Promise<TestHost> {
    const host = createHost(this.db.knex, this.smtp, options, sessionStore, wiring);
    this.hosts.push(host);
    this.host ??= host;
    await migrateWorld(this.db.knex, host.au, !options.users);
    return host;
  }

  /** The account every test starts from: Acme Ltd, owned by OWNER (on `host`, by default world.host). */
  async createAccount(host: TestHost = this.host): Promise<this> {
    const { account, owner } = await host.au.createAccount({ name: 'Acme Ltd', owner: OWNER });
    this.account = account;
    this.ownerId = owner.id;
    return this;
  }

  /** A host that keeps its own logins (the `users` option): creates its `people` table and returns its store. */
  async people(options: PeopleOptions = {}): Promise<{ store: UserStore; createdInTransaction: boolean[] }> {
    await createPeopleTable(this.knex, options);
    return peopleStore(this.knex, options);
  }

  async tearDown(): Promise<void> {
    await Promise.all([...new Set([...this.hosts, this.host])].map((host) => host?.au.close()));
    await this.smtp?.stop();
    await this.db?.destroy();
  }

  /** Another app instance on the same database (and, if given, the same session store). */
  secondInstance(options: Partial<AccountUsersOptions> = {}, store?: SessionStoreOf, wiring?: HostWiring): TestHost {
    return createHost(this.db.connect(), this.smtp, options, store, wiring);
  }

  browser(host: TestHost = this.host): Browser {
    return new Browser(host.app);
  }

  async ownerBrowser(): Promise<Browser> {
    const b = this.browser();
    await b.login(OWNER.email, OWNER.password);
    return b;
  }

  async count(table: string): Promise<number> {
    const r = (await this.knex(`au_${table}`).count({ n: '*' }).first()) as { n: unknown };
    return Number(r.n);
  }
}

/** What useWorld() hands the describe block: the world and the owner's browser (signed in once `before` ran). */
export interface WorldInBlock {
  readonly world: World;
  /** OWNER's browser on world.host: signed in, and (`owner: 'page'`, the default) the users page loaded, so `owner.csrf` is set. */
  readonly owner: Browser;
}

/**
 * The set-up most describe blocks share, as their before/after hooks: a World set up with
 * `options`, then the owner signed in (`owner: 'signed-in'`), also with the users page
 * loaded for a CSRF token (`'page'`, the default), or not at all (`false`). A block's own
 * `before` hooks, registered after this call, run after it.
 *
 *     const { world, owner } = useWorld({ delegation: true });
 */
export function useWorld(options: Partial<AccountUsersOptions> = {}, { owner = 'page' }: { owner?: 'page' | 'signed-in' | false } = {}): WorldInBlock {
  const world = new World();
  const ownerBrowser = new Browser(() => world.host.app);
  before(async () => {
    await world.setUp(options);
    if (owner) await ownerBrowser.login(OWNER.email, OWNER.password);
    if (owner === 'page') await ownerBrowser.getJson(`${MOUNT}/`);
  });
  after(() => world.tearDown());
  return { world, owner: ownerBrowser };
}
