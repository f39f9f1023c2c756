import type { Kit } from '../context.js';
import { writeTransaction } from '../../store/transactions.js';
import type { ReminderDue } from '../../store/two-factor/reminders.js';

/*
 * The reminder before an account's grace ends: each member without a factor of an account whose
 * rule has a grace period gets one email `twoFactor.reminderDaysBefore` days before it ends, in
 * their language (the outbox writes it at send time). "Once per member and rule" is the primary key
 * of <prefix>two_factor_reminders, claimed in the transaction that queues the email, so several
 * processes (the outbox worker of every instance, a host's job calling au.api) queue it once.
 * Nothing schedules it on its own: the outbox worker runs it on its tick, and
 * au.api.sendTwoFactorReminders() runs it for hosts without the worker.
 */

const DAY = 24 * 60 * 60 * 1000;
/** Members read per statement. */
const BATCH = 100;

/** Thrown inside the queuing transaction when another process claimed the reminder first: it rolls back. */
class ClaimedElsewhere extends Error {}

async function queueReminder(kit: Kit, due: ReminderDue, now: Date): Promise<number | undefined> {
  const user = await kit.users.findById(due.userId);
  const linkPrefix = `${kit.options.baseUrl}${kit.options.userMountPath}/two-factor`;
  try {
    return await writeTransaction(kit, async (trx) => {
      if (!(await kit.store.twoFactorReminders.claim(trx, due, now))) throw new ClaimedElsewhere();
      // A login without an address (a host's store) is claimed and skipped: nothing to send it.
      if (!user?.email) return undefined;
      return kit.store.outbox.enqueueAccountMail(trx, {
        kind: 'two_factor_reminder',
        accountId: due.accountId,
        userId: due.userId,
        recipient: user.email,
        linkPrefix,
        now,
        locale: null,
      });
    });
  } catch (err) {
    if (err instanceof ClaimedElsewhere) return undefined;
    throw err;
  }
}

/**
 * au.api.sendTwoFactorReminders, and the outbox worker's tick: queues (and tries to send) the
 * reminder for every member now due one. `queued`: how many this call queued.
 */
export async function sendTwoFactorReminders(kit: Kit): Promise<{ queued: number }> {
  const days = kit.options.twoFactor.reminderDaysBefore;
  if (days === 0) return { queued: 0 };
  const now = kit.now();
  const until = new Date(now.getTime() + days * DAY);
  const ids: number[] = [];
  for (;;) {
    const due = await kit.store.twoFactorReminders.due(kit.knex, now, until, BATCH);
    for (const member of due) {
      const id = await queueReminder(kit, member, now);
      if (id !== undefined) ids.push(id);
    }
    // Every row read was claimed (here or elsewhere), so the next read starts after them.
    if (due.length < BATCH) break;
  }
  // A failed first attempt stays queued for the worker.
  for (const id of ids) await kit.deliver(id);
  return { queued: ids.length };
}
