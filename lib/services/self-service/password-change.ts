import { z } from 'zod';
import type { Kit, SelfActor } from '../context.js';
import { InvalidInputError, NotFoundError, UnauthenticatedError, type KeyedIssue } from '../../errors.js';
import { parseInput, passwordSchema } from '../input.js';
import { writeTransaction } from '../../store/transactions.js';
import { emitUserActivity, recordUserActivity } from './user-activity.js';
import { cancelPendingLinks, cancelPendingLinksAfterCommit } from './user-links.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';

const currentInput = z.object({
  currentPassword: z
    .string({ error: 'field.required' })
    .min(1, 'field.required')
    .refine((v) => Buffer.byteLength(v, 'utf8') <= 1024, 'field.passwordBytes'),
});
const newInput = z.object({ newPassword: passwordSchema });

/** The value parsed, or undefined with its issues added to `issues`. */
function parsedOr<T>(issues: KeyedIssue[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    issues.push(...err.keyedIssues);
    return undefined;
  }
}

/** A new password made by the store: the kit's scrypt, or the host's own hashing. */
export function hashNewPassword(kit: Kit, password: string): Promise<string> {
  return kit.users.hashPassword!(password);
}

/**
 * Changes the signed-in person's password after checking the current one. Every session of the
 * user established before the returned moment is signed out on its next request; the caller
 * re-establishes its own session at that moment, so this browser stays signed in.
 */
export async function changePassword(
  kit: Kit,
  actor: SelfActor,
  input: { currentPassword?: unknown; newPassword?: unknown },
): Promise<{ sessionsValidAfter: Date }> {
  const setPasswordHash = kit.users.setPasswordHash?.bind(kit.users);
  if (!kit.features.password || !setPasswordHash) throw new NotFoundError();
  // Every problem at once, field by field: a new password too short and a wrong current one are
  // told together, not one per attempt (the current one is checked, and counted, either way).
  const issues: KeyedIssue[] = [];
  const current = parsedOr(issues, () => parseInput(currentInput, input).currentPassword);
  const newPassword = parsedOr(issues, () => parseInput(newInput, input).newPassword);
  const user = await kit.users.findById(actor.userId);
  if (!user) throw new UnauthenticatedError();
  if (current !== undefined && !(await kit.users.verifyPassword(user, current))) {
    issues.unshift({ field: 'currentPassword', key: 'field.notCurrentPassword' });
  } else if (current !== undefined && current === newPassword) {
    // Said only once the current password is proved: otherwise it would confirm a guess.
    issues.push({ field: 'newPassword', key: 'field.samePassword' });
  }
  if (issues.length || current === undefined || newPassword === undefined) throw new InvalidInputError(issues);
  // Hashed before the transaction: a deliberately slow hash never holds a connection.
  const hash = await hashNewPassword(kit, newPassword);
  const sessionsValidAfter = kit.now();
  const entry: UserActivityEntry = { userId: user.id, action: 'user.password_changed', ip: actor.ip ?? null };
  await writeTransaction(kit, async (trx) => {
    await setPasswordHash(user.id, hash, { sessionsValidAfter, trx });
    // A pending email change (a thief's, made with the old password) and reset links end here.
    await cancelPendingLinks(kit, trx, user.id);
    // A browser remembered for the second step (perhaps by whoever knew the old password) is forgotten.
    await kit.store.rememberedDevices.removeAll(trx, user.id);
    await recordUserActivity(kit, trx, entry);
  });
  await cancelPendingLinksAfterCommit(kit, user.id);
  emitUserActivity(kit, entry);
  return { sessionsValidAfter };
}
