import { z } from 'zod';
import type { Kit } from '../context.js';
import { InvalidInputError } from '../../errors.js';
import { grants } from '../../permissions.js';
import { idSchema } from '../input.js';
import { parseInput } from '../input.js';
import { toMembership } from './accounts.js';

/**
 * au.api.can: requirePermission's rule outside a route. One indexed query (the guard's), no cache,
 * so a revoked permission or a removal is seen by the very next call. Not a member: false. An
 * unknown key is refused, as requirePermission refuses one (there at start-up, here as invalid
 * input), rather than answered false: a typo should fail loudly, not hide a feature from everyone.
 */
export async function can(kit: Kit, who: { userId?: unknown; accountId?: unknown }, keys: readonly unknown[]): Promise<boolean> {
  const { userId, accountId } = parseInput(z.object({ userId: idSchema, accountId: idSchema }), { userId: who?.userId, accountId: who?.accountId });
  if (keys.length === 0) throw InvalidInputError.field('keys', 'field.keysRequired');
  const unknown = keys.filter((k) => typeof k !== 'string' || !kit.catalogue.has(k));
  if (unknown.length)
    throw InvalidInputError.field('keys', 'field.unknownPermission', {
      keys: unknown
        .slice(0, 5)
        .map((k) => JSON.stringify(String(k).slice(0, 40)))
        .join(', '),
    });
  // An ended access, a suspension or a membership held back by the account's two-factor rule
  // grants nothing: all are read in the lookup's own statement.
  const row = await kit.store.memberships.find(kit.knex, userId, accountId, kit.now());
  if (!row || row.accessEnded || row.suspendedAt !== null) return false;
  const membership = toMembership(kit, row);
  return !membership.twoFactorEnrolmentDue && grants(membership, keys as string[]);
}
