import type { Kit } from '../context.js';
import { emailSchema, normaliseEmail } from '../input.js';
import type { AccountUser } from '../user-store.js';
import { hashPassword, needsRehash, verifyPassword } from '../passwords.js';

/**
 * Signing in with an address and a password, as the kit's passport strategy and `au.loginLimit`
 * read it: which address a sign-in names, under which key its failures are counted, and which
 * password a session was signed in with (so a later password change or reset signs it out).
 */

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The address a sign-in names, or undefined when no login can have it. With the kit's own users
 * table that is the kit's email rule (trimmed, lower-cased, a plain ASCII address: the only kind
 * it ever stores), so a spelling a collation would fold onto a stored address (`ówner@…` on
 * MariaDB's utf8mb4_unicode_ci) is refused before any lookup. A host's store may hold addresses
 * the kit would not have made, so it only gets them trimmed and lower-cased, as before.
 */
export function signInAddress(kit: Kit, email: unknown): string | undefined {
  if (!kit.options.users) {
    const parsed = emailSchema.safeParse(email);
    return parsed.success ? parsed.data : undefined;
  }
  const address = typeof email === 'string' ? normaliseEmail(email) : '';
  return address && address.length <= 254 && !CONTROL.test(address) ? address : undefined;
}

/**
 * The key a sign-in's failures are counted under, per address: the stored address of the login
 * this spelling finds, so every spelling the database matches to that login (by its collation, or
 * a host store's own rules) shares one counter, even one the strategy then refuses; else the
 * address trimmed and lower-cased (an unknown address is counted like a known one). Undefined
 * when there is no address to count.
 */
export async function loginLimitKey(kit: Kit, email: unknown): Promise<string | undefined> {
  const typed = typeof email === 'string' ? normaliseEmail(email) : '';
  if (!typed || typed.length > 254) return undefined;
  // No login has control characters in its address (and PostgreSQL refuses a NUL in a query).
  if (CONTROL.test(typed)) return typed;
  // The kit stores only addresses its rule makes, so an address the rule keeps is the stored
  // spelling of the login it finds (if any): no lookup. Others (`ówner@…`) are looked up, since a
  // collation may still fold them onto a stored address.
  if (!kit.options.users) {
    const address = signInAddress(kit, typed);
    if (address === typed) return address;
  }
  const user = await kit.users.findByEmail(typed);
  return user ? normaliseEmail(user.email) : typed;
}

/** The sign-in key of a signed-in login (its stored address), for checks of its current password. */
export async function loginLimitKeyOfUser(kit: Kit, userId: number): Promise<string | undefined> {
  const user = await kit.users.findById(userId);
  return user ? normaliseEmail(user.email) : undefined;
}

/**
 * When the login's password was last changed or reset (its `sessionsValidAfter`, epoch ms; 0 if
 * never), read fresh. The strategy reads it before the stored hash is read: a session counts from
 * the password it was checked against, not from when the hashing ended (see lib/http/login-time.ts).
 * `user`: a host store's user as just found, which may carry it already.
 */
export async function passwordChangedAt(kit: Kit, userId: number, user?: AccountUser): Promise<number> {
  let at: Date | null | undefined;
  if (!kit.options.users) at = (await kit.store.users.findById(kit.knex, userId))?.sessionsValidAfter;
  else if (user && 'sessionsValidAfter' in user) at = user.sessionsValidAfter;
  else at = (await kit.users.findById(userId))?.sessionsValidAfter;
  const ms = at ? new Date(at).getTime() : 0;
  return Number.isFinite(ms) ? ms : 0;
}

/** What a sign-in reads of a kit login in its one statement (lib/store/users.ts findForSignIn). */
export interface SignInRead {
  user: AccountUser;
  passwordHash: string | null;
  /** The login's last password change (epoch ms; 0 if never), from the same row as the hash. */
  passwordChangedAt: number;
  factorEnabledAt: Date | null;
  /** The language kept for the login's emails, if any. */
  locale: string | undefined;
}

/** With the kit's own users: the login by address, with everything a sign-in needs, in one statement. */
export async function readSignIn(kit: Kit, address: string): Promise<SignInRead | undefined> {
  const found = await kit.store.users.findForSignIn(kit.knex, address);
  if (!found) return undefined;
  const u = found.user;
  const changed = u.sessionsValidAfter ? u.sessionsValidAfter.getTime() : 0;
  return {
    user: {
      id: u.id,
      email: u.email,
      name: u.name,
      lastLoginAt: u.lastLoginAt,
      sessionsValidAfter: u.sessionsValidAfter,
      emailVerified: u.emailVerifiedAt !== null,
    },
    passwordHash: u.passwordHash,
    passwordChangedAt: Number.isFinite(changed) ? changed : 0,
    factorEnabledAt: found.factorEnabledAt,
    locale: found.locale,
  };
}

/**
 * Checks the password against the hash readSignIn read. A hash made with other parameters is
 * replaced while the password is at hand, and only if it is still the one checked (a reset
 * meanwhile wins).
 */
export async function checkSignInPassword(kit: Kit, read: SignInRead, password: string): Promise<boolean> {
  const ok = await verifyPassword(password, read.passwordHash);
  if (ok && read.passwordHash && needsRehash(read.passwordHash, kit.options.passwordHashing)) {
    await kit.store.users.upgradePasswordHash(kit.knex, read.user.id, read.passwordHash, await hashPassword(password, kit.options.passwordHashing));
  }
  return ok;
}
