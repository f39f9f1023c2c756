import type { Knex } from 'knex';
import type { Db, Tables } from '../store/db.js';
import { isUniqueViolation } from '../store/db.js';
import { usersTable } from '../store/users.js';
import { InvalidInputError } from '../errors.js';
import { hashPassword, needsRehash, verifyPassword, type PasswordHashing } from './passwords.js';

/** A login identity as the kit sees it. Hosts with their own users table map theirs to this. */
export interface AccountUser {
  id: number;
  email: string;
  name: string;
  lastLoginAt?: Date | null;
  /**
   * For a host store: when the user's sessions last became invalid (the `sessionsValidAfter` last
   * given to setPasswordHash). A session established before it is signed out on its next request.
   */
  sessionsValidAfter?: Date | null;
  /**
   * Something proved the address: a link sent to it was followed (an invitation, a password reset,
   * an email-change confirmation, the kit's verification link), or the host said so. In-app
   * invitations are listed and accepted only for a verified address. A host store that leaves it
   * out has every login unverified until setEmailVerified marks it.
   */
  emailVerified?: boolean;
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  /** Set when the store offers hashPassword: the hash, made before the kit's transaction opened. */
  passwordHash?: string;
  /**
   * True when the address is proved as the login is made: registration through an invitation
   * link, or `createAccount({ owner: { …, emailVerified: true } })`. A host store keeps it and
   * returns it as `AccountUser.emailVerified` (the kit also calls setEmailVerified when offered).
   */
  emailVerified?: boolean;
}

/**
 * The port through which the kit reads and creates login identities. The default
 * keeps them in the kit's own users table; a host passes its own implementation
 * as the `users` option. `create` receives the kit's transaction so a host on the
 * same database can join it (registration through an invitation is all-or-nothing).
 */
export interface UserStore {
  findById(id: number): Promise<AccountUser | undefined>;
  findByEmail(email: string): Promise<AccountUser | undefined>;
  /** Optional batch lookup for the users page; without it the kit calls findById per member. */
  findByIds?(ids: number[]): Promise<AccountUser[]>;
  create(user: NewUser, context: { trx: Knex.Transaction }): Promise<AccountUser>;
  verifyPassword(user: AccountUser, password: string): Promise<boolean>;
  recordLogin?(id: number, at: Date): Promise<void>;
  /**
   * Optional. When present the kit hashes the password with it before opening its transaction
   * and hands the result to create() as `passwordHash`, so a deliberately slow hash never holds
   * a database connection (on SQLite's one-connection pool it would stall every other request).
   */
  hashPassword?(password: string): Promise<string>;
  /**
   * Optional; with hashPassword it turns on POST /password and password reset in `au.userRouter`.
   * Receives the user's id, a hash made by this store's hashPassword, and `sessionsValidAfter`:
   * keep it with the user and return it from findById as `AccountUser.sessionsValidAfter`, so
   * sessions established before it are signed out. `trx` is the kit's transaction, which also
   * uses the reset link and writes the activity row.
   */
  setPasswordHash?(id: number, passwordHash: string, context: { sessionsValidAfter: Date; trx: Knex.Transaction }): Promise<void>;
  /** Optional; turns on POST /profile. Receives the id and the new name (trimmed, 1-255 characters, no control characters). */
  setName?(id: number, name: string, context: { trx: Knex.Transaction }): Promise<void>;
  /**
   * Optional; turns on POST /email and its confirmation link. Receives the id and the confirmed
   * address (trimmed, lower-cased). Resolves false, changing nothing, when another login has that
   * address; the kit then answers 409 and leaves the link unused.
   */
  setEmail?(id: number, email: string, context: { trx: Knex.Transaction }): Promise<boolean>;
  /**
   * Optional; turns on the verification link (POST /email/verify) and au.api.markEmailVerified.
   * Keeps "this login's address is proved" and returns it from findById and findByEmail as
   * `AccountUser.emailVerified`. Called in the kit's transaction whenever a proof arrives: the
   * verification link, an invitation link's accept or registration, a password reset link, an
   * email-change confirmation (after setEmail: the new address was proved by its link).
   */
  setEmailVerified?(id: number, context: { trx: Knex.Transaction }): Promise<void>;
  /**
   * Optional; lets the users page's search find members by name or address. Returns a query on the
   * kit's database selecting one column, the ids of the users whose name or address contains
   * `text` (any case); the kit uses it as a subquery, so the members list stays one statement.
   * Without it a search filters the invitations only, and the page says so.
   */
  matchingIds?(text: string): Knex.QueryBuilder;
}

/**
 * A user as au.api hands it out: only what AccountUser promises (a host store's extra columns, a
 * password hash, stay behind), with `emailVerified` always a boolean.
 */
export function publicUser(user: AccountUser): AccountUser & { emailVerified: boolean } {
  const { id, email, name, lastLoginAt } = user;
  return { id, email, name, ...(lastLoginAt !== undefined ? { lastLoginAt } : {}), emailVerified: user.emailVerified === true };
}

/** What a person may change of their own login: everything with the kit's users, what the store offers with the host's. */
export interface LoginFeatures {
  password: boolean;
  name: boolean;
  email: boolean;
  /** The kit's verification link and au.api.markEmailVerified (the store's setEmailVerified). */
  verify: boolean;
}

export function loginFeatures(store: UserStore): LoginFeatures {
  return {
    password: typeof store.setPasswordHash === 'function' && typeof store.hashPassword === 'function',
    name: typeof store.setName === 'function',
    email: typeof store.setEmail === 'function',
    verify: typeof store.setEmailVerified === 'function',
  };
}

/** Hashes ahead of the transaction when the store can, so create() only writes. */
export async function prepareNewUser(store: UserStore, user: NewUser): Promise<NewUser> {
  return store.hashPassword ? { ...user, passwordHash: await store.hashPassword(user.password) } : user;
}

export function knexUserStore(knex: Knex, tables: Tables, params: PasswordHashing, now: () => Date = () => new Date()): UserStore {
  const users = usersTable(tables);
  // sessionsValidAfter: what a request checked against a password it read earlier (requestEmailChange).
  const view = (u: {
    id: number;
    email: string;
    name: string;
    lastLoginAt: Date | null;
    sessionsValidAfter: Date | null;
    emailVerifiedAt: Date | null;
  }): AccountUser => ({
    id: u.id,
    email: u.email,
    name: u.name,
    lastLoginAt: u.lastLoginAt,
    sessionsValidAfter: u.sessionsValidAfter,
    emailVerified: u.emailVerifiedAt !== null,
  });
  return {
    async findById(id) {
      const u = await users.findById(knex, id);
      return u && view(u);
    },
    async findByEmail(email) {
      const u = await users.findByEmail(knex, email);
      return u && view(u);
    },
    async findByIds(ids) {
      return (await users.findByIds(knex, ids)).map(view);
    },
    async create(input, { trx }) {
      const db: Db = trx;
      const passwordHash = input.passwordHash ?? (await hashPassword(input.password, params));
      try {
        const emailVerified = input.emailVerified === true;
        const id = await users.insert(db, { email: input.email, name: input.name, passwordHash, now: new Date(), emailVerified });
        return { id, email: input.email, name: input.name, lastLoginAt: null, emailVerified };
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw InvalidInputError.field('email', 'field.loginExists');
        }
        throw err;
      }
    },
    async verifyPassword(user, password) {
      const row = await users.findById(knex, user.id);
      if (!row) return false;
      const ok = await verifyPassword(password, row.passwordHash);
      // Parameters carried by the hash: an old hash is upgraded while the password is at hand.
      if (ok && row.passwordHash && needsRehash(row.passwordHash, params)) {
        await users.upgradePasswordHash(knex, user.id, row.passwordHash, await hashPassword(password, params));
      }
      return ok;
    },
    hashPassword: (password) => hashPassword(password, params),
    async recordLogin(id, at) {
      await users.recordLogin(knex, id, at);
    },
    async setPasswordHash(id, passwordHash, { sessionsValidAfter, trx }) {
      await users.setPasswordHash(trx, id, passwordHash, sessionsValidAfter);
    },
    async setName(id, name, { trx }) {
      await users.setName(trx, id, name);
    },
    async setEmail(id, email, { trx }) {
      // A savepoint: on PostgreSQL a failed statement would otherwise abort the whole transaction.
      try {
        await trx.transaction((inner) => users.setEmail(inner, id, email));
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async setEmailVerified(id, { trx }) {
      await users.setEmailVerified(trx, id, now());
    },
  };
}
