import type { Knex } from 'knex';

/** What the rig's primary tells a worker it forks (as CLUSTER_WORKER, JSON). */
export interface WorkerSpec {
  knex: Knex.Config;
  /** Where sessions live: connect-pg-simple on this connection string and schema, or Redis. */
  sessions: { kind: 'pg'; connectionString: string; schema: string } | { kind: 'redis'; prefix: string };
  /** Rate limits in Redis under this prefix; absent: in the kit's database table. */
  redisLimits?: string;
  smtpPort: number;
  workerIntervalMs: number;
  claimLeaseMs: number;
  listen: boolean;
  pause?: 'lock' | 'accept' | 'mail';
  breakClaim?: boolean;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'paused'; point: 'lock' | 'accept' | 'mail'; messageId?: string }
  | { type: 'flushed'; sent: number; failed: number }
  | { type: 'closed' }
  /** A line the kit logged about an outbox row (a failed attempt, a mark retried): printed with a duplicate or stray row. */
  | { type: 'log'; line: string }
  /** This worker is about to hand the message to the SMTP server (a SIGKILL may come before it hears the reply). */
  | { type: 'sending'; messageId: string };

export const RIG_LIMITS = {
  invitationsPerDay: 50,
  resendCooldownMs: 15_000,
  loginPerWindow: 10,
  loginPerIpPerWindow: 100_000,
  acceptPerWindow: 1_000,
  acceptViewsPerWindow: 100_000,
};
