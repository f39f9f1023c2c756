import { z } from 'zod';
import { actorFields, requireManager, type Acting, type Kit } from '../context.js';
import { assertMayGrant, assertMayManageInvitation, boundedUntil, cappedUntil, delegateAtWrite } from '../members/delegation.js';
import { actingIn, idSchema, type ActingInput } from '../acting.js';
import type { DeliveryResult } from '../context.js';
import type { InvitationRow, InvitationSummary } from '../../store/invitations/invitations.js';
import type { DeliveryRow } from '../../store/outbox.js';
import { deliveryProblemKey, type DeliveryProblem } from '../../delivery-problem.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import { isUniqueViolation } from '../../store/db.js';
import { ConflictError, InvalidInputError, NotFoundError, TooManyRequestsError } from '../../errors.js';
import { accessUntilSchema, allPermissionsSchema, emailSchema, localeSchema, parseInput, permissionsSchema } from '../input.js';
import { ALL_PERMISSIONS } from '../../permissions.js';
import { hashToken, newInvitationToken } from '../tokens.js';
import { emit, record } from '../activity.js';
import type { AccountUser } from '../user-store.js';
import { writeTransaction } from '../../store/transactions.js';
import { withPreset, withPresetAll } from '../presets.js';
import type { Knex } from 'knex';

const DAY = 24 * 60 * 60 * 1000;

export type InvitationDisplayStatus = 'pending' | 'expired' | 'accepted' | 'cancelled' | 'declined';
export type DeliveryStatus = 'queued' | 'sent' | 'failing' | 'not delivered';

export interface InvitationView {
  id: number;
  email: string;
  /** Effective keys: with `allPermissions`, every key of the catalogue as it is now. */
  permissions: string[];
  /** "All permissions": the membership it makes also holds every permission the host adds later. */
  allPermissions: boolean;
  status: InvitationDisplayStatus;
  /** The inviting user's id; null when the host's staff or a job invited (see invitedBySystem). */
  invitedBy: number | null;
  /** The `system` name given to au.api when no user invited; null otherwise. */
  invitedBySystem: string | null;
  /** When the access the invitation grants ends (null: no end); the membership carries it. */
  accessUntil: Date | null;
  createdAt: Date;
  sentAt: Date | null;
  expiresAt: Date;
  /** `problem`: why the last attempt failed, as a code and in words; never the mail server's own error. */
  delivery: { status: DeliveryStatus; attempts: number; problem: { code: DeliveryProblem; message: string } | null; nextAttemptAt: Date | null } | null;
}

export function invitationIsExpired(invitation: Pick<InvitationRow, 'status' | 'expiresAt'>, now: Date): boolean {
  return invitation.status === 'pending' && invitation.expiresAt.getTime() <= now.getTime();
}

function deliveryOf(kit: Kit, row: DeliveryRow | undefined): InvitationView['delivery'] {
  if (!row || row.status === 'cancelled') return null;
  const status: DeliveryStatus = row.status === 'sent' ? 'sent' : row.status === 'failed' ? 'not delivered' : row.attempts > 0 ? 'failing' : 'queued';
  const problem = row.status === 'sent' || !row.problem ? null : { code: row.problem, message: kit.locales.english.message(deliveryProblemKey(row.problem)) };
  return { status, attempts: row.attempts, problem, nextAttemptAt: row.status === 'queued' ? row.nextAttemptAt : null };
}

export function toInvitationView(kit: Kit, row: InvitationSummary, outbox: DeliveryRow | undefined): InvitationView {
  return {
    id: row.id,
    email: row.email,
    permissions: kit.catalogue.normalise(row.permissions),
    allPermissions: kit.catalogue.coversAll(row.permissions),
    status: invitationIsExpired(row, kit.now()) ? 'expired' : row.status,
    invitedBy: row.invitedBy > 0 ? row.invitedBy : null,
    invitedBySystem: row.invitedBySystem,
    accessUntil: row.accessUntil,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    expiresAt: row.expiresAt,
    delivery: deliveryOf(kit, outbox),
  };
}

/** What an invitation or a resend did, and what became of its email. */
export interface InviteResult {
  invitation: InvitationView;
  /** With `send: false` only: the accept link, returned this once (the database holds only its hash). */
  link?: string;
  /**
   * 'sent' for a new invitation, 'resent' when an earlier pending one was re-armed; within the
   * resend cooldown, 'updated' when the pending one now grants other permissions (or another end of
   * access) and 'unchanged' when it already granted these: neither sends another email.
   */
  outcome: 'sent' | 'resent' | 'updated' | 'unchanged';
  /** The email's first attempt, made right after commit ('failed' leaves it queued for retries); 'not sent' with `send: false`. */
  delivery: DeliveryResult | 'unchanged' | 'not sent';
}

/** Counted in the caller's transaction, under the account's lock: concurrent invitations cannot all see room for one more. */
async function enforceDailyLimit(kit: Kit, trx: Knex.Transaction, accountId: number, now: Date): Promise<void> {
  const limit = kit.options.limits.invitationsPerDay;
  const { count, oldest } = await kit.store.outbox.countForAccountSince(trx, accountId, new Date(now.getTime() - DAY));
  if (count >= limit) {
    const retryAfter = Math.max(1, Math.ceil(((oldest?.getTime() ?? now.getTime()) + DAY - now.getTime()) / 1000));
    throw new TooManyRequestsError('error.invitationsPerDay', retryAfter, { limit });
  }
}

/** Is the address already a user of the account? Read in the transaction, under the account's lock. */
export async function isMember(kit: Kit, trx: Knex.Transaction, accountId: number, email: string, hostUser: AccountUser | undefined): Promise<boolean> {
  // The kit's own users are joined in; a host's user store reads through its own connection, so
  // its answer was fetched before the transaction (SQLite's one connection would wait for itself).
  if (!kit.options.users) return kit.store.memberships.existsForEmail(trx, accountId, email);
  return Boolean(hostUser && (await kit.store.memberships.exists(trx, accountId, hostUser.id)));
}

// `all`: "All permissions" was asked for, so no box need be ticked besides.
const inviteSchema = (kit: Kit, all: boolean) =>
  z.object({
    email: emailSchema,
    permissions: permissionsSchema(kit.catalogue, { allowEmpty: all }),
    allPermissions: allPermissionsSchema,
    accessUntil: accessUntilSchema(kit.now()),
    send: z.boolean({ error: 'must be true or false' }).default(true),
    locale: localeSchema(kit),
  });

/** The inviter columns: a user's id, or 0 and the system actor's name. */
const inviterOf = (actor: Acting) => ({ invitedBy: actor.userId ?? 0, invitedBySystem: actor.system });

/**
 * Mints the link of an invitation the host delivers itself: the token is returned, its hash stored.
 * Handed to a `{ system }` actor it is the host's word and proves the address like the kit's email;
 * handed to an inviting user it proves nothing (they typed the address and now hold the link), so
 * registering or accepting through it leaves the login unverified.
 */
async function issueLink(kit: Kit, trx: Knex.Transaction, actor: Acting, id: number, expiresAt: Date, now: Date): Promise<string> {
  // Any email still queued for it would replace this link with its own when sent.
  await kit.store.outbox.cancelForInvitation(trx, id);
  const token = newInvitationToken();
  if (!(await kit.store.invitations.setToken(trx, id, hashToken(token), expiresAt, now, actor.userId === null))) {
    throw new ConflictError('error.invitationChangedMaking');
  }
  return actor.linkPrefix + token;
}

export async function deliverNow(kit: Kit, outboxId: number | null): Promise<DeliveryResult | 'unchanged'> {
  return outboxId === null ? 'unchanged' : kit.deliver(outboxId);
}

/** An invitation about to be made or re-armed, its fields already parsed and bounded by the caller. */
export interface NewInvitation {
  email: string;
  /** As stored: ALL_PERMISSIONS for "All permissions" (PermissionCatalogue.toStored). */
  permissions: string[];
  accessUntil: Date | null;
  locale: string;
  /** Queue the email (under the daily limit); false: no email, the link is minted and returned instead. */
  send: boolean;
}

export interface MadeInvitation {
  id: number;
  /** The queued email, to be sent after commit; null with `send: false`. */
  outboxId: number | null;
  /** With `send: false` only: the accept link, this once. */
  link?: string;
}

/**
 * Inserts a pending invitation and queues its email, or mints its link. The caller holds the
 * account's lock and has checked the address (isMember, findPending): the daily limit counted here
 * then sees every invitation committed before, and the ones this transaction queued already.
 * Shared by invite, inviteMany and reconcileRoster, so the limit is decided one way.
 */
export async function insertInvitation(kit: Kit, trx: Knex.Transaction, actor: Acting, wanted: NewInvitation, now: Date): Promise<MadeInvitation> {
  if (wanted.send) await enforceDailyLimit(kit, trx, actor.accountId, now);
  const expiresAt = new Date(now.getTime() + kit.options.invitationTtl);
  const id = await kit.store.invitations.insert(trx, {
    accountId: actor.accountId,
    email: wanted.email,
    permissions: wanted.permissions,
    accessUntil: wanted.accessUntil,
    locale: wanted.locale,
    ...inviterOf(actor),
    expiresAt,
    now,
  });
  return { id, ...(await mailOrLink(kit, trx, actor, id, wanted, expiresAt, now, false)) };
}

/** Re-arms a pending invitation with what `wanted` grants: a new link, a new expiry, its email queued again (under the daily limit). */
export async function rearmInvitation(kit: Kit, trx: Knex.Transaction, actor: Acting, id: number, wanted: NewInvitation, now: Date): Promise<MadeInvitation> {
  if (wanted.send) await enforceDailyLimit(kit, trx, actor.accountId, now);
  const expiresAt = new Date(now.getTime() + kit.options.invitationTtl);
  const { permissions, accessUntil, locale } = wanted;
  if (!(await kit.store.invitations.rearm(trx, id, { permissions, accessUntil, locale, ...inviterOf(actor), expiresAt, now }))) {
    throw new ConflictError('error.invitationChangedSending');
  }
  return { id, ...(await mailOrLink(kit, trx, actor, id, wanted, expiresAt, now, true)) };
}

async function mailOrLink(
  kit: Kit,
  trx: Knex.Transaction,
  actor: Acting,
  id: number,
  wanted: NewInvitation,
  expiresAt: Date,
  now: Date,
  replaces: boolean,
): Promise<Omit<MadeInvitation, 'id'>> {
  if (!wanted.send) return { outboxId: null, link: await issueLink(kit, trx, actor, id, expiresAt, now) };
  return { outboxId: await kit.store.outbox.enqueue(trx, { invitationId: id, recipient: wanted.email, linkPrefix: actor.linkPrefix, now, replaces }) };
}

/** The activity entry of an invitation made or re-armed. */
export function invitationEntry(actor: Acting, wanted: NewInvitation, id: number, action: 'invitation.sent' | 'invitation.resent'): ActivityEntry {
  return {
    accountId: actor.accountId,
    ...actorFields(actor),
    subjectEmail: wanted.email,
    action,
    details: {
      invitationId: id,
      permissions: wanted.permissions.filter((k) => k !== ALL_PERMISSIONS),
      ...(wanted.permissions.includes(ALL_PERMISSIONS) ? { allPermissions: true } : {}),
      ...(wanted.accessUntil ? { accessUntil: wanted.accessUntil.toISOString() } : {}),
      ...(wanted.send ? {} : { emailed: false }),
    },
  };
}

const sameMoment = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * A re-invite within the resend cooldown: the pending invitation takes the new permissions and end
 * of access, its email and link stay as they are (the accept page and the email not yet sent show
 * the new grant). Runs in invite()'s transaction, under the account's lock.
 */
async function updateWithinCooldown(
  kit: Kit,
  trx: Knex.Transaction,
  actor: Acting,
  pending: InvitationRow,
  change: { permissions: string[]; accessUntil: Date | null; now: Date },
): Promise<{ result: Omit<InviteResult, 'delivery'>; outboxId: null; entry: ActivityEntry | null }> {
  const from = kit.catalogue.normalise(pending.permissions);
  // Compared as stored: "All permissions" and every key ticked one by one are not the same grant.
  const samePermissions = pending.permissions.join(' ') === change.permissions.join(' ');
  const sameUntil = sameMoment(pending.accessUntil, change.accessUntil);
  if (samePermissions && sameUntil) {
    return { result: { invitation: toInvitationView(kit, pending, undefined), outcome: 'unchanged' }, outboxId: null, entry: null };
  }
  if (!(await kit.store.invitations.updateGrant(trx, pending.id, change))) throw new ConflictError('error.invitationChangedSending');
  const entry: ActivityEntry = {
    accountId: actor.accountId,
    ...actorFields(actor),
    subjectEmail: pending.email,
    action: 'invitation.updated',
    details: {
      invitationId: pending.id,
      from,
      to: kit.catalogue.normalise(change.permissions),
      ...(sameUntil ? {} : { accessUntilFrom: pending.accessUntil?.toISOString() ?? null, accessUntil: change.accessUntil?.toISOString() ?? null }),
    },
  };
  await record(kit, trx, entry);
  const row = (await kit.store.invitations.findById(trx, pending.id))!;
  return { result: { invitation: toInvitationView(kit, row, undefined), outcome: 'updated' }, outboxId: null, entry };
}

export interface InviteInput extends ActingInput {
  email?: unknown;
  permissions?: unknown;
  /** When the invitee's access will end: a future Date or ISO string; null or absent for no end. */
  accessUntil?: unknown;
  /** A preset's key (the `presets` option): its permissions are added to `permissions`. */
  preset?: unknown;
  /**
   * "All permissions": every permission of the catalogue, also those the host adds later (but
   * `manageusers`, granted only by name). `permissions` may then be empty. Only the owner, a system
   * actor, or a delegate who holds it themselves may grant it.
   */
  allPermissions?: unknown;
  send?: unknown;
  /**
   * The language of the invitation email and its resends: a tag of the kit's languages (`'de'`).
   * Default: the request's language (pages, JSON), else the `locale` option's tag, else `'en'`.
   */
  locale?: unknown;
}

/**
 * Invites an email address. Inviting an address that already has a pending invitation
 * re-sends that one with the new permissions instead of creating a second (within the resend
 * cooldown: gives it the new permissions without another email). "Already a member",
 * the daily limit and the resend cooldown are decided inside the writing transaction, with the
 * account's row locked, so simultaneous invitations (and an accept racing one) are decided one at a time.
 * With `send: false` no email is queued (so neither the daily email limit nor the cooldown applies)
 * and the link is returned instead.
 */
export async function invite(kit: Kit, input: InviteInput): Promise<InviteResult> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const askedAll = withPresetAll(kit, input.allPermissions, input.preset);
  const parsed = parseInput(inviteSchema(kit, allPermissionsSchema.safeParse(askedAll).data === true), {
    email: input.email,
    permissions: withPreset(kit, input.permissions, input.preset),
    allPermissions: askedAll,
    accessUntil: input.accessUntil,
    send: input.send,
    locale: input.locale,
  });
  const { email, send } = parsed;
  const all = parsed.allPermissions;
  // As stored: "All permissions" is kept as such, so permissions the host adds later are covered.
  const permissions = kit.catalogue.toStored(parsed.permissions, all);
  // The sender's language, kept with the invitation: its email and every resend are written in it.
  const locale = parsed.locale ?? actor.locale ?? kit.defaultLocale;
  const asked = parsed.accessUntil ?? null;
  assertMayGrant(kit, actor, parsed.permissions, all);
  const hostUser = kit.options.users ? await kit.users.findByEmail(email) : undefined;

  type Attempt = { result: Omit<InviteResult, 'delivery'>; outboxId: number | null; entry: ActivityEntry | null };
  const attempt = async (): Promise<Attempt> =>
    writeTransaction(kit, async (trx) => {
      const now = kit.now();
      await kit.store.accounts.lockForWrite(trx, actor.accountId);
      // The delegate as they are now; a time-limited one invites for no longer than their own access.
      const { actor: current, until: ownUntil } = await delegateAtWrite(kit, trx, actor, now);
      assertMayGrant(kit, current, parsed.permissions, all);
      const accessUntil = boundedUntil(ownUntil, asked) ?? null;
      if (await isMember(kit, trx, actor.accountId, email, hostUser)) {
        throw InvalidInputError.field('email', 'field.alreadyMember', { email });
      }
      const wanted: NewInvitation = { email, permissions, accessUntil, locale, send };
      const pending = await kit.store.invitations.findPending(trx, actor.accountId, email);
      let made: MadeInvitation;
      let outcome: InviteResult['outcome'];
      if (pending) {
        // Re-inviting replaces what the pending invitation grants: a delegate may not undo an owner's grant they could not make.
        assertMayManageInvitation(kit, current, { permissions: kit.catalogue.normalise(pending.permissions) });
        // Within the cooldown the earlier email is still fresh: keep it, only update what it grants
        // (a forgotten checkbox is fixed without a cancel and a second email).
        if (send && now.getTime() - pending.updatedAt.getTime() < kit.options.limits.resendCooldownMs) {
          return updateWithinCooldown(kit, trx, actor, pending, { permissions, accessUntil, now });
        }
        made = await rearmInvitation(kit, trx, actor, pending.id, wanted, now);
        outcome = 'resent';
      } else {
        made = await insertInvitation(kit, trx, actor, wanted, now);
        outcome = 'sent';
      }
      const entry = invitationEntry(actor, wanted, made.id, outcome === 'sent' ? 'invitation.sent' : 'invitation.resent');
      await record(kit, trx, entry);
      const row = (await kit.store.invitations.findById(trx, made.id))!;
      return {
        result: { invitation: toInvitationView(kit, row, undefined), outcome, ...(made.link ? { link: made.link } : {}) },
        outboxId: made.outboxId,
        entry,
      };
    });

  let done: Attempt;
  try {
    done = await attempt();
  } catch (err) {
    // Two invites of one address at once: the loser's insert hits the unique (account, pending email)
    // index; run again and it finds the winner's invitation.
    if (!isUniqueViolation(err)) throw err;
    done = await attempt();
  }
  if (done.entry) emit(kit, done.entry);
  const delivery = send ? await deliverNow(kit, done.outboxId) : 'not sent';
  return { ...done.result, delivery };
}

export interface InvitationInput extends ActingInput {
  invitationId?: unknown;
}

const invitationIdOf = (input: InvitationInput) => parseInput(z.object({ invitationId: idSchema }), { invitationId: input.invitationId }).invitationId;

/**
 * Emails a pending (or expired) invitation again with a new link, or starts a declined one over.
 * Status, cooldown and daily limit are read in the transaction that re-arms, under the account's
 * lock: of 30 simultaneous resends one sends.
 */
export async function resendInvitation(kit: Kit, input: InvitationInput): Promise<InviteResult> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const invitationId = invitationIdOf(input);
  const { outboxId, entry } = await writeTransaction(kit, async (trx) => {
    const now = kit.now();
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const { actor: current, until: ownUntil } = await delegateAtWrite(kit, trx, actor, now);
    const row = await kit.store.invitations.findInAccount(trx, actor.accountId, invitationId);
    if (!row) throw new NotFoundError('error.noSuchInvitation');
    assertMayManageInvitation(kit, current, { permissions: kit.catalogue.normalise(row.permissions) });
    // An "All permissions" invitation re-armed is granted again: only by someone who may grant it.
    assertMayGrant(kit, current, [], row.permissions.includes(ALL_PERMISSIONS));
    // Sent again by a time-limited delegate, it grants no longer than their own access.
    const until = cappedUntil(ownUntil, row.accessUntil);
    const cut = (until?.getTime() ?? null) !== (row.accessUntil?.getTime() ?? null) ? { accessUntil: until } : {};
    if (row.status === 'accepted') throw new ConflictError('error.invitationAlreadyAccepted', { email: row.email });
    if (row.status === 'cancelled') throw new ConflictError('error.invitationWasCancelled', { email: row.email });
    const waited = now.getTime() - row.updatedAt.getTime();
    const cooldown = kit.options.limits.resendCooldownMs;
    if (row.status === 'pending' && waited < cooldown) {
      throw new TooManyRequestsError('error.invitationJustSent', Math.ceil((cooldown - waited) / 1000), { email: row.email });
    }
    await enforceDailyLimit(kit, trx, actor.accountId, now);
    const e: ActivityEntry = {
      accountId: actor.accountId,
      ...actorFields(actor),
      subjectEmail: row.email,
      action: 'invitation.resent',
      details: { invitationId, ...(cut.accessUntil ? { accessUntil: cut.accessUntil.toISOString() } : {}) },
    };
    const expiresAt = new Date(now.getTime() + kit.options.invitationTtl);
    if (row.status === 'declined') {
      try {
        if (!(await kit.store.invitations.reopen(trx, invitationId, { ...inviterOf(actor), ...cut, expiresAt, now }))) {
          throw new ConflictError('error.invitationNotDeclined', { email: row.email });
        }
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('error.newerInvitation', { email: row.email });
        throw err;
      }
    } else if (!(await kit.store.invitations.rearm(trx, invitationId, { ...inviterOf(actor), ...cut, expiresAt, now }))) {
      throw new ConflictError('error.invitationNotPending', { email: row.email });
    }
    const id = await kit.store.outbox.enqueue(trx, { invitationId, recipient: row.email, linkPrefix: actor.linkPrefix, now, replaces: true });
    await record(kit, trx, e);
    return { outboxId: id, entry: e };
  });
  emit(kit, entry);
  const delivery = await deliverNow(kit, outboxId);
  const fresh = (await kit.store.invitations.findById(kit.knex, invitationId))!;
  return { invitation: toInvitationView(kit, fresh, undefined), outcome: 'resent', delivery };
}

/**
 * One invitation of the actor's account, for the page that asks "Cancel the invitation to …?":
 * only one the actor may cancel (a delegate: one granting what they hold), and only while pending.
 */
export async function getInvitation(kit: Kit, input: InvitationInput): Promise<{ invitation: InvitationView }> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const row = await kit.store.invitations.findInAccount(kit.knex, actor.accountId, invitationIdOf(input));
  if (!row) throw new NotFoundError('error.noSuchInvitation');
  assertMayManageInvitation(kit, actor, { permissions: kit.catalogue.normalise(row.permissions) });
  // As cancelInvitation: an expired invitation is still pending in the table, and may be cancelled.
  if (row.status !== 'pending') throw new ConflictError('error.invitationNotPending', { email: row.email });
  return { invitation: toInvitationView(kit, row, undefined) };
}

export async function cancelInvitation(kit: Kit, input: InvitationInput): Promise<{ invitation: InvitationView }> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const invitationId = invitationIdOf(input);
  const row = await kit.store.invitations.findInAccount(kit.knex, actor.accountId, invitationId);
  if (!row) throw new NotFoundError('error.noSuchInvitation');
  assertMayManageInvitation(kit, actor, { permissions: kit.catalogue.normalise(row.permissions) });
  if (row.status !== 'pending') throw new ConflictError('error.invitationNotPending', { email: row.email });
  const entry: ActivityEntry = {
    accountId: actor.accountId,
    ...actorFields(actor),
    subjectEmail: row.email,
    action: 'invitation.cancelled',
    details: { invitationId },
  };
  await writeTransaction(kit, async (trx) => {
    if (!(await kit.store.invitations.markCancelled(trx, invitationId, kit.now()))) {
      throw new ConflictError('error.invitationNotPending', { email: row.email });
    }
    await kit.store.outbox.cancelForInvitation(trx, invitationId);
    await record(kit, trx, entry);
  });
  emit(kit, entry);
  return { invitation: toInvitationView(kit, (await kit.store.invitations.findById(kit.knex, invitationId))!, undefined) };
}
