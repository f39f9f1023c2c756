import { z } from 'zod';
import type { Knex } from 'knex';
import type { Transporter } from 'nodemailer';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { OptionsError } from './errors.js';
import { PERMISSIONS, type Permission } from './permissions.js';
import { DEFAULT_MESSAGES, type MessageKey } from './messages.js';
import type { UserStore } from './services/user-store.js';
import type { LayoutFunction } from './layout.js';

const DAY = 24 * 60 * 60 * 1000;

const isKnex = (v: unknown): v is Knex =>
  typeof v === 'function' && typeof (v as Knex).transaction === 'function' && typeof (v as Knex).schema === 'object';

const isTransport = (v: unknown): v is Transporter =>
  typeof v === 'object' && v !== null && typeof (v as Transporter).sendMail === 'function';

const BUILT_IN_KEYS: ReadonlySet<string> = new Set(PERMISSIONS.map((p) => p.key));

const permissionSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be 1-64 characters: lower-case letters, digits, _ . : -'),
  label: z.string().min(1).max(200),
  description: z.string().max(500).default(''),
  warning: z.string().max(500).optional(),
});

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
  partials: namedRecord('partial', z.string({ message: 'must be the partial\'s template text' })).optional(),
  helpers: namedRecord('helper', z.custom<TemplateHelper>((v) => typeof v === 'function', { message: 'must be a function' })).optional(),
});

export type HostHandlebars = z.output<typeof handlebarsSchema>;

export const optionsSchema = z.strictObject({
  knex: z.custom<Knex>(isKnex, { message: 'must be a Knex instance (the value returned by knex({...}))' }),
  baseUrl: z
    .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL such as https://portal.example.com' })
    .transform((u) => u.replace(/\/+$/, '')),
  mail: z.strictObject({
    transport: z.custom<Transporter>(isTransport, {
      message: 'must be a nodemailer transport (the value returned by nodemailer.createTransport(...))',
    }),
    from: z.string().min(3, 'must be a sender address such as "Billing <billing@example.com>"'),
    /** Run the outbox worker on an interval in this process. */
    worker: z.boolean().default(false),
    workerIntervalMs: z.number().int().min(100).default(30_000),
    maxAttempts: z.number().int().min(1).max(100).default(8),
  }),
  loginUrl: z.string().startsWith('/', 'must be a same-origin path starting with /').default('/login'),
  tablePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,15}$/, 'must be up to 16 lower-case letters, digits or _, starting with a letter')
    .default('au_'),
  invitationTtl: z
    .number()
    .int()
    .min(60_000, 'must be at least one minute (in milliseconds)')
    .default(7 * DAY),
  requireMatchingEmail: z.boolean().default(true),
  permissions: z
    .array(permissionSchema)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((p, i) => {
        if (BUILT_IN_KEYS.has(p.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `"${p.key}" is a built-in permission` });
        if (seen.has(p.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicates the key "${p.key}"` });
        seen.add(p.key);
      });
    }),
  users: userStoreSchema.optional(),
  passwordHashing: z
    .strictObject({
      N: z.number().int().min(2).refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
      r: z.number().int().min(1),
      p: z.number().int().min(1),
    })
    .default({ N: 2 ** 17, r: 8, p: 1 }),
  layout: z
    .union([
      z.string().refine((v) => v.includes('{{{body}}}'), 'must be a Handlebars template containing {{{body}}}'),
      z.custom<LayoutFunction>((v) => typeof v === 'function'),
    ], { message: 'must be a Handlebars template string containing {{{body}}} or a function (body, context) => html' })
    .optional(),
  handlebars: handlebarsSchema.optional(),
  views: z.string().min(1).optional(),
  messages: z.partialRecord(z.enum(Object.keys(DEFAULT_MESSAGES) as [MessageKey, ...MessageKey[]]), z.string()).default({}),
  limits: z
    .strictObject({
      invitationsPerDay: z.number().int().min(1).default(50),
      resendCooldownMs: z.number().int().min(0).default(60_000),
      acceptPerWindow: z.number().int().min(1).default(20),
      acceptWindowMs: z.number().int().min(1000).default(15 * 60 * 1000),
      store: z
        .custom<RateLimitStore>((v) => typeof v === 'object' && v !== null && typeof (v as RateLimitStore).increment === 'function', {
          message: 'must be an express-rate-limit store (an object with increment, decrement and resetKey)',
        })
        .optional(),
    })
    .prefault({}),
  now: z.custom<() => Date>((v) => typeof v === 'function', { message: 'must be a function returning a Date' }).default(() => () => new Date()),
  logger: z
    .custom<Logger>(
      (v) => typeof v === 'object' && v !== null && typeof (v as Logger).warn === 'function' && typeof (v as Logger).error === 'function',
      { message: 'must have warn and error functions' },
    )
    .default(() => console),
});

export interface Logger {
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** What a host passes to accountUsers(). */
export type AccountUsersOptions = z.input<typeof optionsSchema> & { permissions?: Permission[] };
/** The options after validation and defaults; what the rest of the kit reads. */
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
  if (result.success) return result.data;
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
