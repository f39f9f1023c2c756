import type { Knex } from 'knex';

/*
 * The users port: the shape of a login as the kit sees it, and the store a host may pass as the
 * `users` option. Types only, in the lowest layer that needs them (the options, the services and
 * the request's types all name them); the kit's own implementation is services/user-store.ts.
 */

/** A login identity as the kit sees it. Hosts with their own users table map theirs to this. */
export interface AccountUser {
  id: number;
  email: string;
  name: string;
  lastLoginAt?: Date | null;
  /**
   * The sign-in before the latest (the kit's users table keeps it as recordLogin writes a new one):
   * the profile's "Last login", which must not be the signed-in person's own current session.
   * A host store that leaves it out has the profile say there was none before.
   */
  previousLoginAt?: Date | null;
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
