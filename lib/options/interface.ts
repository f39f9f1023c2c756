import type { z } from 'zod';
import type { Knex } from 'knex';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { PermissionDefinition } from '../permissions.js';
import type { MessageKey } from '../messages.js';
import type { UserStore } from '../store/user-store.js';
import type { MailTransport } from '../mail/transport.js';
import type { LayoutOption } from '../layout.js';
import type { HostLocale } from '../i18n/types.js';
import type { Logger } from '../logger.js';
import type { LocaleFunction, PermissionPreset, TemplateHelper, TimeZoneFunction, optionsSchema } from './schema.js';

/*
 * The options as hosts read them: one documented interface, kept equal to the schema that runs
 * (schema.ts) by the compile-time check at the end of this file. The README's options table
 * describes each with its default.
 */

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
    /**
     * How long an email claimed by one worker stays its own before another worker may take it over
     * (the first process crashed mid-send), in ms. Keep it well above the transport's own timeouts.
     * Default 300000 (5 minutes).
     */
    claimLeaseMs?: number;
    /** The first retry's delay after a failed attempt, in ms; each next one doubles, up to 6 hours. Default 30000. */
    retryDelayMs?: number;
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
   * The portal's page where an account is used (its dashboard): the accounts page's "Open" button
   * for the active account leads there, the first thing offered after accepting an invitation.
   * A same-origin path. Default `'/'`.
   */
  homeUrl?: string;
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
   * Two-factor sign-in (README, "Two-factor sign-in"). `issuer`: the name authenticator apps show
   * beside the code (default: the host name of `baseUrl`). `encryptionKey`: a secret of at least 32
   * characters that encrypts the TOTP secrets at rest (AES-256-GCM); without it they are stored as
   * they are (never shown again after enrolment). `stepUpMinutes`: how recent a code must be for an
   * ownership transfer, a password or email change, new recovery codes, or granting `profile` or
   * `manageusers` (default 10). `rememberDeviceDays` (1–365; off when left out): after a code the
   * person may tick "Remember this browser", and that login's sign-ins on that browser skip the
   * second step for this many days. `reminderDaysBefore` (0–90, default 3; 0: none): members without a
   * factor of an account whose rule has a grace period are emailed once this many days before it ends.
   */
  twoFactor?: {
    issuer?: string;
    encryptionKey?: string;
    stepUpMinutes?: number;
    rememberDeviceDays?: number;
    reminderDaysBefore?: number;
    /**
     * Passkeys (WebAuthn). Default: on, with the rpID and origin of `baseUrl` when it is https (or
     * http://localhost) on a host name; off otherwise. `rpID`: the host name
     * passkeys are bound to (the origin's host or a parent of it); `origin` or `origins`: where the
     * pages run (https, or http://localhost); `rpName`: the name authenticators show (default
     * `portalName`). Checked at start-up. `false` turns passkeys off (their routes answer 404).
     */
    passkeys?: false | { rpID?: string; origin?: string; origins?: readonly string[]; rpName?: string };
  };
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
   * The language when the request says nothing the kit speaks: no Accept-Language, `*`, only
   * languages it lacks (and the `locale` function gave undefined). Also the language of `au.api`'s
   * emails that name none (`au.api.invite` without `locale`, ownership emails to someone who never
   * signed in). One of the languages, else OptionsError. Default `'en'`.
   */
  defaultLocale?: string;
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
    /**
     * How long a removed member can be restored with what they had (au.api.restoreMember, the users
     * page, a re-invitation), in ms. Default 90 days; 0 keeps nothing. At most 10 years.
     */
    restoreWindowMs?: number;
    /** Addresses one bulk invitation (`POST /invite/bulk`, `au.api.inviteMany`) may hold; each still counts against invitationsPerDay. Default 50, at most 1000. */
    bulkInviteMax?: number;
    /** Rows a roster (`POST /roster`, `au.api.reconcileRoster`) may hold, its header not counted. Default 500, at most 10000. */
    rosterMaxRows?: number;
    /** Bytes a roster's CSV may hold (UTF-8). Default 100000, at least 1024, at most 1048576. */
    rosterMaxBytes?: number;
    /** POSTs (accept, register, decline) of invitation links matching nothing one IP may make per window; a working link is never refused. Default 20. */
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
    /** Wrong second-factor codes (TOTP or recovery) per login per login window; the next try is answered 429. Default 10. */
    twoFactorPerWindow?: number;
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
