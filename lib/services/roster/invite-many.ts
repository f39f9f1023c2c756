import { z } from 'zod';
import type { Knex } from 'knex';
import { requireManager, type Acting, type DeliveryResult, type Kit } from '../context.js';
import { actingIn, type ActingInput } from '../acting.js';
import { assertMayGrant, boundedUntil, delegateAtWrite } from '../members/delegation.js';
import {
  deliverNow,
  insertInvitation,
  invitationEntry,
  invitationIsExpired,
  isMember,
  rearmInvitation,
  toInvitationView,
  type InvitationView,
  type NewInvitation,
} from '../invitations/invitations.js';
import { accessUntilSchema, emailSchema, localeSchema, parseInput, permissionsSchema } from '../input.js';
import { withPreset } from '../presets.js';
import { writeTransaction } from '../../store/transactions.js';
import { isUniqueViolation } from '../../store/db.js';
import { TooManyRequestsError } from '../../errors.js';
import { emit, record } from '../activity.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import type { AccountUser } from '../user-store.js';

/**
 * What became of one address of a bulk invitation: `invited` (a new invitation, or an expired one
 * sent again), `already_member`, `already_invited` (a pending invitation stands; it is left as it
 * is), `invalid` (not an email address), `limited` (the account's daily invitation limit was reached).
 */
export type BulkInviteOutcome = 'invited' | 'already_member' | 'already_invited' | 'invalid' | 'limited';

export interface BulkInviteResult {
  /** The address as stored (trimmed, lower-cased); for `invalid`, as given (at most 254 characters). */
  email: string;
  outcome: BulkInviteOutcome;
  /** The invitation made, or the one already pending (`already_invited`). */
  invitation?: InvitationView;
  /** For `invited`: the email's first attempt, made after all the addresses were decided. */
  delivery?: DeliveryResult;
}

export interface InviteManyInput extends ActingInput {
  /** Addresses: a list, or one text of addresses separated by line breaks, commas, semicolons or spaces (a pasted column). */
  emails?: unknown;
  permissions?: unknown;
  preset?: unknown;
  accessUntil?: unknown;
  locale?: unknown;
}

// A pasted column, a mail client's "a@x, b@y" or a spreadsheet's "a@x; b@y": all are lists.
const SEPARATORS = /[\s,;]+/;

const emailsSchema = (max: number) =>
  z
    .union([z.array(z.string({ error: 'field.emailList' })), z.string()], { error: 'field.emailList' })
    .transform((v) => (Array.isArray(v) ? v : v.split(SEPARATORS)).map((e) => e.trim()).filter((e) => e !== ''))
    .pipe(z.array(z.string()).min(1, 'field.required').max(max, 'field.tooManyAddresses'));

const inviteManySchema = (kit: Kit) =>
  z.object({
    emails: emailsSchema(kit.options.limits.bulkInviteMax),
    permissions: permissionsSchema(kit.catalogue, { allowEmpty: false }),
    accessUntil: accessUntilSchema(kit.now()),
    locale: localeSchema(kit),
  });

type Decided = { result: BulkInviteResult; outboxId: number | null; entry: ActivityEntry | null };

/**
 * One address, all or nothing, in its own transaction under the account's lock: the daily limit
 * is counted by the same helper as a single invitation's, so two bulk invitations at once (or one
 * and a single invite) are decided one address at a time and never pass the limit together.
 */
async function inviteOne(
  kit: Kit,
  actor: Acting,
  wanted: Omit<NewInvitation, 'accessUntil'> & { asked: Date | null },
  hostUser: AccountUser | undefined,
): Promise<Decided> {
  const attempt = () =>
    writeTransaction(kit, async (trx: Knex.Transaction): Promise<Decided> => {
      const now = kit.now();
      await kit.store.accounts.lockForWrite(trx, actor.accountId);
      const { actor: current, until: ownUntil } = await delegateAtWrite(kit, trx, actor, now);
      assertMayGrant(kit, current, wanted.permissions);
      const invitation: NewInvitation = { ...wanted, accessUntil: boundedUntil(ownUntil, wanted.asked) ?? null };
      const email = wanted.email;
      if (await isMember(kit, trx, actor.accountId, email, hostUser)) return { result: { email, outcome: 'already_member' }, outboxId: null, entry: null };
      const pending = await kit.store.invitations.findPending(trx, actor.accountId, email);
      // A pending invitation is left as it is (its sender chose its permissions); an expired one
      // holds the address but can no longer be accepted, so it is sent again with these.
      if (pending && !invitationIsExpired(pending, now)) {
        return { result: { email, outcome: 'already_invited', invitation: toInvitationView(kit, pending, undefined) }, outboxId: null, entry: null };
      }
      const made = pending ? await rearmInvitation(kit, trx, actor, pending.id, invitation, now) : await insertInvitation(kit, trx, actor, invitation, now);
      const entry = invitationEntry(actor, invitation, made.id, pending ? 'invitation.resent' : 'invitation.sent');
      await record(kit, trx, entry);
      const row = (await kit.store.invitations.findById(trx, made.id))!;
      return { result: { email, outcome: 'invited', invitation: toInvitationView(kit, row, undefined) }, outboxId: made.outboxId, entry };
    });
  try {
    try {
      return await attempt();
    } catch (err) {
      // The same address invited elsewhere at this moment: the unique (account, pending email)
      // index refused this insert; run again and it finds that invitation.
      if (!isUniqueViolation(err)) throw err;
      return await attempt();
    }
  } catch (err) {
    // The daily limit refused this address; nothing of it was written.
    if (err instanceof TooManyRequestsError) return { result: { email: wanted.email, outcome: 'limited' }, outboxId: null, entry: null };
    throw err;
  }
}

/** Runs `work` on every item, at most `concurrency` at a time. */
export async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * Invites up to `limits.bulkInviteMax` addresses with one set of permissions (or a preset). The
 * request as a whole is refused (nothing written) when its permissions, end date or list are wrong
 * or beyond a delegate's rights; otherwise each address gets its own answer, in the order given,
 * repeated addresses once. The emails are sent after every address was decided.
 */
export async function inviteMany(kit: Kit, input: InviteManyInput): Promise<{ results: BulkInviteResult[] }> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const parsed = parseInput(inviteManySchema(kit), {
    emails: input.emails,
    permissions: withPreset(kit, input.permissions, input.preset),
    accessUntil: input.accessUntil,
    locale: input.locale,
  });
  const { permissions } = parsed;
  assertMayGrant(kit, actor, permissions);
  const locale = parsed.locale ?? actor.locale ?? kit.defaultLocale;
  const asked = parsed.accessUntil ?? null;

  const seen = new Set<string>();
  const decided: Decided[] = [];
  for (const given of parsed.emails) {
    const checked = emailSchema.safeParse(given);
    if (!checked.success) {
      const shown = given.slice(0, 254);
      if (!seen.has(shown)) decided.push({ result: { email: shown, outcome: 'invalid' }, outboxId: null, entry: null });
      seen.add(shown);
      continue;
    }
    const email = checked.data;
    if (seen.has(email)) continue;
    seen.add(email);
    // A host's user store reads through its own connection: asked before the transaction (see isMember).
    const hostUser = kit.options.users ? await kit.users.findByEmail(email) : undefined;
    decided.push(await inviteOne(kit, actor, { email, permissions, asked, locale, send: true }, hostUser));
  }
  for (const d of decided) if (d.entry) emit(kit, d.entry);
  // The first attempt of each email, a few at a time: a slow mail server delays the answer, not the decisions.
  await eachLimited(
    decided.filter((d) => d.outboxId !== null),
    4,
    async (d) => {
      const delivery = await deliverNow(kit, d.outboxId);
      if (delivery !== 'unchanged') d.result.delivery = delivery;
    },
  );
  return { results: decided.map((d) => d.result) };
}
