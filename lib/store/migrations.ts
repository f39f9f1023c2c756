import type { Knex } from 'knex';
import type { Tables } from './db.js';
import * as initial from '../../migrations/20261129000000_initial.js';
import * as invitationsPageIndex from '../../migrations/20261129120000_invitations_page_index.js';
import * as membershipsPageIndex from '../../migrations/20261129130000_memberships_page_index.js';
import * as invitationsKeysetIndex from '../../migrations/20261129140000_invitations_keyset_index.js';
import * as rateLimits from '../../migrations/20261129150000_rate_limits.js';
import * as systemActorsAndDeclines from '../../migrations/20261129160000_system_actors_and_declines.js';
import * as selfService from '../../migrations/20261129170000_self_service.js';
import * as accessUntil from '../../migrations/20261129180000_access_until.js';
import * as ownershipTransfers from '../../migrations/20261129190000_ownership_transfers.js';
import * as locales from '../../migrations/20261129200000_locales.js';
import * as userTokenPendingSlot from '../../migrations/20261129215000_user_token_pending_slot.js';
import * as emailVerified from '../../migrations/20261206100000_email_verified.js';
import * as twoFactor from '../../migrations/20261206130000_two_factor.js';
import * as memberLifecycle from '../../migrations/20261206140000_member_lifecycle.js';
import * as usersPageSearch from '../../migrations/20261206120000_users_page_search.js';
import * as invitationLinkMailed from '../../migrations/20261206160000_invitation_link_mailed.js';
import * as twoFactorDevicesAndReminders from '../../migrations/20261207110000_two_factor_devices_and_reminders.js';
import * as sessions from '../../migrations/20261207120000_sessions.js';
import * as previousLogin from '../../migrations/20261207140000_previous_login.js';
import * as passkeys from '../../migrations/20261207100000_passkeys.js';

export type { MigrationOptions } from '../../migrations/support/tables.js';
import type { MigrationOptions } from '../../migrations/support/tables.js';

interface KitMigration {
  up(knex: Knex, tables: Tables, options: MigrationOptions): Promise<void>;
  down(knex: Knex, tables: Tables, options: MigrationOptions): Promise<void>;
}

// Listed here rather than read from disk so the same code runs from TypeScript
// sources, the compiled package and a bundler, and so the table prefix reaches each one.
const MIGRATIONS: ReadonlyArray<readonly [string, KitMigration]> = [
  ['20261129000000_initial', initial],
  ['20261129120000_invitations_page_index', invitationsPageIndex],
  ['20261129130000_memberships_page_index', membershipsPageIndex],
  ['20261129140000_invitations_keyset_index', invitationsKeysetIndex],
  ['20261129150000_rate_limits', rateLimits],
  ['20261129160000_system_actors_and_declines', systemActorsAndDeclines],
  ['20261129170000_self_service', selfService],
  ['20261129180000_access_until', accessUntil],
  ['20261129190000_ownership_transfers', ownershipTransfers],
  ['20261129200000_locales', locales],
  ['20261129215000_user_token_pending_slot', userTokenPendingSlot],
  ['20261206100000_email_verified', emailVerified],
  ['20261206130000_two_factor', twoFactor],
  ['20261206140000_member_lifecycle', memberLifecycle],
  ['20261206120000_users_page_search', usersPageSearch],
  ['20261206160000_invitation_link_mailed', invitationLinkMailed],
  ['20261207110000_two_factor_devices_and_reminders', twoFactorDevicesAndReminders],
  ['20261207120000_sessions', sessions],
  ['20261207140000_previous_login', previousLogin],
  ['20261207100000_passkeys', passkeys],
];

/** A Knex migration source for the kit's own migrations, bound to a table prefix. */
export function kitMigrationSource(tables: Tables, options: MigrationOptions): Knex.MigrationSource<string> {
  return {
    getMigrations: () => Promise.resolve(MIGRATIONS.map(([name]) => name)),
    getMigrationName: (name) => name,
    getMigration: (name) => {
      const found = MIGRATIONS.find(([n]) => n === name);
      if (!found) return Promise.reject(new Error(`express-account-users: unknown migration ${name}`));
      const migration = found[1];
      return Promise.resolve({ up: (knex: Knex) => migration.up(knex, tables, options), down: (knex: Knex) => migration.down(knex, tables, options) });
    },
  };
}
