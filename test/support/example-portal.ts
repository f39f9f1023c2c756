import type { Knex } from 'knex';
import { createApp, type CreateAppOptions, type Portal } from '../../example-app/app.js';
import { MailCatcher } from '../../example-app/mail-catcher.js';
import { freshDatabase, type TestDatabase } from './db.js';
import { FAST_HASHING } from './app.js';

export const EXAMPLE_BASE_URL = 'http://acme.example';

/**
 * The example portal (example-app/, what `npm start` runs) as tests start it: its mail
 * catcher, fast hashing and a quiet logger unless `overrides` say otherwise.
 */
export function createExamplePortal(knex: Knex, catcher: MailCatcher, overrides: Partial<CreateAppOptions> = {}): Promise<Portal> {
  return createApp({
    knex,
    baseUrl: EXAMPLE_BASE_URL,
    mail: { transport: catcher.transport() },
    catcher,
    sessionSecret: 'example-app-test-secret',
    passwordHashing: FAST_HASHING,
    logger: { warn: () => {}, error: () => {} },
    ...overrides,
  });
}

/** The World of the example portal: a fresh database of its own (DATABASE_URL's), a mail catcher and the portal app. */
export class ExamplePortalWorld {
  db!: TestDatabase;
  catcher!: MailCatcher;
  portal!: Portal;

  async setUp(overrides: Partial<CreateAppOptions> = {}): Promise<this> {
    this.db = await freshDatabase();
    this.catcher = await new MailCatcher().start();
    this.portal = await createExamplePortal(this.db.knex, this.catcher, overrides);
    return this;
  }

  async tearDown(): Promise<void> {
    await this.portal?.close();
    await this.catcher?.stop();
    await this.db?.destroy();
  }
}
