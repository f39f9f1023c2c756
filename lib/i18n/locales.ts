import { DEFAULT_MESSAGES } from '../messages.js';
import type { PermissionCatalogue } from '../permissions.js';
import type { Logger } from '../logger.js';
import { BUILT_IN_LOCALES } from './built-in.js';
import { buildLocale, type Locale } from './locale.js';
import type { HostLocale } from './types.js';

/** Every language of one kit instance, built once at start-up. */
export interface Locales {
  /** The tags in the order Accept-Language negotiation prefers them on a tie: English first. */
  readonly tags: readonly string[];
  readonly english: Locale;
  /** The `defaultLocale` option's language (English unless given): what nothing else decides is said in. */
  readonly fallback: Locale;
  /** The language of a stored or requested tag: exact, else by its language (`de-AT` → `de`, `pt` → `pt-BR`); undefined when none fits. */
  find(tag: string | null | undefined): Locale | undefined;
  /** As find, with the default language for a tag no language fits (none stored, an old row, a language the host removed). */
  get(tag: string | null | undefined): Locale;
}

/** `Intl`'s own spelling of a tag (`pt-br` → `pt-BR`), or undefined when it is not a well-formed tag. */
export function canonicalTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

export function createLocales(options: {
  hostMessages: Record<string, string>;
  hostLocales: Readonly<Record<string, HostLocale>>;
  catalogue: PermissionCatalogue;
  now: () => Date;
  logger: Logger;
  /** The `defaultLocale` option (checked at start-up to be one of the languages). */
  defaultTag?: string | undefined;
}): Locales {
  const hostLocales = new Map(Object.entries(options.hostLocales).map(([tag, strings]) => [canonicalTag(tag) ?? tag, strings]));
  const tags = [...new Set([...Object.keys(BUILT_IN_LOCALES), ...hostLocales.keys()])];
  const hostKeys = new Set(Object.keys(options.hostMessages));
  const byTag = new Map<string, Locale>();
  for (const tag of tags) {
    const builtIn = BUILT_IN_LOCALES[tag];
    const host = hostLocales.get(tag);
    byTag.set(tag, buildLocale({ tag, builtIn, host, hostMessages: options.hostMessages, catalogue: options.catalogue, now: options.now }));
    if (tag === 'en') continue;
    // A key no layer translates is shown in English: said once, here, rather than found on a page.
    const missing = Object.keys(DEFAULT_MESSAGES).filter(
      (k) => !hostKeys.has(k) && builtIn?.messages?.[k as never] === undefined && host?.messages?.[k as never] === undefined,
    );
    // The host's own permissions are looked for only in the languages it configured.
    const missingPermissions = host
      ? options.catalogue.entries.filter((p) => !host.permissions?.[p.key] && !builtIn?.permissions?.[p.key]).map((p) => `permission ${p.key}`)
      : [];
    const all = [...missing, ...missingPermissions];
    if (all.length) {
      options.logger.warn(`express-account-users: locale "${tag}" has no translation of ${all.length} string(s), shown in English instead: ${all.join(', ')}`);
    }
  }
  const lower = new Map(tags.map((t) => [t.toLowerCase(), t]));
  const find = (tag: string | null | undefined): Locale | undefined => {
    if (!tag) return undefined;
    const exact = lower.get(tag.toLowerCase());
    if (exact) return byTag.get(exact);
    const language = tag.split('-')[0]!.toLowerCase();
    const same = tags.find((t) => t.split('-')[0]!.toLowerCase() === language);
    return same ? byTag.get(same) : undefined;
  };
  const english = byTag.get('en')!;
  const fallback = find(options.defaultTag) ?? english;
  return { tags, english, fallback, find, get: (tag) => find(tag) ?? fallback };
}
