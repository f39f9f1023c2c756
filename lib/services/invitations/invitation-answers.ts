import { z } from 'zod';
import type { Knex } from 'knex';
import type { Kit } from '../context.js';
import type { InvitationRow } from '../../store/invitations/invitations.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import { isUniqueViolation } from '../../store/db.js';
import { ConflictError, EmailMismatchError, InvalidInputError, InvitationGoneError, NotFoundError } from '../../errors.js';
import { nameSchema, normaliseEmail, parseInput, passwordSchema } from '../input.js';
import { hashToken, looksLikeInvitationToken } from '../tokens.js';
import { emit, record } from '../activity.js';
import { toMembership, type AccountMembership } from '../accounts/accounts.js';
import { prepareNewUser, type AccountUser } from '../user-store.js';
import { writeTransaction } from '../../store/transactions.js';
import { invitationIsExpired, toInvitationView, type InvitationView } from './invitations.js';
import { emailIsVerified, markVerifiedIn } from '../verification/address.js';

/*
 * The invitee's answers, accept and decline: through the emailed link (this file's token
 * functions) or in the app by id (invitee.ts). Both end in joinAccount or decline below.
 */

export interface InvitationDetails {
  invitation: InvitationView;
  /** The presented link's hash; null when a signed-in invitee acts on the invitation by id. */
  tokenHash: string | null;
  /** By link only: the kit mailed that link (or gave it to a `{ system }` actor), so using it proves the address. */
  linkMailed?: boolean;
  /** By id only: when the row the invitee acts on was last changed (an accept of an older state fails). */
  updatedAt?: Date;
  account: { id: number; name: string };
  inviter: { name: string; email: string } | null;
}

/** Resolves a link token: unknown → 404; used, cancelled, declined or expired → 410 naming which. */
export async function findInvitationByToken(kit: Kit, token: string): Promise<InvitationDetails> {
  if (!looksLikeInvitationToken(token)) throw new NotFoundError('error.invitationLinkInvalid');
  const tokenHash = hashToken(token);
  const row = await kit.store.invitations.findByTokenHash(kit.knex, tokenHash);
  if (!row) throw new NotFoundError('error.invitationLinkInvalid');
  const account = await kit.store.accounts.findById(kit.knex, row.accountId);
  if (!account) throw new NotFoundError('error.invitationLinkInvalid');
  throwIfGone(row, account.name, kit.now());
  const inviter = row.invitedBy > 0 ? await kit.users.findById(row.invitedBy) : undefined;
  return {
    invitation: toInvitationView(kit, row, undefined),
    tokenHash,
    linkMailed: row.linkMailed,
    account: { id: account.id, name: account.name },
    inviter: inviter ? { name: inviter.name, email: inviter.email } : null,
  };
}

export function throwIfGone(row: Pick<InvitationRow, 'status' | 'expiresAt'>, accountName: string, now: Date): void {
  if (row.status === 'accepted') throw new InvitationGoneError('accepted', accountName);
  if (row.status === 'cancelled') throw new InvitationGoneError('cancelled', accountName);
  if (row.status === 'declined') throw new InvitationGoneError('declined', accountName);
  if (invitationIsExpired(row, now)) throw new InvitationGoneError('expired', accountName);
}

/** The loser of a race sees why the invitation no longer works. */
async function explainLostRace(kit: Kit, details: InvitationDetails): Promise<never> {
  const row = await kit.store.invitations.findById(kit.knex, details.invitation.id);
  if (row) throwIfGone(row, details.account.name, kit.now());
  if (details.tokenHash === null) throw new ConflictError('error.invitationChanged');
  throw new NotFoundError('error.invitationReplaced');
}

/** Joins the invited user (or one created in the same transaction) to the account; the link's or the in-app accept. */
export async function joinAccount(
  kit: Kit,
  details: InvitationDetails,
  user: AccountUser,
  ip: string | null,
  createUser?: (trx: Knex.Transaction) => Promise<AccountUser>,
) {
  const now = kit.now();
  const until = details.invitation.accessUntil;
  if (until && until.getTime() <= now.getTime()) {
    throw new ConflictError('error.invitationAccessEnded', { account: details.account.name, date: until });
  }
  let joined = user;
  let entry: ActivityEntry | undefined;
  const lostRace = new Error('lost race');
  try {
    await writeTransaction(kit, async (trx) => {
      // The account's lock orders this accept with invitations of the same account: a re-invite
      // of this address waits, then sees the new member.
      await kit.store.accounts.lockForWrite(trx, details.account.id);
      joined = createUser ? await createUser(trx) : user;
      // Conditional on the token still being the current one (by link) and the status still
      // pending: of twenty simultaneous accepts exactly one sees an updated row.
      const marked =
        details.tokenHash === null
          ? await kit.store.invitations.markAcceptedById(trx, details.invitation.id, details.updatedAt ?? new Date(0), joined.id, now)
          : await kit.store.invitations.markAccepted(trx, details.invitation.id, details.tokenHash, joined.id, now);
      if (!marked) throw lostRace; // rolls back a user created above
      // What it grants as of now, under the lock: a re-invite within the resend cooldown may have
      // changed it (keeping the link) since the page was read.
      const granted = (await kit.store.invitations.findById(trx, details.invitation.id))!;
      const permissions = kit.catalogue.normalise(granted.permissions);
      const all = kit.catalogue.coversAll(granted.permissions);
      try {
        await kit.store.memberships.insert(trx, {
          accountId: details.account.id,
          userId: joined.id,
          // As stored: "All permissions" stays all, covering what the host adds later.
          permissions: kit.catalogue.toStored(permissions, all),
          invitedBy: details.invitation.invitedBy,
          accessUntil: granted.accessUntil,
          now,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('error.alreadyMemberOf', { account: details.account.name });
        throw err;
      }
      // A removed member back through an invitation: nothing is left to restore (the invitation's permissions stand).
      await kit.store.removedMembers.delete(trx, details.account.id, joined.id);
      // Through the link, by a login of the invited address: the link proves the address only if
      // the kit mailed it there (or the host's system actor took it); a link au.api handed to its
      // inviting user was read by whoever typed the address. Read under the lock, with the token
      // that just matched: link_mailed is written together with token_hash.
      const proved = details.tokenHash !== null && granted.linkMailed;
      if (proved && !emailIsVerified(joined) && normaliseEmail(joined.email) === details.invitation.email) {
        await markVerifiedIn(kit, trx, joined.id);
      }
      entry = {
        accountId: details.account.id,
        actorUserId: joined.id,
        subjectUserId: joined.id,
        subjectEmail: details.invitation.email,
        action: 'invitation.accepted',
        details: { invitationId: details.invitation.id, permissions, ...(all ? { allPermissions: true } : {}) },
        ip,
      };
      await record(kit, trx, entry);
    });
  } catch (err) {
    if (err === lostRace) return explainLostRace(kit, details);
    throw err;
  }
  emit(kit, entry!);
  const row = await kit.store.memberships.find(kit.knex, joined.id, details.account.id, kit.now());
  return { user: joined, membership: toMembership(kit, row!) };
}

/** Already a member: the other tab accepted this very invitation a moment ago (410), or another one did (409). */
export async function refuseIfMember(kit: Kit, details: InvitationDetails, userId: number): Promise<void> {
  if (!(await kit.store.memberships.exists(kit.knex, details.account.id, userId))) return;
  const row = await kit.store.invitations.findById(kit.knex, details.invitation.id);
  if (row) throwIfGone(row, details.account.name, kit.now());
  throw new ConflictError('error.alreadyMemberOf', { account: details.account.name });
}

/**
 * A signed-in user accepts through the link. With requireMatchingEmail (the default) only a login
 * with the invited address may: a signed-in user cannot attach a login of another address to the
 * account. This does not make the link useless to a stranger: while the invited address has no
 * login, whoever holds the link can create one through registerAndAccept (the link is the only
 * proof of the address).
 */
export async function acceptInvitationByLink(
  kit: Kit,
  token: string,
  user: AccountUser,
  ip: string | null,
): Promise<{ user: AccountUser; membership: AccountMembership }> {
  const details = await findInvitationByToken(kit, token);
  if (kit.options.requireMatchingEmail && normaliseEmail(user.email) !== details.invitation.email) {
    throw new EmailMismatchError(details.invitation.email, user.email);
  }
  await refuseIfMember(kit, details, user.id);
  return joinAccount(kit, details, user, ip);
}

const registerSchema = z.object({ name: nameSchema, password: passwordSchema });

/** A visitor without a login creates one with the invited address and accepts, all in one transaction. */
export async function registerAndAccept(kit: Kit, token: string, input: { name?: unknown; password?: unknown }, ip: string | null) {
  const details = await findInvitationByToken(kit, token);
  const { name, password } = parseInput(registerSchema, input);
  const email = details.invitation.email;
  if (await kit.users.findByEmail(email)) {
    throw InvalidInputError.field('email', 'field.loginExistsAccept', { email });
  }
  const placeholder: AccountUser = { id: 0, email, name };
  // A link the kit mailed to this address proves it: the new login starts verified. One handed to
  // its inviter (au.api.invite({ send: false }) by a user) proves nothing: it starts unverified.
  // The flag was read with the token; if the link changed since, the accept below fails anyway.
  const newUser = await prepareNewUser(kit.users, { email, name, password, emailVerified: details.linkMailed === true });
  return joinAccount(kit, details, placeholder, ip, (trx) => kit.users.create(newUser, { trx }));
}

/**
 * The invitee says no: the invitation becomes `declined`, its link and any queued email die, and
 * the owner sees it (and may start it over with Resend). `actorUserId`: the signed-in user who
 * declined, or null for a visitor with the link.
 */
export async function decline(
  kit: Kit,
  details: InvitationDetails,
  actorUserId: number | null,
  ip: string | null,
): Promise<{ invitation: InvitationView; account: { id: number; name: string } }> {
  const entry: ActivityEntry = {
    accountId: details.account.id,
    actorUserId,
    subjectEmail: details.invitation.email,
    action: 'invitation.declined',
    details: { invitationId: details.invitation.id },
    ip,
  };
  const declined = await writeTransaction(kit, async (trx) => {
    if (!(await kit.store.invitations.markDeclined(trx, details.invitation.id, details.tokenHash, kit.now()))) return false;
    await kit.store.outbox.cancelForInvitation(trx, details.invitation.id);
    await record(kit, trx, entry);
    return true;
  });
  if (!declined) return explainLostRace(kit, details);
  emit(kit, entry);
  const row = (await kit.store.invitations.findById(kit.knex, details.invitation.id))!;
  return { invitation: toInvitationView(kit, row, undefined), account: details.account };
}

/** POST /accept/:token/decline: whoever holds the link may decline, signed in or not (the link is the proof of the address). */
export async function declineInvitationByLink(kit: Kit, token: string, signedInUserId: number | null, ip: string | null) {
  return decline(kit, await findInvitationByToken(kit, token), signedInUserId, ip);
}
