/**
 * Sessions kept in the kit's database, for `au.sessionStore()` (lib/http/session-store.ts, which
 * adapts this to express-session). Table: `<prefix>sessions` (migration 20261207120000_sessions).
 * No routes, no au.api functions: express-session calls the store.
 *
 * The read is the guard's one statement: the session, its user and the membership it acts under.
 */
import { createHash } from 'node:crypto';
import type { Kit } from '../context.js';
import { toMembership, type AccountMembership } from '../accounts/accounts.js';
import type { AccountUser } from '../user-store.js';
import { isPreparedStatementLost } from '../../store/sessions.js';

/** The session id as stored: its SHA-256, so the table names no cookie. */
export function sessionIdHash(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

/** What the session's statement read of its login, for au.deserializeUser and the guard to use as their own. */
export interface SessionLogin {
  userId: number;
  /** The account the row was saved with; undefined: none chosen (the default account was read). */
  chosenAccountId: number | undefined;
  /** With the kit's users; undefined with a host's users store (it is asked itself) or when the user is gone. */
  user: { user: AccountUser; sessionsValidAfter: Date | null } | undefined;
  membership: AccountMembership | undefined;
  twoFactorEnabledAt: Date | null;
}

export interface StoredSession {
  data: string;
  expiresAt: number;
  login: SessionLogin | undefined;
}

/** One store's way of reading: a prepared statement on PostgreSQL until the server refuses one. */
export interface SessionReads {
  prepared: boolean;
}

export async function readSession(kit: Kit, sid: string, reads: SessionReads = { prepared: false }): Promise<StoredSession | undefined> {
  const withUser = !kit.options.users;
  const read = (prepared: boolean) => kit.store.sessions.read(kit.knex, sessionIdHash(sid), kit.now(), withUser, prepared);
  const prepared = reads.prepared;
  const found = await read(prepared).catch((err: unknown) => {
    if (!prepared || !isPreparedStatementLost(err)) throw err;
    // A pooler in transaction mode without prepared-statement support (PgBouncer before 1.21, or
    // without max_prepared_statements): this store reads unprepared from now on, and says so once.
    if (reads.prepared) {
      reads.prepared = false;
      kit.logger.warn(
        'express-account-users: au.sessionStore(): the database refused a prepared statement (a connection pooler in transaction mode?); reading sessions unprepared from now on. Pass { preparedStatements: false } to say so up front.',
      );
    }
    return read(false);
  });
  if (!found) return undefined;
  const { session, login } = found;
  if (!login || session.userId === null) return { data: session.data, expiresAt: session.expiresAt, login: undefined };
  const u = login.user;
  return {
    data: session.data,
    expiresAt: session.expiresAt,
    login: {
      userId: session.userId,
      chosenAccountId: session.accountId ?? undefined,
      user: u ? { user: { id: u.id, email: u.email, name: u.name, lastLoginAt: u.lastLoginAt }, sessionsValidAfter: u.sessionsValidAfter } : undefined,
      membership: login.membership && toMembership(kit, login.membership),
      twoFactorEnabledAt: login.twoFactorEnabledAt,
    },
  };
}

export function writeSession(
  kit: Kit,
  sid: string,
  session: { data: string; expiresAt: number; userId: number | null; accountId: number | null },
): Promise<void> {
  return kit.store.sessions.write(kit.knex, { sidHash: sessionIdHash(sid), ...session });
}

export function touchSession(kit: Kit, sid: string, expiresAt: number): Promise<void> {
  return kit.store.sessions.touch(kit.knex, sessionIdHash(sid), expiresAt);
}

export function destroySession(kit: Kit, sid: string): Promise<void> {
  return kit.store.sessions.destroy(kit.knex, sessionIdHash(sid));
}

export function clearSessions(kit: Kit): Promise<void> {
  return kit.store.sessions.clear(kit.knex);
}

export function countSessions(kit: Kit): Promise<number> {
  return kit.store.sessions.count(kit.knex, kit.now());
}
