import type { NextFunction, Request, Response } from 'express';
import type { Kit } from '../services/context.js';
import type { Locale } from '../i18n/locale.js';
import { signedInUserId } from './request.js';
import { keepLanguage } from '../services/self-service/user-language.js';
import { isTimeZone } from '../options/schema.js';

// The language chosen for a request, once: handlers, the error handler and actorOf all read it.
const chosen = new WeakMap<Request, Locale>();

/** The language already chosen for a request by a kit router (undefined outside the kit's routers). */
export function requestLocale(req: Request): Locale | undefined {
  return chosen.get(req);
}

/** Far more than any browser sends (about 25 languages with weights): the rest is not read. */
export const ACCEPT_LANGUAGE_MAX = 256;

/**
 * Accept-Language as negotiation reads it: cut at ACCEPT_LANGUAGE_MAX characters, back to the last
 * whole entry. Parsing and ranking cost grows with the header, and a client can send kilobytes.
 */
export function cutAcceptLanguage(header: string): string {
  if (header.length <= ACCEPT_LANGUAGE_MAX) return header;
  const head = header.slice(0, ACCEPT_LANGUAGE_MAX + 1);
  const comma = head.lastIndexOf(',');
  return comma > 0 ? head.slice(0, comma) : head.slice(0, ACCEPT_LANGUAGE_MAX);
}

/**
 * The language of a request: the `locale` option (a tag, or the host's function), else the best
 * match of Accept-Language among the kit's languages, else `defaultLocale` (English unless given).
 * Decided once per request.
 */
export function createLocaleOf(kit: Kit): (req: Request) => Locale {
  const { locales } = kit;
  const option = kit.options.locale;
  const fixed = typeof option === 'string' ? locales.get(option) : undefined;
  const fallback = locales.fallback;
  // The default language offered first: `*`, and a tie the header leaves open, pick it.
  const offered = [fallback.tag, ...locales.tags.filter((t) => t !== fallback.tag)];
  const negotiate = (req: Request): Locale => {
    const header = req.headers['accept-language'];
    if (!header) return fallback;
    // Negotiated over the cut header: a view of the request whose Accept-Language is cut (the
    // host's req.headers stay as they came).
    const cut = cutAcceptLanguage(header);
    const asking = cut === header ? req : (Object.create(req, { headers: { value: { ...req.headers, 'accept-language': cut } } }) as Request);
    const best = asking.acceptsLanguages(...offered);
    if (typeof best === 'string') return locales.get(best);
    // No exact or prefix match ("pt-PT" against "pt-BR"): the first asked-for language the kit speaks in another region.
    for (const asked of asking.acceptsLanguages()) {
      const found = asked === '*' ? undefined : locales.find(asked);
      if (found) return found;
    }
    return fallback;
  };
  const zoneOf = createTimeZoneOf(kit);
  return (req) => {
    let locale = chosen.get(req);
    if (!locale) {
      const asked = typeof option === 'function' ? option(req) : undefined;
      locale = (fixed ?? (typeof asked === 'string' ? locales.find(asked) : undefined) ?? negotiate(req)).inZone(zoneOf(req));
      chosen.set(req, locale);
    }
    return locale;
  };
}

/**
 * The viewer's time zone: the `timeZone` option (a zone checked at start-up, or the host's
 * function). A zone the function gives that Intl does not know is logged once and UTC used.
 */
function createTimeZoneOf(kit: Kit): (req: Request) => string {
  const option = kit.options.timeZone;
  if (typeof option === 'string') return () => option;
  const known = new Set<string>(['UTC']);
  const warned = new Set<string>();
  return (req) => {
    const zone = option(req);
    if (zone === undefined || zone === '') return 'UTC';
    if (known.has(zone)) return zone;
    if (typeof zone === 'string' && zone.length <= 64 && isTimeZone(zone)) {
      if (known.size < 1000) known.add(zone);
      return zone;
    }
    const shown = String(zone).slice(0, 64);
    if (!warned.has(shown) && warned.size < 100) {
      warned.add(shown);
      kit.logger.warn(`express-account-users: the timeZone function gave ${JSON.stringify(shown)}, which is not an IANA time zone; dates are shown in UTC`);
    }
    return 'UTC';
  };
}

/**
 * Keeps the language a signed-in person acts in, so emails about their login reach them in it: one
 * write when it changes, noted in the session so the next requests cost nothing.
 */
export function createRememberLocale(kit: Kit, localeOf: (req: Request) => Locale) {
  return function rememberLocale(req: Request, _res: Response, next: NextFunction): void {
    // Kept when they act (a form, a JSON call): a page view costs no write.
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const locale = localeOf(req);
    const userId = signedInUserId(req);
    const session = req.session as Request['session'] | undefined;
    if (userId === undefined || !session || session.accountUsers?.locale === locale.tag) return next();
    void keepLanguage(kit, userId, locale.tag).then((kept) => {
      if (kept) session.accountUsers = { ...session.accountUsers, locale: locale.tag };
      next();
    });
  };
}
