import type { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { Request, RequestHandler, Router } from 'express';
import { join } from 'node:path';
import { parseOptions } from './options/checks.js';
import type { AccountUsersOptions } from './options/interface.js';
import type { Permission, PermissionDefinition, PermissionKey } from './permissions.js';
import { createKit } from './services/context.js';
import { createAccount, type AccountMembership, type CreateAccountInput } from './services/accounts/accounts.js';
import type { AccountUser } from './services/user-store.js';
import { kitMigrationSource } from './store/migrations.js';
import { builtInViewsDir, createTemplates } from './templates.js';
import { createMailer } from './mail/outbox.js';
import { passwordResetLink } from './services/self-service/password-reset.js';
import { emailChangeLink } from './services/self-service/email-change.js';
import { emailVerifyLink } from './services/verification/links.js';
import { prune, type PruneOptions, type PruneResult } from './services/maintenance/prune.js';
import { sendTwoFactorReminders } from './services/two-factor/reminders.js';
import { createHttp } from './http/router.js';
import { createApi, type AccountUsersApi } from './services/api.js';
import { secondFactorOwed } from './http/second-factor.js';
import { createPassport } from './http/passport.js';
import { createSessionStore, type SessionStoreOptions } from './http/session-store.js';
import type { Store as SessionStore } from 'express-session';
// Type-only: brings the request and session augmentation into the declarations.
import type {} from './types.js';

export { PERMISSIONS, definePermissions, type Permission, type PermissionDefinition, type PermissionKey } from './permissions.js';
export type { AccountUsersOptions } from './options/interface.js';
export type { Logger, PermissionPreset } from './options/schema.js';
export type { MailMessage, MailTransport } from './mail/transport.js';
export { accountUserOf } from './http/account-user-of.js';
export { safeReturnPath } from './http/request.js';
export type { AccountUser, NewUser, UserStore } from './services/user-store.js';
export type { AccountMembership, CreateAccountInput } from './services/accounts/accounts.js';
export type { AccountUserContext } from './types.js';
export type { LayoutContext, LayoutOption } from './layout.js';
export type { ActivityAction } from './store/accounts/activity.js';
export type { AccountUsersApi, InAccount, ListFilter, PageCursor, PermissionsOrPreset, Grant } from './services/api.js';
export type { Actor } from './services/acting.js';
export type { InvitationView, InviteResult, InvitationDisplayStatus, DeliveryStatus } from './services/invitations/invitations.js';
export type { TransferView } from './services/ownership/ownership.js';
export type { WaitingInvitation } from './services/invitations/invitee.js';
export type { MemberView } from './services/members/members.js';
export type { RemovedMemberView } from './services/members/lifecycle.js';
export type { ListPage } from './services/members/users-page.js';
export type { InvitationListState } from './store/invitations/invitations.js';
export type { ActivityItem } from './services/activity.js';
export type { TwoFactorStatus } from './services/two-factor/two-factor.js';
export type { AccountTwoFactorRule } from './services/two-factor/account-rule.js';
export type { RememberedDevice } from './services/two-factor/devices.js';
export type { BulkInviteOutcome, BulkInviteResult } from './services/roster/invite-many.js';
export type { ReconcileResult, RosterChange, RosterChanges } from './services/roster/reconcile.js';
export type { ExportFormat, MemberExportRow, ActivityExportRow } from './services/roster/export.js';
export type { PruneOptions, PruneResult } from './services/maintenance/prune.js';
export type { SessionStoreOptions } from './http/session-store.js';
export type { StaffPage } from './services/maintenance/staff-lists.js';
export type { AccountListRow, UserListRow } from './store/maintenance/staff-lists.js';
// The JSON API's answers (docs/json-api.md), from the schemas its OpenAPI document is generated from.
export type {
  JsonErrorAnswer,
  JsonPermission,
  JsonPreset,
  JsonAccount,
  JsonMember,
  JsonDelivery,
  JsonInvitation,
  JsonMembership,
  JsonTransfer,
  JsonOwnershipOffer,
  JsonUser,
  JsonActivityEntry,
  JsonUsersPageAnswer,
  JsonInviteFormAnswer,
  JsonInviteAnswer,
  JsonInvitationDeliveryAnswer,
  JsonInvitationAnswer,
  JsonMemberFormAnswer,
  JsonMemberAnswer,
  JsonPresetAppliedAnswer,
  JsonMemberRemoveFormAnswer,
  JsonMemberRemovedAnswer,
  JsonAcceptPageAnswer,
  JsonMembershipAnswer,
  JsonRegisteredAnswer,
  JsonDeclinedByLinkAnswer,
  JsonSignedOutAnswer,
  JsonAccountsAnswer,
  JsonDeclinedAnswer,
  JsonSwitchedAnswer,
  JsonLeftAnswer,
  JsonActivityAnswer,
  JsonTransferPageAnswer,
  JsonTransferAnswer,
  JsonOwnershipOfferAnswer,
  JsonOwnershipAcceptedAnswer,
  JsonProfileAnswer,
  JsonProfileSavedAnswer,
  JsonPasswordChangedAnswer,
  JsonEmailChangeRequestedAnswer,
  JsonLinkPageAnswer,
  JsonEmailConfirmedAnswer,
  JsonVerificationAnswer,
  JsonVerifiedAnswer,
  JsonCsrfTokenAnswer,
  JsonResetRequestedAnswer,
  JsonResetPageAnswer,
  JsonPasswordResetAnswer,
  JsonInvitationCancelFormAnswer,
  JsonDeclineLinkFormAnswer,
  JsonLeaveFormAnswer,
  JsonInvitationDeclineFormAnswer,
  JsonTransferCancelFormAnswer,
  JsonOfferDeclinedAnswer,
  JsonMemberSuspendFormAnswer,
  JsonRestoreFormAnswer,
  JsonBulkInviteFormAnswer,
  JsonBulkInviteAnswer,
  JsonRosterFormAnswer,
  JsonRosterChange,
  JsonRosterDryRunAnswer,
  JsonRosterAppliedAnswer,
  JsonMembersExport,
  JsonSecuritySavedAnswer,
  JsonTwoFactorStatus,
  JsonTotpEnrolmentAnswer,
  JsonRecoveryCodesAnswer,
  JsonTwoFactorRemovedAnswer,
  JsonRemovedMember,
  JsonTwoFactorPageAnswer,
  JsonVerifyPageAnswer,
  JsonVerifiedSecondFactorAnswer,
  JsonDevicesForgottenAnswer,
  JsonSecurityPageAnswer,
  JsonPasskey,
  JsonPasskeyRegistrationOptions,
  JsonPasskeyAuthenticationOptions,
  JsonPasskeyRegistrationOptionsAnswer,
  JsonPasskeyAuthenticationOptionsAnswer,
  JsonPasskeysAnswer,
  JsonPasskeyRegisteredAnswer,
  JsonPasskeyRenamedAnswer,
  JsonPasskeyRemovedAnswer,
  JsonPasskeySignInPageAnswer,
  JsonPasskeySignedInAnswer,
} from './http/json-api/types.js';
export { openApiDocument, type OpenApiDocument } from './http/json-api/document.js';
export { DEFAULT_MESSAGES, type MessageKey } from './messages.js';
export {
  AccountUsersError,
  ConflictError,
  LinkGoneError,
  CsrfError,
  EmailMismatchError,
  EmailUnverifiedError,
  ForbiddenError,
  InvalidInputError,
  InvitationGoneError,
  NotFoundError,
  OptionsError,
  SecondFactorRequiredError,
  ServiceUnavailableError,
  StepUpRequiredError,
  TooManyRequestsError,
  TwoFactorRequiredError,
  UnauthenticatedError,
  type ErrorCode,
  type FieldIssue,
  type LinkGoneReason,
  type LinkPurpose,
} from './errors.js';
export type { LoginFeatures } from './services/user-store.js';
export type { UserActivityAction } from './store/self-service/user-activity.js';

type Done<T> = (err: unknown, value?: T) => void;

/**
 * What `au.passportStrategy()` returns: a passport strategy, ready for `passport.use()`.
 * Declared here so that a host's type check needs no @types/passport-local.
 */
export interface PassportStrategy {
  name?: string | undefined;
  authenticate(req: Request, options?: unknown): void;
}

export interface AccountUsers<K extends string = PermissionKey> {
  /** Pages and JSON routes for owners and invitees; mount it after express-session and passport.session(). */
  readonly router: Router;
  /**
   * Pages and JSON routes for the signed-in person's own login (profile, name, password, email,
   * forgotten password): `app.use('/user', au.userRouter)`, after express-session and passport.session().
   */
  readonly userRouter: Router;
  /** Refuses a request unless the active account's user holds every named key (the owner holds all). */
  requirePermission(this: void, ...keys: [K, ...K[]]): RequestHandler;
  /** Lets only the active account's owner through. */
  readonly requireOwner: RequestHandler;
  /** Sets `req.accountUser` and `res.locals.can` when a signed-in user has an active account, requiring no permission (for navigation); lets everyone else through. */
  readonly loadAccountUser: RequestHandler;
  /**
   * For the host's own pages (the kit's guards do this already): a session signed in with the
   * password of a login with a second factor, not verified yet, is sent to `/two-factor/verify`
   * with `returnTo` (JSON: 401 `second_factor_required` with `verifyUrl`); everyone else goes on.
   * Mount it after passport.session() and the host's login and logout routes.
   */
  readonly requireSecondFactor: RequestHandler;
  /** True while the request's session still owes its second factor (treat it as not signed in). */
  owesSecondFactor(this: void, req: Request): boolean;
  /**
   * passport-local strategy over the kit's users: fields `email` and `password`. An unknown email
   * costs the same scrypt work as a wrong password, and every failure is counted for `loginLimit`.
   */
  passportStrategy(this: void): PassportStrategy;
  /**
   * Failed-login limit, per email address and per IP (`limits.loginPerWindow`, `limits.loginPerIpPerWindow`,
   * `limits.loginWindowMs`), counted in the kit's database unless `limits.store` is given. Put it
   * after your body parser and before the login handler: `app.post('/login', au.loginLimit, passport.authenticate('local', …))`.
   * Refuses with 429 and Retry-After (a page, or JSON when asked for). A login's failures are counted
   * under its stored address, whatever spelling found it; wrong current passwords at `POST /user/password`,
   * `POST /user/email` and `POST /transfer` count too.
   */
  readonly loginLimit: RequestHandler;
  /** For a host with its own passport strategy: counts one failed login of `email` from `req`'s IP for `loginLimit`. */
  recordFailedLogin(this: void, req: Request, email: unknown): Promise<void>;
  /**
   * Give it to passport as it is: passport then passes `req` (the function takes three arguments)
   * and the kit records which password the session signed in with (as its strategy read it before
   * checking the hash), so a later password change or reset signs it out. Also callable as `(user, done)`.
   * A portal may keep its own serializer: the kit then records it at `req.login` for sign-ins through
   * its strategy, behind `au.loginLimit` and through an invitation (docs/integration.md).
   */
  serializeUser(this: void, req: Request, user: unknown, done: Done<number>): void;
  serializeUser(this: void, user: unknown, done: Done<number>): void;
  /**
   * Give it to passport as it is: passport then passes `req` (the function takes three
   * arguments) and, with the kit's own users, the active membership is read in the same query
   * as the user, so requirePermission adds none. Also callable as `(id, done)`.
   */
  deserializeUser(this: void, req: Request, id: unknown, done: Done<AccountUser | false>): void;
  deserializeUser(this: void, id: unknown, done: Done<AccountUser | false>): void;
  /**
   * An express-session store in the kit's database (`<prefix>sessions`), shared by every process:
   * `app.use(session({ store: au.sessionStore(), … }))`. Its read is the guard's one statement (the
   * session, its user and the active membership together), and a session's expiry is extended at
   * most once per `touchAfterMs`. Session ids are stored hashed; expired rows go with
   * `au.maintenance.prune`. Call it once and give the store to express-session.
   */
  sessionStore(this: void, options?: SessionStoreOptions): SessionStore;
  /** Applies the kit's migrations (its own table: `<prefix>migrations`). */
  migrate(this: void): Promise<void>;
  /** For a host knexfile: `migrations: { migrationSource: au.migrationSource, tableName: au.migrationTableName }`. */
  readonly migrationSource: Knex.MigrationSource<string>;
  readonly migrationTableName: string;
  /** `owner.emailVerified: true` when your sign-up proved the address; the owner comes back with `emailVerified`. */
  createAccount(this: void, input: CreateAccountInput): Promise<{ account: AccountMembership['account']; owner: AccountUser & { emailVerified: boolean } }>;
  /**
   * Everything the pages do, from code (docs/api.md): the very functions behind the kit's routes,
   * acting as a user (`{ userId }`, checked as the pages check them) or as the host's staff or job
   * (`{ system: 'support' }`). Plain functions: pass them around unbound.
   */
  readonly api: AccountUsersApi<K>;
  /**
   * 'invitation.sent', 'invitation.resent', 'invitation.updated', 'invitation.cancelled', 'invitation.accepted', 'invitation.declined',
   * 'member.permissions_changed', 'member.removed', 'member.left', 'ownership.offered', 'ownership.transferred',
   * 'ownership.cancelled', 'ownership.declined', and 'activity' for all of them; and, for a
   * person's own login, 'user.password_changed', 'user.password_reset', 'user.email_changed', 'user.email_verified', 'user.profile_changed',
   * 'user.two_factor_enabled', 'user.two_factor_removed', 'user.two_factor_reset', 'user.recovery_codes_generated',
   * 'user.recovery_code_used', 'user.device_remembered', 'user.devices_forgotten', 'user.passkey_added', 'user.passkey_renamed',
   * 'user.passkey_removed', 'user.passkey_sign_in', 'user.passkey_counter_rejected'; and 'account.two_factor_rule_changed',
   * 'member.two_factor_enabled', 'member.two_factor_removed' (with 'activity').
   */
  readonly events: EventEmitter;
  readonly mail: {
    /**
     * Sends every email that is due (queued or to be retried): invitations, password resets, email
     * confirmations, ownership offers. Resolves when none is left due, with what this call did:
     * `sent` delivered, `failed` attempts that failed (each retried later with backoff, or given up
     * after `mail.maxAttempts`). Messages another instance was sending meanwhile count in neither.
     */
    flush(this: void): Promise<{ sent: number; failed: number }>;
    start(this: void): void;
    stop(this: void): void;
  };
  /** Upkeep for a host's jobs (docs/operations.md). */
  readonly maintenance: {
    /**
     * Removes what nothing reads again, in bounded batches: sent, given-up and cancelled emails,
     * used or expired links, dead invitation link hashes, closed rate-limit windows and, with
     * `activityOlderThan`, old activity. Never a pending invitation, a live link or an open limit.
     */
    prune(this: void, options: PruneOptions): Promise<PruneResult>;
  };
  /** The catalogue in force: the thirteen built-in permissions, `manageusers` with the `delegation` option, then the host's own. */
  readonly permissions: readonly Permission[];
  /**
   * Graceful shutdown of the kit's mail side (call it on SIGTERM, after the HTTP server stopped
   * taking requests): stops the worker, waits for the emails being sent (a flush's current message
   * and every request's own send), and releases the messages a flush had claimed but not begun, so
   * another process sends them at once instead of after `mail.claimLeaseMs`. Sends asked for after
   * it are left queued. Does not close the host's Knex (close it after this resolves).
   */
  close(this: void): Promise<void>;
}

/**
 * Builds the kit. Options are validated here, once: a wrong option, or a template that
 * names a partial or helper nobody registered, throws an OptionsError naming it, never at
 * the first request.
 */
export function accountUsers<const P extends readonly PermissionDefinition[] = [], const D extends boolean = false>(
  options: AccountUsersOptions & { permissions?: P; delegation?: D },
): AccountUsers<PermissionKey | P[number]['key'] | (D extends true ? 'manageusers' : never)> {
  const resolved = parseOptions(options);
  const kit = createKit(resolved);
  const templates = createTemplates({
    views: resolved.views,
    layout: resolved.layout,
    handlebars: resolved.handlebars,
    locales: kit.locales,
    logger: kit.logger,
  });
  const mailer = createMailer(kit, templates, { password_reset: passwordResetLink, email_change: emailChangeLink, email_verify: emailVerifyLink }, () =>
    sendTwoFactorReminders(kit),
  );
  kit.deliver = mailer.deliver;
  const http = createHttp(kit, templates, mailer, join(builtInViewsDir(), 'assets'));
  const migrationSource = kitMigrationSource(kit.tables, { ownUsersTable: !resolved.users });
  if (resolved.mail.worker) mailer.start();
  const off = (Object.keys(kit.features) as Array<keyof typeof kit.features>).filter((f) => !kit.features[f]);
  if (off.length) {
    const routes = {
      password: 'POST /password and password reset (setPasswordHash, hashPassword)',
      name: 'POST /profile (setName)',
      email: 'POST /email (setEmail)',
      verify: 'POST /email/verify and its link (setEmailVerified)',
    };
    const info = kit.logger.info ?? kit.logger.warn;
    info.call(
      kit.logger,
      `express-account-users: the users store does not offer ${off.map((f) => routes[f]).join('; ')}: au.userRouter answers those with 404`,
    );
  }

  const passport = createPassport(kit, http, { ownUsers: !resolved.users, passwordHashing: resolved.passwordHashing });

  return {
    router: http.router,
    userRouter: http.userRouter,
    requirePermission: (...keys) => http.guards.requirePermission(...keys),
    requireOwner: http.guards.requireOwner,
    loadAccountUser: http.guards.loadAccountUser,
    requireSecondFactor: http.guards.requireSecondFactor,
    owesSecondFactor: (req) => secondFactorOwed(req),
    passportStrategy: passport.strategy,
    loginLimit: http.loginLimit.middleware,
    recordFailedLogin: passport.recordFailedLogin,
    serializeUser: passport.serializeUser,
    deserializeUser: passport.deserializeUser,
    sessionStore: (storeOptions) => createSessionStore(kit, storeOptions),
    migrate: async () => {
      await kit.knex.migrate.latest({ migrationSource, tableName: kit.tables.migrations });
    },
    migrationSource,
    migrationTableName: kit.tables.migrations,
    createAccount: (input) => createAccount(kit, input),
    // Typed with the host's keys by the interface; the services check every key against the catalogue at run time.
    api: createApi(kit),
    events: kit.events,
    mail: { flush: mailer.flush, start: mailer.start, stop: mailer.stop },
    maintenance: { prune: (options) => prune(kit, options) },
    permissions: kit.catalogue.entries,
    close: () => mailer.close(),
  };
}
