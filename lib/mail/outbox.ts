import { writeTransaction } from '../store/transactions.js';
import type { DeliveryResult, Kit } from '../services/context.js';
import type { Templates } from '../templates.js';
import { hashToken, newClaimId, newInvitationToken } from '../services/tokens.js';
import { composeInvitation, composeMemberMail, composeTransferMail, composeTwoFactorRuleMail, composeUserMail } from './compose.js';
import type { MailMessage } from './transport.js';
import type { ClaimFence, MemberMailKind, OutboxRow, TransferMailKind } from '../store/outbox.js';
import type { UserLinkKind } from '../services/self-service/user-links.js';
import { Duration } from '../i18n/values.js';
import type { Locale } from '../i18n/locale.js';
import { deliveryProblemOf } from '../delivery-problem.js';

export type { DeliveryResult } from '../services/context.js';

/** The kinds of a person's own email whose link is minted at send time, each described by its service. */
export type UserLinks = Record<'password_reset' | 'email_change' | 'email_verify', UserLinkKind>;

export interface Mailer {
  /** Sends one queued message now if no other worker has it. */
  deliver(outboxId: number): Promise<DeliveryResult>;
  /** Sends every message that is due; safe to run from several instances at once. */
  flush(): Promise<{ sent: number; failed: number }>;
  start(): void;
  stop(): void;
  /**
   * Stops the worker and waits for the sends under way (a flush's current message, every
   * `deliver`); messages claimed but not yet begun are released for another worker at once,
   * rather than after `mail.claimLeaseMs`. New sends are refused: their rows stay queued.
   */
  close(): Promise<void>;
}

/** 30 s, 1 min, 2 min … capped at 6 hours (with the default `mail.retryDelayMs`). */
export function backoffMs(attempts: number, firstMs = 30_000): number {
  return Math.min(firstMs * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
}

/** How often the worker's tick also runs the periodic work it is given (the two-factor reminders). */
const PERIODIC_EVERY_MS = 15 * 60 * 1000;

/**
 * `periodic`: work the worker's tick runs first, at most every 15 minutes per process (the
 * composition root passes the two-factor reminders; the mailer knows nothing of them).
 */
export function createMailer(kit: Kit, templates: Templates, userLinks: UserLinks, periodic?: () => Promise<unknown>): Mailer {
  const { store, knex } = kit;
  const { transport, from, maxAttempts, workerIntervalMs, claimLeaseMs, retryDelayMs } = kit.options.mail;
  const messageHost = new URL(kit.options.baseUrl).hostname;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let periodicAt: number | undefined;
  let closing = false;
  const inFlight = new Set<Promise<unknown>>();
  function tracked<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    const done = () => inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  /** The invitation's email, its link minted now; undefined when the invitation no longer wants one. */
  async function invitationMail(message: OutboxRow, fence: ClaimFence): Promise<MailMessage | undefined> {
    const invitation = message.invitationId === null ? undefined : await store.invitations.findById(knex, message.invitationId);
    // A cancelled or accepted invitation is never mailed again.
    if (!invitation || invitation.status !== 'pending') return undefined;
    const now = kit.now();
    const account = await store.accounts.findById(knex, invitation.accountId);
    // 0: the host's staff or a job invited through au.api; the email then speaks of the account alone.
    const inviter = invitation.invitedBy > 0 ? await kit.users.findById(invitation.invitedBy) : undefined;
    // The token is minted here, at send time, so it exists only in the email: the database
    // holds its hash, the outbox holds only the link's prefix.
    const token = newInvitationToken();
    const expiresAt = new Date(now.getTime() + kit.options.invitationTtl);
    if (!account) return undefined;
    const minted = await writeTransaction(
      kit,
      async (trx) => (await fence(trx)) && store.invitations.setToken(trx, invitation.id, hashToken(token), expiresAt, now, true),
    );
    if (!minted) return undefined;
    return composeInvitation(templates, {
      to: invitation.email,
      from,
      portal: kit.portal,
      accessUntil: invitation.accessUntil,
      accountName: account.name,
      inviterName: inviter?.name ?? null,
      permissions: kit.catalogue.normalise(invitation.permissions),
      link: message.linkPrefix + token,
      expiresAt,
      validity: kit.validity,
      locale: kit.locales.get(invitation.locale),
    });
  }

  /** A person's email in the language they last used; else in the one of the request that queued it. */
  async function languageOf(userId: number | undefined, message: OutboxRow): Promise<Locale> {
    const own = userId === undefined ? undefined : await store.userLocales.find(knex, userId);
    return kit.locales.get(own ?? message.locale);
  }

  /**
   * An email about a person's own login. Its link, like an invitation's, is minted now: the
   * outbox holds only the link's prefix. Undefined when nothing should be sent (no login has the
   * address of a reset request; the request was superseded, cancelled or used meanwhile; the
   * address to verify is no longer the login's, or was verified meanwhile).
   */
  async function userMail(message: OutboxRow, fence: ClaimFence): Promise<MailMessage | undefined> {
    const templateOf = { password_reset: 'password-reset', email_change: 'email-change', email_verify: 'email-verify' } as const;
    if (message.kind === 'password_reset' || message.kind === 'email_change' || message.kind === 'email_verify') {
      const kind = userLinks[message.kind];
      const armed = await kind.arm(kit, message, fence);
      if (!armed) return undefined;
      return composeUserMail(templates, templateOf[message.kind], {
        to: message.recipient,
        from,
        portal: kit.portal,
        name: armed.user.name,
        link: message.linkPrefix + armed.token,
        validity: new Duration(kind.validityMs),
        ...(message.kind === 'email_change' ? { newEmail: message.recipient } : {}),
        locale: await languageOf(armed.user.id, message),
      });
    }
    if (message.userTokenId === null) return undefined;
    const request = await store.userTokens.findById(knex, message.userTokenId);
    const user = request && (await kit.users.findById(request.userId));
    // A newer request sends its own notice; a cancelled one was ended by the owner's own reset or change.
    if (!request || !user || request.status === 'superseded' || request.status === 'cancelled') return undefined;
    return composeUserMail(templates, 'email-change-notice', {
      to: message.recipient,
      from,
      portal: kit.portal,
      name: user.name,
      link: message.linkPrefix,
      newEmail: request.newEmail ?? '',
      locale: await languageOf(user.id, message),
    });
  }

  /**
   * An email of an ownership transfer. The offer's link is minted now, and only while the offer
   * stands; the notices go out whatever became of it since (they say what happened when).
   */
  async function transferMail(message: OutboxRow, fence: ClaimFence): Promise<MailMessage | undefined> {
    const transfer = message.transferId === null ? undefined : await store.ownershipTransfers.findById(knex, message.transferId);
    if (!transfer) return undefined;
    const [account, fromUser, toUser] = await Promise.all([
      store.accounts.findById(knex, transfer.accountId),
      kit.users.findById(transfer.fromUserId),
      kit.users.findById(transfer.toUserId),
    ]);
    if (!account) return undefined;
    let link = message.linkPrefix;
    if (message.kind === 'ownership_offer') {
      const token = newInvitationToken();
      const minted = await writeTransaction(
        kit,
        async (trx) => (await fence(trx)) && store.ownershipTransfers.setToken(trx, transfer.id, hashToken(token), kit.now()),
      );
      if (!minted) return undefined;
      link += token;
    }
    return composeTransferMail(templates, message.kind as TransferMailKind, {
      to: message.recipient,
      from,
      portal: kit.portal,
      accountName: account.name,
      fromName: fromUser?.name ?? '',
      toName: toUser?.name ?? '',
      link,
      expiresAt: transfer.expiresAt,
      locale: await languageOf([fromUser, toUser].find((u) => u?.email.toLowerCase() === message.recipient.toLowerCase())?.id, message),
    });
  }

  /**
   * An email about a member's standing, written from the rows as they are now: a suspension lifted
   * before its email went is not announced, nor a reinstatement undone by a new suspension, nor a
   * restore of someone removed again.
   */
  async function memberMail(message: OutboxRow): Promise<MailMessage | undefined> {
    if (message.accountId === null || message.userId === null) return undefined;
    const [membership, user] = await Promise.all([
      store.memberships.find(knex, message.userId, message.accountId, kit.now()),
      kit.users.findById(message.userId),
    ]);
    if (!membership || !user) return undefined;
    const kind = message.kind as MemberMailKind;
    const suspended = membership.suspendedAt !== null;
    if ((kind === 'member_suspended') !== suspended && kind !== 'member_restored') return undefined;
    return composeMemberMail(templates, kind, {
      to: message.recipient,
      from,
      accountName: membership.accountName,
      name: user.name,
      reason: kind === 'member_suspended' ? membership.suspendedReason : null,
      link: message.linkPrefix,
      locale: await languageOf(user.id, message),
    });
  }

  /** The account's owner now requires a second factor; not sent once the rule is lifted or the member has one. */
  async function twoFactorRuleMail(message: OutboxRow): Promise<MailMessage | undefined> {
    const account = message.accountId === null ? undefined : await store.accounts.findById(knex, message.accountId);
    if (!account?.twoFactorRequired) return undefined;
    const reminder = message.kind === 'two_factor_reminder';
    // The reminder speaks of a grace still running: not sent once it has ended or was lifted.
    if (reminder && !(account.twoFactorGraceUntil && account.twoFactorGraceUntil.getTime() > kit.now().getTime())) return undefined;
    const user = await kit.users.findByEmail(message.recipient);
    if (user && (await store.twoFactor.find(knex, user.id))?.enabledAt) return undefined;
    return composeTwoFactorRuleMail(templates, {
      to: message.recipient,
      from,
      accountName: account.name,
      graceUntil: account.twoFactorGraceUntil,
      reminder,
      link: message.linkPrefix,
      locale: await languageOf(user?.id, message),
      passkeys: kit.options.twoFactor.passkeys !== false,
    });
  }

  async function sendClaimed(id: number, claimId: string): Promise<DeliveryResult> {
    const fence: ClaimFence = (db) => store.outbox.renew(db, id, claimId, kit.now(), claimLeaseMs);
    const message = await store.outbox.findById(knex, id);
    const mail =
      message &&
      (message.kind === 'invitation'
        ? await invitationMail(message, fence)
        : message.kind.startsWith('ownership_')
          ? await transferMail(message, fence)
          : message.kind.startsWith('member_')
            ? await memberMail(message)
            : message.kind === 'two_factor_required' || message.kind === 'two_factor_reminder'
              ? await twoFactorRuleMail(message)
              : await userMail(message, fence));
    if (!message || !mail) {
      // Conditional on the claim: a message another worker took over meanwhile stays theirs.
      await store.outbox.markCancelled(knex, id, claimId);
      return 'skipped';
    }
    // Writing the email read rows and may have waited for pooled connections: the lease starts
    // again now, so it covers the send and the mark alone, and a message another worker took over
    // while this one stalled is not sent a second time.
    if (!(await fence(knex))) return 'skipped';
    // The lease is kept alive while the SMTP server takes its time (nodemailer waits up to 10
    // minutes for a silent socket, the default lease is 5) and while the mark is retried: a send
    // still running is never taken over and sent again by another worker.
    const heartbeat = setInterval(() => void fence(knex).catch(() => undefined), Math.max(100, Math.floor(claimLeaseMs / 3)));
    heartbeat.unref();
    try {
      await transport.sendMail({ ...mail, messageId: `<au.${id}.${claimId}@${messageHost}>` });
    } catch (err) {
      clearInterval(heartbeat);
      const attempts = message.attempts + 1;
      const next = attempts >= maxAttempts ? null : new Date(kit.now().getTime() + backoffMs(attempts, retryDelayMs));
      // The transport's own words (host, port, the server's reply) go to the log; the owner gets a word for them.
      const reason = err instanceof Error ? err.message : String(err);
      const problem = deliveryProblemOf(err);
      await store.outbox.markFailed(knex, id, claimId, problem, next);
      const what = message.kind === 'invitation' ? 'invitation' : message.kind.replace(/_/g, ' ');
      kit.logger.error(`express-account-users: ${what} email ${id} to ${mail.to} failed (attempt ${attempts}, ${problem}): ${reason}`);
      return 'failed';
    }
    try {
      await markSent(id, claimId, message.attempts);
    } finally {
      clearInterval(heartbeat);
    }
    return 'sent';
  }

  /**
   * The email is out: its row must say so before the claim's lease ends, or another worker sends
   * it again. A database that fails for a moment (a pooler restarting, a pool exhausted) is
   * retried, for up to half the lease.
   */
  async function markSent(id: number, claimId: string, attemptsBefore: number): Promise<void> {
    const deadline = Date.now() + claimLeaseMs / 2;
    for (let attempt = 1; ; attempt++) {
      try {
        if (await store.outbox.markSent(knex, id, claimId, kit.now())) return;
        // This process stalled past the lease (a pool out of connections behind a long lock, a
        // starved CPU) and another worker took the row over. Sent is what it was, if the row was
        // cancelled meanwhile with no other attempt made; otherwise the row tells the other
        // worker's story, and the warning says what became of it.
        const recorded = await store.outbox.markSentOverCancel(knex, id, claimId, attemptsBefore, kit.now());
        const now = recorded ? undefined : (await store.outbox.findById(knex, id))?.status;
        const after = recorded
          ? 'cancelled meanwhile, it is recorded as sent'
          : now === 'sent'
            ? 'the other worker sent it too'
            : now === 'sending' || now === 'queued'
              ? 'the other worker may send it again'
              : `the row is ${now ?? 'gone'}`;
        kit.logger.warn(
          `express-account-users: email ${id} was sent after another worker took it over (this process stalled past mail.claimLeaseMs); ${after}`,
        );
        return;
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        kit.logger.warn(`express-account-users: email ${id} was sent but could not be marked sent (attempt ${attempt}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      }
    }
  }

  async function deliverNow(outboxId: number): Promise<DeliveryResult> {
    const claimId = newClaimId();
    if (!(await store.outbox.claim(knex, outboxId, claimId, kit.now(), claimLeaseMs))) return 'skipped';
    return sendClaimed(outboxId, claimId);
  }

  /** After close() the row stays queued: a worker of another process (or of the next start) sends it. */
  function deliver(outboxId: number): Promise<DeliveryResult> {
    return closing ? Promise.resolve('skipped') : tracked(deliverNow(outboxId));
  }

  async function flush(): Promise<{ sent: number; failed: number }> {
    const totals = { sent: 0, failed: 0 };
    for (;;) {
      if (closing) return totals;
      const claimId = newClaimId();
      // Select and claim in one transaction: on PostgreSQL the SELECT … FOR UPDATE SKIP LOCKED
      // keeps two workers off the same rows; on every dialect the conditional claim decides.
      const claimed = await writeTransaction(kit, async (trx) => {
        const now = kit.now();
        const ids = await store.outbox.due(trx, now, 20);
        const mine: number[] = [];
        for (const id of ids) if (await store.outbox.claim(trx, id, claimId, now, claimLeaseMs)) mine.push(id);
        return { ids, mine };
      });
      for (const id of claimed.mine) {
        if (closing) {
          await store.outbox.release(knex, id, claimId);
          continue;
        }
        // Each message's lease starts again as its turn comes (see renew): one that another worker
        // took over while it waited behind the others is that worker's now.
        const result = await tracked(
          store.outbox.renew(knex, id, claimId, kit.now(), claimLeaseMs).then((mine) => (mine ? sendClaimed(id, claimId) : ('skipped' as const))),
        );
        if (result === 'sent') totals.sent++;
        if (result === 'failed') totals.failed++;
      }
      if (claimed.ids.length === 0) return totals;
      // A batch lost to another worker (on MariaDB and SQLite both select the same rows) is no
      // reason to stop: the rows after it may still be unclaimed. The loop ends when nothing is due.
    }
  }

  async function periodicWork(): Promise<void> {
    const now = kit.now().getTime();
    if (closing || !periodic || (periodicAt !== undefined && now - periodicAt < PERIODIC_EVERY_MS)) return;
    periodicAt = now;
    await periodic().catch((err) => kit.logger.error('express-account-users: the outbox worker’s periodic work failed', err));
  }

  function tick(): void {
    if (running) return;
    running = periodicWork()
      .then(flush)
      .catch((err) => kit.logger.error('express-account-users: outbox flush failed', err))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    deliver,
    flush,
    start() {
      if (timer) return;
      timer = setInterval(tick, workerIntervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    async close() {
      closing = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      await Promise.allSettled([...inFlight]);
    },
  };
}
