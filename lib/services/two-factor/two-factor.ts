import { z } from 'zod';
import type { Kit, SelfActor } from '../context.js';
import { actorSchema, idSchema } from '../acting.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import { parseInput } from '../input.js';
import { writeTransaction } from '../../store/transactions.js';
import type { Db } from '../../store/db.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import { emit as emitActivity, record as recordActivity } from '../activity.js';
import { emitUserActivity, recordUserActivity } from '../self-service/user-activity.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';
import { hashToken, newRecoveryCode, normaliseRecoveryCode } from '../tokens.js';
import { openSecret, sealSecret } from './secret-box.js';
import { TOTP_CODE, enrolmentOf, newTotpSecret, normaliseTotpCode, oldestLiveStep, stepOfCode } from './totp.js';

/** Ten codes, each good for one sign-in without the app. */
export const RECOVERY_CODE_COUNT = 10;

export interface TwoFactorStatus {
  /** A factor is turned on: sign-ins owe a code. */
  enabled: boolean;
  /** The kinds of factor the login has: an authenticator app, passkeys, both or none. */
  methods: Array<'totp' | 'passkey'>;
  /** How many passkeys the login has. */
  passkeys: number;
  recoveryCodesLeft: number;
  /** An app's enrolment was started and waits for its first code. */
  pending: boolean;
  enabledAt: Date | null;
}

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand; shown during enrolment only, never again. */
  secret: string;
  otpauthUrl: string;
  /** The same URL as an SVG QR code (markup made by the `qrcode` package from the URL alone). */
  qrSvg: string;
}

const codeSchema = z
  .string({ error: 'field.required' })
  .max(32, 'field.tooLong')
  .transform(normaliseTotpCode)
  .refine((v) => TOTP_CODE.test(v), 'field.codeFormat');
const recoveryCodeSchema = z
  .string({ error: 'field.required' })
  .max(64, 'field.tooLong')
  .transform(normaliseRecoveryCode)
  .refine((v) => /^[a-z0-9]{10}$/.test(v), 'field.recoveryCodeFormat');

const self = (kit: Kit, actor: SelfActor) => ({ userId: actor.userId, ip: actor.ip ?? null });

/**
 * A member's factor turned on or off (removed by them, reset by the host's staff) is also in the
 * activity of every account of theirs that requires two-factor sign-in: its owner is told who
 * complied and who no longer does. Written in the caller's transaction; the entries to emit after it.
 * The staff's reason stays in the user's own activity.
 */
async function recordInRuleAccounts(
  kit: Kit,
  db: Db,
  userId: number,
  action: 'member.two_factor_enabled' | 'member.two_factor_removed',
  by: { actorSystem: string | null; ip: string | null },
): Promise<ActivityEntry[]> {
  const entries: ActivityEntry[] = [];
  for (const m of await kit.store.memberships.listForUser(db, userId, kit.now())) {
    if (!m.twoFactorRequired) continue;
    const entry: ActivityEntry = {
      accountId: m.accountId,
      actorUserId: by.actorSystem === null ? userId : null,
      actorSystem: by.actorSystem,
      ip: by.ip,
      subjectUserId: userId,
      action,
      details: by.actorSystem === null ? {} : { reset: true },
    };
    await recordActivity(kit, db, entry);
    entries.push(entry);
  }
  return entries;
}

function issuerOf(kit: Kit): string {
  return kit.options.twoFactor.issuer ?? new URL(kit.options.baseUrl).hostname;
}

/** When the login's factor was turned on; null: it has none. */
export async function factorEnabledAt(kit: Kit, userId: number): Promise<Date | null> {
  return (await kit.store.twoFactor.find(kit.knex, userId))?.enabledAt ?? null;
}

/** au.api.twoFactorStatus and the page's status. */
export async function twoFactorStatus(kit: Kit, input: { userId?: unknown }): Promise<TwoFactorStatus> {
  const { userId } = parseInput(z.object({ userId: idSchema }), { userId: input?.userId });
  const row = await kit.store.twoFactor.find(kit.knex, userId);
  const enabled = Boolean(row?.enabledAt);
  const passkeys = enabled ? await kit.store.passkeys.count(kit.knex, userId) : 0;
  const methods: TwoFactorStatus['methods'] = [];
  if (row?.totpEnabledAt) methods.push('totp');
  if (passkeys > 0) methods.push('passkey');
  return {
    enabled,
    methods,
    passkeys,
    recoveryCodesLeft: enabled ? await kit.store.recoveryCodes.countLeft(kit.knex, userId) : 0,
    pending: Boolean(row && row.sealedSecret !== '' && !row.totpEnabledAt),
    enabledAt: row?.enabledAt ?? null,
  };
}

/**
 * Starts (or starts over) an authenticator enrolment: a new secret, pending until its first code.
 * The current password first: a stolen session must not tie the login to the thief's phone and
 * lock its owner out (a wrong one is `field.notCurrentPassword`, counted as a failed sign-in).
 */
export async function startTotpEnrolment(kit: Kit, actor: SelfActor, input: { currentPassword?: unknown }): Promise<TotpEnrolment> {
  const user = await kit.users.findById(actor.userId);
  if (!user) throw new UnauthenticatedError();
  const password = input.currentPassword;
  if (typeof password !== 'string' || password === '') throw InvalidInputError.field('currentPassword', 'field.required');
  if (Buffer.byteLength(password) > 1024 || !(await kit.users.verifyPassword(user, password))) {
    throw InvalidInputError.field('currentPassword', 'field.notCurrentPassword');
  }
  const secret = newTotpSecret();
  const saved = await writeTransaction(kit, (trx) =>
    kit.store.twoFactor.savePending(trx, actor.userId, sealSecret(secret, kit.options.twoFactor.encryptionKey, actor.userId), kit.now()),
  );
  if (!saved) throw new ConflictError('error.twoFactorAlreadyOn');
  return { secret, ...(await enrolmentOf(secret, issuerOf(kit), user.email)) };
}

/** The enrolment waiting for its first code, shown again (a wrong first code); undefined once enabled or never started. */
export async function pendingTotpEnrolment(kit: Kit, actor: SelfActor): Promise<TotpEnrolment | undefined> {
  const row = await kit.store.twoFactor.find(kit.knex, actor.userId);
  const user = row && row.sealedSecret !== '' && !row.totpEnabledAt ? await kit.users.findById(actor.userId) : undefined;
  if (!row || !user) return undefined;
  const secret = openSecret(row.sealedSecret, kit.options.twoFactor.encryptionKey, actor.userId);
  return { secret, ...(await enrolmentOf(secret, issuerOf(kit), user.email)) };
}

/**
 * A TOTP code of the login's secret, used once: the step it belongs to is claimed in the database
 * (primary key), so the same code, replayed within its 90 seconds, is refused wherever it arrives.
 */
async function spendTotpCode(kit: Kit, userId: number, sealedSecret: string, code: string): Promise<void> {
  const now = kit.now();
  const step = stepOfCode(openSecret(sealedSecret, kit.options.twoFactor.encryptionKey, userId), code, now);
  if (step === undefined || !(await kit.store.usedSteps.claim(kit.knex, userId, step, now))) {
    throw InvalidInputError.field('code', 'field.wrongCode');
  }
  await kit.store.usedSteps.pruneBefore(kit.knex, userId, oldestLiveStep(now));
}

export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  // High-entropy random codes: a plain SHA-256 is enough (no password hash needed), as for link tokens.
  return { codes, hashes: codes.map((c) => hashToken(normaliseRecoveryCode(c))) };
}

/**
 * Turns the pending enrolment on with its first code; the recovery codes come back this once. A
 * login that already had two-factor on (passkeys) keeps its codes: `recoveryCodes` is empty then.
 */
export async function confirmTotpEnrolment(kit: Kit, actor: SelfActor, input: { code?: unknown }): Promise<{ recoveryCodes: string[]; enabledAt: Date }> {
  const { code } = parseInput(z.object({ code: codeSchema }), { code: input.code });
  const row = await kit.store.twoFactor.find(kit.knex, actor.userId);
  if (!row || row.sealedSecret === '') throw new ConflictError('error.noEnrolment');
  if (row.totpEnabledAt) throw new ConflictError('error.twoFactorAlreadyOn');
  await spendTotpCode(kit, actor.userId, row.sealedSecret, code);
  const { codes, hashes } = newRecoveryCodes();
  const now = kit.now();
  const wasOn = row.enabledAt !== null;
  const entry: UserActivityEntry = { ...self(kit, actor), action: 'user.two_factor_enabled', details: { method: 'totp' } };
  const inAccounts = await writeTransaction(kit, async (trx) => {
    if (!(await kit.store.twoFactor.enable(trx, actor.userId, now))) throw new ConflictError('error.noEnrolment');
    if (!wasOn) await kit.store.recoveryCodes.replace(trx, actor.userId, hashes, now);
    await recordUserActivity(kit, trx, entry);
    // A login that had a factor already (a passkey) was counted when it got it.
    return wasOn ? [] : recordInRuleAccounts(kit, trx, actor.userId, 'member.two_factor_enabled', { actorSystem: null, ip: actor.ip ?? null });
  });
  emitUserActivity(kit, entry);
  for (const e of inAccounts) emitActivity(kit, e);
  return { recoveryCodes: wasOn ? [] : codes, enabledAt: row.enabledAt ?? now };
}

async function enabledFactor(kit: Kit, userId: number) {
  const row = await kit.store.twoFactor.find(kit.knex, userId);
  if (!row?.enabledAt) throw new ConflictError('error.twoFactorOff');
  return row;
}

/** A new set of recovery codes; the old ones stop working. */
export async function regenerateRecoveryCodes(kit: Kit, actor: SelfActor): Promise<{ recoveryCodes: string[] }> {
  await enabledFactor(kit, actor.userId);
  const { codes, hashes } = newRecoveryCodes();
  const entry: UserActivityEntry = { ...self(kit, actor), action: 'user.recovery_codes_generated' };
  await writeTransaction(kit, async (trx) => {
    await kit.store.recoveryCodes.replace(trx, actor.userId, hashes, kit.now());
    await recordUserActivity(kit, trx, entry);
  });
  emitUserActivity(kit, entry);
  return { recoveryCodes: codes };
}

/**
 * The second step of a sign-in (and a step-up): a TOTP code, or one recovery code, spent. A wrong one
 * is an InvalidInputError on its field (`field.wrongCode`, `field.wrongRecoveryCode`), which the
 * routes count against the login's limit.
 */
export async function verifySecondFactor(
  kit: Kit,
  actor: SelfActor,
  input: { code?: unknown; recoveryCode?: unknown },
): Promise<{ method: 'totp' | 'recovery_code'; recoveryCodesLeft?: number }> {
  const useRecovery = input.recoveryCode !== undefined && input.recoveryCode !== '' && (input.code === undefined || input.code === '');
  const row = await enabledFactor(kit, actor.userId);
  if (!useRecovery) {
    const { code } = parseInput(z.object({ code: codeSchema }), { code: input.code });
    // Passkeys only: no code can be right (still counted, like any wrong code).
    if (!row.totpEnabledAt) throw InvalidInputError.field('code', 'field.wrongCode');
    await spendTotpCode(kit, actor.userId, row.sealedSecret, code);
    return { method: 'totp' };
  }
  const { recoveryCode } = parseInput(z.object({ recoveryCode: recoveryCodeSchema }), { recoveryCode: input.recoveryCode });
  const entry: UserActivityEntry = { ...self(kit, actor), action: 'user.recovery_code_used' };
  const left = await writeTransaction(kit, async (trx) => {
    if (!(await kit.store.recoveryCodes.use(trx, actor.userId, hashToken(recoveryCode), kit.now()))) return undefined;
    await recordUserActivity(kit, trx, entry);
    return kit.store.recoveryCodes.countLeft(trx, actor.userId);
  });
  if (left === undefined) throw InvalidInputError.field('recoveryCode', 'field.wrongRecoveryCode');
  emitUserActivity(kit, { ...entry, details: { recoveryCodesLeft: left } });
  return { method: 'recovery_code', recoveryCodesLeft: left };
}

async function removeFactor(kit: Kit, userId: number, entry: UserActivityEntry, by: { actorSystem: string | null }): Promise<boolean> {
  const { removed, inAccounts } = await writeTransaction(kit, async (trx) => {
    const n = await kit.store.twoFactor.remove(trx, userId);
    await kit.store.recoveryCodes.removeAll(trx, userId);
    await kit.store.usedSteps.removeAll(trx, userId);
    // Remembered browsers skip a factor that is gone; a new one starts with none.
    await kit.store.rememberedDevices.removeAll(trx, userId);
    await kit.store.passkeys.removeAll(trx, userId);
    if (n === 0) return { removed: false, inAccounts: [] as ActivityEntry[] };
    await recordUserActivity(kit, trx, entry);
    const logged = await recordInRuleAccounts(kit, trx, userId, 'member.two_factor_removed', { actorSystem: by.actorSystem, ip: entry.ip ?? null });
    return { removed: true, inAccounts: logged };
  });
  if (removed) emitUserActivity(kit, entry);
  for (const e of inAccounts) emitActivity(kit, e);
  return removed;
}

/**
 * The person turns their factor off, proving it is them with the current password or a code (TOTP
 * or recovery). A wrong password is `field.notCurrentPassword`, counted as a failed sign-in.
 */
export async function removeTwoFactor(kit: Kit, actor: SelfActor, input: { currentPassword?: unknown; code?: unknown; recoveryCode?: unknown }): Promise<void> {
  await enabledFactor(kit, actor.userId);
  const password = input.currentPassword;
  if (typeof password === 'string' && password !== '') {
    const user = await kit.users.findById(actor.userId);
    if (!user || Buffer.byteLength(password) > 1024 || !(await kit.users.verifyPassword(user, password))) {
      throw InvalidInputError.field('currentPassword', 'field.notCurrentPassword');
    }
  } else if ((input.code ?? '') !== '' || (input.recoveryCode ?? '') !== '') {
    await verifySecondFactor(kit, actor, { code: input.code, recoveryCode: input.recoveryCode });
  } else {
    throw InvalidInputError.field('currentPassword', 'field.passwordOrCode');
  }
  await removeFactor(kit, actor.userId, { ...self(kit, actor), action: 'user.two_factor_removed' }, { actorSystem: null });
}

const resetSchema = z.object({
  actor: actorSchema,
  userId: idSchema,
  reason: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(500, 'field.tooLong'),
});

/**
 * au.api.resetTwoFactor: the host's staff turn off a login's factor (a lost phone and lost codes),
 * after checking who asks by their own means. `{ system }` actors only; the reason and who reset it
 * are kept in the user's activity, and the event tells the host (e.g. to email the person).
 */
export async function resetTwoFactor(kit: Kit, input: { actor?: unknown; userId?: unknown; reason?: unknown }): Promise<{ reset: boolean }> {
  const { actor, userId, reason } = parseInput(resetSchema, { actor: input?.actor, userId: input?.userId, reason: input?.reason });
  if (!('system' in actor)) throw new ForbiddenError('error.resetSystemOnly');
  if (!(await kit.users.findById(userId))) throw new NotFoundError('error.noSuchUser');
  const reset = await removeFactor(
    kit,
    userId,
    { userId, ip: null, action: 'user.two_factor_reset', details: { by: actor.system, reason } },
    { actorSystem: actor.system },
  );
  return { reset };
}

/**
 * Step-up: a sensitive change needs a second factor from the last `twoFactor.stepUpMinutes` when
 * the login has one. `verifiedAt`: when this session last gave one (epoch ms), if ever.
 */
export async function stepUpDue(kit: Kit, userId: number, verifiedAt: number | undefined): Promise<boolean> {
  if (!(await factorEnabledAt(kit, userId))) return false;
  const maxAge = kit.options.twoFactor.stepUpMinutes * 60 * 1000;
  return verifiedAt === undefined || kit.now().getTime() - verifiedAt > maxAge;
}
