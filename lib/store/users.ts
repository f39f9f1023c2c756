import type { Db, Tables } from './db.js';
import { insertReturningId, toDateOrNull, toNumber } from './db.js';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  passwordHash: string | null;
  lastLoginAt: Date | null;
  /** The sign-in before lastLoginAt: what "Last login" on the profile shows to a signed-in person. */
  previousLoginAt: Date | null;
  /** Sessions established before this moment are signed out (a password change or reset). */
  sessionsValidAfter: Date | null;
  /** When something proved the address (a link to it was followed, or the host said so); null while unproved. */
  emailVerifiedAt: Date | null;
}

function fromRow(r: Record<string, unknown>): UserRow {
  return {
    id: toNumber(r.id),
    email: String(r.email),
    name: String(r.name),
    passwordHash: (r.password_hash as string | null) ?? null,
    lastLoginAt: toDateOrNull(r.last_login_at),
    previousLoginAt: toDateOrNull(r.previous_login_at),
    sessionsValidAfter: toDateOrNull(r.sessions_valid_after),
    emailVerifiedAt: toDateOrNull(r.email_verified_at),
  };
}

/** Shared with the memberships store, whose session query reads a user row joined with a membership. */
export { fromRow as userFromRow };

export function usersTable(t: Tables) {
  return {
    async findById(db: Db, id: number): Promise<UserRow | undefined> {
      const r = await db(t.users).where({ id }).first();
      return r ? fromRow(r) : undefined;
    },
    async findByEmail(db: Db, email: string): Promise<UserRow | undefined> {
      const r = await db(t.users).where({ email }).first();
      return r ? fromRow(r) : undefined;
    },
    async findByIds(db: Db, ids: readonly number[]): Promise<UserRow[]> {
      if (ids.length === 0) return [];
      // Never the password hash: these rows are for display.
      const rows = await db(t.users).select('id', 'email', 'name', 'last_login_at', 'email_verified_at').whereIn('id', ids);
      return rows.map(fromRow);
    },
    /** `emailVerified`: the address was proved as the login was made (an invitation link, or the host said so). */
    async insert(db: Db, row: { email: string; name: string; passwordHash: string | null; now: Date; emailVerified?: boolean }): Promise<number> {
      return insertReturningId(db, t.users, {
        email: row.email,
        name: row.name,
        password_hash: row.passwordHash,
        created_at: row.now.getTime(),
        ...(row.emailVerified ? { email_verified_at: row.now.getTime() } : {}),
      });
    },
    /** `sessionsValidAfter`: given when the change signs sessions out (a password change or reset, not a rehash on login). */
    async setPasswordHash(db: Db, id: number, passwordHash: string, sessionsValidAfter?: Date): Promise<void> {
      await db(t.users)
        .where({ id })
        .update({ password_hash: passwordHash, ...(sessionsValidAfter ? { sessions_valid_after: sessionsValidAfter.getTime() } : {}) });
    },
    /** A rehash on sign-in: only over the hash it was made from, so it never undoes a password change or reset that committed meanwhile. */
    async upgradePasswordHash(db: Db, id: number, from: string, to: string): Promise<void> {
      await db(t.users).where({ id, password_hash: from }).update({ password_hash: to });
    },
    async setName(db: Db, id: number, name: string): Promise<void> {
      await db(t.users).where({ id }).update({ name });
    },
    /**
     * The unique index on email decides a race for an address: the loser's update throws a unique
     * violation. A new address starts unproved; the caller marks it verified when its link proved it.
     */
    async setEmail(db: Db, id: number, email: string): Promise<void> {
      await db(t.users).where({ id }).update({ email, email_verified_at: null });
    },
    /** Marks the address proved; the first proof's time is kept. */
    async setEmailVerified(db: Db, id: number, at: Date): Promise<void> {
      await db(t.users).where({ id }).whereNull('email_verified_at').update({ email_verified_at: at.getTime() });
    },
    /**
     * A sign-in's one read: the login by address with its password hash and, joined, when its
     * second factor was turned on and the language it last used. The hash and
     * sessions_valid_after come from the same row version, so a session is stamped with the very
     * password change its hash belongs to.
     */
    async findForSignIn(db: Db, email: string): Promise<{ user: UserRow; factorEnabledAt: Date | null; locale: string | undefined } | undefined> {
      const r: Record<string, unknown> | undefined = await db(t.users)
        .leftJoin(t.twoFactor, `${t.twoFactor}.user_id`, `${t.users}.id`)
        .leftJoin(t.userLocales, `${t.userLocales}.user_id`, `${t.users}.id`)
        .select([`${t.users}.*`, `${t.twoFactor}.enabled_at as two_factor_enabled_at`, `${t.userLocales}.locale as kept_locale`])
        .where(`${t.users}.email`, email)
        .first();
      if (!r) return undefined;
      return {
        user: fromRow(r),
        factorEnabledAt: toDateOrNull(r.two_factor_enabled_at),
        locale: typeof r.kept_locale === 'string' ? r.kept_locale : undefined,
      };
    },
    /** The sign-in before moves to previous_login_at in the same statement, so two at once never lose it. */
    async recordLogin(db: Db, id: number, at: Date): Promise<void> {
      await db(t.users)
        .where({ id })
        .update({ previous_login_at: db.ref('last_login_at'), last_login_at: at.getTime() });
    },
  };
}
