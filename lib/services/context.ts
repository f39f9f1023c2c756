import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { Logger, ResolvedOptions } from '../options.js';
import { PermissionCatalogue } from '../permissions.js';
import { tableNames, type Tables } from '../store/db.js';
import { accountsTable } from '../store/accounts.js';
import { activityTable } from '../store/activity.js';
import { invitationsTable } from '../store/invitations.js';
import { membershipsTable } from '../store/memberships.js';
import { outboxTable } from '../store/outbox.js';
import { usersTable } from '../store/users.js';
import { userTokensTable } from '../store/user-tokens.js';
import { userActivityTable } from '../store/user-activity.js';
import { knexUserStore, loginFeatures, type LoginFeatures, type UserStore } from './user-store.js';
import { ForbiddenError } from '../errors.js';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { KnexRateLimitStore } from '../store/rate-limit-store.js';
import { durationText } from '../messages.js';

/** Everything a service needs, built once from validated options. */
export interface Kit {
  options: ResolvedOptions;
  knex: Knex;
  tables: Tables;
  catalogue: PermissionCatalogue;
  /** How long an invitation link is valid, in words ("7 days"), worked out once from invitationTtl. */
  validity: string;
  users: UserStore;
  /** What a person may change of their own login through `au.userRouter`, decided once from the user store. */
  features: LoginFeatures;
  store: {
    users: ReturnType<typeof usersTable>;
    accounts: ReturnType<typeof accountsTable>;
    memberships: ReturnType<typeof membershipsTable>;
    invitations: ReturnType<typeof invitationsTable>;
    activity: ReturnType<typeof activityTable>;
    outbox: ReturnType<typeof outboxTable>;
    userTokens: ReturnType<typeof userTokensTable>;
    userActivity: ReturnType<typeof userActivityTable>;
  };
  events: EventEmitter;
  now(): Date;
  logger: Logger;
  /** A new store for one of the kit's rate limits: the host's `limits.store`, else a table of the kit's database. */
  rateLimitStore(name: string): RateLimitStore;
}

export function createKit(options: ResolvedOptions): Kit {
  const tables = tableNames(options.tablePrefix);
  const users = options.users ?? knexUserStore(options.knex, tables, options.passwordHashing);
  return {
    options,
    knex: options.knex,
    tables,
    catalogue: new PermissionCatalogue(options.permissions),
    validity: durationText(options.invitationTtl),
    users,
    features: loginFeatures(users),
    store: {
      users: usersTable(tables),
      accounts: accountsTable(tables),
      memberships: membershipsTable(tables),
      invitations: invitationsTable(tables),
      activity: activityTable(tables),
      outbox: outboxTable(tables),
      userTokens: userTokensTable(tables),
      userActivity: userActivityTable(tables),
    },
    events: new EventEmitter(),
    now: options.now,
    logger: options.logger,
    rateLimitStore: (name) =>
      options.limits.store
        ? options.limits.store(name)
        : new KnexRateLimitStore({ knex: options.knex, table: tables.rateLimits, logger: options.logger, now: options.now }, name),
  };
}

/** Who is acting, in which account: built by the guard, passed to services (which never see `req`). */
export interface Actor {
  userId: number;
  accountId: number;
  isOwner: boolean;
  ip?: string | null;
}

/** A signed-in person acting on their own login (au.userRouter): no account involved. */
export interface SelfActor {
  userId: number;
  ip?: string | null;
}

/** The owner-only services' first line: members and invitations are the owner's to manage. */
export function requireOwner(actor: Actor): void {
  if (!actor.isOwner) throw new ForbiddenError('Only the account owner can manage users.');
}
