import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Portal } from '../../../example-app/app.js';
import { MailCatcher } from '../../../example-app/mail-catcher.js';
import { sqliteKnex } from '../../../example-app/database.js';
import { DEMO_OWNER, seedDemo } from '../../../example-app/seed.js';
import { TestClock } from '../../support/app.js';
import { createExamplePortal } from '../../support/example-portal.js';

export { DEMO_OWNER };

/** The example portal on a random port with a fresh in-memory SQLite database, as `npm start` wires it. */
export class RunningPortal {
  readonly clock = new TestClock();
  readonly catcher = new MailCatcher();
  url = '';
  portal!: Portal;
  private knex!: Knex;
  private server!: Server;

  async start(): Promise<this> {
    await this.catcher.start();
    this.knex = sqliteKnex(':memory:');
    // Listen first: the invitation links need the origin, port included.
    this.server = createServer();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.portal = await createExamplePortal(this.knex, this.catcher, {
      baseUrl: this.url,
      sessionSecret: 'e2e-session-secret',
      now: this.clock.now,
      logger: { warn: () => {}, error: (...args: unknown[]) => console.error(...args) },
    });
    this.server.on('request', this.portal.app);
    await seedDemo(this.portal.au, this.portal.data);
    return this;
  }

  async stop(): Promise<void> {
    await this.portal?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.catcher.stop();
    await this.knex?.destroy();
  }
}
