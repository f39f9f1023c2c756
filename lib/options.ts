import { z } from 'zod';
import type { Knex } from 'knex';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { OptionsError } from './errors.js';
import { MANAGE_USERS, PERMISSIONS, type PermissionDefinition } from './permissions.js';
import { DEFAULT_MESSAGES, type MessageKey } from './messages.js';
import type { UserStore } from './services/user-store.js';
import type { MailTransport } from './mail/transport.js';
import type { LayoutFunction, LayoutOption } from './layout.js';
import type { Request } from 'express';
import { canonicalTag } from './i18n/locales.js';
import { BUILT_IN_LOCALES } from './i18n/built-in.js';
import type { HostLocale } from './i18n/types.js';
import { TABLE_PREFIX_PATTERN, TABLE_PREFIX_RULE } from './store/db.js';

const messageKeySchema = z.enum(Object.keys(DEFAULT_MESSAGES) as [MessageKey, ...MessageKey[]]);

/** The `locale` option as a function: the request's language tag, or undefined to negotiate it from Accept-Language. */
export type LocaleFunction = (req: Request) => string | undefined;

/** The `timeZone` option as a function: the viewer's IANA time zone, or undefined for the default (UTC). */
export type TimeZoneFunction = (req: Request) => string | undefined;

/** An IANA time zone Intl knows (`Europe/Berlin`, `UTC`): the same check pages run on a function's answer. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const DAY = 24 * 60 * 60 * 1000;

const isKnex = (v: unknown): v is Knex => typeof v === 'function' && typeof (v as Knex).transaction === 'function' && typeof (v as Knex).schema === 'object';

const isTransport = (v: unknown): v is MailTransport => typeof v === 'object' && v !== null && typeof (v as MailTransport).sendMail === 'function';

const BUILT_IN_KEYS: ReadonlySet<string> = new Set([...PERMISSIONS.map((p) => p.key), MANAGE_USERS.key]);

const permissionSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be 1-64 characters: lower-case letters, digits, _ . : -'),
  label: z.string().min(1).max(200),
  description: z.string().max(500).default(''),
  warning: z.string().max(500).optional(),
});

const presetSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be 1-64 characters: lower-case letters, digits, _ . : -'),
  label: z.string().min(1).max(200),
  permissions: z.array(z.string()).min(1, 'must name at least one permission').readonly(),
});

/** A named set of permissions the invite and permissions forms offer beside the checkboxes. */
export interface PermissionPreset {
  /** Names it in `au.api` (`preset`) and in the forms; lower-case letters, digits, _ . : - */
  key: string;
  /** What the button says, e.g. "Billing contact". */
  label: string;
  /** Keys of the catalogue (built-in or the host's `permissions`); checked at start-up. */
  permissions: readonly string[];
}

const userStoreSchema = z.custom<UserStore>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    ['findById', 'findByEmail', 'create', 'verifyPassword'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
  { message: 'must be an object with findById, findByEmail, create and verifyPassword functions' },
);

// `any[]`: a host's `(amount: number) => string` must be accepted, and Handlebars passes whatever the template gives.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TemplateHelper = (...args: any[]) => unknown;

const TEMPLATE_NAME = /^[A-Za-z_$][\w$./-]{0,99}$/;

/** A record of partials or helpers whose keys are names a template can write: `{{> nav}}`, `{{money total}}`. */
const namedRecord = <T extends z.ZodType>(what: string, value: T) =>
  z.record(z.string(), value).superRefine((record, ctx) => {
    for (const name of Object.keys(record)) {
      if (!TEMPLATE_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `is not a usable ${what} name: start with a letter, _ or $, then letters, digits, _ $ . / -` });
      }
    }
  });

/** The host's own Handlebars partials and helpers, for a string layout and the `views` templates. */
const handlebarsSchema = z.strictObject({
  partials: namedRecord('partial', z.string({ message: "must be the partial's template text" })).optional(),
  helpers: namedRecord(
    'helper',
    z.custom<TemplateHelper>((v) => typeof v === 'function', { message: 'must be a function' }),
  ).optional(),
});

export type HostHandlebars = z.output<typeof handlebarsSchema>;

export const optionsSchema = z.strictObject({
  knex: z.custom<Knex>(isKnex, { message: 'must be a Knex instance (the value returned by knex({...}))' }),
  baseUrl: z
    .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL such as https://portal.example.com' })
    .transform((u) => u.replace(/\/+$/, '')),
  mail: z.strictObject({
    transport: z.custom<MailTransport>(isTransport, {
      message: 'must be a nodemailer transport (the value returned by nodemailer.createTransport(...))',
    }),
    from: z.string().min(3, 'must be a sender address such as "Billing <billing@example.com>"'),
    /** Run the outbox worker on an interval in this process. */
    worker: z.boolean().default(false),
    workerIntervalMs: z.number().int().min(100).default(30_000),
    maxAttempts: z.number().int().min(1).max(100).default(8),
  }),
  portalName: z
    .string()
    .trim()
    .min(1, 'must be the name of the portal, such as "Sunrise Hosting"')
    .max(100, 'must be at most 100 characters')
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters or line breaks')
    .optional(),
  timeZone: z
    .union(
      [z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/Berlin" or "UTC"'), z.custom<TimeZoneFunction>((v) => typeof v === 'function')],
      { message: 'must be an IANA time zone such as "Europe/Berlin", or a function (req) => zone | undefined' },
    )
    .default('UTC'),
  loginUrl: z.string().startsWith('/', 'must be a same-origin path starting with /').default('/login'),
  mountPath: z
    .string()
    .regex(/^\/[^\s?#]*$/, 'must be the path au.router is mounted at, such as /account/users')
    .transform((p) => p.replace(/\/+$/, ''))
    .default('/account/users'),
  userMountPath: z
    .string()
    .regex(/^\/[^\s?#]*$/, 'must be the path au.userRouter is mounted at, such as /user')
    .transform((p) => p.replace(/\/+$/, ''))
    .default('/user'),
  tablePrefix: z.string().regex(TABLE_PREFIX_PATTERN, TABLE_PREFIX_RULE).default('au_'),
  invitationTtl: z
    .number()
    .int()
    .min(60_000, 'must be at least one minute (in milliseconds)')
    .default(7 * DAY),
  requireMatchingEmail: z.boolean().default(true),
  frameAncestors: z
    .array(
      z
        .string()
        .regex(
          /^(?:'none'|'self'|[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\*\.)?[a-z0-9.-]+(?::(?:\d{1,5}|\*))?)$/i,
          "must be a CSP source such as 'self' or https://portal.example.com",
        ),
    )
    .min(1, `must name at least one source ("'none'" forbids all framing)`)
    .refine((list) => !list.includes("'none'") || list.length === 1, "'none' cannot be combined with other sources")
    .default(["'none'"]),
  permissions: z
    .array(permissionSchema)
    .readonly()
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((p, i) => {
        if (BUILT_IN_KEYS.has(p.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `"${p.key}" is a built-in permission` });
        if (seen.has(p.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicates the key "${p.key}"` });
        seen.add(p.key);
      });
    }),
  presets: z
    .array(presetSchema)
    .readonly()
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((p, i) => {
        if (seen.has(p.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicates the preset key "${p.key}"` });
        seen.add(p.key);
      });
    }),
  delegation: z.boolean().default(false),
  users: userStoreSchema.optional(),
  passwordHashing: z
    .preprocess(
      // scrypt is the default algorithm: `{ N, r, p }` alone means scrypt, as it always has.
      (v) => (v && typeof v === 'object' && !('algorithm' in v) ? { algorithm: 'scrypt', ...v } : v),
      z.discriminatedUnion('algorithm', [
        z.strictObject({
          algorithm: z.literal('scrypt'),
          N: z
            .number()
            .int()
            .min(2)
            .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
          r: z.number().int().min(1),
          p: z.number().int().min(1),
        }),
        // OWASP's argon2id floor is m=7 MiB with t=5; its first recommendation m=19 MiB, t=2, p=1 is the default.
        z.strictObject({
          algorithm: z.literal('argon2id'),
          memoryCost: z.number().int().min(7168, "must be at least 7168 (KiB, OWASP's smallest argon2id memory)").default(19456),
          timeCost: z.number().int().min(1).default(2),
          parallelism: z.number().int().min(1).max(16).default(1),
        }),
      ]),
    )
    .default({ algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1 }),
  layout: z
    .union(
      [
        z.string().refine((v) => v.includes('{{{body}}}'), 'must be a Handlebars template containing {{{body}}}'),
        z.custom<LayoutFunction>((v) => typeof v === 'function'),
      ],
      { message: 'must be a Handlebars template string containing {{{body}}} or a function (body, context) => html' },
    )
    .optional(),
  handlebars: handlebarsSchema.optional(),
  views: z.string().min(1).optional(),
  messages: z.partialRecord(messageKeySchema, z.string()).default({}),
  locale: z
    .union(
      [
        z.string().refine((v) => canonicalTag(v) !== undefined, 'must be a language tag such as "de" or "pt-BR"'),
        z.custom<LocaleFunction>((v) => typeof v === 'function'),
      ],
      {
        message: 'must be a language tag such as "de", or a function (req) => tag | undefined',
      },
    )
    .optional(),
  locales: z
    .record(
      z.string().refine((v) => canonicalTag(v) !== undefined, 'must be a language tag such as "it" or "fr-CA"'),
      z.strictObject({
        messages: z.partialRecord(messageKeySchema, z.string()).optional(),
        permissions: z
          .record(
            z.string(),
            z.strictObject({ label: z.string().min(1).max(200), description: z.string().max(500).optional(), warning: z.string().max(500).optional() }),
          )
          .optional(),
        presets: z.record(z.string(), z.string().min(1).max(200)).optional(),
        dir: z.enum(['ltr', 'rtl']).optional(),
      }),
    )
    .default({}),
  limits: z
    .strictObject({
      invitationsPerDay: z.number().int().min(1).default(50),
      resendCooldownMs: z.number().int().min(0).default(60_000),
      acceptPerWindow: z.number().int().min(1).default(20),
      acceptWindowMs: z
        .number()
        .int()
        .min(1000)
        .default(15 * 60 * 1000),
      acceptViewsPerWindow: z.number().int().min(1).default(100),
      loginPerWindow: z.number().int().min(1).default(10),
      loginPerIpPerWindow: z.number().int().min(1).default(100),
      loginWindowMs: z
        .number()
        .int()
        .min(1000)
        .default(15 * 60 * 1000),
      passwordResetPerWindow: z.number().int().min(1).default(5),
      passwordResetPerIpPerWindow: z.number().int().min(1).default(30),
      emailChangePerWindow: z.number().int().min(1).default(5),
      emailChangePerIpPerWindow: z.number().int().min(1).default(30),
      emailVerifyPerWindow: z.number().int().min(1).default(5),
      emailVerifyPerIpPerWindow: z.number().int().min(1).default(30),
      selfServiceWindowMs: z
        .number()
        .int()
        .min(1000)
        .default(60 * 60 * 1000),
      store: z
        .custom<(name: string) => RateLimitStore>((v) => typeof v === 'function', {
          message:
            "must be a function (name) => store returning a new express-rate-limit store for each of the kit's limits, e.g. (name) => new RedisStore({ sendCommand, prefix: `au:${name}:` })",
        })
        .optional(),
    })
    .prefault({}),
  now: z.custom<() => Date>((v) => typeof v === 'function', { message: 'must be a function returning a Date' }).default(() => () => new Date()),
  logger: z
    .custom<Logger>((v) => typeof v === 'object' && v !== null && typeof (v as Logger).warn === 'function' && typeof (v as Logger).error === 'function', {
      message: 'must have warn and error functions',
    })
    .default(() => console),
});

export interface Logger {
  /** Optional: start-up notes (which `au.userRouter` routes a host user store cannot serve). */
  info?(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** What a host passes to accountUsers(). Every option is described, with its default, in the README. */
export interface AccountUsersOptions {
  /** A Knex instance: PostgreSQL (pg), MariaDB/MySQL (mysql2) or SQLite (better-sqlite3). */
  knex: Knex;
  /** The portal's public origin, e.g. `https://portal.example.com`; invitation links start with it. */
  baseUrl: string;
  mail: {
    /** A nodemailer transport (`nodemailer.createTransport(...)`), or anything with a compatible `sendMail`. */
    transport: MailTransport;
    /** The sender, e.g. `Billing <billing@example.com>`. */
    from: string;
    /** Retry undelivered invitation emails on an interval in this process. Default false. */
    worker?: boolean;
    /** How often the worker looks for due emails, in ms. Default 30000. */
    workerIntervalMs?: number;
    /** Attempts before an email is marked "not delivered". Default 8. */
    maxAttempts?: number;
  };
  /**
   * The portal's name as emails give it ("… has invited you to their account Acme on Sunrise
   * Hosting."), beside `baseUrl`. Default: `baseUrl`'s host name (`portal.example.com`).
   */
  portalName?: string;
  /**
   * The time zone dates are shown in, and the forms' date fields are read in: an IANA name
   * (`'Europe/Berlin'`), or a function `(req) => zone | undefined` (a zone it gives that Intl does not
   * know is logged once and UTC used). Stored times stay UTC. Emails name UTC. Default `'UTC'`.
   */
  timeZone?: string | TimeZoneFunction;
  /** Where anonymous visitors are sent, with `?returnTo=<path>`. Default `'/login'`. */
  loginUrl?: string;
  /**
   * Where `au.router` is mounted. Links in invitations made through `au.api` (which has no request
   * to learn it from) are `baseUrl + mountPath + /accept/<token>`. Default `'/account/users'`.
   */
  mountPath?: string;
  /**
   * Where `au.userRouter` is mounted: the accounts page of `au.router` sends its "Send
   * Verification Link" form there. Default `'/user'`.
   */
  userMountPath?: string;
  /** Prefix of the kit's tables, its migrations table included. Default `'au_'`. */
  tablePrefix?: string;
  /** How long an invitation link works, in ms. Default 7 days. */
  invitationTtl?: number;
  /** Only the invited address may accept. Default true. */
  requireMatchingEmail?: boolean;
  /** The host's own permissions, listed after the thirteen built-in ones. */
  permissions?: readonly PermissionDefinition[];
  /**
   * Named sets of permissions ("Billing contact": invoices, quotes, orders, emails) offered beside
   * the checkboxes of the invite and permissions forms. Every key must be in the catalogue and
   * preset keys unique, else accountUsers() throws OptionsError at start-up. Default none.
   */
  presets?: readonly PermissionPreset[];
  /**
   * Adds the permission `manageusers` ("Manage Users"): its holders manage users as the owner does,
   * within the permissions they hold themselves. Default false (only the owner manages users).
   */
  delegation?: boolean;
  /** A store over the host's own users table; default: the kit's own table. */
  users?: UserStore;
  /**
   * How new password hashes are made. Default scrypt `{ N: 131072, r: 8, p: 1 }` (128 MiB per hash);
   * or `{ algorithm: 'argon2id', memoryCost: 19456, timeCost: 2, parallelism: 1 }` (19 MiB per hash),
   * which needs the optional package `@node-rs/argon2`. Hashes carry their algorithm and parameters
   * and are upgraded on the next login.
   */
  passwordHashing?:
    { algorithm?: 'scrypt'; N: number; r: number; p: number } | { algorithm: 'argon2id'; memoryCost?: number; timeCost?: number; parallelism?: number };
  /**
   * The page around kit pages: a Handlebars template containing `{{{body}}}`, or a function
   * `(body, context) => html` returning a string or a Promise of one. Both get a `LayoutContext`.
   */
  layout?: LayoutOption;
  /** The host's own Handlebars partials (template text) and helpers, for a string layout and the `views` templates. */
  handlebars?: {
    partials?: Record<string, string>;
    helpers?: Record<string, TemplateHelper>;
  };
  /** A folder of templates overriding the kit's by name (`pages/users.hbs`, …). */
  views?: string;
  /**
   * Replacements for user-facing strings, by key (see `DEFAULT_MESSAGES`), in every language; for
   * one language only, use `locales[tag].messages`.
   */
  messages?: Partial<Record<MessageKey, string>>;
  /**
   * The language of kit pages and of the emails a request sends: a tag (`'de'`), or a function
   * `(req) => tag | undefined`. Default (and when the function gives undefined): the best match of
   * the request's Accept-Language among the available languages, else `'en'`.
   */
  locale?: string | LocaleFunction;
  /**
   * Languages added, or strings of a built-in one replaced, by tag: `{ it: { messages, permissions } }`.
   * Built in: en, de, fr, es, nl, pt-BR, ar. `permissions` gives labels (and descriptions) by permission
   * key, the host's own permissions included. A key a language lacks is shown in English, with one
   * warning at start-up.
   */
  locales?: Record<string, HostLocale>;
  limits?: {
    /** Invitations (and resends) one account may send per 24 hours. Default 50. */
    invitationsPerDay?: number;
    /** Minimum time between two emails for one invitation, in ms. Default 60000. */
    resendCooldownMs?: number;
    /** Failed accept/register attempts one IP may make per window. Default 20. */
    acceptPerWindow?: number;
    /** The window of the accept limits, in ms. Default 15 minutes. */
    acceptWindowMs?: number;
    /** Links whose token matches nothing (invitation, transfer, reset, email confirmation) one IP may open per window; a link that works never counts. Default 100. */
    acceptViewsPerWindow?: number;
    /** Failed logins per email address per window (`au.loginLimit`). Default 10. */
    loginPerWindow?: number;
    /** Failed logins per IP per window (`au.loginLimit`). Default 100. */
    loginPerIpPerWindow?: number;
    /** The window of the login limits, in ms. Default 15 minutes. */
    loginWindowMs?: number;
    /** Password-reset requests per email address per window (`au.userRouter`). Default 5. */
    passwordResetPerWindow?: number;
    /** Password-reset requests per IP per window. Default 30. */
    passwordResetPerIpPerWindow?: number;
    /** Email-change requests per new address per window. Default 5. */
    emailChangePerWindow?: number;
    /** Email-change requests per IP per window. Default 30. */
    emailChangePerIpPerWindow?: number;
    /** Verification links one login may request per window (POST /email/verify). Default 5. */
    emailVerifyPerWindow?: number;
    /** Verification links requested from one IP per window. Default 30. */
    emailVerifyPerIpPerWindow?: number;
    /** The window of the password-reset, email-change and verification limits, in ms. Default 1 hour. */
    selfServiceWindowMs?: number;
    /**
     * Where the limits count: by default in the kit's database (holds across instances). Or a function
     * returning a new express-rate-limit store for each named limit, e.g. rate-limit-redis.
     */
    store?: (name: string) => RateLimitStore;
  };
  /** Who may frame kit pages (CSP frame-ancestors sources). Default `["'none'"]`. */
  frameAncestors?: string[];
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
  /** Where warnings and errors go. Default `console`. */
  logger?: Logger;
}

// The interface above is what hosts read; the schema is what runs. These lines stop them drifting:
// every option of one is an option of the other, and what the interface accepts the schema accepts.
type SchemaInput = z.input<typeof optionsSchema>;
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
const interfaceMatchesSchema: [SameKeys<AccountUsersOptions, SchemaInput>, AccountUsersOptions extends SchemaInput ? true : never] = [true, true];
void interfaceMatchesSchema;

export type ResolvedOptions = z.output<typeof optionsSchema>;

const KNOWN = Object.keys(optionsSchema.shape);

function suggestion(key: string): string {
  const lower = key.toLowerCase();
  const match = KNOWN.find((k) => k.toLowerCase() === lower);
  return match ? ` Did you mean \`${match}\`?` : '';
}

/** Validates once, at start-up: a wrong option throws here with its name, never at the first request. */
export function parseOptions(input: unknown): ResolvedOptions {
  if (typeof input === 'function') {
    throw new OptionsError('accountUsers() takes an options object; it looks like a function was passed instead.');
  }
  const result = optionsSchema.safeParse(input ?? {});
  if (result.success) {
    checkPresets(result.data);
    checkLocale(result.data);
    return result.data;
  }
  const lines = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${issue.path.join('.')}.` : '';
      return issue.keys.map((k) => `received an unsupported option, \`${where}${k}\`.${issue.path.length ? '' : suggestion(k)}`).join('\n');
    }
    const name = issue.path.join('.') || '(options)';
    const given = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
    const message = given === undefined && issue.path.length > 0 ? 'is required' : issue.message;
    return `option \`${name}\` ${message}`;
  });
  throw new OptionsError(`express-account-users: invalid options:\n  ${lines.join('\n  ')}`);
}

/** Presets name keys of the catalogue, which is only known once `permissions` is parsed. */
function checkPresets(options: ResolvedOptions): void {
  const known = new Set([...PERMISSIONS.map((p) => p.key), ...options.permissions.map((p) => p.key)]);
  const problems = options.presets.flatMap((preset, i) => {
    const unknown = [...new Set(preset.permissions.filter((k) => !known.has(k)))];
    return unknown.length
      ? [`option \`presets.${i}.permissions\` of preset "${preset.key}" names unknown permission ${unknown.map((k) => `"${k}"`).join(', ')}`]
      : [];
  });
  if (problems.length) throw new OptionsError(`express-account-users: invalid options:\n  ${problems.join('\n  ')}`);
}

/** A fixed `locale` must be one of the languages: built in, or added with `locales`. */
function checkLocale(options: ResolvedOptions): void {
  if (typeof options.locale !== 'string') return;
  const tag = canonicalTag(options.locale)!.toLowerCase();
  const tags = [...Object.keys(BUILT_IN_LOCALES), ...Object.keys(options.locales)].map((t) => (canonicalTag(t) ?? t).toLowerCase());
  if (!tags.includes(tag)) {
    throw new OptionsError(
      `express-account-users: invalid options:\n  option \`locale\` is "${options.locale}", which is not one of the languages (${tags.join(', ')}); add it with the \`locales\` option`,
    );
  }
}
