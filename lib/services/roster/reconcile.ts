import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Knex } from 'knex';
import { actorFields, requireManager, type Acting, type Kit } from '../context.js';
import { actingIn, type ActingInput } from '../acting.js';
import { assertMayGrant, assertMayManageInvitation, assertMayManageMember, boundedUntil, delegateAtWrite } from '../members/delegation.js';
import { deliverNow, insertInvitation, invitationIsExpired, rearmInvitation, type NewInvitation } from '../invitations/invitations.js';
import { keepForRestore, toMemberView } from '../members/members.js';
import { cancelOfferTo } from '../ownership/ownership.js';
import { queueMemberMail } from '../members/lifecycle.js';
import { emit, findUsers, record } from '../activity.js';
import { localeSchema, parseInput } from '../input.js';
import { writeTransaction } from '../../store/transactions.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import type { MembershipRow } from '../../store/accounts/memberships.js';
import type { InvitationRow } from '../../store/invitations/invitations.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../errors.js';
import { parseRoster, type RosterRow } from './roster-csv.js';
import { eachLimited } from './invite-many.js';

/**
 * One line of a roster's difference. `kind`: a member of the account, or a pending invitation
 * (its address is not a member yet). `row`: the roster's line it comes from (none for a removal).
 */
export interface RosterChange {
  email: string;
  kind: 'member' | 'invitation';
  row?: number;
  userId?: number;
  invitationId?: number;
  /** What they hold, or will hold (invite, unchanged), or lose (remove). */
  permissions?: string[];
  /** For a change: before and after. */
  from?: string[];
  to?: string[];
  /** The account's owner: never changed or removed by a roster, listed as unchanged. */
  owner?: boolean;
}

/**
 * A roster against the account: `invite` (not a member and no pending invitation, or an expired
 * one to send again), `change` (a member's or a pending invitation's permissions), `suspend` and
 * `reinstate` (a member whose row's `suspended` cell says `yes` or `no` and who is not so now;
 * with `permissions`, what they hold), `remove` (a member or a pending invitation the roster
 * leaves out; the owner never), `unchanged` (nothing of theirs changes). A member can be both in
 * `change` and in `suspend` or `reinstate`.
 */
export interface RosterChanges {
  invite: RosterChange[];
  change: RosterChange[];
  suspend: RosterChange[];
  reinstate: RosterChange[];
  remove: RosterChange[];
  unchanged: RosterChange[];
}

export interface ReconcileInput extends ActingInput {
  csv?: unknown;
  /** false (default): a dry run, the same work rolled back; true: applied. */
  apply?: unknown;
  /** The language of the invitation emails (as invite's `locale`). */
  locale?: unknown;
  /**
   * With `apply: true`: the `digest` of the difference that was shown (a dry run's). The apply is
   * refused (ConflictError on `digest`) when the changes it would make now differ; absent: not checked.
   */
  digest?: unknown;
}

/** What reconcileRoster answers: the difference, whether it was applied, and the difference's digest. */
export interface ReconcileResult {
  changes: RosterChanges;
  applied: boolean;
  /** Names exactly the changes (not `unchanged`): hand a dry run's back with the apply to apply only what was shown. */
  digest: string;
}

/**
 * The changes of a difference as one short value: who is invited, changed, suspended, reinstated
 * or removed, with what. Dry run and apply are separate requests, and the account may change
 * between them (another manager, an invitation accepted or expired); the difference page carries
 * this, so an apply that would now do something else is refused rather than done unseen.
 */
export function rosterDigest(changes: RosterChanges): string {
  const lines = (['invite', 'change', 'suspend', 'reinstate', 'remove'] as const).map((name) =>
    changes[name].map((c) => [c.kind, c.email, c.userId ?? null, c.invitationId ?? null, c.permissions ?? null, c.from ?? null, c.to ?? null]),
  );
  return createHash('sha256').update(JSON.stringify(lines), 'utf8').digest('base64url');
}

/** Thrown at the end of a dry run, after the very work an apply does: the transaction rolls back. */
class DryRun extends Error {
  constructor(readonly changes: RosterChanges) {
    super('dry run');
  }
}

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

// MariaDB's TEXT holds 65,535 bytes: a large roster's entry keeps the addresses, then only the counts.
const DETAILS_BUDGET = 60_000;

function entryDetails(changes: RosterChanges): Record<string, unknown> {
  const counts = {
    invite: changes.invite.length,
    change: changes.change.length,
    suspend: changes.suspend.length,
    reinstate: changes.reinstate.length,
    remove: changes.remove.length,
    unchanged: changes.unchanged.length,
  };
  const full = {
    counts,
    invite: changes.invite.map((c) => ({ email: c.email, permissions: c.permissions })),
    change: changes.change.map((c) => ({ email: c.email, kind: c.kind, from: c.from, to: c.to })),
    suspend: changes.suspend.map((c) => c.email),
    reinstate: changes.reinstate.map((c) => c.email),
    remove: changes.remove.map((c) => ({ email: c.email, kind: c.kind, permissions: c.permissions })),
  };
  if (Buffer.byteLength(JSON.stringify(full)) <= DETAILS_BUDGET) return full;
  const emails = {
    counts,
    invite: changes.invite.map((c) => c.email),
    change: changes.change.map((c) => c.email),
    suspend: changes.suspend.map((c) => c.email),
    reinstate: changes.reinstate.map((c) => c.email),
    remove: changes.remove.map((c) => c.email),
    truncated: 'permissions',
  };
  if (Buffer.byteLength(JSON.stringify(emails)) <= DETAILS_BUDGET) return emails;
  return { counts, truncated: 'addresses' };
}

/** The difference between the roster and the account as read under the lock, in the roster's order (removals in the account's). */
function differenceOf(rows: RosterRow[], members: Array<{ row: MembershipRow; email: string }>, pending: InvitationRow[], kit: Kit, now: Date): RosterChanges {
  const changes: RosterChanges = { invite: [], change: [], suspend: [], reinstate: [], remove: [], unchanged: [] };
  const memberOf = new Map(members.filter((m) => m.email !== '').map((m) => [m.email, m]));
  const pendingOf = new Map(pending.map((p) => [p.email, p]));
  const listed = new Set(rows.map((r) => r.email));
  for (const r of rows) {
    const member = memberOf.get(r.email);
    if (member) {
      const isOwner = member.row.userId === member.row.ownerUserId;
      const held = isOwner ? kit.catalogue.keys : kit.catalogue.normalise(member.row.permissions);
      const base = { email: r.email, kind: 'member' as const, row: r.row, userId: member.row.userId };
      if (isOwner) {
        changes.unchanged.push({ ...base, permissions: [...held], owner: true });
        continue;
      }
      const same = sameKeys(held, r.permissions);
      const suspended = member.row.suspendedAt !== null;
      const standing = r.suspended === true && !suspended ? changes.suspend : r.suspended === false && suspended ? changes.reinstate : null;
      if (!same) changes.change.push({ ...base, from: [...held], to: r.permissions });
      if (standing) standing.push({ ...base, permissions: r.permissions });
      if (same && !standing) changes.unchanged.push({ ...base, permissions: r.permissions });
      continue;
    }
    // Only a membership can be suspended: an address that is not a member yet is refused by its line.
    if (r.suspended === true) throw InvalidInputError.field('csv', 'field.csvSuspendInvitation', { row: r.row, email: r.email });
    const invitation = pendingOf.get(r.email);
    const base = { email: r.email, kind: 'invitation' as const, row: r.row };
    if (!invitation) changes.invite.push({ ...base, permissions: r.permissions });
    else if (invitationIsExpired(invitation, now)) changes.invite.push({ ...base, invitationId: invitation.id, permissions: r.permissions });
    else {
      const held = kit.catalogue.normalise(invitation.permissions);
      if (sameKeys(held, r.permissions)) changes.unchanged.push({ ...base, invitationId: invitation.id, permissions: held });
      else changes.change.push({ ...base, invitationId: invitation.id, from: held, to: r.permissions });
    }
  }
  for (const m of members) {
    if (m.row.userId === m.row.ownerUserId || (m.email !== '' && listed.has(m.email))) continue;
    changes.remove.push({ email: m.email, kind: 'member', userId: m.row.userId, permissions: kit.catalogue.normalise(m.row.permissions) });
  }
  for (const p of pending) {
    if (!listed.has(p.email))
      changes.remove.push({ email: p.email, kind: 'invitation', invitationId: p.id, permissions: kit.catalogue.normalise(p.permissions) });
  }
  return changes;
}

/** Each change within a delegate's limits (delegation.ts), checked on the rows read for the write; the owner and a system actor pass. */
function assertWithinDelegation(kit: Kit, actor: Acting, changes: RosterChanges, rowOf: Map<number, MembershipRow>, pendingOf: Map<number, InvitationRow>) {
  for (const c of changes.invite) assertMayGrant(kit, actor, c.permissions!);
  for (const c of [...changes.suspend, ...changes.reinstate]) {
    // As suspendMember: a delegate never suspends or reinstates their own membership.
    if (actor.userId !== null && c.userId === actor.userId) throw new ForbiddenError('error.delegateOwnMembership');
  }
  for (const c of [...changes.change, ...changes.suspend, ...changes.reinstate, ...changes.remove]) {
    if (c.kind === 'member') assertMayManageMember(kit, actor, toMemberView(kit, rowOf.get(c.userId!)!, undefined));
    else assertMayManageInvitation(kit, actor, { permissions: kit.catalogue.normalise(pendingOf.get(c.invitationId!)!.permissions) });
    if (c.to) assertMayGrant(kit, actor, c.to);
  }
}

/**
 * Compares a roster (CSV: see roster-csv.ts) with the account and, with `apply: true`, makes the
 * account match it: invitations sent, permissions changed, members and pending invitations the
 * roster leaves out removed and cancelled. The account's owner is never changed or removed.
 *
 * Dry run and apply are the same code: both read the account and write every change in one
 * transaction under the account's lock (the daily invitation limit and a delegate's limits decided
 * there); a dry run then rolls it back, so its difference is exactly what applying would have done
 * at that moment. A failure anywhere (a refused change, the limit, the database) writes nothing.
 * Applied, the roster is one activity entry (`roster.reconciled`) with its details, and one event.
 * Given the dry run's `digest`, the apply makes exactly the changes that were shown, or none (409).
 */
export async function reconcileRoster(kit: Kit, input: ReconcileInput): Promise<ReconcileResult> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const {
    apply,
    locale: given,
    digest,
  } = parseInput(
    z.object({
      apply: z.boolean({ error: 'must be true or false' }).default(false),
      locale: localeSchema(kit),
      digest: z.string({ error: 'must be the digest a dry run gave' }).max(100, 'must be the digest a dry run gave').optional(),
    }),
    { apply: input.apply, locale: input.locale, digest: input.digest === '' ? undefined : input.digest },
  );
  const rows = parseRoster(kit, input.csv);
  // Refused before any read: a delegate's roster granting what they do not hold.
  assertMayGrant(kit, actor, [...new Set(rows.flatMap((r) => r.permissions))]);
  const locale = given ?? actor.locale ?? kit.defaultLocale;

  // A host's user store reads through its own connection, so its users are read before the
  // transaction (SQLite's one connection would wait for itself); a member added meanwhile is a conflict.
  const hostEmails = kit.options.users ? await hostEmailsOf(kit, actor.accountId) : null;

  type Applied = { changes: RosterChanges; entries: ActivityEntry[]; outboxIds: number[]; memberMailIds: number[] };
  const work = async (trx: Knex.Transaction): Promise<Applied> => {
    const now = kit.now();
    await kit.store.accounts.lockForWrite(trx, actor.accountId);
    const { actor: current, until: ownUntil } = await delegateAtWrite(kit, trx, actor, now);
    const memberRows = await kit.store.memberships.allForAccount(trx, actor.accountId, now);
    const emails =
      hostEmails ??
      new Map(
        (
          await kit.store.users.findByIds(
            trx,
            memberRows.map((m) => m.userId),
          )
        ).map((u) => [u.id, u.email]),
      );
    const members = memberRows.map((row) => {
      const email = emails.get(row.userId);
      if (email === undefined && hostEmails) throw new ConflictError('error.rosterChanged');
      return { row, email: email ?? '' };
    });
    const pending = await kit.store.invitations.listPendingForAccount(trx, actor.accountId);
    const changes = differenceOf(rows, members, pending, kit, now);
    // Applied only as shown: a difference that moved since the dry run is refused, nothing written.
    if (apply && digest !== undefined && rosterDigest(changes) !== digest) throw ConflictError.field('digest', 'error.rosterDiffers');
    const pendingById = new Map(pending.map((p) => [p.id, p]));
    const rowOf = new Map(memberRows.map((m) => [m.userId, m]));
    assertWithinDelegation(kit, current, changes, rowOf, pendingById);

    const entries: ActivityEntry[] = [];
    const outboxIds: number[] = [];
    const memberMailIds: number[] = [];
    // A time-limited delegate's invitations end with their own access (limit 6).
    const accessUntil = boundedUntil(ownUntil, null) ?? null;
    for (const c of changes.change) {
      const done =
        c.kind === 'member'
          ? (await kit.store.memberships.updatePermissions(trx, actor.accountId, c.userId!, c.to!, now)) === 1
          : await kit.store.invitations.setPendingPermissions(trx, c.invitationId!, c.to!, now);
      if (!done) throw new ConflictError('error.rosterChanged');
    }
    // Suspended as suspendMember does (its offer of ownership withdrawn, an email), reinstated as reinstateMember.
    for (const c of changes.suspend) {
      const at = { at: now, by: actor.userId, reason: null };
      if (!(await kit.store.memberships.setSuspension(trx, actor.accountId, c.userId!, at, now))) throw new ConflictError('error.rosterChanged');
      const offer = await cancelOfferTo(kit, trx, actor.accountId, c.userId!, actorFields(actor));
      if (offer) entries.push(offer);
      const mail = await queueMemberMail(kit, trx, actor, 'member_suspended', c.userId!, c.email, now);
      if (mail !== null) memberMailIds.push(mail);
    }
    for (const c of changes.reinstate) {
      if (!(await kit.store.memberships.setSuspension(trx, actor.accountId, c.userId!, null, now))) throw new ConflictError('error.rosterChanged');
      const mail = await queueMemberMail(kit, trx, actor, 'member_reinstated', c.userId!, c.email, now);
      if (mail !== null) memberMailIds.push(mail);
    }
    let pruned = false;
    for (const c of changes.remove) {
      if (c.kind === 'member') {
        const offer = await cancelOfferTo(kit, trx, actor.accountId, c.userId!, actorFields(actor));
        if (offer) entries.push(offer);
        // Restorable as a removal by the button is: a roster that leaves people out by mistake is undone by Restore.
        await keepForRestore(kit, trx, rowOf.get(c.userId!)!, c.email, actor, pruned);
        pruned = true;
        if ((await kit.store.memberships.delete(trx, actor.accountId, c.userId!)) !== 1) throw new ConflictError('error.rosterChanged');
      } else {
        if (!(await kit.store.invitations.markCancelled(trx, c.invitationId!, now))) throw new ConflictError('error.rosterChanged');
        await kit.store.outbox.cancelForInvitation(trx, c.invitationId!);
      }
    }
    // Invitations last: the daily limit, met half-way, undoes the changes and removals before it too.
    for (const c of changes.invite) {
      if (c.permissions!.length === 0) throw InvalidInputError.field('csv', 'field.csvInviteNone', { row: c.row!, email: c.email });
      const wanted: NewInvitation = { email: c.email, permissions: c.permissions!, accessUntil, locale, send: true };
      const made = c.invitationId
        ? await rearmInvitation(kit, trx, current, c.invitationId, wanted, now)
        : await insertInvitation(kit, trx, current, wanted, now);
      if (made.outboxId !== null) outboxIds.push(made.outboxId);
    }
    const entry: ActivityEntry = { accountId: actor.accountId, ...actorFields(actor), action: 'roster.reconciled', details: entryDetails(changes) };
    await record(kit, trx, entry);
    entries.push(entry);
    if (!apply) throw new DryRun(changes);
    return { changes, entries, outboxIds, memberMailIds };
  };

  let done: Applied;
  try {
    done = await writeTransaction(kit, work);
  } catch (err) {
    if (err instanceof DryRun) return { changes: err.changes, applied: false, digest: rosterDigest(err.changes) };
    throw err;
  }
  for (const e of done.entries) emit(kit, e);
  await eachLimited(done.outboxIds, 4, async (id) => {
    await deliverNow(kit, id);
  });
  // A failed first attempt stays queued for the worker, as suspendMember's.
  await eachLimited(done.memberMailIds, 4, async (id) => {
    await kit.deliver(id);
  });
  return { changes: done.changes, applied: true, digest: rosterDigest(done.changes) };
}

/** userId → address of the account's members, from a host's user store (batched when it can). */
async function hostEmailsOf(kit: Kit, accountId: number): Promise<Map<number, string>> {
  const rows = await kit.store.memberships.allForAccount(kit.knex, accountId, kit.now());
  const users = await findUsers(
    kit,
    rows.map((r) => r.userId),
  );
  const found = new Map(users.map((u) => [u.id, u.email.toLowerCase()]));
  // A member whose host user is gone has no address: never matched, so removed unless it is the owner.
  return new Map(rows.map((r) => [r.userId, found.get(r.userId) ?? '']));
}
