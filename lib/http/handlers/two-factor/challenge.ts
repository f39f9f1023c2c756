import type { Request } from 'express';
import type { KitSessionData } from '../../../types.js';
import { PASSKEY_CHALLENGE_MS } from '../../../services/two-factor/passkeys.js';
import { bodyOf, kitSession } from '../../request.js';

/*
 * A passkey ceremony's challenge lives in the session that started it: single use (taken out by the
 * first answer, right or wrong), five minutes, bound to its purpose and login. Another session's
 * challenge is never read, and a second tab's start replaces the first tab's.
 */

type Purpose = NonNullable<KitSessionData['passkeyChallenge']>['purpose'];

/** Keeps a ceremony's challenge in this session (replacing any earlier one: a second tab's start voids the first's). */
export function keepChallenge(req: Request, purpose: Purpose, challenge: string, now: Date, extra: { userId?: number; userHandle?: string } = {}): void {
  kitSession(req).passkeyChallenge = { purpose, challenge, expiresAt: now.getTime() + PASSKEY_CHALLENGE_MS, ...extra };
}

/** Takes the challenge out of the session (single use, whatever the answer) if it is of this purpose, login and still fresh. */
export function takeChallenge(req: Request, purpose: Purpose, userId: number | undefined, now: Date): { challenge: string; userHandle?: string } | undefined {
  const state = req.session?.accountUsers;
  const kept = state?.passkeyChallenge;
  if (state) delete state.passkeyChallenge;
  if (!kept || kept.purpose !== purpose || kept.userId !== userId || kept.expiresAt < now.getTime()) return undefined;
  return { challenge: kept.challenge, ...(kept.userHandle ? { userHandle: kept.userHandle } : {}) };
}

/** A form posts the browser's answer as JSON text in one field; a JSON client sends the object. */
export function responseOf(req: Request): unknown {
  const value = bodyOf(req).response;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
