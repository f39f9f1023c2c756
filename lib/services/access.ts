import { ForbiddenError } from '../errors.js';

/** The refusal of a member whose access has ended, naming the account and the date (in the reader's language). */
/** The refusal of a suspended member, naming the account (in the reader's language). */
export function suspendedError(accountName: string): ForbiddenError {
  return new ForbiddenError('access.suspendedRefusal', { account: accountName });
}

export function accessEndedError(accountName: string, accessUntil: Date): ForbiddenError {
  return new ForbiddenError('access.endedRefusal', { account: accountName, date: accessUntil });
}
