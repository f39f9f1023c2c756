import { ForbiddenError } from '../errors.js';

/** The refusal of a member whose access has ended, naming the account and the date (in the reader's language). */
export function accessEndedError(accountName: string, accessUntil: Date): ForbiddenError {
  return new ForbiddenError('access.endedRefusal', { account: accountName, date: accessUntil });
}
