import { Duration, PermissionNames, RelativeTime, type MessageValues } from './values.js';
import { withoutDirectionalRuns } from './bidi.js';

/** How one language writes the values of placeholders. */
export interface ValueFormatter {
  date(date: Date): string;
  relative(date: Date): string;
  duration(ms: number): string;
  /** A number of seconds with its unit in the language's plural form ("3 ثوانٍ", "11 ثانية"), digits ungrouped. */
  seconds(n: number): string;
  number(n: number): string;
  /** Items as a list: "A, B and C". */
  list(items: readonly string[]): string;
  /** Parts of one statement, side by side without "and": "granted A, removed B". */
  parts(items: readonly string[]): string;
  permissions(names: PermissionNames): string;
}

/**
 * Fills `{name}` placeholders; values are inserted as text (templates escape the result). `isolate`
 * (right-to-left languages): each value is set apart with Unicode's first-strong isolate, so an
 * email address or a Latin name keeps its own direction inside the sentence. In every language a
 * text value loses its embedding, override and isolate controls first: a name stored before the
 * kit removed them, or a host's, can then neither close that isolate nor reorder the sentence.
 */
export function fillPlaceholders(template: string, values: MessageValues, formatter: ValueFormatter, isolate = false): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (!Object.hasOwn(values, key)) return whole;
    const text = asText(values[key], formatter);
    return isolate && text ? `\u2068${text}\u2069` : text;
  });
}

function asText(value: unknown, f: ValueFormatter): string {
  if (typeof value === 'string') return withoutDirectionalRuns(value);
  if (typeof value === 'number') return f.number(value);
  if (value instanceof Date) return f.date(value);
  if (value instanceof Duration) return f.duration(value.ms);
  if (value instanceof RelativeTime) return f.relative(value.date);
  if (value instanceof PermissionNames) return f.permissions(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

const UNITS: ReadonlyArray<[number, 'day' | 'hour' | 'minute']> = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
];

/** The largest unit that measures `ms` whole, else the largest below it to one decimal: 7 days, 12 hours, 1.5 days. */
export function durationParts(ms: number): { value: number; unit: 'day' | 'hour' | 'minute' } {
  for (const [size, unit] of UNITS) if (ms >= size && ms % size === 0) return { value: ms / size, unit };
  const [size, unit] = ms >= 86_400_000 ? UNITS[0]! : ms >= 3_600_000 ? UNITS[1]! : UNITS[2]!;
  return { value: Math.round((ms / size) * 10) / 10, unit };
}

/** The (value, unit) of a relative time: seconds under a minute, then minutes, hours, days. */
export function relativeParts(date: Date, now: Date): { value: number; unit: Intl.RelativeTimeFormatUnit } {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return { value: seconds, unit: 'second' };
  if (abs < 3600) return { value: Math.round(seconds / 60), unit: 'minute' };
  if (abs < 86400) return { value: Math.round(seconds / 3600), unit: 'hour' };
  return { value: Math.round(seconds / 86400), unit: 'day' };
}

/** Dates are in UTC unless the viewer's zone is known (the `timeZone` option): the zone is always said. */
export const DATE_OPTIONS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
};

/** The formatter of one language, its Intl objects made once (making one costs far more than using it). */
export function intlFormatter(tag: string, now: () => Date, labelOf?: (key: string) => string, timeZone = 'UTC'): ValueFormatter {
  const dates = new Intl.DateTimeFormat(tag, { ...DATE_OPTIONS, timeZone });
  // Counts and seconds in the language's digits, ungrouped: "86394 seconds" as the Retry-After header says it.
  const numbers = new Intl.NumberFormat(tag, { useGrouping: false });
  const relativeTime = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const lists = new Intl.ListFormat(tag, { type: 'conjunction' });
  // The unit list: each language's own separator (Arabic's "،"), no conjunction.
  const parts = new Intl.ListFormat(tag, { type: 'unit', style: 'short' });
  const durations = new Map<string, Intl.NumberFormat>();
  // The plural form of the unit is Intl's, never a word written beside a number by hand.
  const seconds = new Intl.NumberFormat(tag, { style: 'unit', unit: 'second', unitDisplay: 'long', useGrouping: false });
  // A full users page shows about a hundred dates, most of them the same few phrases ("in 6 days"):
  // the phrase for each (unit, value) is formatted once. Bounded: values are whole units.
  const phrases = new Map<string, string>();
  return {
    date: (date) => dates.format(date),
    number: (n) => numbers.format(n),
    relative(date) {
      const { value, unit } = relativeParts(date, now());
      const key = `${unit} ${value}`;
      let text = phrases.get(key);
      if (text === undefined) {
        text = relativeTime.format(value, unit);
        if (phrases.size < 10_000) phrases.set(key, text);
      }
      return text;
    },
    duration(ms) {
      const { value, unit } = durationParts(ms);
      let f = durations.get(unit);
      if (!f) durations.set(unit, (f = new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'long' })));
      return f.format(value);
    },
    seconds: (n) => seconds.format(n),
    list: (items) => lists.format(items),
    parts: (items) => parts.format(items),
    permissions: (names) => lists.format(labelOf ? names.keys.map(labelOf) : names.labels),
  };
}

/** English, for the `message` of errors thrown by the services (au.api callers read it; pages translate the key). */
export const ENGLISH = intlFormatter('en', () => new Date());
