import { z } from 'zod';
import type { Kit, SelfActor } from '../context.js';
import type { LoginFeatures } from '../user-store.js';
import { NotFoundError, UnauthenticatedError } from '../../errors.js';
import { nameSchema, parseInput } from '../input.js';
import { writeTransaction } from '../../store/transactions.js';
import { emitUserActivity, recordUserActivity } from './user-activity.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';

export interface Profile {
  /** `emailVerified`: something proved the address (lib/services/verification/). */
  /**
   * `lastLoginAt`: the latest sign-in, which is this session's own; `previousLoginAt`: the one
   * before it, what the profile's "Last login" shows (null: none before this one).
   */
  user: { id: number; email: string; name: string; lastLoginAt: Date | null; previousLoginAt: Date | null; emailVerified: boolean };
  /** What this person may change here (all with the kit's users; what the host's store offers otherwise). */
  features: LoginFeatures;
}

/** The signed-in person's own login. A session whose user has gone is treated as signed out. */
export async function getProfile(kit: Kit, actor: SelfActor): Promise<Profile> {
  const user = await kit.users.findById(actor.userId);
  if (!user) throw new UnauthenticatedError();
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      lastLoginAt: user.lastLoginAt ?? null,
      previousLoginAt: user.previousLoginAt ?? null,
      emailVerified: user.emailVerified === true,
    },
    features: kit.features,
  };
}

const nameInput = z.object({ name: nameSchema });

/** Renames the signed-in person; an unchanged name writes nothing. */
export async function changeName(kit: Kit, actor: SelfActor, input: { name?: unknown }): Promise<Profile> {
  const setName = kit.users.setName?.bind(kit.users);
  if (!kit.features.name || !setName) throw new NotFoundError();
  const { name } = parseInput(nameInput, input);
  const before = await getProfile(kit, actor);
  if (before.user.name === name) return before;
  const entry: UserActivityEntry = {
    userId: actor.userId,
    action: 'user.profile_changed',
    details: { name: { from: before.user.name, to: name } },
    ip: actor.ip ?? null,
  };
  await writeTransaction(kit, async (trx) => {
    await setName(actor.userId, name, { trx });
    await recordUserActivity(kit, trx, entry);
  });
  emitUserActivity(kit, entry);
  return { ...before, user: { ...before.user, name } };
}
