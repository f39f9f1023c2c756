import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { ServiceUnavailableError } from '../errors.js';
import { isTransientConflict } from './db.js';

/** Attempts of one write before the caller hears 503: enough for 150 simultaneous invitations of one account. */
export const WRITE_ATTEMPTS = 6;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every write of the kit goes through here: one transaction, run again when the database aborted
 * it to break a deadlock or keep it serialisable (nothing of it was kept). `work` must therefore
 * do nothing outside the transaction that a second run would repeat. When the conflict persists
 * the caller gets a 503 and the log gets the database's error, whose message may carry SQL and
 * the values in it (an invitee's email): it never reaches a response.
 */
export async function writeTransaction<T>(deps: { knex: Knex; logger: Logger }, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.knex.transaction(work);
    } catch (err) {
      if (!isTransientConflict(err)) throw err;
      if (attempt >= WRITE_ATTEMPTS) {
        deps.logger.error(`express-account-users: a write was aborted by the database ${attempt} times (lock conflict); giving up`, err);
        throw new ServiceUnavailableError('error.busy', { cause: err });
      }
      // Jittered, growing pauses so the transactions that collided do not collide again.
      await pause(Math.random() * 10 * 2 ** attempt);
    }
  }
}
