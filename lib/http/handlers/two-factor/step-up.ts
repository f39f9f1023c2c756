import type { Request } from 'express';
import type { Kit } from '../../../services/context.js';
import { stepUpDue } from '../../../services/two-factor/two-factor.js';
import { StepUpRequiredError } from '../../../errors.js';
import { secondFactorGivenAt } from '../../second-factor.js';

/**
 * Step-up: a sensitive change (ownership transfer, password, email, new recovery codes) by a login
 * with a second factor needs one given in this session in the last `twoFactor.stepUpMinutes`; else
 * the browser is sent to /two-factor/verify and back to `returnTo`. A stolen session cookie alone
 * then cannot hand the account or the login over.
 */
export async function requireRecentSecondFactor(kit: Kit, req: Request, userId: number, returnTo: string): Promise<void> {
  if (await stepUpDue(kit, userId, secondFactorGivenAt(req))) throw new StepUpRequiredError(returnTo);
}
