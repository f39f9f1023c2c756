import type { Db, Tables } from './db.js';
import { dialectOf, insertReturningId, toDateOrNull, toNumber } from './db.js';
import { toDeliveryProblem, type DeliveryProblem } from '../delivery-problem.js';

/**
 * A claimed message's fence, for the writes that mint its link: run first in the minting
 * transaction, it renews the claim's lease if the claim is still this worker's (false when another
 * worker took the message over) and holds the outbox row until the mint commits, so a worker that
 * stalled past its lease can never replace the link the worker that took over has already mailed.
 */
export type ClaimFence = (db: Db) => Promise<boolean>;

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

/**
 * What a message is: an invitation (invitation_id), or one about a person's own login
 * (user_token_id, set for a password reset only once the link is minted at send time).
 */
export type OutboxKind =
  'invitation' | 'password_reset' | 'email_change' | 'email_change_notice' | 'email_verify' | TransferMailKind | AccountMailKind | MemberMailKind;

/** The emails about an account's rules (account_id): its owner now requires a second factor. */
export type AccountMailKind = 'two_factor_required' | 'two_factor_reminder';

/** The emails about a member's standing in an account (account_id, user_id): suspended, reinstated, restored. */
export type MemberMailKind = 'member_suspended' | 'member_reinstated' | 'member_restored';

/** The emails of an ownership transfer (transfer_id): the offer with its link, and the notices to either side. */
export type TransferMailKind = 'ownership_offer' | 'ownership_offered' | 'ownership_transferred' | 'ownership_cancelled';

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  invitationId: number | null;
  userTokenId: number | null;
  transferId: number | null;
  /** A member's email: the account and the member it is about. */
  accountId: number | null;
  userId: number | null;
  /** The language of the request that queued it; the recipient's own, when known, wins at send time. */
  locale: string | null;
  recipient: string;
  linkPrefix: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  /** Why the last attempt failed, as a word (column last_error); never the transport's error text. */
  problem: DeliveryProblem | null;
  sentAt: Date | null;
}

/** What the owner's list shows of an invitation's latest message. */
export type DeliveryRow = Pick<OutboxRow, 'status' | 'attempts' | 'nextAttemptAt' | 'problem'>;

const DELIVERY_COLUMNS = ['status', 'attempts', 'next_attempt_at', 'last_error'];

function deliveryFromRow(r: Record<string, unknown>): DeliveryRow {
  return {
    status: String(r.status) as OutboxStatus,
    attempts: toNumber(r.attempts),
    nextAttemptAt: toDateOrNull(r.next_attempt_at),
    problem: toDeliveryProblem(r.last_error),
  };
}

function fromRow(r: Record<string, unknown>): OutboxRow {
  return {
    ...deliveryFromRow(r),
    id: toNumber(r.id),
    kind: (typeof r.kind === 'string' ? r.kind : 'invitation') as OutboxKind,
    invitationId: r.invitation_id === null || r.invitation_id === undefined ? null : toNumber(r.invitation_id),
    userTokenId: r.user_token_id === null || r.user_token_id === undefined ? null : toNumber(r.user_token_id),
    transferId: r.transfer_id === null || r.transfer_id === undefined ? null : toNumber(r.transfer_id),
    accountId: r.account_id === null || r.account_id === undefined ? null : toNumber(r.account_id),
    userId: r.user_id === null || r.user_id === undefined ? null : toNumber(r.user_id),
    locale: typeof r.locale === 'string' ? r.locale : null,
    recipient: String(r.recipient),
    linkPrefix: String(r.link_prefix),
    sentAt: toDateOrNull(r.sent_at),
  };
}

export function outboxTable(t: Tables) {
  /** A new message, due now; `reference` names its kind and what it is about (an invitation, a token, a transfer). */
  const insertQueued = (
    db: Db,
    reference: Record<string, unknown>,
    row: { recipient: string; linkPrefix: string; now: Date; locale?: string | null | undefined },
  ) =>
    insertReturningId(db, t.outbox, {
      ...reference,
      recipient: row.recipient,
      link_prefix: row.linkPrefix,
      locale: row.locale ?? null,
      status: 'queued',
      attempts: 0,
      next_attempt_at: row.now.getTime(),
      created_at: row.now.getTime(),
    });

  return {
    /**
     * Queues a message. `replaces`: an earlier message of this invitation that has not gone out yet
     * is cancelled first, as only the latest link may work. A new invitation has none, and is given
     * no UPDATE: on MariaDB an UPDATE matching nothing still takes gap locks, on which concurrent
     * invitations deadlock.
     */
    async enqueue(db: Db, row: { invitationId: number; recipient: string; linkPrefix: string; now: Date; replaces: boolean }): Promise<number> {
      if (row.replaces) await db(t.outbox).where({ invitation_id: row.invitationId }).whereIn('status', ['queued', 'failed']).update({ status: 'cancelled' });
      return insertQueued(db, { kind: 'invitation', invitation_id: row.invitationId }, row);
    },
    /**
     * Queues an email about a person's own login. `linkPrefix`: where its link points, the token
     * being appended at send time (or the page the notice links to).
     */
    async enqueueUserMail(
      db: Db,
      row: {
        kind: Exclude<OutboxKind, 'invitation' | TransferMailKind | AccountMailKind | MemberMailKind>;
        recipient: string;
        linkPrefix: string;
        userTokenId: number | null;
        now: Date;
        locale?: string | null;
      },
    ): Promise<number> {
      return insertQueued(db, { kind: row.kind, user_token_id: row.userTokenId }, row);
    },
    /** Queues an email of an ownership transfer; the offer's link is minted when it is sent. */
    async enqueueTransferMail(
      db: Db,
      row: { kind: TransferMailKind; transferId: number; recipient: string; linkPrefix: string; now: Date; locale?: string | null },
    ): Promise<number> {
      return insertQueued(db, { kind: row.kind, transfer_id: row.transferId }, row);
    },
    /** Queues an email about an account's rule to one of its members; `linkPrefix`: the page it links to. */
    async enqueueAccountMail(
      db: Db,
      row: { kind: AccountMailKind; accountId: number; userId?: number; recipient: string; linkPrefix: string; now: Date; locale?: string | null },
    ): Promise<number> {
      return insertQueued(db, { kind: row.kind, account_id: row.accountId, ...(row.userId === undefined ? {} : { user_id: row.userId }) }, row);
    },
    /** Queues an email about a member's standing; its text is written when it is sent, from the rows as they are then. */
    async enqueueMemberMail(
      db: Db,
      row: { kind: MemberMailKind; accountId: number; userId: number; recipient: string; linkPrefix: string; now: Date; locale?: string | null },
    ): Promise<number> {
      return insertQueued(db, { kind: row.kind, account_id: row.accountId, user_id: row.userId }, row);
    },
    /** An offer withdrawn, taken or expired: its link is never mailed again. */
    async cancelTransferOffer(db: Db, transferId: number): Promise<void> {
      await db(t.outbox).where({ transfer_id: transferId, kind: 'ownership_offer' }).whereIn('status', ['queued', 'failed']).update({ status: 'cancelled' });
    },
    /** The reset link minted for this message, once sent. */
    async setUserToken(db: Db, id: number, userTokenId: number): Promise<void> {
      await db(t.outbox).where({ id }).update({ user_token_id: userTokenId });
    },
    /** The address a reset or verification link was mailed to (the message that carries it). */
    async recipientOfUserToken(db: Db, userTokenId: number): Promise<string | undefined> {
      const r = (await db(t.outbox).select('recipient').where({ user_token_id: userTokenId }).orderBy('id', 'asc').first()) as
        { recipient?: unknown } | undefined;
      return r ? String(r.recipient) : undefined;
    },
    /** Unsent messages of superseded requests are never sent. */
    async cancelForUserTokens(db: Db, userTokenIds: readonly number[]): Promise<void> {
      if (userTokenIds.length === 0) return;
      await db(t.outbox).whereIn('user_token_id', userTokenIds).whereIn('status', ['queued', 'failed']).update({ status: 'cancelled' });
    },
    async cancelForInvitation(db: Db, invitationId: number): Promise<void> {
      await db(t.outbox).where({ invitation_id: invitationId }).whereIn('status', ['queued', 'failed']).update({ status: 'cancelled' });
    },
    /** Messages queued by one account since `since`: the daily invitation limit, counted where every instance sees it. */
    async countForAccountSince(db: Db, accountId: number, since: Date): Promise<{ count: number; oldest: Date | null }> {
      const r = (await db(t.outbox)
        .join(t.invitations, `${t.invitations}.id`, `${t.outbox}.invitation_id`)
        .where(`${t.invitations}.account_id`, accountId)
        .andWhere(`${t.outbox}.created_at`, '>=', since.getTime())
        .count({ n: '*' })
        .min({ oldest: `${t.outbox}.created_at` })
        .first()) as { n?: unknown; oldest?: unknown } | undefined;
      return { count: toNumber(r?.n ?? 0), oldest: toDateOrNull(r?.oldest) };
    },
    /** The newest message of each invitation, for the owner's delivery column (one query for the page). */
    async latestForInvitations(db: Db, invitationIds: readonly number[]): Promise<Map<number, DeliveryRow>> {
      const out = new Map<number, DeliveryRow>();
      if (invitationIds.length === 0) return out;
      const rows = await db(t.outbox)
        .select('invitation_id', ...DELIVERY_COLUMNS)
        .whereIn('invitation_id', invitationIds)
        .orderBy('id', 'asc');
      for (const r of rows) out.set(toNumber(r.invitation_id), deliveryFromRow(r));
      return out;
    },
    async findById(db: Db, id: number): Promise<OutboxRow | undefined> {
      const r = await db(t.outbox).where({ id }).first();
      return r ? fromRow(r) : undefined;
    },
    /** Ids of messages due now, oldest first. PostgreSQL skips rows another worker has locked. */
    async due(db: Db, now: Date, limit: number): Promise<number[]> {
      const q = db(t.outbox)
        .select('id')
        .where((w) =>
          w
            .where((a) => a.where('status', 'queued').andWhere('next_attempt_at', '<=', now.getTime()))
            .orWhere((b) => b.where('status', 'sending').andWhere('claimed_until', '<', now.getTime())),
        )
        .orderBy('id', 'asc')
        .limit(limit);
      if (dialectOf(db) === 'pg') q.forUpdate().skipLocked();
      const rows = await q;
      return rows.map((r: { id: unknown }) => toNumber(r.id));
    },
    /**
     * Takes one message for this worker. The conditional update is the claim on every
     * dialect: of two workers racing for a row, exactly one sees one affected row.
     */
    async claim(db: Db, id: number, claimId: string, now: Date, leaseMs: number): Promise<boolean> {
      const n = await db(t.outbox)
        .where({ id })
        .andWhere((w) =>
          w
            .where((a) => a.where('status', 'queued').andWhere('next_attempt_at', '<=', now.getTime()))
            .orWhere((b) => b.where('status', 'sending').andWhere('claimed_until', '<', now.getTime())),
        )
        .update({ status: 'sending', claim_id: claimId, claimed_until: now.getTime() + leaseMs });
      return n === 1;
    },
    /**
     * Starts a fresh lease on a message this worker claimed, if the claim is still its own: a
     * flush claims a batch under one lease and sends it one by one, so the later messages' lease
     * would otherwise run out while they wait, and another worker would take them over and send
     * them too. False when another worker took the message over meanwhile.
     */
    async renew(db: Db, id: number, claimId: string, now: Date, leaseMs: number): Promise<boolean> {
      const n = await db(t.outbox)
        .where({ id, claim_id: claimId, status: 'sending' })
        .update({ claimed_until: now.getTime() + leaseMs });
      return n === 1;
    },
    /** False when the claim is no longer this worker's (another took the message over): nothing written. */
    async markSent(db: Db, id: number, claimId: string, now: Date): Promise<boolean> {
      const n = await db(t.outbox)
        .where({ id, claim_id: claimId })
        .update({ status: 'sent', sent_at: now.getTime(), attempts: db.raw('attempts + 1'), last_error: null, claimed_until: null });
      return n === 1;
    },
    /**
     * A message this worker sent after its claim lapsed, which was cancelled meanwhile with no
     * other attempt made (`attempts` as this worker read it: the worker that took it over found
     * its invitation answered, through the very copy this one sent, or a newer message replaced
     * it): the row says it went out, under this worker's claim (the copy's Message-ID). A row
     * another worker tried to send, is sending or will send is left as it is. False when nothing
     * was written.
     */
    async markSentOverCancel(db: Db, id: number, claimId: string, attemptsBefore: number, now: Date): Promise<boolean> {
      const n = await db(t.outbox)
        .where({ id, status: 'cancelled', attempts: attemptsBefore })
        .update({ status: 'sent', claim_id: claimId, sent_at: now.getTime(), attempts: attemptsBefore + 1, last_error: null, claimed_until: null });
      return n === 1;
    },
    async markFailed(db: Db, id: number, claimId: string, problem: DeliveryProblem, nextAttemptAt: Date | null): Promise<void> {
      await db(t.outbox)
        .where({ id, claim_id: claimId })
        .update({
          status: nextAttemptAt ? 'queued' : 'failed',
          attempts: db.raw('attempts + 1'),
          last_error: problem,
          next_attempt_at: nextAttemptAt ? nextAttemptAt.getTime() : 0,
          claimed_until: null,
        });
    },
    /** A claimed message this worker will not send after all (it is shutting down): due again at once, for any worker. */
    async release(db: Db, id: number, claimId: string): Promise<void> {
      await db(t.outbox).where({ id, claim_id: claimId, status: 'sending' }).update({ status: 'queued', claimed_until: null });
    },
    async markCancelled(db: Db, id: number, claimId: string): Promise<void> {
      await db(t.outbox).where({ id, claim_id: claimId }).update({ status: 'cancelled', claimed_until: null });
    },
  };
}
