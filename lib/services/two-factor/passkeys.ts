import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import type { Knex } from 'knex';
import type { Kit, SelfActor } from '../context.js';
import { idSchema } from '../acting.js';
import { ConflictError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import { parseInput } from '../input.js';
import { writeTransaction } from '../../store/transactions.js';
import { isUniqueViolation } from '../../store/db.js';
import type { PasskeyRow } from '../../store/two-factor/passkeys.js';
import { emitUserActivity, recordUserActivity } from '../self-service/user-activity.js';
import type { UserActivityEntry } from '../../store/self-service/user-activity.js';
import { resolveRelyingParty, type RelyingParty } from '../../options/passkeys.js';
import { newRecoveryCodes } from './two-factor.js';

/*
 * Passkeys (WebAuthn, through @simplewebauthn/server): a login's second factor beside the app, and a
 * sign-in of their own. The challenge of every ceremony is made here and kept by the caller (the
 * HTTP layer keeps it in the session, single use, five minutes); what comes back is checked against
 * it, the configured rpID and origins, and the stored credential.
 */

/** How long a ceremony's challenge is good for (the browser's own timeout is the same). */
export const PASSKEY_CHALLENGE_MS = 5 * 60 * 1000;

/** A passkey as the person and staff see it (never its key). */
export interface PasskeyView {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Synced by its provider (e.g. iCloud Keychain, Google Password Manager) rather than bound to one device. */
  backedUp: boolean;
}

const relyingParties = new WeakMap<Kit, RelyingParty | false>();

/** The relying party of this kit (checked at start-up by lib/options); NotFoundError when passkeys are off. */
export function relyingParty(kit: Kit): RelyingParty {
  let rp = relyingParties.get(kit);
  if (rp === undefined) {
    rp = resolveRelyingParty(kit.options.twoFactor.passkeys, kit.options.baseUrl, kit.options.portalName);
    relyingParties.set(kit, rp);
  }
  if (!rp) throw new NotFoundError('error.passkeysOff');
  return rp;
}

export function passkeysEnabled(kit: Kit): boolean {
  return kit.options.twoFactor.passkeys !== false;
}

const viewOf = (p: PasskeyRow): PasskeyView => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, backedUp: p.backedUp });
const self = (actor: SelfActor) => ({ userId: actor.userId, ip: actor.ip ?? null });

const nameSchema = z
  .string({ error: 'field.required' })
  .transform((v) => v.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '').trim())
  .pipe(z.string().min(1, 'field.required').max(100, 'field.tooLong'));

const b64url = z
  .string()
  .max(2048)
  .regex(/^[A-Za-z0-9_-]*={0,2}$/);
/** The browser's answer, as @simplewebauthn/browser gives it; checked in depth by @simplewebauthn/server. */
const registrationSchema = z.looseObject({
  id: b64url.min(1),
  rawId: b64url.min(1),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: z.string().max(4096),
    attestationObject: z.string().max(16384),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.looseObject({}).optional().default({}),
});
const authenticationSchema = z.looseObject({
  id: b64url.min(1),
  rawId: b64url.min(1),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: z.string().max(4096),
    authenticatorData: z.string().max(4096),
    signature: z.string().max(1024),
    userHandle: z.string().max(512).optional(),
  }),
  clientExtensionResults: z.looseObject({}).optional().default({}),
});

function parseResponse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw InvalidInputError.field('response', 'field.passkeyResponse');
  return parsed.data;
}

const wrongPasskey = () => InvalidInputError.field('response', 'field.wrongPasskey');

/** The login's passkeys (its own page; au.api.listPasskeys for staff). */
export async function listPasskeys(kit: Kit, input: { userId?: unknown }): Promise<PasskeyView[]> {
  const { userId } = parseInput(z.object({ userId: idSchema }), { userId: input?.userId });
  return (await kit.store.passkeys.listFor(kit.knex, userId)).map(viewOf);
}

/** The options for the browser's `navigator.credentials.create` (through startRegistration), and the challenge and user handle to keep. */
export async function passkeyRegistrationOptions(
  kit: Kit,
  actor: SelfActor,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; challenge: string; userHandle: string }> {
  const rp = relyingParty(kit);
  const user = await kit.users.findById(actor.userId);
  if (!user) throw new UnauthenticatedError();
  const existing = await kit.store.passkeys.listFor(kit.knex, actor.userId);
  const handle = existing[0]?.userHandle ?? randomBytes(16).toString('base64url');
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name || user.email,
    userID: Buffer.from(handle, 'base64url'),
    timeout: PASSKEY_CHALLENGE_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
    // Discoverable, so the same passkey can sign in without the password.
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
  });
  return { options, challenge: options.challenge, userHandle: handle };
}

/**
 * Stores the new passkey the browser made for `expectedChallenge`. The first one turns two-factor on
 * and returns the recovery codes, this once. A credential already stored (this login's or another's)
 * is 409 `error.passkeyTaken`.
 */
export async function registerPasskey(
  kit: Kit,
  actor: SelfActor,
  input: { response?: unknown; name?: unknown; expectedChallenge: string | undefined; userHandle: string | undefined },
): Promise<{ passkey: PasskeyView; recoveryCodes?: string[] }> {
  const rp = relyingParty(kit);
  const { name } = parseInput(z.object({ name: nameSchema }), { name: input.name ?? 'Passkey' });
  const response = parseResponse(registrationSchema, input.response) as RegistrationResponseJSON;
  if (!input.expectedChallenge || !input.userHandle) throw InvalidInputError.field('response', 'field.passkeyChallenge');
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    throw wrongPasskey();
  }
  if (!verified.verified) throw wrongPasskey();
  const { credential, credentialBackedUp } = verified.registrationInfo;
  // The login's passkeys share one handle; the first one's is the one its options gave the browser.
  const userHandle = (await kit.store.passkeys.userHandleOf(kit.knex, actor.userId)) ?? input.userHandle;
  const now = kit.now();
  const codes = newRecoveryCodes();
  const entry: UserActivityEntry = { ...self(actor), action: 'user.passkey_added', details: { name } };
  const result = await writeTransaction(kit, async (trx) => {
    let id: number;
    try {
      id = await kit.store.passkeys.insert(trx, {
        userId: actor.userId,
        credentialId: credential.id,
        userHandle,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: (credential.transports ?? []).filter((t) => /^[a-z-]{1,32}$/.test(t)),
        name,
        backedUp: credentialBackedUp,
        createdAt: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('error.passkeyTaken');
      throw err;
    }
    const turnedOn = await kit.store.twoFactor.enableForPasskey(trx, actor.userId, now);
    if (turnedOn) await kit.store.recoveryCodes.replace(trx, actor.userId, codes.hashes, now);
    await recordUserActivity(kit, trx, entry);
    if (turnedOn) await recordUserActivity(kit, trx, { ...self(actor), action: 'user.two_factor_enabled', details: { method: 'passkey' } });
    return { id, turnedOn };
  });
  emitUserActivity(kit, entry);
  if (result.turnedOn) emitUserActivity(kit, { ...self(actor), action: 'user.two_factor_enabled', details: { method: 'passkey' } });
  const passkey: PasskeyView = { id: result.id, name, createdAt: now, lastUsedAt: null, backedUp: credentialBackedUp };
  return result.turnedOn ? { passkey, recoveryCodes: codes.codes } : { passkey };
}

/** Options for `navigator.credentials.get`: the login's own passkeys (second step, step-up), or any discoverable one (sign-in). */
export async function passkeyAuthenticationOptions(
  kit: Kit,
  userId: number | undefined,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challenge: string }> {
  const rp = relyingParty(kit);
  const mine = userId === undefined ? [] : await kit.store.passkeys.listFor(kit.knex, userId);
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    timeout: PASSKEY_CHALLENGE_MS,
    allowCredentials: mine.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
    userVerification: userId === undefined ? 'required' : 'preferred',
  });
  return { options, challenge: options.challenge };
}

/**
 * Checks an assertion against a stored passkey and moves its counter on. `userId`: the login it must
 * belong to (second step); undefined for a sign-in, where the login is the passkey's and user
 * verification (PIN, biometrics) is required, so the passkey alone is as good as password + factor.
 */
async function checkAssertion(kit: Kit, input: { response?: unknown; expectedChallenge: string | undefined }, userId: number | undefined, ip: string | null) {
  const rp = relyingParty(kit);
  const response = parseResponse(authenticationSchema, input.response) as AuthenticationResponseJSON;
  if (!input.expectedChallenge) throw InvalidInputError.field('response', 'field.passkeyChallenge');
  const stored = await kit.store.passkeys.findByCredentialId(kit.knex, response.id);
  if (!stored || (userId !== undefined && stored.userId !== userId)) throw wrongPasskey();
  if (userId === undefined && response.response.userHandle !== undefined && response.response.userHandle !== stored.userHandle) throw wrongPasskey();
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpID,
      credential: {
        id: stored.credentialId,
        publicKey: Buffer.from(stored.publicKey, 'base64url'),
        counter: stored.counter,
        transports: stored.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: userId === undefined,
    });
  } catch (err) {
    if (err instanceof Error && /counter value/i.test(err.message)) await counterRejected(kit, stored, ip);
    throw wrongPasskey();
  }
  if (!verified.verified) throw wrongPasskey();
  // Moved only from the value read: of two requests with one signature, one wins.
  if (!(await kit.store.passkeys.recordUse(kit.knex, stored.id, stored.counter, verified.authenticationInfo.newCounter, kit.now()))) throw wrongPasskey();
  return stored;
}

/** A possibly cloned authenticator: kept in the login's activity and told to the host. */
async function counterRejected(kit: Kit, stored: PasskeyRow, ip: string | null): Promise<void> {
  const entry: UserActivityEntry = { userId: stored.userId, ip, action: 'user.passkey_counter_rejected', details: { passkeyId: stored.id, name: stored.name } };
  await writeTransaction(kit, (trx) => recordUserActivity(kit, trx, entry));
  emitUserActivity(kit, entry);
}

/** The second step of a sign-in, or a step-up, with one of the login's passkeys. A wrong answer is `field.wrongPasskey` (counted by the routes). */
export async function verifyPasskeyFactor(
  kit: Kit,
  actor: SelfActor,
  input: { response?: unknown; expectedChallenge: string | undefined },
): Promise<{ method: 'passkey'; passkeyId: number }> {
  const stored = await checkAssertion(kit, input, actor.userId, actor.ip ?? null);
  return { method: 'passkey', passkeyId: stored.id };
}

/** A sign-in with a passkey alone: the login it belongs to, if it still exists. */
export async function signInWithPasskey(
  kit: Kit,
  input: { response?: unknown; expectedChallenge: string | undefined; ip?: string | null },
): Promise<{ userId: number; passkeyId: number }> {
  const stored = await checkAssertion(kit, input, undefined, input.ip ?? null);
  if (!(await kit.users.findById(stored.userId))) throw wrongPasskey();
  const entry: UserActivityEntry = {
    userId: stored.userId,
    ip: input.ip ?? null,
    action: 'user.passkey_sign_in',
    details: { passkeyId: stored.id, name: stored.name },
  };
  await writeTransaction(kit, (trx) => recordUserActivity(kit, trx, entry));
  emitUserActivity(kit, entry);
  return { userId: stored.userId, passkeyId: stored.id };
}

const idInput = z.object({ id: idSchema });

export async function renamePasskey(kit: Kit, actor: SelfActor, input: { id?: unknown; name?: unknown }): Promise<PasskeyView> {
  relyingParty(kit);
  const { id, name } = parseInput(idInput.extend({ name: nameSchema }), { id: input.id, name: input.name });
  const entry: UserActivityEntry = { ...self(actor), action: 'user.passkey_renamed', details: { passkeyId: id, name } };
  const found = await writeTransaction(kit, async (trx) => {
    if (!(await kit.store.passkeys.rename(trx, actor.userId, id, name))) return undefined;
    await recordUserActivity(kit, trx, entry);
    return kit.store.passkeys.findOfUser(trx, actor.userId, id);
  });
  if (!found) throw new NotFoundError('error.noSuchPasskey');
  emitUserActivity(kit, entry);
  return viewOf(found);
}

/**
 * Removes one of the login's passkeys (the caller has checked the password or a recent factor). The
 * last factor gone (no other passkey, no app) turns two-factor off, recovery codes included.
 */
export async function removePasskey(kit: Kit, actor: SelfActor, input: { id?: unknown }): Promise<{ twoFactorOff: boolean }> {
  relyingParty(kit);
  const { id } = parseInput(idInput, { id: input.id });
  const result = await writeTransaction(kit, async (trx) => {
    const found = await kit.store.passkeys.findOfUser(trx, actor.userId, id);
    if (!found || !(await kit.store.passkeys.remove(trx, actor.userId, id))) return undefined;
    const entry: UserActivityEntry = { ...self(actor), action: 'user.passkey_removed', details: { passkeyId: id, name: found.name } };
    await recordUserActivity(kit, trx, entry);
    const factor = await kit.store.twoFactor.find(trx, actor.userId);
    const off = !factor?.totpEnabledAt && (await kit.store.passkeys.count(trx, actor.userId)) === 0;
    if (off) {
      await turnFactorOffIn(kit, trx, actor.userId);
      await recordUserActivity(kit, trx, { ...self(actor), action: 'user.two_factor_removed', details: { method: 'passkey' } });
    }
    return { entry, off };
  });
  if (!result) throw new NotFoundError('error.noSuchPasskey');
  emitUserActivity(kit, result.entry);
  if (result.off) emitUserActivity(kit, { ...self(actor), action: 'user.two_factor_removed', details: { method: 'passkey' } });
  return { twoFactorOff: result.off };
}

/**
 * The login's second factor gone (the last passkey removed, no app): its row, recovery codes, used
 * code steps and remembered browsers go with it, so a factor enrolled later starts with none of them
 * (a browser remembered under the old factor must not skip the new one).
 */
async function turnFactorOffIn(kit: Kit, trx: Knex.Transaction, userId: number): Promise<void> {
  await kit.store.twoFactor.remove(trx, userId);
  await kit.store.recoveryCodes.removeAll(trx, userId);
  await kit.store.usedSteps.removeAll(trx, userId);
  await kit.store.rememberedDevices.removeAll(trx, userId);
}

/**
 * A password reset's part, in its transaction: every passkey of the login is removed. A passkey
 * signs in without the password, so one registered by someone who knew the old password (phished)
 * would otherwise outlive the reset that is meant to end their access. With no app left, two-factor
 * is off as well (its recovery codes were shown when the first passkey was added, maybe to them).
 * The person adds their passkeys again. Returns the activity entries to emit after the commit.
 */
export async function removeAllPasskeysIn(kit: Kit, trx: Knex.Transaction, userId: number, ip: string | null): Promise<UserActivityEntry[]> {
  const keys = await kit.store.passkeys.listFor(trx, userId);
  if (keys.length === 0) return [];
  await kit.store.passkeys.removeAll(trx, userId);
  const entries: UserActivityEntry[] = keys.map((k) => ({
    userId,
    action: 'user.passkey_removed',
    ip,
    details: { passkeyId: k.id, name: k.name, reason: 'password_reset' },
  }));
  const factor = await kit.store.twoFactor.find(trx, userId);
  if (factor && !factor.totpEnabledAt) {
    await turnFactorOffIn(kit, trx, userId);
    entries.push({ userId, action: 'user.two_factor_removed', ip, details: { method: 'passkey', reason: 'password_reset' } });
  }
  for (const e of entries) await recordUserActivity(kit, trx, e);
  return entries;
}

/** The login's current password, as a proof before adding or removing a passkey (a wrong one: `field.notCurrentPassword`). */
export async function confirmCurrentPassword(kit: Kit, userId: number, password: unknown): Promise<void> {
  if (typeof password !== 'string' || password === '') throw InvalidInputError.field('currentPassword', 'field.required');
  const user = await kit.users.findById(userId);
  if (!user) throw new UnauthenticatedError();
  if (Buffer.byteLength(password) > 1024 || !(await kit.users.verifyPassword(user, password))) {
    throw InvalidInputError.field('currentPassword', 'field.notCurrentPassword');
  }
}
