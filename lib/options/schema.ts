import { z } from 'zod';
import type { Knex } from 'knex';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { MANAGE_USERS, PERMISSIONS } from '../permissions.js';
import { DEFAULT_MESSAGES, type MessageKey } from '../messages.js';
import type { UserStore } from '../store/user-store.js';
import type { MailTransport } from '../mail/transport.js';
import type { LayoutFunction } from '../layout.js';
import type { Request } from 'express';
import { canonicalTag } from '../i18n/locales.js';
import type { Logger } from '../logger.js';
import { TABLE_PREFIX_PATTERN, TABLE_PREFIX_RULE } from '../store/db.js';

/*
 * The options as they run: the zod schema accountUsers() parses once at start-up, with the defaults.
 * The documented interface is interface.ts; the start-up checks are checks.ts.
 */

const messageKeySchema = z.enum(Object.keys(DEFAULT_MESSAGES) as [MessageKey, ...MessageKey[]]);

/** The `locale` option as a function: the request's language tag, or undefined to negotiate it from Accept-Language. */
export type { Logger } from '../logger.js';

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
  /**
   * Keys of the catalogue (built-in or the host's `permissions`); checked at start-up. `'*'`
   * (ALL_PERMISSIONS) applies "All permissions", which also covers permissions added later.
   */
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
export type TemplateHelper = (...args: any[]) => unknown;

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
    /** How long a claimed email is one worker's before another may take it over (a crashed sender's). */
    claimLeaseMs: z
      .number()
      .int()
      .min(1000)
      .default(5 * 60 * 1000),
    /** The first retry's delay; each next one doubles, up to 6 hours. */
    retryDelayMs: z.number().int().min(100).default(30_000),
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
  homeUrl: z
    .string()
    .regex(/^\/(?![/\\])[^\s]*$/, 'must be a same-origin path starting with / (the portal page where an account is used)')
    .default('/'),
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
  twoFactor: z
    .strictObject({
      issuer: z.string().trim().min(1).max(64).optional(),
      encryptionKey: z.string().min(32, 'must be at least 32 characters (a random secret, e.g. 32 bytes as base64)').optional(),
      stepUpMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(10),
      // Off unless set: how long a browser ticked "Remember this browser" skips the second step.
      rememberDeviceDays: z.number().int().min(1).max(365).optional(),
      // How long before an account's grace ends its members without a factor are reminded; 0: never.
      reminderDaysBefore: z.number().int().min(0).max(90).default(3),
      passkeys: z
        .union([
          z.literal(false),
          z.strictObject({
            rpID: z
              .string()
              .trim()
              .min(1)
              .max(253)
              .regex(/^[a-zA-Z0-9.-]+$/, 'must be a host name such as portal.example.com')
              .optional(),
            origin: z.string().min(1).max(2048).optional(),
            origins: z.array(z.string().min(1).max(2048)).min(1).max(20).readonly().optional(),
            rpName: z.string().trim().min(1).max(64).optional(),
          }),
        ])
        .default({}),
    })
    .prefault({}),
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
  defaultLocale: z
    .string()
    .refine((v) => canonicalTag(v) !== undefined, 'must be a language tag such as "de" or "pt-BR"')
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
      // 0: removals keep nothing and nobody can be restored.
      restoreWindowMs: z
        .number()
        .int()
        .min(0)
        .max(10 * 365 * 24 * 60 * 60 * 1000)
        .default(90 * 24 * 60 * 60 * 1000),
      // A bulk invitation is one request: its addresses are decided one by one under the account's lock.
      bulkInviteMax: z.number().int().min(1).max(1000, 'must be at most 1000 (one request decides each address under the lock)').default(50),
      rosterMaxRows: z.number().int().min(1).max(10_000, 'must be at most 10000 (a roster is applied in one transaction)').default(500),
      rosterMaxBytes: z
        .number()
        .int()
        .min(1024, 'must be at least 1024 (bytes)')
        .max(1_048_576, 'must be at most 1048576 (1 MiB: the form posts the roster in its body)')
        .default(100_000),
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
      twoFactorPerWindow: z.number().int().min(1).default(10),
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

export type ResolvedOptions = z.output<typeof optionsSchema>;
