import { z } from 'zod';
import type { Kit, SelfActor } from '../context.js';
import { InvalidInputError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import { parseInput, passwordSchema } from '../input.js';
import { writeTransaction } from '../../store/transactions.js';
import { emitUserActivity, recordUserActivity } from './user-activity.js';
import { cancelPendingLinks, cancelPendingLinksAfterCommit } from './user-links.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';

const changeInput = z.object({
  currentPassword: z
    .string({ error: 'field.required' })
    .min(1, 'field.required')
    .refine((v) => Buffer.byteLength(v, 'utf8') <= 1024, 'field.passwordBytes'),
  newPassword: passwordSchema,
});

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
  const { currentPassword, newPassword } = parseInput(changeInput, input);
  const user = await kit.users.findById(actor.userId);
  if (!user) throw new UnauthenticatedError();
  if (!(await kit.users.verifyPassword(user, currentPassword))) throw InvalidInputError.field('currentPassword', 'field.notCurrentPassword');
  if (currentPassword === newPassword) throw InvalidInputError.field('newPassword', 'field.samePassword');
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
