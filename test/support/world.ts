import type { Knex } from 'knex';
import { freshDatabase, type TestDatabase } from './db.js';
import { SmtpSink } from './smtp.js';
import { createHost, type HostWiring, type SessionStoreOf, type TestHost } from './app.js';
import { Browser } from './client.js';
import type { AccountUsersOptions } from '../../lib/index.js';

export const OWNER = { email: 'owner@acme.test', name: 'Olive Owner', password: 'owner-password-1' };

/** A fresh database, an SMTP sink and a host app with one account, for one test file. */
export class World {
  db!: TestDatabase;
  smtp!: SmtpSink;
  host!: TestHost;
  account!: { id: number; name: string };
  ownerId!: number;

  get knex(): Knex {
    return this.db.knex;
  }

  /** `sessionStore`: share one store with secondInstance() so the same cookie works on both (or `(au) => au.sessionStore()`, one per instance). */
  async setUp(options: Partial<AccountUsersOptions> = {}, sessionStore?: SessionStoreOf, wiring?: HostWiring): Promise<this> {
    this.db = await freshDatabase();
    this.smtp = await new SmtpSink().start();
    this.host = createHost(this.db.knex, this.smtp, options, sessionStore, wiring);
    await this.host.au.migrate();
    const { account, owner } = await this.host.au.createAccount({ name: 'Acme Ltd', owner: OWNER });
    this.account = account;
    this.ownerId = owner.id;
    return this;
  }

  async tearDown(): Promise<void> {
    this.host?.au.close();
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
