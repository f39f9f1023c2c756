import { listAccounts, searchUsers, type StaffPage } from './maintenance/staff-lists.js';
import type { AccountListRow, UserListRow } from '../store/maintenance/staff-lists.js';
import type { Kit } from './context.js';
import type { Actor } from './acting.js';
import { createAccount, accountsOf, findUserByEmail, type AccountMembership, type CreateAccountInput } from './accounts/accounts.js';
import { can } from './accounts/can.js';
import { cancelInvitation, invite, resendInvitation, type InvitationView, type InviteResult } from './invitations/invitations.js';
import { acceptInvitation, declineInvitation, invitationsFor, type WaitingInvitation } from './invitations/invitee.js';
import { getMember, removeMember, setPermissions, type MemberView } from './members/members.js';
import { listInvitations, listMembers, type ListPage } from './members/users-page.js';
import { listRemovedMembers, reinstateMember, restoreMember, suspendMember, type RemovedMemberView } from './members/lifecycle.js';
import type { InvitationListState } from '../store/invitations/invitations.js';
import { listActivity, type ActivityItem } from './activity.js';
import type { AccountUser } from './user-store.js';
import { acceptOwnership, cancelOwnershipOffer, declineOwnershipOffer, offerOwnership, type TransferView } from './ownership/ownership.js';
import { markEmailVerified } from './verification/host-mark.js';
import { resetTwoFactor, twoFactorStatus, type TwoFactorStatus } from './two-factor/two-factor.js';
import { listPasskeys, type PasskeyView } from './two-factor/passkeys.js';
import { accountTwoFactorRule, setAccountTwoFactorRule, type AccountTwoFactorRule } from './two-factor/account-rule.js';
import { forgetRememberedDevices, rememberedDevices, type RememberedDevice } from './two-factor/devices.js';
import { sendTwoFactorReminders } from './two-factor/reminders.js';
import { inviteMany, type BulkInviteResult } from './roster/invite-many.js';
import { reconcileRoster, type ReconcileResult } from './roster/reconcile.js';
import { exportActivity, exportMembers, type ExportFormat } from './roster/export.js';
import type { Readable } from 'node:stream';

/** Which account, as whom: the first fields of every account-scoped call. */
export interface InAccount {
  actor: Actor;
  accountId: number;
}

/** A page of a list: give the `next` of the page before as `after`, or its `previous` as `before`. */
export interface PageCursor {
  after?: number;
  before?: number;
}

/** What narrows the users page's lists, as au.api takes it. */
export interface ListFilter {
  /** Part of a name or an address, any case. */
  q?: string;
  /** A permission key. */
  permission?: string;
}

/** Permission keys, a preset's key (the `presets` option), or both: the preset's keys are added to the ones given. */
export type PermissionsOrPreset<K extends string = string> = { permissions: readonly K[]; preset?: string } | { permissions?: readonly K[]; preset: string };

/**
 * What invite and setPermissions grant: keys, a preset, or "All permissions" (`allPermissions: true`:
 * every permission, also those the host adds later, but `manageusers`, which is granted only by name).
 */
export type Grant<K extends string = string> =
  (PermissionsOrPreset<K> & { allPermissions?: boolean }) | { permissions?: readonly K[]; preset?: string; allPermissions: true };

/**
 * `au.api`: what the kit's pages do, as plain async functions for the host's own code (an admin
 * area, a CLI, a job, GraphQL resolvers). The kit's HTTP handlers call these very functions, so a
 * rule cannot differ between the pages and the API. Failures are the kit's typed errors
 * (InvalidInputError, ForbiddenError, NotFoundError, ConflictError, TooManyRequestsError, …).
 */
export interface AccountUsersApi<K extends string = string> {
  /** Invites an address (or re-arms its pending invitation). `send: false`: no email; the link is returned once. */
  /** `locale`: the language of the email and its resends, one of the kit's (`'de'`); default the `locale` option's tag, else `'en'`. */
  invite(
    this: void,
    input: InAccount & Grant<K> & { email: string; accessUntil?: Date | string | null; send?: boolean; locale?: string },
  ): Promise<InviteResult>;
  /**
   * Invites up to `limits.bulkInviteMax` addresses with one set of permissions or a preset: each
   * address is decided on its own, in its own transaction under the account's lock (invited,
   * already_member, already_invited, invalid, limited by the daily invitation limit).
   */
  inviteMany(
    this: void,
    input: InAccount & PermissionsOrPreset<K> & { emails: readonly string[] | string; accessUntil?: Date | string | null; locale?: string },
  ): Promise<{ results: BulkInviteResult[] }>;
  /**
   * Compares a roster (CSV of `email,permissions`; docs/api.md) with the account: `apply: false`
   * (default) is a dry run giving exactly what applying would do; `apply: true` makes the account
   * match it in one transaction, recorded as one `roster.reconciled` activity entry. Both answer a
   * `digest`; given back with the apply, the apply is refused (409 ConflictError on `digest`) if
   * the changes it would make now differ from the dry run's.
   */
  reconcileRoster(this: void, input: InAccount & { csv: string; apply?: boolean; locale?: string; digest?: string }): Promise<ReconcileResult>;
  /** The account's members as a CSV or JSON stream, read from the database a page at a time. */
  exportMembers(this: void, input: InAccount & { format: ExportFormat }): Promise<Readable>;
  /** The account's activity log, newest first, as a CSV or JSON stream. */
  exportActivity(this: void, input: InAccount & { format: ExportFormat }): Promise<Readable>;
  /** Emails a pending or expired invitation again with a new link; starts a declined one over. */
  resendInvitation(this: void, input: InAccount & { invitationId: number }): Promise<InviteResult>;
  cancelInvitation(this: void, input: InAccount & { invitationId: number }): Promise<{ invitation: InvitationView }>;
  /** `q`: part of a name or address; `permission`: only those holding it (the owner holds all). */
  listMembers(this: void, input: InAccount & PageCursor & ListFilter): Promise<ListPage<MemberView>>;
  /** `status`: which invitations (default `'all'`; the users page shows `'pending'` unless asked). */
  listInvitations(
    this: void,
    input: InAccount & PageCursor & ListFilter & { status?: InvitationListState },
  ): Promise<ListPage<InvitationView & { inviterName: string | null }>>;
  getMember(this: void, input: InAccount & { userId: number }): Promise<{ member: MemberView }>;
  /** `accessUntil`: a future date sets or extends when the member's access ends, null clears it, absent leaves it. */
  setPermissions(this: void, input: InAccount & Grant<K> & { userId: number; accessUntil?: Date | string | null }): Promise<{ member: MemberView }>;
  removeMember(this: void, input: InAccount & { userId: number }): Promise<{ member: MemberView }>;
  /**
   * Suspends a member: refused at once everywhere in the account (guard, can, au.api, switcher), their
   * permissions and end date kept. `reason` (optional, up to 500 characters) is emailed to them.
   */
  suspendMember(this: void, input: InAccount & { userId: number; reason?: string | null }): Promise<{ member: MemberView }>;
  /** Lifts a suspension: the member holds again exactly what they held. They are emailed. */
  reinstateMember(this: void, input: InAccount & { userId: number }): Promise<{ member: MemberView }>;
  /**
   * Brings back a member removed within `limits.restoreWindowMs` (default 90 days) with exactly what the
   * removal took (permissions, end date, a suspension), while their login exists. They are emailed.
   */
  restoreMember(this: void, input: InAccount & { userId: number }): Promise<{ member: MemberView }>;
  /** Members removed within the restore window, newest first (at most 50). */
  listRemovedMembers(this: void, input: InAccount): Promise<{ items: RemovedMemberView[] }>;
  listActivity(this: void, input: InAccount & PageCursor): Promise<ListPage<ActivityItem>>;
  /** The user's memberships: account, isOwner and effective permissions. */
  accountsOf(this: void, input: { userId: number }): Promise<AccountMembership[]>;
  /** The login with this address (trimmed and lower-cased first), or null; `emailVerified` says whether something proved the address. */
  findUserByEmail(this: void, input: { email: string }): Promise<(AccountUser & { emailVerified: boolean }) | null>;
  /** requirePermission's rule: does the user hold every key in the account (an owner holds all)? */
  can(this: void, who: { userId: number; accountId: number }, ...keys: [K, ...K[]]): Promise<boolean>;
  /** Pending, unexpired invitations addressed to the user's email. An unverified address: EmailUnverifiedError (403), as for the two below. */
  invitationsFor(this: void, input: { userId: number }): Promise<WaitingInvitation[]>;
  acceptInvitation(this: void, input: { userId: number; invitationId: number }): Promise<{ membership: AccountMembership }>;
  declineInvitation(
    this: void,
    input: { userId: number; invitationId: number },
  ): Promise<{ invitation: InvitationView; account: { id: number; name: string } }>;
  /** `owner.emailVerified: true`: the host's sign-up proved the address. The owner comes back with `emailVerified`. */
  createAccount(this: void, input: CreateAccountInput): Promise<{ account: AccountMembership['account']; owner: AccountUser & { emailVerified: boolean } }>;
  /**
   * The host says the user's address is proved (its own check, an SSO). `{ system }` actors only: a
   * user actor is refused (ForbiddenError). NotFoundError when a `users` store has no setEmailVerified.
   */
  markEmailVerified(this: void, input: { actor: Actor; userId: number }): Promise<{ user: AccountUser & { emailVerified: boolean } }>;
  /** The owner offers the account to a current member (emailed a link, valid 7 days); one pending offer per account. Owner or system only. */
  offerOwnership(this: void, input: InAccount & { toUserId: number }): Promise<{ transfer: TransferView }>;
  /**
   * The member the offer was made to accepts, with the link's `token` or the offer's `transferId`
   * (the id their accounts page lists): they become the owner, the previous owner stays with every permission.
   */
  acceptOwnership(this: void, input: { userId: number } & OfferRef): Promise<{ account: AccountMembership['account'] }>;
  /** The member the offer was made to declines it (`token` or `transferId`): the owner stays; recorded as 'ownership.declined'. */
  declineOwnershipOffer(this: void, input: { userId: number } & OfferRef): Promise<{ transfer: TransferView; account: { id: number; name: string } }>;
  /** The owner withdraws the pending offer. */
  cancelOwnershipOffer(this: void, input: InAccount): Promise<{ transfer: TransferView }>;
  /**
   * The login's second factor: `{ enabled, methods, passkeys, recoveryCodesLeft, pending, enabledAt }`
   * (`methods`: any of `'totp'`, `'passkey'`).
   */
  twoFactorStatus(this: void, input: { userId: number }): Promise<TwoFactorStatus>;
  /** The login's passkeys (name, added, last used, synced; never a key), oldest first: for staff helping someone. */
  listPasskeys(this: void, input: { userId: number }): Promise<PasskeyView[]>;
  /**
   * The owner (not a delegate) or a system actor requires a second factor of everyone in the account, with
   * `graceDays` (0–90, default 0) before members without one are refused; `required: false` lifts it. An
   * owner acting as a user must have a factor first (ConflictError). Members without one are emailed.
   */
  setAccountTwoFactorRule(this: void, input: InAccount & { required: boolean; graceDays?: number }): Promise<{ rule: AccountTwoFactorRule }>;
  /** The account's rule: `{ required, graceUntil }`. */
  accountTwoFactorRule(this: void, input: { accountId: number }): Promise<AccountTwoFactorRule>;
  /**
   * Staff turn off a login's second factor (a lost device and lost codes) after checking who asks by
   * their own means. `{ system }` actors only; `reason` is kept in the user's activity. `reset: false`: it had none.
   */
  resetTwoFactor(this: void, input: { actor: Actor; userId: number; reason: string }): Promise<{ reset: boolean }>;
  /** The login's remembered browsers that have not ended (`twoFactor.rememberDeviceDays`), newest first. */
  rememberedDevices(this: void, input: { userId: number }): Promise<RememberedDevice[]>;
  /**
   * Forgets one remembered browser of the login (`deviceId`; another login's id is NotFoundError) or,
   * without it, all of them: their next sign-in asks for a code. Recorded as 'user.devices_forgotten'.
   */
  forgetRememberedDevices(this: void, input: { userId: number; deviceId?: number }): Promise<{ forgotten: number }>;
  /**
   * Queues the reminder before an account's grace ends for every member now due one
   * (`twoFactor.reminderDaysBefore`), once per member and rule even when several processes call it;
   * the outbox worker runs it on its tick too. `queued`: how many this call queued.
   */
  sendTwoFactorReminders(this: void): Promise<{ queued: number }>;
  /** Every account by id, `limit` (default 100, at most 1000) after `after`, for staff tools. `{ system }` actors only (ForbiddenError). */
  listAccounts(this: void, input: { actor: Actor; after?: number; limit?: number }): Promise<StaffPage<AccountListRow>>;
  /**
   * The kit's logins whose address or name contains `query` (case ignored), by id, paged as listAccounts.
   * `{ system }` actors only; NotFoundError with a host `users` store (search your own table).
   */
  searchUsers(this: void, input: { actor: Actor; query: string; after?: number; limit?: number }): Promise<StaffPage<UserListRow>>;
}

/** Which ownership offer: the email link's token, or the offer's id. */
export type OfferRef = { token: string; transferId?: never } | { transferId: number; token?: never };

/** Binds the services to one kit. Each function is the service itself: no rule lives here. */
export function createApi(kit: Kit): AccountUsersApi {
  return {
    invite: (input) => invite(kit, input),
    inviteMany: (input) => inviteMany(kit, input),
    reconcileRoster: (input) => reconcileRoster(kit, input),
    exportMembers: (input) => exportMembers(kit, input),
    exportActivity: (input) => exportActivity(kit, input),
    resendInvitation: (input) => resendInvitation(kit, input),
    cancelInvitation: (input) => cancelInvitation(kit, input),
    listMembers: (input) => listMembers(kit, input),
    listInvitations: (input) => listInvitations(kit, input),
    getMember: (input) => getMember(kit, input),
    setPermissions: (input) => setPermissions(kit, input),
    removeMember: (input) => removeMember(kit, input),
    suspendMember: (input) => suspendMember(kit, input),
    reinstateMember: (input) => reinstateMember(kit, input),
    restoreMember: (input) => restoreMember(kit, input),
    listRemovedMembers: (input) => listRemovedMembers(kit, input),
    listActivity: (input) => listActivity(kit, input),
    accountsOf: (input) => accountsOf(kit, input),
    findUserByEmail: (input) => findUserByEmail(kit, input),
    can: (who, ...keys) => can(kit, who, keys),
    invitationsFor: (input) => invitationsFor(kit, input),
    acceptInvitation: (input) => acceptInvitation(kit, input),
    declineInvitation: (input) => declineInvitation(kit, input),
    createAccount: (input) => createAccount(kit, input),
    markEmailVerified: (input) => markEmailVerified(kit, input),
    offerOwnership: (input) => offerOwnership(kit, input),
    acceptOwnership: (input) => acceptOwnership(kit, input),
    declineOwnershipOffer: (input) => declineOwnershipOffer(kit, input),
    cancelOwnershipOffer: (input) => cancelOwnershipOffer(kit, input),
    twoFactorStatus: (input) => twoFactorStatus(kit, input),
    listPasskeys: (input) => listPasskeys(kit, input),
    setAccountTwoFactorRule: (input) => setAccountTwoFactorRule(kit, input),
    accountTwoFactorRule: (input) => accountTwoFactorRule(kit, input),
    resetTwoFactor: (input) => resetTwoFactor(kit, input),
    rememberedDevices: (input) => rememberedDevices(kit, input),
    forgetRememberedDevices: (input) => forgetRememberedDevices(kit, input),
    sendTwoFactorReminders: () => sendTwoFactorReminders(kit),
    listAccounts: (input) => listAccounts(kit, input),
    searchUsers: (input) => searchUsers(kit, input),
  };
}
