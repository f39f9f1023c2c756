import type { Knex } from 'knex';
import type { Db, Tables } from '../store/db.js';
import { isUniqueViolation } from '../store/db.js';
import { usersTable } from '../store/users.js';
import { InvalidInputError } from '../errors.js';
import { hashPassword, needsRehash, verifyPassword, type PasswordHashing } from './passwords.js';
import type { AccountUser, NewUser, UserStore } from '../store/user-store.js';

export type { AccountUser, NewUser, UserStore };

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
    previousLoginAt: Date | null;
    sessionsValidAfter: Date | null;
    emailVerifiedAt: Date | null;
  }): AccountUser => ({
    id: u.id,
    email: u.email,
    name: u.name,
    lastLoginAt: u.lastLoginAt,
    previousLoginAt: u.previousLoginAt,
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
