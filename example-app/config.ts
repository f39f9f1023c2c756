import { randomBytes } from 'node:crypto';

/** What the example portal reads from its environment, checked once at start-up. */
export interface PortalConfig {
  port: number;
  /** The public origin invitation links point at. */
  baseUrl: string;
  /** postgres://… switches from the embedded SQLite file to PostgreSQL (and its session store). */
  databaseUrl: string | undefined;
  /** smtp://… sends mail through that server; without it an in-process catcher keeps it for /dev/mail. */
  smtpUrl: string | undefined;
  sessionSecret: string;
  production: boolean;
  /** Behind a TLS-terminating proxy: trust its X-Forwarded-* headers so secure cookies work. */
  trustProxy: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv): PortalConfig {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, received "${env.PORT}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded SQLite file)');
  }
  const secret = env.SESSION_SECRET;
  if (production && (!secret || secret.length < 32)) {
    // A guessable secret lets anyone forge a session cookie: refuse rather than run with one.
    throw new Error('SESSION_SECRET (at least 32 characters) is required when NODE_ENV=production');
  }
  return {
    port,
    baseUrl: (env.BASE_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl,
    smtpUrl: env.SMTP_URL || undefined,
    // Development only: a fresh secret per start signs everyone out on restart, which is fine there.
    sessionSecret: secret || randomBytes(32).toString('hex'),
    production,
    trustProxy: Boolean(env.TRUST_PROXY && env.TRUST_PROXY !== '0' && env.TRUST_PROXY !== 'false'),
  };
}
