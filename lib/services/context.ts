import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import type { ResolvedOptions } from '../options/schema.js';
import { MANAGE_USERS, PermissionCatalogue } from '../permissions.js';
import { tableNames, type Tables } from '../store/db.js';
import { accountsTable } from '../store/accounts/accounts.js';
import { activityTable } from '../store/accounts/activity.js';
import { invitationsTable } from '../store/invitations/invitations.js';
import { membershipsTable } from '../store/accounts/memberships.js';
import { removedMembersTable } from '../store/accounts/removed-members.js';
import { outboxTable } from '../store/outbox.js';
import { usersTable } from '../store/users.js';
import { userTokensTable } from '../store/self-service/user-tokens.js';
import { userActivityTable } from '../store/self-service/user-activity.js';
import { ownershipTransfersTable } from '../store/ownership/ownership-transfers.js';
import { pruneStore } from '../store/maintenance/prune.js';
import { staffListsStore } from '../store/maintenance/staff-lists.js';
import { userLocalesTable } from '../store/user-locales.js';
import { factorsTable } from '../store/two-factor/factors.js';
import { recoveryCodesTable } from '../store/two-factor/recovery-codes.js';
import { usedStepsTable } from '../store/two-factor/used-steps.js';
import { rememberedDevicesTable } from '../store/two-factor/devices.js';
import { remindersTable } from '../store/two-factor/reminders.js';
import { sessionsTable } from '../store/sessions.js';
import { passkeysTable } from '../store/two-factor/passkeys.js';
import { knexUserStore, loginFeatures, type LoginFeatures, type UserStore } from './user-store.js';
import { ForbiddenError } from '../errors.js';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { KnexRateLimitStore, knexLoginCounts, type LoginCounts } from '../store/rate-limit-store.js';
export type { LoginCounts };
import type { MessageKey } from '../messages.js';
import { Duration } from '../i18n/values.js';
import { createLocales, type Locales } from '../i18n/locales.js';

/** Everything a service needs, built once from validated options. */
/** What sending one queued email came to: the mailer's answer (lib/mail/outbox.ts). */
export type DeliveryResult = 'sent' | 'failed' | 'skipped';

export interface Kit {
  options: ResolvedOptions;
  knex: Knex;
  tables: Tables;
  catalogue: PermissionCatalogue;
  /** How long an invitation link is valid (invitationTtl), for messages: each language says it its own way ("7 days", "7 Tage"). */
  validity: Duration;
  /** The language of emails when neither the request nor au.api's caller names one: `defaultLocale`, else a fixed `locale` tag, else `'en'`. */
  defaultLocale: string;
  /** Every language of this kit, built at start-up; emails are composed in the one stored with their row. */
  locales: Locales;
  users: UserStore;
  /** How emails name the portal: the `portalName` option (else `baseUrl`'s host) and `baseUrl`. */
  portal: { name: string; url: string };
  /** What a person may change of their own login through `au.userRouter`, decided once from the user store. */
  features: LoginFeatures;
  store: {
    users: ReturnType<typeof usersTable>;
    accounts: ReturnType<typeof accountsTable>;
    memberships: ReturnType<typeof membershipsTable>;
    removedMembers: ReturnType<typeof removedMembersTable>;
    invitations: ReturnType<typeof invitationsTable>;
    activity: ReturnType<typeof activityTable>;
    outbox: ReturnType<typeof outboxTable>;
    userTokens: ReturnType<typeof userTokensTable>;
    userActivity: ReturnType<typeof userActivityTable>;
    ownershipTransfers: ReturnType<typeof ownershipTransfersTable>;
    userLocales: ReturnType<typeof userLocalesTable>;
    twoFactor: ReturnType<typeof factorsTable>;
    recoveryCodes: ReturnType<typeof recoveryCodesTable>;
    usedSteps: ReturnType<typeof usedStepsTable>;
    rememberedDevices: ReturnType<typeof rememberedDevicesTable>;
    twoFactorReminders: ReturnType<typeof remindersTable>;
    sessions: ReturnType<typeof sessionsTable>;
    passkeys: ReturnType<typeof passkeysTable>;
    prune: ReturnType<typeof pruneStore>;
    staffLists: ReturnType<typeof staffListsStore>;
  };
  events: EventEmitter;
  now(): Date;
  logger: Logger;
  /**
   * Sends one queued invitation email now (the mailer's deliver); set once by accountUsers() when
   * the mailer exists. Services call it after commit, so the pages and au.api send alike.
   */
  deliver(outboxId: number): Promise<DeliveryResult>;
  /** A new store for one of the kit's rate limits: the host's `limits.store`, else a table of the kit's database. */
  rateLimitStore(name: string): RateLimitStore;
  /** A sign-in's two counts in one statement each way, when both stores are the kit's database; undefined otherwise. */
  loginCounts(ip: RateLimitStore, email: RateLimitStore): LoginCounts | undefined;
}

export function createKit(options: ResolvedOptions): Kit {
  const tables = tableNames(options.tablePrefix);
  const users = options.users ?? knexUserStore(options.knex, tables, options.passwordHashing, options.now);
  const catalogue = new PermissionCatalogue(options.delegation ? [MANAGE_USERS, ...options.permissions] : options.permissions);
  const locales = createLocales({
    hostMessages: options.messages,
    hostLocales: options.locales,
    catalogue,
    now: options.now,
    logger: options.logger,
    defaultTag: options.defaultLocale ?? (typeof options.locale === 'string' ? options.locale : undefined),
  });
  return {
    options,
    knex: options.knex,
    tables,
    catalogue,
    validity: new Duration(options.invitationTtl),
    locales,
    defaultLocale: locales.fallback.tag,
    users,
    portal: { name: options.portalName ?? new URL(options.baseUrl).hostname, url: options.baseUrl },
    features: loginFeatures(users),
    store: {
      users: usersTable(tables),
      accounts: accountsTable(tables),
      memberships: membershipsTable(tables),
      removedMembers: removedMembersTable(tables),
      invitations: invitationsTable(tables),
      activity: activityTable(tables),
      outbox: outboxTable(tables),
      userTokens: userTokensTable(tables),
      userActivity: userActivityTable(tables),
      ownershipTransfers: ownershipTransfersTable(tables),
      userLocales: userLocalesTable(tables),
      twoFactor: factorsTable(tables),
      recoveryCodes: recoveryCodesTable(tables),
      usedSteps: usedStepsTable(tables),
      rememberedDevices: rememberedDevicesTable(tables),
      twoFactorReminders: remindersTable(tables),
      sessions: sessionsTable(tables),
      passkeys: passkeysTable(tables),
      prune: pruneStore(tables),
      staffLists: staffListsStore(tables),
    },
    events: new EventEmitter(),
    now: options.now,
    logger: options.logger,
    deliver: () => Promise.reject(new Error('express-account-users: the mailer is not ready')),
    rateLimitStore: (name) =>
      options.limits.store
        ? options.limits.store(name)
        : new KnexRateLimitStore({ knex: options.knex, table: tables.rateLimits, logger: options.logger, now: options.now }, name),
    loginCounts: knexLoginCounts,
  };
}

/**
 * Who is acting, in which account, as the services see it: a member (the guard read their
 * membership for this request, or au.api did for the account named) or the host's own staff or
 * job acting through au.api as `{ system }`, who stands where the owner stands.
 */
export interface Acting {
  accountId: number;
  /** The acting user; null for a system actor. */
  userId: number | null;
  /** The system actor's name as given to au.api (`{ system: 'support' }`); null for a user. */
  system: string | null;
  isOwner: boolean;
  /** The actor's effective permissions (an owner's and a system actor's: every key). */
  permissions: readonly string[];
  /** Holds "All permissions" (an owner and a system actor do): only they may grant it (delegation). */
  allPermissions?: boolean;
  ip?: string | null;
  /** Where accept links point: the mount path the request came through (pages) or the `mountPath` option (au.api). */
  linkPrefix: string;
  /** The request's language (pages and JSON): the emails this action sends are written in it. */
  locale?: string;
}

/** A signed-in person acting on their own login (au.userRouter): no account involved. */
export interface SelfActor {
  userId: number;
  ip?: string | null;
  /** The request's language: emails about the login are written in it, and it is kept as the person's own. */
  locale?: string;
}

/** The owner-only services' first line (ownership transfer is the owner's alone, delegation or not). */
export function requireOwner(actor: Acting, key: MessageKey = 'error.ownerOnly'): void {
  if (!actor.isOwner) throw new ForbiddenError(key);
}

/**
 * The user-management services' first line: the owner, a system actor, or (with the `delegation`
 * option) a member holding `manageusers`. What a delegate may then touch is decided by
 * lib/services/delegation.ts.
 */
export function requireManager(kit: Kit, actor: Acting): void {
  if (actor.isOwner) return;
  if (kit.options.delegation && actor.permissions.includes(MANAGE_USERS.key)) return;
  throw new ForbiddenError('error.ownerOnlyUsers');
}

/** The actor columns of an activity row or event: a user's id, or the system actor's name. */
export function actorFields(actor: Acting): { actorUserId: number | null; actorSystem: string | null; ip: string | null } {
  return { actorUserId: actor.userId, actorSystem: actor.system, ip: actor.ip ?? null };
}
