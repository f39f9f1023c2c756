import { z } from 'zod';
import { InvalidInputError, NotFoundError, type KeyedIssue } from '../errors.js';
import { DEFAULT_MESSAGES, type MessageKey } from '../messages.js';
import type { PermissionCatalogue } from '../permissions.js';
import { withoutBidiControls } from '../i18n/bidi.js';
import { INVITATION_LIST_STATES, type InvitationListState } from '../store/invitations/invitations.js';

const CONTROL = /[\u0000-\u001f\u007f]/;

export const emailSchema = z
  .string({ error: 'field.required' })
  .trim()
  .min(1, 'field.required')
  .max(254, 'field.tooLong')
  .refine((v) => !CONTROL.test(v), 'field.controlCharacters')
  .pipe(z.email('field.email'))
  .transform((v) => v.toLowerCase());

/**
 * A person's or an account's name: bidirectional controls, control characters (line breaks, NEL)
 * and line and paragraph separators removed (see withoutBidiControls), then trimmed; nothing left
 * is "required".
 */
export const nameSchema = z.string({ error: 'field.required' }).overwrite(withoutBidiControls).trim().min(1, 'field.required').max(255, 'field.tooLong');

export const passwordSchema = z
  .string({ error: 'field.required' })
  .min(8, 'field.tooShort')
  .refine((v) => Buffer.byteLength(v, 'utf8') <= 1024, 'field.passwordBytes')
  .refine((v) => !v.includes('\u0000'), 'field.nul');

/** Normalises an email the way it is stored: trimmed and lower-cased. */
export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * A form sends one `permissions` field per ticked box: none, a string, or an array.
 * JSON clients send an array. Anything else, or an unknown key, is refused by name.
 */
export function permissionsSchema(catalogue: PermissionCatalogue, opts: { allowEmpty: boolean }) {
  return z
    .union([z.array(z.string()), z.string(), z.undefined()], { error: 'field.permissionList' })
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string()).max(catalogue.entries.length * 4, 'field.tooMany'))
    .superRefine((keys, ctx) => {
      const unknown = [...new Set(keys.filter((k) => !catalogue.has(k)))];
      if (unknown.length) {
        ctx.addIssue({
          code: 'custom',
          message: 'field.unknownPermission',
          params: {
            keys: unknown
              .slice(0, 5)
              .map((k) => JSON.stringify(k.slice(0, 40)))
              .join(', '),
          },
        });
      }
      if (!opts.allowEmpty && keys.length === 0) ctx.addIssue({ code: 'custom', message: 'field.choosePermission' });
    })
    .transform((keys) => catalogue.normalise(keys));
}

/**
 * "All permissions" (every permission, also those the host adds later): true or false from au.api
 * and JSON; a form's checkbox sends "on" (or "1", "true", "yes") when ticked and nothing otherwise.
 */
export const allPermissionsSchema = z
  .union([z.boolean(), z.enum(['on', '1', 'true', 'yes', '0', 'false', 'no', '']), z.undefined()], { error: 'field.boolean' })
  .transform((v) => v === true || v === 'on' || v === '1' || v === 'true' || v === 'yes');

/** Parses input against a schema or throws a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  // reportInput: a field of the wrong type is told so, not "is required" (zod leaves `input` out otherwise).
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.map((i): KeyedIssue => {
    // Nested fields by their dotted name (createAccount's `owner.email`); list positions are dropped.
    const field = i.path.filter((k) => typeof k === 'string').join('.') || 'input';
    if (i.code === 'invalid_type' && i.input === undefined) return { field, key: 'field.required' };
    // The kit's schemas for people's input give message keys; au.api's own arguments are described for developers, in English.
    if (!Object.hasOwn(DEFAULT_MESSAGES, i.message)) return { field, key: 'field.invalid', text: i.message };
    const key = i.message as MessageKey;
    const values = {
      ...(i.code === 'custom' ? i.params : undefined),
      ...('maximum' in i ? { max: Number(i.maximum) } : {}),
      ...('minimum' in i ? { min: Number(i.minimum) } : {}),
    };
    return { field, key, values };
  });
  // Every rule a field breaks, at once (a password too short and with a NUL is told both), each once.
  const seen = new Set<string>();
  throw new InvalidInputError(issues.filter((i) => (seen.has(`${i.field} ${i.key}`) ? false : (seen.add(`${i.field} ${i.key}`), true))));
}

/** An id from a URL: a positive 32-bit integer, else the thing simply does not exist (404, no hint). */
export function parseId(value: unknown): number {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) throw new NotFoundError();
  const n = Number(value);
  if (n > 2_147_483_647) throw new NotFoundError();
  return n;
}

const cursorSchema = z
  .string({ error: 'field.cursor' })
  .regex(/^[1-9][0-9]{0,9}$/, 'field.cursor')
  .transform(Number)
  // Row ids are 32-bit: a larger number would be a database error on PostgreSQL, not a position.
  .refine((n) => n <= 2_147_483_647, 'field.cursor')
  .optional();

/** Where a list's page starts: after one row (the next page) or before one (the previous). */
export interface Cursor {
  after: number | undefined;
  before: number | undefined;
}

/** The query parameters one list's cursor travels under. */
export interface CursorNames {
  after: string;
  before: string;
}

/**
 * A reader of one list's cursor from a query string: `after` (the next page) or `before` (the
 * previous one), under the names the list uses. Anything but a row id is refused by name (400).
 * Built once per list at start-up: a zod schema costs more to build than to run.
 */
export function cursorParser(names: CursorNames): (query: Record<string, unknown>) => Cursor {
  const schema = z
    .object({ [names.after]: cursorSchema, [names.before]: cursorSchema })
    .refine((v) => v[names.after] === undefined || v[names.before] === undefined, {
      message: 'field.cursorBoth',
      params: { after: names.after, before: names.before },
      path: [names.before],
    });
  return (query) => {
    const parsed = parseInput(schema, { [names.after]: query[names.after], [names.before]: query[names.before] }) as Record<string, number | undefined>;
    return { after: parsed[names.after], before: parsed[names.before] };
  };
}

const cursorIdSchema = z.number({ error: 'field.cursor' }).int('field.cursor').positive('field.cursor').max(2_147_483_647, 'field.cursor').optional();

const cursorInputSchema = z.object({ after: cursorIdSchema, before: cursorIdSchema }).refine((v) => v.after === undefined || v.before === undefined, {
  message: 'field.cursorBoth',
  params: { after: 'after', before: 'before' },
  path: ['before'],
});

/** au.api's cursor: the `next` (as `after`) or `previous` (as `before`) of the page before, as a number. */
export function parseCursor(input: { after?: unknown; before?: unknown }): Cursor {
  const { after, before } = parseInput(cursorInputSchema, { after: input.after, before: input.before });
  return { after, before };
}

/** What narrows the users page's lists: a search text, a permission, and which invitations. */
export interface UsersFilter {
  /** Part of a name or an address (trimmed; undefined when empty). */
  q: string | undefined;
  permission: string | undefined;
  /** Which invitations: the pending ones unless asked otherwise. */
  status: InvitationListState;
}

/**
 * The users page's filter from a query string (or au.api's input): `q`, `permission` (a catalogue
 * key) and `status` (one of INVITATION_LIST_STATES). Anything else is refused by name (400).
 */
export function usersFilterParser(catalogue: PermissionCatalogue, defaultStatus: InvitationListState): (query: Record<string, unknown>) => UsersFilter {
  const schema = z.object({
    q: z
      .string({ error: 'field.search' })
      .max(100, 'field.tooLong')
      .refine((v) => !CONTROL.test(v), 'field.controlCharacters')
      .transform((v) => withoutBidiControls(v).trim() || undefined)
      .optional(),
    permission: z
      .string({ error: 'field.permissionFilter' })
      .transform((v) => v || undefined)
      .refine((v) => v === undefined || catalogue.has(v), 'field.permissionFilter')
      .optional(),
    status: z
      .string({ error: 'field.invitationStatus' })
      .transform((v) => v || undefined)
      .refine((v) => v === undefined || (INVITATION_LIST_STATES as readonly string[]).includes(v), {
        message: 'field.invitationStatus',
        params: { states: INVITATION_LIST_STATES.join(', ') },
      })
      .optional(),
  });
  return (query) => {
    const parsed = parseInput(schema, { q: query.q, permission: query.permission, status: query.status });
    return { q: parsed.q, permission: parsed.permission, status: (parsed.status as InvitationListState | undefined) ?? defaultStatus };
  };
}

// ISO 8601 as accessUntil takes it: a date alone, or a date and time with its zone. A date-time
// without one is refused: "2030-01-01T00:00" means a different moment on every server (the HTML
// form, whose field sends no zone and says "UTC", adds the Z itself: see the http layer).
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/;

const daysIn = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** A UTC moment from its parts, or undefined when they name none (30 February, month 13, 24:61): Date would roll them over. */
function utcMoment(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it reads years 0–99 as 1900–1999
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/**
 * An accessUntil string as a moment: `YYYY-MM-DD` is the end of that day in UTC (23:59:59.999:
 * "access until 31 December" includes the 31st); a date-time needs `Z` or `±hh:mm`. A message key
 * says why anything else is refused.
 */
export function parseAccessUntil(text: string): Date | 'field.accessUntil' | 'field.accessUntilZone' | 'field.noSuchDate' {
  const day = ISO_DATE.exec(text);
  if (day) {
    const t = utcMoment(Number(day[1]), Number(day[2]), Number(day[3]), 23, 59, 59, 999);
    return t === undefined ? 'field.noSuchDate' : new Date(t);
  }
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return 'field.accessUntil';
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  if (zone === undefined) return 'field.accessUntilZone';
  const t = utcMoment(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), Number((fraction ?? '').padEnd(3, '0').slice(0, 3)));
  if (t === undefined) return 'field.noSuchDate';
  if (zone === 'Z') return new Date(t);
  const offsetHours = Number(zone.slice(1, 3));
  const offsetMinutes = Number(zone.slice(4, 6));
  if (offsetHours > 23 || offsetMinutes > 59) return 'field.noSuchDate';
  const sign = zone[0] === '-' ? -1 : 1;
  return new Date(t - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

/**
 * When a member's access ends: a moment after `now`, or null for no end (an empty form field
 * clears it). Undefined stays undefined: "leave it as it is" to setPermissions. A Date (au.api) as
 * it is; a string as parseAccessUntil reads it.
 */
export function accessUntilSchema(now: Date) {
  return z
    .union([z.date(), z.string().max(40, 'field.accessUntil'), z.null(), z.undefined()], {
      error: 'field.accessUntil',
    })
    .transform((v, ctx): Date | null | undefined => {
      if (v === undefined || v === null) return v;
      if (typeof v === 'string' && v.trim() === '') return null;
      const date = v instanceof Date ? v : parseAccessUntil(v.trim());
      if (typeof date === 'string' || date.getUTCFullYear() > 9999) {
        ctx.addIssue({ code: 'custom', message: typeof date === 'string' ? date : 'field.accessUntil' });
        return z.NEVER;
      }
      if (date.getTime() <= now.getTime()) {
        ctx.addIssue({ code: 'custom', message: 'field.future' });
        return z.NEVER;
      }
      return date;
    });
}

/** A language of the kit's (`'de'`, `'pt-BR'`), as its canonical tag; undefined when not given. */
export function localeSchema(kit: { locales: { find(tag: string): { tag: string } | undefined; tags: readonly string[] } }) {
  return z
    .string({ error: 'field.locale' })
    .max(35, 'field.locale')
    .transform((v, ctx) => {
      const found = kit.locales.find(v);
      if (!found) {
        ctx.addIssue({ code: 'custom', message: 'field.locale' });
        return z.NEVER;
      }
      return found.tag;
    })
    .optional();
}

/** A row id, as every au.api function takes it. */
export const idSchema = z
  .number({ error: 'must be a positive integer id' })
  .int('must be a positive integer id')
  .positive('must be a positive integer id')
  // Row ids are 32-bit: a larger number would be a database error on PostgreSQL.
  .max(2_147_483_647, 'must be a positive integer id');
