import { z } from 'zod';
import { requireOwner, type Actor, type Kit } from './context.js';
import type { InvitationRow, InvitationSummary } from '../store/invitations.js';
import type { DeliveryRow } from '../store/outbox.js';
import { deliveryProblemText, type DeliveryProblem } from '../mail/delivery-problem.js';
import type { ActivityEntry } from '../store/activity.js';
import { isUniqueViolation } from '../store/db.js';
import { ConflictError, EmailMismatchError, InvalidInputError, InvitationGoneError, NotFoundError, TooManyRequestsError } from '../errors.js';
import { emailSchema, nameSchema, normaliseEmail, parseInput, passwordSchema, permissionsSchema } from './input.js';
import { hashToken, looksLikeInvitationToken } from './tokens.js';
import { emit, record } from './activity.js';
import { toMembership, type AccountMembership } from './accounts.js';
import { prepareNewUser, type AccountUser } from './user-store.js';
import { writeTransaction } from './transactions.js';
import type { Knex } from 'knex';

const DAY = 24 * 60 * 60 * 1000;

export type InvitationDisplayStatus = 'pending' | 'expired' | 'accepted' | 'cancelled';
export type DeliveryStatus = 'queued' | 'sent' | 'failing' | 'not delivered';

export interface InvitationView {
  id: number;
  email: string;
  permissions: string[];
  status: InvitationDisplayStatus;
  invitedBy: number;
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
  const problem = row.status === 'sent' || !row.problem ? null : { code: row.problem, message: deliveryProblemText(row.problem, kit.options.messages) };
  return { status, attempts: row.attempts, problem, nextAttemptAt: row.status === 'queued' ? row.nextAttemptAt : null };
}

export function toInvitationView(kit: Kit, row: InvitationSummary, outbox: DeliveryRow | undefined): InvitationView {
  return {
    id: row.id,
    email: row.email,
    permissions: kit.catalogue.normalise(row.permissions),
    status: invitationIsExpired(row, kit.now()) ? 'expired' : row.status,
    invitedBy: row.invitedBy,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    expiresAt: row.expiresAt,
    delivery: deliveryOf(kit, outbox),
  };
}

/** What the caller should deliver once the transaction has committed. */
export interface Queued {
  invitation: InvitationView;
  outboxId: number | null;
  /** 'sent' for a new invitation, 'resent' when an earlier pending one was re-armed, 'unchanged' within the cooldown. */
  outcome: 'sent' | 'resent' | 'unchanged';
}

/** Counted in the caller's transaction, under the account's lock: concurrent invitations cannot all see room for one more. */
async function enforceDailyLimit(kit: Kit, trx: Knex.Transaction, accountId: number, now: Date): Promise<void> {
  const limit = kit.options.limits.invitationsPerDay;
  const { count, oldest } = await kit.store.outbox.countForAccountSince(trx, accountId, new Date(now.getTime() - DAY));
  if (count >= limit) {
    const retryAfter = Math.max(1, Math.ceil(((oldest?.getTime() ?? now.getTime()) + DAY - now.getTime()) / 1000));
    throw new TooManyRequestsError(`This account has sent ${limit} invitations in the last 24 hours, the most allowed.`, retryAfter);
  }
}

/** Is the address already a user of the account? Read in the transaction, under the account's lock. */
async function isMember(kit: Kit, trx: Knex.Transaction, accountId: number, email: string, hostUser: AccountUser | undefined): Promise<boolean> {
  // The kit's own users are joined in; a host's user store reads through its own connection, so
  // its answer was fetched before the transaction (SQLite's one connection would wait for itself).
  if (!kit.options.users) return kit.store.memberships.existsForEmail(trx, accountId, email);
  return Boolean(hostUser && (await kit.store.memberships.exists(trx, accountId, hostUser.id)));
}

const inviteSchema = (kit: Kit) => z.object({ email: emailSchema, permissions: permissionsSchema(kit.catalogue, { allowEmpty: false }) });

/**
 * Invites an email address. Inviting an address that already has a pending invitation
 * re-sends that one with the new permissions instead of creating a second. "Already a member",
 * the daily limit and the resend cooldown are decided inside the writing transaction, with the
 * account's row locked, so simultaneous invitations (and an accept racing one) are decided one at a time.
 */
export async function invite(kit: Kit, actor: Actor, input: { email?: unknown; permissions?: unknown }, linkPrefix: string): Promise<Queued> {
  requireOwner(actor);
  const { email, permissions } = parseInput(inviteSchema(kit), input);
  const hostUser = kit.options.users ? await kit.users.findByEmail(email) : undefined;

  const attempt = async (): Promise<{ queued: Queued; entry: ActivityEntry | null }> =>
    writeTransaction(kit, async (trx) => {
      const now = kit.now();
      await kit.store.accounts.lockForWrite(trx, actor.accountId);
      if (await isMember(kit, trx, actor.accountId, email, hostUser)) {
        throw InvalidInputError.field('email', `${email} is already a user of this account`);
      }
      await enforceDailyLimit(kit, trx, actor.accountId, now);
      const expiresAt = new Date(now.getTime() + kit.options.invitationTtl);
      const pending = await kit.store.invitations.findPending(trx, actor.accountId, email);
      let id: number;
      let outcome: Queued['outcome'];
      if (pending) {
        id = pending.id;
        // Within the cooldown the earlier email is still fresh: keep it, only update what it grants.
        if (now.getTime() - pending.updatedAt.getTime() < kit.options.limits.resendCooldownMs) {
          return { queued: { invitation: toInvitationView(kit, pending, undefined), outboxId: null, outcome: 'unchanged' }, entry: null };
        }
        if (!(await kit.store.invitations.rearm(trx, id, { permissions, invitedBy: actor.userId, expiresAt, now }))) {
          throw new ConflictError('The invitation changed while it was being sent. Please try again.');
        }
        outcome = 'resent';
      } else {
        id = await kit.store.invitations.insert(trx, { accountId: actor.accountId, email, permissions, invitedBy: actor.userId, expiresAt, now });
        outcome = 'sent';
      }
      const outboxId = await kit.store.outbox.enqueue(trx, { invitationId: id, recipient: email, linkPrefix, now, replaces: outcome === 'resent' });
      const entry: ActivityEntry = {
        accountId: actor.accountId,
        actorUserId: actor.userId,
        subjectEmail: email,
        action: outcome === 'sent' ? 'invitation.sent' : 'invitation.resent',
        details: { invitationId: id, permissions },
        ip: actor.ip ?? null,
      };
      await record(kit, trx, entry);
      const row = (await kit.store.invitations.findById(trx, id))!;
      return { queued: { invitation: toInvitationView(kit, row, undefined), outboxId, outcome }, entry };
    });

  let result;
  try {
    result = await attempt();
  } catch (err) {
    // Two invites of one address at once: the loser's insert hits the unique (account, pending email)
    // index; run again and it finds the winner's invitation.
    if (!isUniqueViolation(err)) throw err;
    result = await attempt();
  }
  if (result.entry) emit(kit, result.entry);
  return result.queued;
}

/** Status, cooldown and daily limit are read in the transaction that re-arms, under the account's lock: of 30 simultaneous resends one sends. */
export async function resendInvitation(kit: Kit, actor: Actor, invitationId: number, linkPrefix: string): Promise<Queued> {
  requireOwner(actor);
  const { outboxId, entry } = await writeTransaction(kit, async (trx) => {
    const now = kit.now();
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const row = await kit.store.invitations.findInAccount(trx, actor.accountId, invitationId);
    if (!row) throw new NotFoundError('No such invitation.');
    if (row.status === 'accepted') throw new ConflictError(`The invitation to ${row.email} has already been accepted.`);
    if (row.status === 'cancelled') throw new ConflictError(`The invitation to ${row.email} was cancelled; send a new invitation instead.`);
    const waited = now.getTime() - row.updatedAt.getTime();
    const cooldown = kit.options.limits.resendCooldownMs;
    if (waited < cooldown) {
      throw new TooManyRequestsError(`The invitation to ${row.email} was sent moments ago.`, Math.ceil((cooldown - waited) / 1000));
    }
    await enforceDailyLimit(kit, trx, actor.accountId, now);
    const e: ActivityEntry = {
      accountId: actor.accountId,
      actorUserId: actor.userId,
      subjectEmail: row.email,
      action: 'invitation.resent',
      details: { invitationId },
      ip: actor.ip ?? null,
    };
    const expiresAt = new Date(now.getTime() + kit.options.invitationTtl);
    if (!(await kit.store.invitations.rearm(trx, invitationId, { invitedBy: actor.userId, expiresAt, now }))) {
      throw new ConflictError(`The invitation to ${row.email} is no longer pending.`);
    }
    const id = await kit.store.outbox.enqueue(trx, { invitationId, recipient: row.email, linkPrefix, now, replaces: true });
    await record(kit, trx, e);
    return { outboxId: id, entry: e };
  });
  emit(kit, entry);
  const fresh = (await kit.store.invitations.findById(kit.knex, invitationId))!;
  return { invitation: toInvitationView(kit, fresh, undefined), outboxId, outcome: 'resent' };
}

export async function cancelInvitation(kit: Kit, actor: Actor, invitationId: number): Promise<InvitationView> {
  requireOwner(actor);
  const row = await kit.store.invitations.findInAccount(kit.knex, actor.accountId, invitationId);
  if (!row) throw new NotFoundError('No such invitation.');
  if (row.status !== 'pending') throw new ConflictError(`The invitation to ${row.email} is already ${row.status}.`);
  const entry: ActivityEntry = {
    accountId: actor.accountId,
    actorUserId: actor.userId,
    subjectEmail: row.email,
    action: 'invitation.cancelled',
    details: { invitationId },
    ip: actor.ip ?? null,
  };
  await writeTransaction(kit, async (trx) => {
    if (!(await kit.store.invitations.markCancelled(trx, invitationId, kit.now()))) {
      throw new ConflictError(`The invitation to ${row.email} is no longer pending.`);
    }
    await kit.store.outbox.cancelForInvitation(trx, invitationId);
    await record(kit, trx, entry);
  });
  emit(kit, entry);
  return toInvitationView(kit, (await kit.store.invitations.findById(kit.knex, invitationId))!, undefined);
}

export interface InvitationDetails {
  invitation: InvitationView;
  tokenHash: string;
  account: { id: number; name: string };
  inviter: { name: string; email: string } | null;
}

/** Resolves a link token: unknown → 404; used, cancelled or expired → 410 naming which. */
export async function findInvitationByToken(kit: Kit, token: string): Promise<InvitationDetails> {
  if (!looksLikeInvitationToken(token)) throw new NotFoundError('This invitation link is not valid.');
  const tokenHash = hashToken(token);
  const row = await kit.store.invitations.findByTokenHash(kit.knex, tokenHash);
  if (!row) throw new NotFoundError('This invitation link is not valid.');
  const account = await kit.store.accounts.findById(kit.knex, row.accountId);
  if (!account) throw new NotFoundError('This invitation link is not valid.');
  throwIfGone(row, account.name, kit.now());
  const inviter = await kit.users.findById(row.invitedBy);
  return {
    invitation: toInvitationView(kit, row, undefined),
    tokenHash,
    account: { id: account.id, name: account.name },
    inviter: inviter ? { name: inviter.name, email: inviter.email } : null,
  };
}

function throwIfGone(row: InvitationRow, accountName: string, now: Date): void {
  if (row.status === 'accepted') throw new InvitationGoneError('accepted', 'This invitation has already been accepted.', accountName);
  if (row.status === 'cancelled') throw new InvitationGoneError('cancelled', 'This invitation was cancelled by the account owner.', accountName);
  if (invitationIsExpired(row, now)) throw new InvitationGoneError('expired', 'This invitation has expired.', accountName);
}

/** The loser of a race sees why the invitation no longer works. */
async function explainLostRace(kit: Kit, details: InvitationDetails): Promise<never> {
  const row = await kit.store.invitations.findById(kit.knex, details.invitation.id);
  if (row) throwIfGone(row, details.account.name, kit.now());
  throw new NotFoundError('This invitation link is no longer valid; a newer one may have been sent.');
}

async function joinAccount(
  kit: Kit,
  details: InvitationDetails,
  user: AccountUser,
  ip: string | null,
  createUser?: (trx: import('knex').Knex.Transaction) => Promise<AccountUser>,
) {
  const now = kit.now();
  let joined = user;
  let entry: ActivityEntry | undefined;
  const lostRace = new Error('lost race');
  try {
    await writeTransaction(kit, async (trx) => {
      // The account's lock orders this accept with invitations of the same account: a re-invite
      // of this address waits, then sees the new member.
      await kit.store.accounts.lockForWrite(trx, details.account.id);
      joined = createUser ? await createUser(trx) : user;
      // Conditional on the token still being the current one and the status still pending:
      // of twenty simultaneous accepts exactly one sees an updated row.
      if (!(await kit.store.invitations.markAccepted(trx, details.invitation.id, details.tokenHash, joined.id, now))) {
        throw lostRace; // rolls back a user created above
      }
      try {
        await kit.store.memberships.insert(trx, {
          accountId: details.account.id,
          userId: joined.id,
          permissions: details.invitation.permissions,
          invitedBy: details.invitation.invitedBy,
          now,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError(`You are already a user of ${details.account.name}.`);
        throw err;
      }
      entry = {
        accountId: details.account.id,
        actorUserId: joined.id,
        subjectUserId: joined.id,
        subjectEmail: details.invitation.email,
        action: 'invitation.accepted',
        details: { invitationId: details.invitation.id, permissions: details.invitation.permissions },
        ip,
      };
      await record(kit, trx, entry);
    });
  } catch (err) {
    if (err === lostRace) return explainLostRace(kit, details);
    throw err;
  }
  emit(kit, entry!);
  const row = await kit.store.memberships.find(kit.knex, joined.id, details.account.id);
  return { user: joined, membership: toMembership(kit, row!) };
}

/**
 * A signed-in user accepts. With requireMatchingEmail (the default) only a login with the invited
 * address may: a signed-in user cannot attach a login of another address to the account. This does
 * not make the link useless to a stranger: while the invited address has no login, whoever holds
 * the link can create one through registerAndAccept (the link is the only proof of the address).
 */
export async function acceptInvitation(
  kit: Kit,
  token: string,
  user: AccountUser,
  ip: string | null,
): Promise<{ user: AccountUser; membership: AccountMembership }> {
  const details = await findInvitationByToken(kit, token);
  if (kit.options.requireMatchingEmail && normaliseEmail(user.email) !== details.invitation.email) {
    throw new EmailMismatchError(details.invitation.email, user.email);
  }
  if (await kit.store.memberships.exists(kit.knex, details.account.id, user.id)) {
    // Two tabs at once: the other one accepted this very invitation a moment ago; say so (410).
    const row = await kit.store.invitations.findById(kit.knex, details.invitation.id);
    if (row) throwIfGone(row, details.account.name, kit.now());
    throw new ConflictError(`You are already a user of ${details.account.name}.`);
  }
  return joinAccount(kit, details, user, ip);
}

const registerSchema = z.object({ name: nameSchema, password: passwordSchema });

/** A visitor without a login creates one with the invited address and accepts, all in one transaction. */
export async function registerAndAccept(kit: Kit, token: string, input: { name?: unknown; password?: unknown }, ip: string | null) {
  const details = await findInvitationByToken(kit, token);
  const { name, password } = parseInput(registerSchema, input);
  const email = details.invitation.email;
  if (await kit.users.findByEmail(email)) {
    throw InvalidInputError.field('email', `an account with ${email} already exists; log in to accept the invitation`);
  }
  const placeholder: AccountUser = { id: 0, email, name };
  const newUser = await prepareNewUser(kit.users, { email, name, password });
  return joinAccount(kit, details, placeholder, ip, (trx) => kit.users.create(newUser, { trx }));
}
