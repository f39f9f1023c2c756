import type { AccountMembership } from '../../types.js';
import { writeTransaction } from '../../store/transactions.js';
import type { Kit } from '../context.js';
export type { AccountMembership };
import type { MembershipRow } from '../../store/accounts/memberships.js';
import { NotFoundError } from '../../errors.js';
import { accessEndedError, suspendedError } from '../access.js';
import { emailSchema, nameSchema, parseInput, passwordSchema } from '../input.js';
import { z } from 'zod';
import { prepareNewUser, publicUser, type AccountUser } from '../user-store.js';
import { idSchema } from '../input.js';
import { markVerifiedIn } from '../verification/address.js';
import { enrolmentDue } from '../two-factor/enrolment-due.js';

/** A user's standing in one account, as the guard and templates see it. */

export function toMembership(kit: Kit, row: MembershipRow): AccountMembership {
  const isOwner = row.ownerUserId === row.userId;
  return {
    account: { id: row.accountId, name: row.accountName, ownerUserId: row.ownerUserId },
    userId: row.userId,
    isOwner,
    permissions: isOwner ? kit.catalogue.keys : kit.catalogue.normalise(row.permissions),
    allPermissions: isOwner || kit.catalogue.coversAll(row.permissions),
    accessUntil: row.accessUntil,
    accessEnded: row.accessEnded,
    twoFactorEnabledAt: row.twoFactorEnabledAt,
    twoFactorEnrolmentDue: enrolmentDue(row, kit.now()),
    suspended: row.suspendedAt !== null,
    suspendedReason: row.suspendedReason,
  };
}

// A refinement rather than z.boolean(): a type error would hide inside the union's "invalid input"
// on `owner`, where this names `owner.emailVerified`.
const emailVerifiedSchema = z
  .unknown()
  .refine((v) => v === undefined || typeof v === 'boolean', 'must be true or false')
  .optional();

const createAccountSchema = z.object({
  name: nameSchema,
  owner: z.union([
    z.object({ email: emailSchema, name: nameSchema, password: passwordSchema, emailVerified: emailVerifiedSchema }),
    z.object({ userId: z.number().int().positive() }),
  ]),
});

/**
 * The account's name and its owner: a new login, or an existing user by id. `emailVerified: true`
 * when the host's own sign-up proved the address (an emailed code, SSO); left out, the login starts
 * unverified and sees no in-app invitations until it follows the kit's verification link.
 */
export interface CreateAccountInput {
  name: string;
  owner: { email: string; name: string; password: string; emailVerified?: boolean } | { userId: number };
}
// Keeps the interface hosts read and the schema that runs in step.
const inputMatchesSchema: CreateAccountInput extends z.input<typeof createAccountSchema> ? true : never = true;
void inputMatchesSchema;

/**
 * Creates a billing account and its owner's membership in one transaction; the owner is
 * either a new login (email, name, password) or an existing user (userId).
 */
export async function createAccount(
  kit: Kit,
  input: CreateAccountInput,
): Promise<{ account: AccountMembership['account']; owner: AccountUser & { emailVerified: boolean } }> {
  const data = parseInput(createAccountSchema, input);
  const now = kit.now();
  // Looked up before the transaction opens: the user store reads through its own connection,
  // which on a one-connection pool (SQLite) would wait forever for the transaction's.
  let existing: AccountUser | undefined;
  if ('userId' in data.owner) {
    existing = await kit.users.findById(data.owner.userId);
    if (!existing) throw new NotFoundError('error.noSuchUser');
  }
  const newOwner = 'userId' in data.owner ? undefined : await prepareNewUser(kit.users, { ...data.owner, emailVerified: data.owner.emailVerified === true });
  return writeTransaction(kit, async (trx) => {
    let owner = existing ?? (await kit.users.create(newOwner!, { trx }));
    // The host vouches for the address; a store that did not keep it from create() is told again.
    if (newOwner?.emailVerified && owner.emailVerified !== true && kit.users.setEmailVerified) {
      await markVerifiedIn(kit, trx, owner.id);
      owner = { ...owner, emailVerified: true };
    }
    const accountId = await kit.store.accounts.insert(trx, { name: data.name, ownerUserId: owner.id, now });
    await kit.store.memberships.insert(trx, {
      accountId,
      userId: owner.id,
      permissions: kit.catalogue.keys,
      invitedBy: null,
      now,
    });
    return { account: { id: accountId, name: data.name, ownerUserId: owner.id }, owner: { ...owner, emailVerified: owner.emailVerified === true } };
  });
}

/**
 * The membership a request acts under: the chosen account if the user still belongs to it,
 * else, when none was chosen, the first account they own, else the first they joined.
 * Always read from the database, so a removal is seen on the very next request.
 */
export async function findActiveMembership(kit: Kit, userId: number, chosenAccountId: number | undefined): Promise<AccountMembership | undefined> {
  const row =
    chosenAccountId === undefined
      ? await kit.store.memberships.findDefault(kit.knex, userId, kit.now())
      : await kit.store.memberships.find(kit.knex, userId, chosenAccountId, kit.now());
  return row && toMembership(kit, row);
}

/**
 * The session's lookup when the kit keeps the users: the user and the membership the request
 * acts under (as findActiveMembership chooses it) in one query, read fresh on every request,
 * with the moment before which the user's sessions no longer count (no query of its own).
 */
export async function findUserWithActiveMembership(
  kit: Kit,
  userId: number,
  chosenAccountId: number | undefined,
): Promise<{ user: AccountUser; membership: AccountMembership | undefined; sessionsValidAfter: Date | null; twoFactorEnabledAt: Date | null } | undefined> {
  const found = await kit.store.memberships.findUserWithMembership(kit.knex, userId, chosenAccountId, kit.now());
  if (!found) return undefined;
  const { id, email, name, lastLoginAt, sessionsValidAfter } = found.user;
  return {
    user: { id, email, name, lastLoginAt },
    membership: found.membership && toMembership(kit, found.membership),
    sessionsValidAfter,
    twoFactorEnabledAt: found.twoFactorEnabledAt,
  };
}

export async function listAccountsForUser(kit: Kit, userId: number): Promise<AccountMembership[]> {
  const rows = await kit.store.memberships.listForUser(kit.knex, userId, kit.now());
  return rows.map((r) => toMembership(kit, r));
}

/** Switching is allowed only into an account the user belongs to; any other id is simply not found. */
export async function membershipForSwitch(kit: Kit, userId: number, accountId: number): Promise<AccountMembership> {
  const row = await kit.store.memberships.find(kit.knex, userId, accountId, kit.now());
  if (!row) throw new NotFoundError('error.noSuchAccount');
  if (row.suspendedAt) throw suspendedError(row.accountName);
  if (row.accessEnded && row.accessUntil) throw accessEndedError(row.accountName, row.accessUntil);
  return toMembership(kit, row);
}

/** au.api.accountsOf: every account the user belongs to, with their standing in it. */
export async function accountsOf(kit: Kit, input: { userId?: unknown }): Promise<AccountMembership[]> {
  const { userId } = parseInput(z.object({ userId: idSchema }), { userId: input.userId });
  return listAccountsForUser(kit, userId);
}

/** au.api.findUserByEmail: the login with this address (trimmed and lower-cased, as stored), or null; with `emailVerified`. */
export async function findUserByEmail(kit: Kit, input: { email?: unknown }): Promise<(AccountUser & { emailVerified: boolean }) | null> {
  const { email } = parseInput(z.object({ email: emailSchema }), { email: input.email });
  const user = await kit.users.findByEmail(email);
  // Only what AccountUser promises: a host store's extra columns (a password hash) stay behind.
  return user ? publicUser(user) : null;
}
