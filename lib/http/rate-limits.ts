import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from '../errors.js';

export interface AcceptLimitOptions {
  /** Failed attempts one IP may make in a window. */
  perWindow: number;
  windowMs: number;
  /** Shared store for several app instances (rate-limit-redis, …); in-memory per process otherwise. */
  store?: Store | undefined;
}

/**
 * Per-IP limit on POST /accept/:token and /accept/:token/register, the two routes an attacker
 * would hammer to guess a link or stuff registrations. Only failed attempts count: a token is
 * single use, so successes are bounded already, and a portal onboarding many people from one
 * office IP is never locked out. On the limit the request goes to the kit's error handler as a
 * TooManyRequestsError, so it gets the same 429 page or JSON, with Retry-After, as every other limit.
 */
export function createAcceptLimit(options: AcceptLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.perWindow,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(options.store ? { store: options.store } : {}),
    handler(req, _res, next) {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      next(new TooManyRequestsError('Too many attempts to use invitation links from your network.', retryAfter));
    },
  });
}
