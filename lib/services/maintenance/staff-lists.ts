import { z } from 'zod';
import type { Kit } from '../context.js';
import { parseInput } from '../input.js';
import { actorSchema, idSchema } from '../acting.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import type { AccountListRow, UserListRow } from '../../store/maintenance/staff-lists.js';

/** A page of a staff list: pass `next` as `after` for the following page; null on the last. */
export interface StaffPage<T> {
  items: T[];
  next: number | null;
}

const pageInput = {
  actor: actorSchema,
  after: idSchema.optional(),
  limit: z.number().int().min(1, 'must be between 1 and 1000').max(1000, 'must be between 1 and 1000').default(100),
};

/** Every account and every login is the host's business only: a user actor is refused. */
function requireSystem(actor: z.infer<typeof actorSchema>): void {
  if (!('system' in actor)) throw new ForbiddenError('error.staffListSystemOnly');
}

async function page<T extends { id: number }>(limit: number, read: (limit: number) => Promise<T[]>): Promise<StaffPage<T>> {
  // One row beyond the page says whether there is another, without a count.
  const rows = await read(limit + 1);
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** au.api.listAccounts: every account, by id, for staff tools (`{ system }` actors only). */
export async function listAccounts(kit: Kit, input: { actor?: unknown; after?: unknown; limit?: unknown }): Promise<StaffPage<AccountListRow>> {
  const { actor, after, limit } = parseInput(z.strictObject(pageInput), input);
  requireSystem(actor);
  const store = kit.store.staffLists;
  return page(limit, (n) => store.accounts(kit.knex, after ?? 0, n));
}

/**
 * au.api.searchUsers: the kit's logins whose address or name contains `query` (case ignored), by id,
 * for staff tools (`{ system }` actors only). With the host's own `users` store the host searches its
 * own table: NotFoundError.
 */
export async function searchUsers(kit: Kit, input: { actor?: unknown; query?: unknown; after?: unknown; limit?: unknown }): Promise<StaffPage<UserListRow>> {
  const { actor, query, after, limit } = parseInput(
    z.strictObject({ ...pageInput, query: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(254, 'field.tooLong') }),
    input,
  );
  requireSystem(actor);
  if (kit.options.users) throw new NotFoundError();
  const store = kit.store.staffLists;
  return page(limit, (n) => store.users(kit.knex, query, after ?? 0, n));
}
