import nodemailer from 'nodemailer';
import type { AddressInfo } from 'node:net';
import { readConfig } from './config.js';
import { openDatabase } from './database.js';
import { MailCatcher } from './mail-catcher.js';
import { createApp, USERS_MOUNT } from './app.js';
import { DEMO_ACCOUNT, DEMO_OWNER, seedDemo } from './seed.js';

// `npm start`: the example portal on the embedded SQLite file (or DATABASE_URL), ready to click through.
let config: ReturnType<typeof readConfig>;
try {
  config = readConfig(process.env);
} catch (err) {
  console.error(`Acme Hosting cannot start: ${(err as Error).message}`);
  process.exit(1);
}
const db = openDatabase(config.databaseUrl);
const catcher = config.smtpUrl ? undefined : await new MailCatcher().start();
if (!config.smtpUrl && config.production)
  console.warn('SMTP_URL is not set: emails are caught in-process and not delivered (and /dev/mail is off in production).');

const portal = await createApp({
  knex: db.knex,
  baseUrl: config.baseUrl,
  mail: { transport: config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : catcher!.transport(), worker: true },
  catcher,
  sessionSecret: config.sessionSecret,
  sessionStore: db.sessionStore,
  production: config.production,
  trustProxy: config.trustProxy,
});
const demo = config.production ? undefined : await seedDemo(portal.au, portal.data);

const server = portal.app.listen(config.port, () => {
  const port = (server.address() as AddressInfo).port;
  const url = config.baseUrl.replace(`:${config.port}`, `:${port}`);
  console.log(`Acme Hosting (express-account-users example) on ${db.description}`);
  console.log(`  Open        ${url}/`);
  if (demo) console.log(`  Demo owner  ${DEMO_OWNER.email} / ${DEMO_OWNER.password}  (account "${DEMO_ACCOUNT}")`);
  console.log(`  Users       ${url}${USERS_MOUNT}/`);
  if (catcher && !config.production) console.log(`  Mail        ${url}/dev/mail  (emails are caught here; set SMTP_URL to send them)`);
});

async function shutdown(): Promise<void> {
  server.close();
  await portal.close();
  await catcher?.stop();
  await db.knex.destroy();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
