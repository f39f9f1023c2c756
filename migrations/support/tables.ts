/*
 * What every migration is given: the kit's table names (with the host's prefix) and whether the kit
 * keeps its own users table. Defined here, not in lib/, so the migrations import nothing from the
 * kit: a migration is a fixed record of a schema change, and the code that runs them
 * (lib/store/migrations.ts) depends on them, never the other way round.
 */

export interface Tables {
  users: string;
  accounts: string;
  memberships: string;
  invitations: string;
  activity: string;
  outbox: string;
  rateLimits: string;
  userTokens: string;
  userActivity: string;
  ownershipTransfers: string;
  userLocales: string;
  twoFactor: string;
  twoFactorCodes: string;
  twoFactorSteps: string;
  twoFactorDevices: string;
  twoFactorReminders: string;
  passkeys: string;
  removedMembers: string;
  sessions: string;
  migrations: string;
}

export interface MigrationOptions {
  /** False when the host keeps its users in a table of its own (the `users` option): no users table is created. */
  ownUsersTable: boolean;
}
