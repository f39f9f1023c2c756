import type { Kit } from '../context.js';

/**
 * Keeps the language a person last used, for the emails about their login. Only later emails'
 * language is at stake, so a failure is logged and the request that asked goes on.
 */
export async function keepLanguage(kit: Kit, userId: number, tag: string): Promise<boolean> {
  try {
    await kit.store.userLocales.remember(kit.knex, userId, tag, kit.now());
    return true;
  } catch (err) {
    kit.logger.error('express-account-users: could not keep the language of a user', err);
    return false;
  }
}
