import { DEFAULT_MESSAGES } from '../messages.js';
import type { Permission, PermissionCatalogue } from '../permissions.js';
import { fillPlaceholders, intlFormatter, type ValueFormatter } from './format.js';
import type { HostLocale, LocaleStrings, PermissionText } from './types.js';
import type { MessageValues } from './values.js';

/** One language as the kit speaks it: its messages, its permission names and how it writes dates, durations and lists. */
export interface Locale {
  /** The BCP 47 tag, as a page's `<html lang>` carries it: `de`, `pt-BR`. */
  readonly tag: string;
  readonly dir: 'ltr' | 'rtl';
  /** The message in this language with its `{placeholders}` filled (dates, durations and permission lists written this language's way). */
  message(key: string, values?: MessageValues): string;
  /** The catalogue's entry in this language (the English words where this language has none). */
  permission(key: string): Permission | undefined;
  /** A permission's label in this language, or the key when the catalogue lacks it. */
  label(key: string): string;
  /** A preset's label in this language (`locales[tag].presets`), else the one the `presets` option gives. */
  presetLabel(key: string, label: string): string;
  readonly format: ValueFormatter;
  /** The IANA time zone its dates are written in: `UTC` unless made with inZone. */
  readonly timeZone: string;
  /** The same language writing dates in another time zone (made once per zone). */
  inZone(zone: string): Locale;
}

// Languages written right to left, by their primary subtag; a host language can say so itself (`locales.xx.dir`).
const RIGHT_TO_LEFT = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'ur', 'yi']);

export function directionOf(tag: string): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(tag.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

/**
 * Builds one language: English strings under its own, the host's `messages` (every language) over
 * them, and the host's `locales[tag]` over all. Made once at start-up.
 */
export function buildLocale(options: {
  tag: string;
  builtIn: LocaleStrings | undefined;
  host: HostLocale | undefined;
  hostMessages: Record<string, string>;
  catalogue: PermissionCatalogue;
  now: () => Date;
}): Locale {
  const { tag, builtIn, host, catalogue } = options;
  const messages: Record<string, string> = { ...DEFAULT_MESSAGES, ...builtIn?.messages, ...options.hostMessages, ...host?.messages };
  const words = (key: string): PermissionText | undefined => host?.permissions?.[key] ?? builtIn?.permissions?.[key];
  const permissions = new Map<string, Permission>(
    catalogue.entries.map((p) => {
      const w = words(p.key);
      if (!w) return [p.key, p];
      const translated: Permission = { key: p.key, label: w.label, description: w.description ?? p.description };
      const warning = p.warning === undefined ? undefined : (w.warning ?? p.warning);
      return [p.key, warning === undefined ? translated : { ...translated, warning }];
    }),
  );
  const label = (key: string) => permissions.get(key)?.label ?? key;
  const dir = host?.dir ?? directionOf(tag);
  const zones = new Map<string, Locale>();
  const inZone = (zone: string): Locale => {
    let found = zones.get(zone);
    if (!found) {
      found = make(zone);
      // Bounded: zones come from the `timeZone` option, checked against Intl's (about 600).
      if (zones.size < 1000) zones.set(zone, found);
    }
    return found;
  };
  const make = (timeZone: string): Locale => {
    const format = intlFormatter(tag, options.now, label, timeZone);
    return {
      tag,
      dir,
      message(key, values) {
        const template = messages[key] ?? key;
        return values ? fillPlaceholders(template, values, format, dir === 'rtl') : template;
      },
      permission: (key) => permissions.get(key),
      presetLabel: (key, fallback) => host?.presets?.[key] ?? fallback,
      label,
      format,
      timeZone,
      inZone,
    };
  };
  return inZone('UTC');
}
