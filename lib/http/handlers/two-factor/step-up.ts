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
  requested: { permissions?: unknown; preset?: unknown },
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
  const asked = ([] as unknown[]).concat(keys ?? []).filter((k): k is string => typeof k === 'string' && STEP_UP_PERMISSIONS.includes(k));
  if (asked.length === 0) return;
  const before = await held();
  if (asked.every((k) => before.includes(k))) return;
  await requireRecentSecondFactor(kit, req, actorUserId, returnTo);
}
