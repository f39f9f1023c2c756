import type { Request } from 'express';
import session from 'express-session';
import { z } from 'zod';
import { OptionsError } from '../errors.js';
import type { Kit } from '../services/context.js';
import {
  clearSessions,
  countSessions,
  destroySession,
  readSession,
  touchSession,
  writeSession,
  type SessionLogin,
  type SessionReads,
} from '../services/sessions/sessions.js';

/*
 * au.sessionStore(): express-session's sessions in the kit's database, every process reading and
 * writing the same rows. Its `get` is the guard's one statement (the session, its user and the
 * active membership together); what it read of the login waits on the request for
 * au.deserializeUser and the guard, which then send nothing. The expiry is extended at most once
 * per `touchAfterMs`. Session ids are stored hashed (SECURITY.md).
 */

export interface SessionStoreOptions {
  /**
   * A session in use has its expiry extended at most once in this many milliseconds (and at least
   * once per half of its lifetime); the requests in between send no statement for it. Default
   * 600000 (10 minutes); 0 extends it on every request, as connect-pg-simple does.
   */
  touchAfterMs?: number;
  /** The lifetime of a session whose cookie has no `maxAge` (a browser-session cookie). Default 86400000 (one day). */
  ttlMs?: number;
  /**
   * On PostgreSQL, the read is a named prepared statement, planned once per connection (planning
   * it costs the server more than running it). Default true. Behind a pooler in transaction mode
   * without prepared-statement support (PgBouncer before 1.21, or `max_prepared_statements = 0`),
   * pass false; the store also falls back by itself, with one warning, when the server refuses one.
   * No effect on MariaDB/MySQL and SQLite.
   */
  preparedStatements?: boolean;
}

const optionsSchema = z.strictObject({
  touchAfterMs: z.number().int().min(0, 'must be 0 or more milliseconds').default(600_000),
  ttlMs: z.number().int().min(1000, 'must be at least 1000 milliseconds').default(86_400_000),
  preparedStatements: z.boolean().default(true),
});

function parseStoreOptions(input: unknown): z.output<typeof optionsSchema> {
  const result = optionsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => `received an unsupported option, \`${k}\`.`).join('\n  ')
      : `option \`${issue.path.join('.') || '(options)'}\` ${issue.message}`,
  );
  throw new OptionsError(`express-account-users: au.sessionStore(): invalid options:\n  ${lines.join('\n  ')}`);
}

/** What a session store read with the session, tagged with the kit that read it. */
interface Prefetched {
  kit: Kit;
  login: SessionLogin;
}

/** The login a session store read for this request (set as express-session makes req.session). */
const prefetchedLogins = new WeakMap<Request, Prefetched>();
/** The expiry each loaded session had in the database, for touch to decide whether it is due. */
const storedExpiry = new WeakMap<object, number>();
/** What this store last wrote for a session object: express-session saves a regenerated session twice (passport's save, then its own). */
const lastWritten = new WeakMap<object, { sid: string; shape: string; expiresAt: number }>();
/** The session as JSON without its cookie's expiry (which moves on every request): what a skipped save must not lose. */
const shapeOf = (sess: Data) => JSON.stringify(sess, (key, value: unknown) => (key === 'expires' ? undefined : value));
/** Carried from get() to createSession() on the session's plain object (not enumerable: never saved). */
const LOGIN = Symbol('express-account-users.sessionLogin');

/** What the session store read of `req`'s login, if this kit's store read it for this request. */
export function prefetchedLogin(kit: Kit, req: Request): SessionLogin | undefined {
  const found = prefetchedLogins.get(req);
  return found && found.kit === kit ? found.login : undefined;
}

type Callback<T = void> = (err?: unknown, value?: T) => void;
type Data = session.SessionData;

const positiveId = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
};

export function createSessionStore(kit: Kit, options?: SessionStoreOptions): session.Store {
  const { touchAfterMs, ttlMs, preparedStatements } = parseStoreOptions(options);
  const reads: SessionReads = { prepared: preparedStatements };

  const expiryOf = (sess: Data): number => {
    const expires = sess.cookie?.expires;
    const at = expires ? new Date(expires).getTime() : NaN;
    return Number.isFinite(at) ? at : kit.now().getTime() + ttlMs;
  };
  const lifetimeOf = (sess: Data): number => {
    const maxAge = sess.cookie?.originalMaxAge;
    return typeof maxAge === 'number' && maxAge > 0 ? maxAge : ttlMs;
  };

  class KitSessionStore extends session.Store {
    override get(sid: string, callback: Callback<Data | null>): void {
      readSession(kit, sid, reads).then((found) => {
        if (!found) return callback(null, null);
        let sess: Data;
        try {
          sess = JSON.parse(found.data) as Data;
        } catch (err) {
          return callback(err);
        }
        if (found.login) Object.defineProperty(sess, LOGIN, { value: found.login, enumerable: false });
        storedExpiry.set(sess, found.expiresAt);
        callback(null, sess);
      }, callback);
    }

    // express-session turns get()'s object into req.session here, with the request at hand.
    override createSession(req: Request, sess: Data): session.Session & Partial<Data> {
      const login = (sess as Data & { [LOGIN]?: SessionLogin })[LOGIN];
      const expiry = storedExpiry.get(sess);
      const made = super.createSession(req, sess);
      if (login) prefetchedLogins.set(req, { kit, login });
      if (expiry !== undefined) storedExpiry.set(made, expiry);
      return made;
    }

    // A sign-in regenerates: a session this store never loaded nor saved has no row, so nothing is deleted.
    override regenerate(req: Request, callback: (err?: unknown) => void): void {
      if (req.session && !storedExpiry.has(req.session)) {
        (this as unknown as { generate(req: Request): void }).generate(req);
        callback();
        return;
      }
      super.regenerate(req, callback);
    }

    override set(sid: string, sess: Data, callback?: Callback): void {
      const expiresAt = expiryOf(sess);
      let data: string;
      try {
        data = JSON.stringify(sess);
      } catch (err) {
        callback?.(err);
        return;
      }
      // The same session, unchanged, written moments ago by this process (its expiry within touchAfterMs): the row holds it already.
      const last = lastWritten.get(sess);
      if (last && last.sid === sid && expiresAt - last.expiresAt < Math.min(touchAfterMs, lifetimeOf(sess) / 2) && last.shape === shapeOf(sess)) {
        callback?.();
        return;
      }
      const passport = (sess as Data & { passport?: { user?: unknown } }).passport;
      const userId = positiveId(passport?.user);
      const accountId = userId === null ? null : positiveId(sess.accountUsers?.activeAccountId);
      writeSession(kit, sid, { data, expiresAt, userId, accountId }).then(
        () => {
          storedExpiry.set(sess, expiresAt);
          lastWritten.set(sess, { sid, shape: shapeOf(sess), expiresAt });
          callback?.();
        },
        callback ?? (() => undefined),
      );
    }

    override touch(sid: string, sess: Data, callback?: Callback): void {
      const expiresAt = expiryOf(sess);
      const stored = storedExpiry.get(sess);
      // Due once the new expiry is touchAfterMs past the stored one (sooner for a short-lived session).
      if (stored !== undefined && expiresAt - stored < Math.min(touchAfterMs, lifetimeOf(sess) / 2)) {
        callback?.();
        return;
      }
      touchSession(kit, sid, expiresAt).then(
        () => {
          storedExpiry.set(sess, expiresAt);
          callback?.();
        },
        callback ?? (() => undefined),
      );
    }

    override destroy(sid: string, callback?: Callback): void {
      destroySession(kit, sid).then(() => callback?.(), callback ?? (() => undefined));
    }

    override clear(callback?: Callback): void {
      clearSessions(kit).then(() => callback?.(), callback ?? (() => undefined));
    }

    override length(callback: Callback<number>): void {
      countSessions(kit).then((n) => callback(null, n), callback);
    }
  }
  Object.defineProperty(KitSessionStore, 'name', { value: 'KitSessionStore' });
  return new KitSessionStore();
}
