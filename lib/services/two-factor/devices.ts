import { z } from 'zod';
import type { Kit, SelfActor } from '../context.js';
import { idSchema } from '../acting.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { parseInput } from '../input.js';
import { writeTransaction } from '../../store/transactions.js';
import type { Db } from '../../store/db.js';
import { emitUserActivity, recordUserActivity } from '../self-service/user-activity.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';
import { hashToken, looksLikeInvitationToken, newInvitationToken } from '../tokens.js';
import { withoutBidiControls } from '../../i18n/bidi.js';

/*
 * Remembered browsers (`twoFactor.rememberDeviceDays`, off by default): after a second factor the
 * person may ask this browser to be remembered. The browser keeps a random 256-bit value in a cookie;
 * the database keeps its SHA-256, the login it was made for and its end. A later sign-in of that
 * login on that browser skips the second step (the password is still checked, and the session does
 * not count as a recent code for step-up). A password change or reset, removing or resetting the
 * factor, and the person themselves forget them.
 */

const DAY = 24 * 60 * 60 * 1000;

/** A remembered browser as the person sees it on the two-factor page and au.api returns it. */
export interface RememberedDevice {
  id: number;
  /** The browser's user agent when it was remembered. */
  label: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

/** The option is on: the verify page offers the box, and sign-ins look at the cookie. */
export function rememberingDevices(kit: Kit): boolean {
  return kit.options.twoFactor.rememberDeviceDays !== undefined;
}

/**
 * Remembers the browser that just gave a second factor. The caller sets the cookie to `token`
 * (never stored) until `expiresAt`. The login must have a factor turned on.
 */
export async function rememberDevice(
  kit: Kit,
  actor: SelfActor,
  input: { userAgent?: unknown },
): Promise<{ token: string; expiresAt: Date; deviceId: number }> {
  const days = kit.options.twoFactor.rememberDeviceDays;
  if (days === undefined) throw new NotFoundError();
  const factor = await kit.store.twoFactor.find(kit.knex, actor.userId);
  if (!factor?.enabledAt) throw new ConflictError('error.twoFactorOff');
  const token = newInvitationToken();
  const now = kit.now();
  const expiresAt = new Date(now.getTime() + days * DAY);
  const label = (typeof input.userAgent === 'string' ? withoutBidiControls(input.userAgent).trim() : '').slice(0, 200) || '?';
  const entry: UserActivityEntry = {
    userId: actor.userId,
    ip: actor.ip ?? null,
    action: 'user.device_remembered',
    details: { until: expiresAt.toISOString() },
  };
  const deviceId = await writeTransaction(kit, async (trx) => {
    const id = await kit.store.rememberedDevices.add(trx, { userId: actor.userId, tokenHash: hashToken(token), label, now, expiresAt });
    await recordUserActivity(kit, trx, { ...entry, details: { ...entry.details, deviceId: id } });
    return id;
  });
  emitUserActivity(kit, { ...entry, details: { ...entry.details, deviceId } });
  return { token, expiresAt, deviceId };
}

/**
 * At sign-in: does this browser's cookie stand for a remembered browser of this login, not ended
 * and not forgotten? A cookie made for another login, or past its end, is false: the code is owed.
 */
export async function deviceRemembered(kit: Kit, userId: number, token: string | undefined): Promise<boolean> {
  if (!rememberingDevices(kit) || !token || !looksLikeInvitationToken(token)) return false;
  return kit.store.rememberedDevices.use(kit.knex, userId, hashToken(token), kit.now());
}

/** au.api.rememberedDevices and the two-factor page: the login's remembered browsers that have not ended. */
export async function rememberedDevices(kit: Kit, input: { userId?: unknown }): Promise<RememberedDevice[]> {
  const { userId } = parseInput(z.object({ userId: idSchema }), { userId: input?.userId });
  const rows = await kit.store.rememberedDevices.listForUser(kit.knex, userId, kit.now());
  return rows.map(({ id, label, createdAt, lastUsedAt, expiresAt }) => ({ id, label, createdAt, lastUsedAt, expiresAt }));
}

/**
 * au.api.forgetRememberedDevices and "Forget" on the two-factor page: one browser of the login
 * (`deviceId`), or all of them. A device id of another login is NotFoundError, nothing removed.
 */
export async function forgetRememberedDevices(kit: Kit, input: { userId?: unknown; deviceId?: unknown; ip?: string | null }): Promise<{ forgotten: number }> {
  const { userId, deviceId } = parseInput(z.object({ userId: idSchema, deviceId: idSchema.optional() }), {
    userId: input?.userId,
    deviceId: input?.deviceId === '' ? undefined : input?.deviceId,
  });
  const entry: UserActivityEntry = {
    userId,
    ip: input.ip ?? null,
    action: 'user.devices_forgotten',
    details: deviceId === undefined ? { all: true } : { deviceId },
  };
  const forgotten = await writeTransaction(kit, async (trx) => {
    const n =
      deviceId === undefined ? await kit.store.rememberedDevices.removeAll(trx, userId) : await kit.store.rememberedDevices.remove(trx, userId, deviceId);
    if (deviceId !== undefined && n === 0) throw new NotFoundError();
    if (n > 0) await recordUserActivity(kit, trx, { ...entry, details: { ...entry.details, count: n } });
    return n;
  });
  if (forgotten > 0) emitUserActivity(kit, { ...entry, details: { ...entry.details, count: forgotten } });
  return { forgotten };
}

/** Inside a password change or reset, or a factor's removal: every remembered browser of the login is forgotten. */
export async function forgetDevicesIn(kit: Kit, db: Db, userId: number): Promise<number> {
  return kit.store.rememberedDevices.removeAll(db, userId);
}
