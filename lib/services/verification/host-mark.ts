import { z } from 'zod';
import type { Kit } from '../context.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { actorSchema, idSchema } from '../acting.js';
import { parseInput } from '../input.js';
import { publicUser, type AccountUser } from '../user-store.js';
import { writeTransaction } from '../../store/transactions.js';
import { emitUserActivity, recordUserActivity } from '../self-service/user-activity.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';
import { emailIsVerified, markVerifiedIn } from './address.js';

const markInput = z.object({ actor: actorSchema, userId: idSchema });

/**
 * au.api.markEmailVerified: the host says the address is proved (its own sign-up checked it, an
 * SSO vouched for it). The host's staff or job only (`{ system }`): a person proves their address
 * with the link, never by their own say-so.
 */
export async function markEmailVerified(kit: Kit, input: { actor?: unknown; userId?: unknown }): Promise<{ user: AccountUser & { emailVerified: boolean } }> {
  const { actor, userId } = parseInput(markInput, input);
  if (!('system' in actor)) throw new ForbiddenError('error.verifySystemOnly');
  if (!kit.features.verify) throw new NotFoundError();
  const user = await kit.users.findById(userId);
  if (!user) throw new NotFoundError('error.noSuchUser');
  if (emailIsVerified(user)) return { user: publicUser(user) };
  const entry: UserActivityEntry = { userId, action: 'user.email_verified', details: { email: user.email, by: actor.system } };
  await writeTransaction(kit, async (trx) => {
    await markVerifiedIn(kit, trx, userId);
    await recordUserActivity(kit, trx, entry);
  });
  emitUserActivity(kit, entry);
  return { user: publicUser({ ...user, emailVerified: true }) };
}
