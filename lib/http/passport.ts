import type { Request } from 'express';
import { Strategy as LocalStrategy } from 'passport-local';
import { randomBytes } from 'node:crypto';
import type { Kit } from '../services/context.js';
import { hashPassword, verifyPassword, type PasswordHashing } from '../services/passwords.js';
import { keepLanguage } from '../services/self-service/user-language.js';
import { findUserWithActiveMembership } from '../services/accounts/accounts.js';
import type { AccountUser } from '../services/user-store.js';
import { checkSignInPassword, passwordChangedAt, readSignIn, signInAddress } from '../services/self-service/sign-in.js';
import { factorEnabledAt } from '../services/two-factor/two-factor.js';
import { stashSessionMembership } from './guard.js';
import { prefetchedLogin } from './session-store.js';
import { noteSignIn, sessionIsOutdated, stampSignIn, takeSignIn, takeSignInFactor, watchLogIn } from './login-time.js';
import { markSecondFactorOwed, markSecondFactorRemembered, noteFactorState } from './second-factor.js';
import { rememberedBrowserToken } from './remembered-browser.js';
import { deviceRemembered } from '../services/two-factor/devices.js';
import type { Http } from './router.js';

/*
 * The kit's side of passport: the local strategy (`au.passportStrategy()`), the failure count a
 * host's own strategy reports (`au.recordFailedLogin`), and `au.serializeUser` / `au.deserializeUser`,
 * which stamp a session with the password it signed in with, mark a second factor owed, and read
 * the user with the active membership in the guard's one statement.
 */

type Done<T> = (err: unknown, value?: T) => void;

export interface Passport {
  strategy(): LocalStrategy;
  recordFailedLogin(req: Request, email: unknown): Promise<void>;
  serializeUser(reqOrUser: unknown, userOrDone: unknown, maybeDone?: Done<number>): void;
  deserializeUser(reqOrId: unknown, idOrDone: unknown, maybeDone?: Done<AccountUser | false>): void;
}

/** `ownUsers`: the kit keeps the users (no `users` option), so a session's user and membership come in one statement. */
export function createPassport(
  kit: Kit,
  http: Pick<Http, 'loginLimit' | 'localeOf'>,
  options: { ownUsers: boolean; passwordHashing: PasswordHashing },
): Passport {
  // An unknown email is checked against this hash, made once with the configured parameters, so
  // it costs the same scrypt work as a known one: the time of an answer says nothing about which
  // addresses have a login.
  let dummyHash: Promise<string> | undefined;
  const unknownUserHash = () => (dummyHash ??= hashPassword(randomBytes(18).toString('base64'), options.passwordHashing));
  const recordFailedLogin = (req: Request, email: unknown) =>
    http.loginLimit.recordFailure(req, email).catch((err) => kit.logger.error('express-account-users: could not count a failed login', err));

  // A session without the record of its password, for a user who has changed it since: signed out.
  // Only a sign-in that passed neither the kit's strategy, au.loginLimit nor au.serializeUser makes
  // one, so the host is told once how to wire it.
  let warnedUnstamped = false;
  const unstamped = () => {
    if (warnedUnstamped) return;
    warnedUnstamped = true;
    kit.logger.warn(
      'express-account-users: a session carried no record of the password it signed in with, and its user has changed the password since, so it was signed out. ' +
        'Sign-ins through au.passportStrategy(), or on a route behind au.loginLimit, or with passport.serializeUser(au.serializeUser), are recorded; ' +
        "one of your own (your own strategy or req.login, with your own serializeUser) is not: put au.loginLimit before that route's handler, or give passport au.serializeUser (docs/integration.md).",
    );
  };

  const strategy = () => {
    // Made when the host asks for the strategy, not by every kit (a hash of the default cost takes 128 MB for a moment).
    void unknownUserHash().catch((err) => kit.logger.error('express-account-users: could not make the dummy password hash', err));
    return new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      // `countAs`: the address the failure is counted under (au.loginLimit keys it by the login it finds).
      const fail = async (countAs: unknown) => {
        await recordFailedLogin(req, countAs);
        // In the visitor's language, for the host's login page to show (passport's failureMessage / flash).
        done(null, false, { message: http.localeOf(req).message('login.failed') });
      };
      (async () => {
        // Validated and normalised as au.loginLimit keys it: an address no login can have is a failure, looked up nowhere.
        const address = signInAddress(kit, email);
        if (!address || typeof password !== 'string' || Buffer.byteLength(password) > 1024) return fail(email);
        // With the kit's users: one statement reads the login, its hash, its last password change,
        // its second factor and its kept language (a sign-in costs at most four statements).
        const read = options.ownUsers ? await readSignIn(kit, address) : undefined;
        const user = options.ownUsers ? read?.user : await kit.users.findByEmail(address);
        if (!user) {
          await verifyPassword(password, await unknownUserHash());
          return fail(address);
        }
        // Read before (or with) the hash: the session counts from the password this sign-in checks (lib/http/login-time.ts).
        noteSignIn(req, user.id, read ? read.passwordChangedAt : await passwordChangedAt(kit, user.id, user), read?.factorEnabledAt);
        if (!(await (read ? checkSignInPassword(kit, read, password) : kit.users.verifyPassword(user, password)))) return fail(user.email);
        const at = kit.now();
        const recorded = await http.loginLimit.recordSuccess(req, user.email, read ? { userId: user.id, at } : undefined).catch((err: unknown) => {
          kit.logger.error('express-account-users: could not clear a login count', err);
          return false;
        });
        if (!recorded) await kit.users.recordLogin?.(user.id, at);
        // The language they signed in in: emails about their login are written in it (written only when it changed).
        const tag = http.localeOf(req).tag;
        if (!read || read.locale !== tag) await keepLanguage(kit, user.id, tag);
        // The session records the reading above even when the host keeps its own serializeUser.
        watchLogIn(kit, req);
        done(null, user);
      })().catch(done);
    });
  };

  // Three declared parameters: passport passes `req` only to a function of arity 3.
  function serializeUser(reqOrUser: unknown, userOrDone: unknown, maybeDone?: Done<number>): void {
    const withReq = typeof maybeDone === 'function';
    const user = withReq ? userOrDone : reqOrUser;
    const done = (withReq ? maybeDone : userOrDone) as Done<number>;
    const id = Number((user as { id?: unknown }).id);
    if (!Number.isSafeInteger(id) || id <= 0) return done(new Error('express-account-users: serializeUser needs a user with a numeric id'));
    if (!withReq) return done(null, id);
    // passport has regenerated the session by now. Signed in by the kit's strategy: the password
    // state it read before checking the hash; signed in otherwise (registration through an
    // invitation, a host's own strategy): the state now.
    const req = reqOrUser as Request;
    const read = takeSignIn(req, id);
    const factorRead = takeSignInFactor(req, id);
    // A login with a second factor: this session owes it until /two-factor/verify accepts a code.
    // A browser remembered for this login (twoFactor.rememberDeviceDays) owes nothing; any other does.
    Promise.all([read ?? passwordChangedAt(kit, id), factorRead !== undefined ? factorRead : factorEnabledAt(kit, id)])
      .then(async ([at, factor]) => {
        stampSignIn(req, at);
        if (factor && (await deviceRemembered(kit, id, rememberedBrowserToken(req)))) markSecondFactorRemembered(req, kit.now());
        else if (factor) markSecondFactorOwed(req);
      })
      .then(() => done(null, id), done);
  }

  // Three declared parameters: passport passes `req` only to a function of arity 3.
  function deserializeUser(reqOrId: unknown, idOrDone: unknown, maybeDone?: Done<AccountUser | false>): void {
    const withReq = typeof maybeDone === 'function';
    const req = withReq ? (reqOrId as Request) : undefined;
    const id = withReq ? idOrDone : reqOrId;
    const done = (withReq ? maybeDone : idOrDone) as Done<AccountUser | false>;
    const n = Number(id);
    if (!Number.isSafeInteger(n) || n <= 0) return done(null, false);
    const chosenAccountId = req?.session?.accountUsers?.activeAccountId;
    // au.sessionStore() read the login with the session, in the same statement: used when it
    // answers this very question (the session's user, the account it chose).
    const read = req && prefetchedLogin(kit, req);
    const prefetched = read && read.userId === n && read.chosenAccountId === chosenAccountId ? read : undefined;
    if (req && prefetched && (options.ownUsers ? prefetched.user : true)) {
      const membership = () => {
        noteFactorState(req, n, prefetched.twoFactorEnabledAt);
        stashSessionMembership(req, { userId: n, chosenAccountId, membership: prefetched.membership });
      };
      if (prefetched.user) {
        if (sessionIsOutdated(req, prefetched.user.sessionsValidAfter, unstamped)) return done(null, false);
        membership();
        return done(null, prefetched.user.user);
      }
      // A host's users store is asked for the user; the membership came with the session.
      kit.users.findById(n).then((user) => {
        if (!user || sessionIsOutdated(req, user.sessionsValidAfter, unstamped)) return done(null, false);
        membership();
        done(null, user);
      }, done);
      return;
    }
    if (!req || !options.ownUsers) {
      kit.users.findById(n).then((user) => {
        if (user && req && sessionIsOutdated(req, user.sessionsValidAfter, unstamped)) return done(null, false);
        done(null, user ?? false);
      }, done);
      return;
    }
    // The user's sessionsValidAfter comes in the same query: signing out other sessions costs none.
    findUserWithActiveMembership(kit, n, chosenAccountId).then((found) => {
      if (!found || sessionIsOutdated(req, found.sessionsValidAfter, unstamped)) return done(null, false);
      // The login's factor came in the same query: whether the session still owes it is known now.
      noteFactorState(req, n, found.twoFactorEnabledAt);
      stashSessionMembership(req, { userId: n, chosenAccountId, membership: found.membership });
      done(null, found.user);
    }, done);
  }

  return { strategy, recordFailedLogin, serializeUser, deserializeUser };
}
