import { z } from 'zod';
import type { Acting, Kit } from './context.js';
import { NotFoundError, TwoFactorRequiredError } from '../errors.js';
import { idSchema, parseInput } from './input.js';

export { idSchema };
import { withoutBidiControls } from '../i18n/bidi.js';
import { accessEndedError, suspendedError } from './access.js';
import { toMembership } from './accounts/accounts.js';

/**
 * Who calls au.api: a user (checked as the pages check them: a member of the account named, the
 * owner for owner-only actions) or the host's own staff or job by name (no membership check;
 * recorded in the activity log under that name).
 */
export type Actor = { userId: number } | { system: string };

// Control characters (line breaks and NEL included), line and paragraph separators.
const BREAKS_AND_CONTROLS = /[\p{Cc}\p{Zl}\p{Zp}]/u;

export const actorSchema = z.union(
  [
    z.strictObject({ userId: idSchema }),
    z.strictObject({
      system: z
        .string({ error: 'must be { userId } or { system: "<who>" }' })
        // The host's code names itself: a control character or a line or paragraph separator (which
        // could forge a line of the log, or end an isolate in a right-to-left sentence) is refused.
        .refine((v) => !BREAKS_AND_CONTROLS.test(v), 'must not contain control characters or line breaks')
        // Shown to the account's people as who acted ("invited by support"): no bidi controls, as names.
        .overwrite(withoutBidiControls)
        .trim()
        .min(1, 'must name who acts, e.g. { system: "support" }')
        .max(64, 'must be at most 64 characters'),
    }),
  ],
  { error: 'must be { userId } or { system: "<who>" }' },
);

// What the guard built for this request: the membership was read moments ago, so the
// services take it as it is. A WeakSet rather than a property: a host cannot forge one.
const fromGuard = new WeakSet<Acting>();

/** The actor of a page request, from the membership the guard loaded. */
export function actingFromGuard(acting: Acting): Acting {
  fromGuard.add(acting);
  return acting;
}

export interface ActingInput {
  actor?: unknown;
  accountId?: unknown;
}

/**
 * Resolves `actor` in `accountId`. An account the user does not belong to, or that does not
 * exist, is "not found" either way: an id never tells whether someone else's account exists.
 */
export async function actingIn(kit: Kit, input: ActingInput): Promise<Acting> {
  const given = input.actor;
  if (typeof given === 'object' && given !== null && fromGuard.has(given as Acting)) {
    const acting = given as Acting;
    if (input.accountId !== undefined && input.accountId !== acting.accountId) throw new NotFoundError('error.noSuchAccount');
    return acting;
  }
  const { actor, accountId } = parseInput(z.object({ actor: actorSchema, accountId: idSchema }), { actor: given, accountId: input.accountId });
  const linkPrefix = `${kit.options.baseUrl}${kit.options.mountPath}/accept/`;
  if ('system' in actor) {
    if (!(await kit.store.accounts.findById(kit.knex, accountId))) throw new NotFoundError('error.noSuchAccount');
    return { accountId, userId: null, system: actor.system, isOwner: true, permissions: kit.catalogue.keys, allPermissions: true, ip: null, linkPrefix };
  }
  const row = await kit.store.memberships.find(kit.knex, actor.userId, accountId, kit.now());
  if (!row) throw new NotFoundError('error.noSuchAccount');
  if (row.suspendedAt) throw suspendedError(row.accountName);
  if (row.accessEnded && row.accessUntil) throw accessEndedError(row.accountName, row.accessUntil);
  const { isOwner, permissions, allPermissions, twoFactorEnrolmentDue } = toMembership(kit, row);
  // The account's two-factor rule holds for au.api as for the pages: no factor after the grace, no access.
  if (twoFactorEnrolmentDue) throw new TwoFactorRequiredError(row.accountName);
  return { accountId, userId: actor.userId, system: null, isOwner, permissions, allPermissions, ip: null, linkPrefix };
}
