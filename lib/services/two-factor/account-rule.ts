import { z } from 'zod';
import { actorFields, requireOwner, type Kit } from '../context.js';
import { actingIn, idSchema, type ActingInput } from '../acting.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { parseCursor, parseInput } from '../input.js';
import { emit, findUsers, PAGE_SIZE, record } from '../activity.js';
import { writeTransaction } from '../../store/transactions.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import { factorEnabledAt } from './two-factor.js';

export { enrolmentDue } from './enrolment-due.js';

const DAY = 24 * 60 * 60 * 1000;

/** An account's two-factor rule. */
export interface AccountTwoFactorRule {
  /** The owner requires a second factor of everyone in the account. */
  required: boolean;
  /** Until then members without a factor may still act (and are reminded); null: no grace. */
  graceUntil: Date | null;
}

/** au.api.accountTwoFactorRule. */
export async function accountTwoFactorRule(kit: Kit, input: { accountId?: unknown }): Promise<AccountTwoFactorRule> {
  const { accountId } = parseInput(z.object({ accountId: idSchema }), { accountId: input?.accountId });
  const account = await kit.store.accounts.findById(kit.knex, accountId);
  if (!account) throw new NotFoundError('error.noSuchAccount');
  return { required: account.twoFactorRequired, graceUntil: account.twoFactorRequired ? account.twoFactorGraceUntil : null };
}

const ruleSchema = z.object({
  // A form's checkbox sends "on" or nothing; JSON sends a boolean.
  required: z
    .union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('false'), z.undefined()], { error: 'field.boolean' })
    .transform((v) => v === true || v === 'on' || v === 'true'),
  graceDays: z.coerce.number({ error: 'field.graceDays' }).int('field.graceDays').min(0, 'field.graceDays').max(90, 'field.graceDays').default(0),
});

/**
 * The owner (or the host's staff as `{ system }`) sets the account's rule; a delegate cannot, even
 * with `manageusers`. A person requiring it must have a factor first, so they cannot lock themselves
 * out. Turning it on emails every member without a factor (through the outbox); the change is in the
 * account's activity and on au.events as 'account.two_factor_rule_changed'.
 */
export async function setAccountTwoFactorRule(
  kit: Kit,
  input: ActingInput & { required?: unknown; graceDays?: unknown; locale?: string },
): Promise<{ rule: AccountTwoFactorRule }> {
  const actor = await actingIn(kit, input);
  requireOwner(actor, 'error.ownerOnlyTwoFactor');
  const raw = input.graceDays === '' ? undefined : input.graceDays;
  const { required, graceDays } = parseInput(ruleSchema, { required: input.required, graceDays: raw });
  if (required && actor.userId !== null && !(await factorEnabledAt(kit, actor.userId))) throw new ConflictError('error.ownerNeedsFactor');
  const now = kit.now();
  const graceUntil = required && graceDays > 0 ? new Date(now.getTime() + graceDays * DAY) : null;
  const before = await kit.store.accounts.findById(kit.knex, actor.accountId);
  if (!before) throw new NotFoundError('error.noSuchAccount');
  const turnedOn = required && !before.twoFactorRequired;
  // Addresses read before the transaction: the user store may read through its own connection.
  const recipients = turnedOn
    ? (await findUsers(kit, await kit.store.twoFactor.membersWithoutFactor(kit.knex, actor.accountId))).filter((u) => u.id !== actor.userId && u.email)
    : [];
  const entry: ActivityEntry = {
    accountId: actor.accountId,
    ...actorFields(actor),
    action: 'account.two_factor_rule_changed',
    details: { required, graceUntil: graceUntil ? graceUntil.toISOString() : null },
  };
  const linkPrefix = `${kit.options.baseUrl}${kit.options.userMountPath}/two-factor`;
  const mails = await writeTransaction(kit, async (trx) => {
    if (!(await kit.store.accounts.setTwoFactorRule(trx, actor.accountId, required, graceUntil))) throw new NotFoundError('error.noSuchAccount');
    await record(kit, trx, entry);
    const ids: number[] = [];
    for (const user of recipients) {
      ids.push(
        await kit.store.outbox.enqueueAccountMail(trx, {
          kind: 'two_factor_required',
          accountId: actor.accountId,
          recipient: user.email,
          linkPrefix,
          now,
          locale: input.locale ?? actor.locale ?? null,
        }),
      );
    }
    return ids;
  });
  emit(kit, entry);
  // A failed first attempt stays queued for the worker.
  for (const id of mails) await kit.deliver(id);
  return { rule: { required, graceUntil } };
}

export interface MemberFactor {
  userId: number;
  name: string;
  email: string;
  isOwner: boolean;
  /** The member's login has a second factor turned on. */
  twoFactorEnabled: boolean;
}

/**
 * The owner's security page: the rule and who has a factor, one page of members at a time (the
 * members' factor comes in the page's own statement). Owner or system only.
 */
export async function accountSecurity(
  kit: Kit,
  input: ActingInput & { after?: unknown; before?: unknown },
): Promise<{ rule: AccountTwoFactorRule; members: MemberFactor[]; next: number | null; previous: number | null }> {
  const actor = await actingIn(kit, input);
  requireOwner(actor, 'error.ownerOnlyTwoFactor');
  const rule = await accountTwoFactorRule(kit, { accountId: actor.accountId });
  const page = await kit.store.memberships.listForAccount(kit.knex, actor.accountId, { ...parseCursor(input), limit: PAGE_SIZE }, kit.now());
  const users = new Map(
    (
      await findUsers(
        kit,
        page.rows.map((r) => r.userId),
      )
    ).map((u) => [u.id, u]),
  );
  return {
    rule,
    members: page.rows.map((r) => ({
      userId: r.userId,
      name: users.get(r.userId)?.name ?? '(deleted user)',
      email: users.get(r.userId)?.email ?? '',
      isOwner: r.userId === r.ownerUserId,
      twoFactorEnabled: r.twoFactorEnabledAt !== null,
    })),
    next: page.next,
    previous: page.previous,
  };
}
