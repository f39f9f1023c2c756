import type { Kit } from './context.js';
import { ForbiddenError } from '../errors.js';
import { DEFAULT_MESSAGES } from '../messages.js';

/** A moment as the kit's pages show it: minutes, in UTC. */
export function accessDateText(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** The refusal of a member whose access has ended, naming the account and the date. */
export function accessEndedError(kit: Kit, accountName: string, accessUntil: Date): ForbiddenError {
  const template = kit.options.messages['access.endedRefusal'] ?? DEFAULT_MESSAGES['access.endedRefusal'];
  return new ForbiddenError(template.replace('{account}', accountName).replace('{date}', accessDateText(accessUntil)));
}
