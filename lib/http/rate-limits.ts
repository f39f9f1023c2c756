import type { MessageKey } from '../messages.js';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options, type Store } from 'express-rate-limit';
import { InvalidInputError, NotFoundError, TooManyRequestsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { clientIp } from './request.js';
import type { LoginCounts } from '../services/context.js';

/** Makes the store for one of the kit's limiters; `name` tells them apart ('accept', 'accept-view' (dead links), 'login-ip', 'login-email', …). */
export type RateLimitStoreFactory = (name: string) => Store;

/** Seconds until the window of `resetTime` ends, by the kit's clock. */
function secondsUntil(resetTime: Date | undefined, now: Date, windowMs: number): number {
  return Math.max(1, Math.ceil(((resetTime?.getTime() ?? now.getTime() + windowMs) - now.getTime()) / 1000));
}

export interface DeadLinkLimitOptions {
  /** Unknown links one IP may open in a window; the next ones are answered 429. */
  perWindow: number;
  windowMs: number;
  store: Store;
  now: () => Date;
  message: MessageKey;
}

// The dead-link limit that marked a request, read by countDeadLink once the handler has failed.
const deadLinkLimits = new WeakMap<Request, (req: Request) => Promise<TooManyRequestsError | undefined>>();

/**
 * Per-IP limit on links whose token matches nothing (invitation, ownership-transfer, reset and
 * email-confirmation links; opened, or answered with a POST). Put it on a link route, before the
 * handler: it only marks the request.
 * The count happens in countDeadLink, after the handler answered 404, so a link that works is
 * never counted nor refused: a cross-site page loading dead links as images from behind an
 * office's IP cannot lock that office out of the links it was sent, while guessing stays slow.
 */
export function createDeadLinkLimit(options: DeadLinkLimitOptions): RequestHandler {
  const { store, now, windowMs, perWindow } = options;
  void store.init?.({ windowMs } as Options);
  const count = async (req: Request) => {
    const { totalHits, resetTime } = await store.increment(ipKey(req));
    return totalHits > perWindow ? new TooManyRequestsError(options.message, secondsUntil(resetTime, now(), windowMs)) : undefined;
  };
  return function deadLinkLimit(req, _res, next) {
    deadLinkLimits.set(req, count);
    next();
  };
}

/**
 * Error middleware after a router's routes: a 404 on a route marked by createDeadLinkLimit counts
 * against its client's IP, and past the limit the answer becomes the 429 (with Retry-After).
 */
export const countDeadLink: ErrorRequestHandler = function countDeadLink(err, req, _res, next) {
  const count = deadLinkLimits.get(req);
  if (!count || !(err instanceof NotFoundError)) return next(err);
  count(req).then((refusal) => next(refusal ?? err), next);
};

export interface LoginLimitOptions {
  /** Failed logins for one email address in a window. */
  perEmail: number;
  /** Failed logins from one IP in a window. */
  perIp: number;
  windowMs: number;
  stores: { email: Store; ip: Store };
  now: () => Date;
  logger: Logger;
  /** The kit's error mapping: the 429 page or JSON with Retry-After. */
  respond: (err: unknown, req: Request, res: Parameters<RequestHandler>[1], next: Parameters<RequestHandler>[2]) => void;
  /** The key an address's failures are counted under: the stored address of the login it finds (lib/services/sign-in.ts). */
  keyOf: (email: unknown) => Promise<string | undefined>;
  /** The same key for a signed-in login, by its id. */
  keyOfUser: (userId: number) => Promise<string | undefined>;
  /** Both counts in one statement each way, when both stores are the kit's database (lib/store/rate-limit-store.ts). */
  counts?: LoginCounts | undefined;
  /** The kit's users table (no `users` store of the host's): a sign-in's last-login time may be written with its counts. */
  usersTable?: string | undefined;
}

export interface LoginLimit {
  /** Put before the login handler: refuses with 429 once the email or the IP has too many failures. */
  middleware: RequestHandler;
  recordFailure(req: Request, email: unknown): Promise<void>;
  /**
   * A successful login clears its email's count (never the IP's: an attacker could clear it with a
   * login of their own). `login`: the kit's user and the moment, recorded as its last sign-in in
   * the same statement where the database allows it; true when it was.
   */
  recordSuccess(req: Request, email: unknown, login?: { userId: number; at: Date }): Promise<boolean>;
  /**
   * Runs `check`, a check of the signed-in login's current password (password change, email change,
   * ownership offer), under the limit of its sign-ins: while the login's address or the IP is
   * locked it is refused (TooManyRequestsError) without checking anything; a wrong current password
   * counts as a failed sign-in, and a passed check clears the address's count as a sign-in does.
   * Otherwise a stolen session could guess the password at leisure.
   */
  guardCurrentPassword<T>(req: Request, userId: number, check: () => Promise<T>): Promise<T>;
}

/** req.ip as the host's `trust proxy` makes it; IPv6 by /56 as express-rate-limit counts it, so one client cannot rotate addresses. */
function ipKey(req: Request): string {
  const ip = clientIp(req);
  return ip ? ipKeyGenerator(ip) : 'unknown';
}

function emailKey(email: unknown): string | undefined {
  const e = typeof email === 'string' ? email.trim().toLowerCase() : '';
  return e && e.length <= 254 ? e : undefined;
}

/** The services' answer to a wrong current password (lib/services/password-change.ts, email-change.ts; the transfer form). */
function isWrongCurrentPassword(err: unknown): boolean {
  return err instanceof InvalidInputError && err.keyedIssues.some((i) => i.key === 'field.notCurrentPassword');
}

/** The counts one password check holds until it is known to have failed (then they stand) or not (then they are taken back). */
interface Reservation {
  ip: string;
  email: string | undefined;
  /** 'held' until a verdict: 'failed' keeps the counts, 'done' took them back (or a success cleared them). */
  state: 'held' | 'failed' | 'done';
}

// The reservation au.loginLimit took for a sign-in request, settled by recordFailure or recordSuccess (or at the answer).
const reservations = new WeakMap<Request, Reservation>();

/**
 * Failed logins counted per email address and per IP, in the given stores (the kit's database by
 * default, so every instance counts against one limit). Unknown and known addresses are counted
 * alike, so the limit says nothing about which addresses have a login. A known login's failures
 * are counted under its stored address whatever spelling found it: on MariaDB/MySQL `OWNER@…`,
 * `ówner@…` and `owner@…` may all find one row, and must not each get a fresh allowance.
 *
 * A check is counted before the password is checked, not after: the store's increment is atomic
 * and answers with the new count, so of any number of simultaneous guesses at most the limit's
 * number get a count within it and are checked; the rest are refused without a check. Reading the
 * count first and raising it after the (deliberately slow) hash let 60 parallel guesses all pass a
 * limit of 10. A check that turns out right takes its count back (the address's is cleared, as a
 * sign-in does), and so does one that never got to a verdict.
 */
export function createLoginLimit(options: LoginLimitOptions): LoginLimit {
  const { stores, now, windowMs, keyOf, counts } = options;
  for (const store of [stores.email, stores.ip]) void store.init?.({ windowMs } as Options);

  /** Counts one check for this IP and address key; past either limit, takes it back and returns the refusal. */
  async function reserve(req: Request, key: string | undefined, message: MessageKey): Promise<Reservation | TooManyRequestsError> {
    const held: Reservation = { ip: ipKey(req), email: key, state: 'held' };
    const [byIp, byEmail] = counts
      ? await counts.raise(held.ip, key).then((hit) => [hit.ip, hit.email] as const)
      : await Promise.all([stores.ip.increment(held.ip), key ? stores.email.increment(key) : undefined]);
    const refuse = (info: { resetTime: Date | undefined }, key: MessageKey) => new TooManyRequestsError(key, secondsUntil(info.resetTime, now(), windowMs));
    const refusal =
      byEmail && byEmail.totalHits > options.perEmail ? refuse(byEmail, message) : byIp.totalHits > options.perIp ? refuse(byIp, 'limit.loginIp') : undefined;
    if (!refusal) return held;
    // Refused unchecked: not a failure, so the count stays at the limit rather than creeping up.
    await release(held);
    return refusal;
  }

  /** Takes a reservation back: the check it held was not a failure. */
  async function release(held: Reservation) {
    if (held.state !== 'held') return;
    held.state = 'done';
    if (counts) await counts.takeBack(held.ip, held.email);
    else await Promise.all([stores.ip.decrement(held.ip), held.email ? stores.email.decrement(held.email) : undefined]);
  }

  /**
   * A wrong password: a held reservation stands as its failure (moved to `key` when the address's
   * key turned out another); without one (a host's strategy not behind au.loginLimit), counted now.
   * `held` is marked failed by the caller before any await, so the answer cannot take it back meanwhile.
   */
  async function confirm(req: Request, held: Reservation | undefined, key: string | undefined) {
    if (!held) {
      if (counts) await counts.raise(ipKey(req), key);
      else await Promise.all([stores.ip.increment(ipKey(req)), key ? stores.email.increment(key) : undefined]);
      return;
    }
    if (held.email === key) return;
    await Promise.all([held.email ? stores.email.decrement(held.email) : undefined, key ? stores.email.increment(key) : undefined]);
  }

  /** The reservation this failure settles, marked failed at once; undefined when there is none left to settle. */
  function failing(held: Reservation | undefined): Reservation | undefined {
    if (!held || held.state !== 'held') return undefined;
    held.state = 'failed';
    return held;
  }

  /** A right password: the IP's reservation is taken back and the address's count cleared. */
  async function succeed(held: Reservation | undefined, key: string | undefined, login?: { userId: number; at: Date }): Promise<boolean> {
    if (counts && held && held.state === 'held' && held.email === key) {
      held.state = 'done';
      return counts.succeed(held.ip, key, login && options.usersTable ? { table: options.usersTable, ...login } : undefined);
    }
    if (held && held.state === 'held') {
      held.state = 'done';
      await stores.ip.decrement(held.ip);
      if (held.email && held.email !== key) await stores.email.decrement(held.email);
    }
    if (key) await stores.email.resetKey(key);
    return false;
  }

  const middleware: RequestHandler = function loginLimit(req, res, next) {
    keyOf((req.body as Record<string, unknown> | undefined)?.email)
      .then((key) => reserve(req, key, 'limit.loginEmail'))
      .then((held) => {
        if (held instanceof TooManyRequestsError) return options.respond(held, req, res, next);
        reservations.set(req, held);
        // An answer given without a verdict (bad input, a host strategy that reports only failures,
        // an error) was no failed sign-in: its count is taken back.
        const settle = () => void release(held).catch((err) => options.logger.error('express-account-users: could not take back a login count', err));
        res.once('finish', settle);
        res.once('close', settle);
        next();
      })
      .catch(next);
  };

  return {
    middleware,
    async recordFailure(req, email) {
      // Marked before any await: the answer may be sent before the key is known.
      const held = failing(reservations.get(req));
      await confirm(req, held, await keyOf(email));
    },
    async recordSuccess(req, email, login) {
      return succeed(reservations.get(req), await keyOf(email), login);
    },
    async guardCurrentPassword(req, userId, check) {
      const key = await options.keyOfUser(userId);
      const held = await reserve(req, key, 'limit.currentPassword');
      if (held instanceof TooManyRequestsError) throw held;
      return settleHeldCheck(check, isWrongCurrentPassword, {
        failed: () => confirm(req, failing(held), key),
        release: () => release(held),
        succeeded: () => succeed(held, key),
      });
    },
  };
}

/** What a check counted in advance does with its count once its verdict is known. */
interface HeldCount {
  /** A failure (a wrong password or code): the count stands. Called before any await of the caller's. */
  failed(): Promise<unknown>;
  /** No verdict (bad input, another error): the count is taken back. */
  release(): Promise<unknown>;
  /** A success: the count is settled as the limit clears it. */
  succeeded(): Promise<unknown>;
}

/**
 * The second half of "raise first, then check", shared by the current-password checks of the
 * sign-in limit and the code limit: with the count already raised (and the check refused if that
 * passed the limit), runs `check` and settles the count by its verdict.
 */
async function settleHeldCheck<T>(check: () => Promise<T>, isFailure: (err: unknown) => boolean, held: HeldCount): Promise<T> {
  let result: T;
  try {
    result = await check();
  } catch (err) {
    await (isFailure(err) ? held.failed() : held.release());
    throw err;
  }
  await held.succeeded();
  return result;
}

export interface RequestLimitOptions {
  /** Requests one key may make in a window. */
  perWindow: number;
  windowMs: number;
  store: Store;
  now: () => Date;
  message: MessageKey;
  /** What is counted; the client's IP when not given. A request without a key (no usable address) is not counted. */
  key?: (req: Request) => string | undefined;
}

/**
 * A limit on every request to a route, successful or not (password-reset and email-change
 * requests each send an email): per IP, or per a key read from the request (an email address).
 */
export function createRequestLimit(options: RequestLimitOptions): RequestHandler {
  const keyOf = options.key;
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.perWindow,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: options.store,
    ...(keyOf
      ? { keyGenerator: (req: Request) => keyOf(req) ?? '', skip: (req: Request) => keyOf(req) === undefined, validate: { keyGeneratorIpFallback: false } }
      : {}),
    handler(req, _res, next) {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      next(new TooManyRequestsError(options.message, secondsUntil(resetTime, options.now(), options.windowMs)));
    },
  });
}

/** The `email` field of a form or JSON body, as the limits count it (trimmed, lower-cased). */
export function bodyEmailKey(req: Request): string | undefined {
  return emailKey((req.body as Record<string, unknown> | undefined)?.email);
}

export interface CodeLimitOptions {
  /** Wrong codes one login may give per window. */
  perWindow: number;
  windowMs: number;
  store: Store;
  now: () => Date;
}

export interface CodeLimit {
  /**
   * Runs `check` (a second-factor code or recovery code of `userId`) under the login's limit: once it
   * has had `perWindow` wrong codes in the window it is refused (429) without checking anything; a
   * wrong code counts, a right one clears the count. Counted per login (in the kit's database by
   * default), so neither a new session nor another IP gets a fresh allowance: a six-digit code is
   * one in a million, and ten tries per window keeps guessing hopeless.
   */
  guard<T>(userId: number, check: () => Promise<T>): Promise<T>;
}

/** The services' answer to a wrong code (lib/services/two-factor/two-factor.ts). */
function isWrongCode(err: unknown): boolean {
  return (
    err instanceof InvalidInputError &&
    err.keyedIssues.some((i) => i.key === 'field.wrongCode' || i.key === 'field.wrongRecoveryCode' || i.key === 'field.wrongPasskey')
  );
}

/**
 * As the sign-in limit does (createLoginLimit's reserve, then settleHeldCheck), a code is counted
 * before it is checked: the store's increment is atomic and answers with the new count, so
 * of any number of simultaneous codes for one login at most `perWindow` get a count within the
 * limit and reach the check; the others are taken back and refused unchecked. Reading the count
 * first and raising it only after a wrong code let 60 parallel guesses all be checked against a
 * limit of 10. A wrong code's count stands; a right one clears the login's count, as a right
 * password clears its address's; a check that ends without a verdict (bad input, no factor, an
 * error) takes its count back.
 */
export function createCodeLimit(options: CodeLimitOptions): CodeLimit {
  const { store, now, windowMs, perWindow } = options;
  void store.init?.({ windowMs } as Options);
  return {
    async guard(userId, check) {
      const key = `user:${userId}`;
      const hit = await store.increment(key);
      if (hit.totalHits > perWindow) {
        // Refused unchecked: not a wrong code, so the count stays at the limit rather than creeping up.
        await store.decrement(key);
        throw new TooManyRequestsError('limit.twoFactor', secondsUntil(hit.resetTime, now(), windowMs));
      }
      return settleHeldCheck(check, isWrongCode, {
        // A wrong code's count stands as it was raised.
        failed: () => Promise.resolve(),
        release: async () => store.decrement(key),
        succeeded: async () => store.resetKey(key),
      });
    },
  };
}
