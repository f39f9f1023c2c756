import type { Request } from 'express';
import type { Kit } from '../../../services/context.js';
import { stepUpDue } from '../../../services/two-factor/two-factor.js';
import { withPreset } from '../../../services/presets.js';
import { StepUpRequiredError } from '../../../errors.js';
import { secondFactorGivenAt } from '../../second-factor.js';

/**
 * Step-up: a sensitive change (ownership transfer, password, email, new recovery codes, granting
 * `profile` or `manageusers`) by a login with a second factor needs one given in this session in
 * the last `twoFactor.stepUpMinutes`; else the browser is sent to /two-factor/verify and back to
 * `returnTo`. A stolen session cookie alone then cannot hand the account or the login over.
 */
export async function requireRecentSecondFactor(kit: Kit, req: Request, userId: number, returnTo: string): Promise<void> {
  if (await stepUpDue(kit, userId, secondFactorGivenAt(req))) throw new StepUpRequiredError(returnTo);
}

/**
 * The permissions whose grant asks for step-up: `profile` changes the account's billing profile
 * (and with it where invoices and notices go), `manageusers` hands out access to others.
 */
export const STEP_UP_PERMISSIONS: readonly string[] = ['profile', 'manageusers'];

/** "All permissions" as the forms and JSON send it (as the services' allPermissionsSchema reads it). */
function allPermissionsAsked(value: unknown): boolean {
  return value === true || value === 'on' || value === '1' || value === 'true' || value === 'yes';
}

/**
 * The step-up permissions among `keys`; "All permissions" (the flag, or a preset's `'*'`) grants
 * `profile` (never `manageusers`, which only its own box grants).
 */
export function grantedStepUpKeys(keys: readonly unknown[], all = false): string[] {
  const asked = keys.filter((k): k is string => typeof k === 'string' && STEP_UP_PERMISSIONS.includes(k));
  if ((all || keys.includes('*')) && !asked.includes('profile')) asked.push('profile');
  return asked;
}

/**
 * Step-up before a restore or a roster applied when what it grants includes `profile` or
 * `manageusers`: `grants` is asked only when a step-up would be owed, so a login without a second
 * factor (or with a recent one) pays nothing for it.
 */
export async function requireStepUpIfGranting(
  kit: Kit,
  req: Request,
  actorUserId: number | null,
  grants: () => Promise<boolean>,
  returnTo: string,
): Promise<void> {
  if (actorUserId === null) return;
  if (!(await stepUpDue(kit, actorUserId, secondFactorGivenAt(req)))) return;
  if (await grants()) throw new StepUpRequiredError(returnTo);
}

/**
 * Step-up before an invitation or a permissions change that grants `profile` or `manageusers` to
 * someone who does not hold it (`held`: what the member holds now; none for an invitation). The
 * requested keys are read as the service reads them (`permissions` plus a `preset`'s); input the
 * service will refuse anyway (an unknown preset) asks for nothing here. A `{ system }` actor has no
 * second factor to give.
 */
export async function requireStepUpToGrant(
  kit: Kit,
  req: Request,
  actorUserId: number | null,
  requested: { permissions?: unknown; preset?: unknown; allPermissions?: unknown },
  held: () => Promise<readonly string[]>,
  returnTo: string,
): Promise<void> {
  if (actorUserId === null) return;
  let keys: unknown;
  try {
    keys = withPreset(kit, requested.permissions, requested.preset);
  } catch {
    return;
  }
  const asked = grantedStepUpKeys([...([] as unknown[]).concat(keys ?? [])], allPermissionsAsked(requested.allPermissions));
  if (asked.length === 0) return;
  const before = await held();
  if (asked.every((k) => before.includes(k))) return;
  await requireRecentSecondFactor(kit, req, actorUserId, returnTo);
}
