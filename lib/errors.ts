import { DEFAULT_MESSAGES, formatMessage, type MessageKey } from './messages.js';
import type { MessageValues } from './i18n/values.js';

/**
 * Every error the kit raises on purpose. Services throw these; the one error
 * handler in http/error-handler.ts maps them to a status and a page or JSON body.
 * No other file knows HTTP status codes.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'invitation_expired'
  | 'invitation_cancelled'
  | 'invitation_accepted'
  | 'invitation_declined'
  | 'link_expired'
  | 'link_used'
  | 'link_superseded'
  | 'link_cancelled'
  | 'email_mismatch'
  | 'email_unverified'
  | 'conflict'
  | 'second_factor_required'
  | 'two_factor_required'
  | 'step_up_required'
  | 'too_many_requests'
  | 'csrf'
  | 'unavailable';

export interface FieldIssue {
  field: string;
  message: string;
}

/** A refusal's issues in one line, as an error's message says them: "email: …; permissions: …". */
export function issuesText(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}

/** A field's issue as the kit raises it: a message key, so each request reads it in its own language. */
export interface KeyedIssue {
  field: string;
  key: MessageKey;
  values?: MessageValues;
  /** Instead of `key`: words for a developer (au.api's own arguments), the same in every language. */
  text?: string;
}

/**
 * Every kit error carries its message as a key of DEFAULT_MESSAGES and the values of its
 * placeholders: the error handler says it in the request's language. `message` is the English,
 * for au.api callers and logs.
 */
export class AccountUsersError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly messageKey: MessageKey;
  readonly messageValues: MessageValues | undefined;
  constructor(code: ErrorCode, status: number, key: MessageKey, values?: MessageValues, options?: ErrorOptions) {
    super(formatMessage(DEFAULT_MESSAGES[key], values ?? {}), options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.messageKey = key;
    this.messageValues = values;
  }
}

/** 400: one or more fields are wrong; each issue names the field and why. */
export class InvalidInputError extends AccountUsersError {
  /** In English; the error handler answers each in the request's language. */
  readonly issues: FieldIssue[];
  readonly keyedIssues: readonly KeyedIssue[];
  constructor(issues: KeyedIssue[]) {
    const english = issues.map((i) => ({ field: i.field, message: i.text ?? formatMessage(DEFAULT_MESSAGES[i.key], i.values ?? {}) }));
    super('invalid_input', 400, 'field.invalid');
    this.message = issuesText(english);
    this.issues = english;
    this.keyedIssues = issues;
  }
  static field(field: string, key: MessageKey, values?: MessageValues): InvalidInputError {
    return new InvalidInputError([{ field, key, ...(values ? { values } : {}) }]);
  }
}

/** 401: nobody is signed in (HTML requests are redirected to the login page instead). */
export class UnauthenticatedError extends AccountUsersError {
  constructor(key: MessageKey = 'error.unauthenticated') {
    super('unauthenticated', 401, key);
  }
}

/**
 * 401: signed in with the password, but the login has a second factor this session has not given
 * yet (HTML requests are sent to the user router's /two-factor/verify instead).
 */
export class SecondFactorRequiredError extends AccountUsersError {
  constructor() {
    super('second_factor_required', 401, 'error.secondFactorRequired');
  }
}

/**
 * 403: the account requires a second factor, its grace is over, and this login has none (HTML
 * requests are sent to the enrol page, /two-factor of the user router).
 */
export class TwoFactorRequiredError extends AccountUsersError {
  readonly accountName: string;
  constructor(accountName: string) {
    super('two_factor_required', 403, 'error.twoFactorRequired', { account: accountName });
    this.accountName = accountName;
  }
}

/**
 * 403: a sensitive change needs a second factor given in the last minutes (`twoFactor.stepUpMinutes`).
 * `returnTo`: the page to come back to after /two-factor/verify.
 */
export class StepUpRequiredError extends AccountUsersError {
  readonly returnTo: string;
  constructor(returnTo: string) {
    super('step_up_required', 403, 'error.stepUpRequired');
    this.returnTo = returnTo;
  }
}

/** 403: signed in, but not allowed. */
export class ForbiddenError extends AccountUsersError {
  constructor(key: MessageKey = 'error.forbidden', values?: MessageValues) {
    super('forbidden', 403, key, values);
  }
}

/** 403 for a missing or wrong CSRF token. */
export class CsrfError extends AccountUsersError {
  constructor() {
    super('csrf', 403, 'error.csrf');
  }
}

/** 404: the thing does not exist, or exists in an account the caller may not see (never a hint which). */
export class NotFoundError extends AccountUsersError {
  constructor(key: MessageKey = 'error.notFound') {
    super('not_found', 404, key);
  }
}

export type InvitationGoneReason = 'expired' | 'cancelled' | 'accepted' | 'declined';

const GONE_KEY: Record<InvitationGoneReason, MessageKey> = {
  expired: 'error.invitationExpired',
  cancelled: 'gone.cancelled',
  accepted: 'gone.accepted',
  declined: 'gone.declined',
};

/** 410: the invitation link existed but no longer works. */
export class InvitationGoneError extends AccountUsersError {
  readonly reason: InvitationGoneReason;
  readonly accountName: string | undefined;
  constructor(reason: InvitationGoneReason, accountName?: string) {
    super(`invitation_${reason}`, 410, GONE_KEY[reason]);
    this.reason = reason;
    this.accountName = accountName;
  }
}

/** 'cancelled': a password reset or change, or a completed email change, ended the link (see cancelPendingLinks). */
export type LinkGoneReason = 'expired' | 'used' | 'superseded' | 'cancelled';

/** What a link of a person's own login is for: a password reset, an email change, a verification of the address. */
export type LinkPurpose = 'password_reset' | 'email_change' | 'email_verify';

const LINK_GONE_KEY: Record<LinkPurpose, Record<LinkGoneReason, MessageKey>> = {
  password_reset: {
    expired: 'error.resetLinkExpired',
    used: 'error.resetLinkUsed',
    superseded: 'error.resetLinkSuperseded',
    cancelled: 'error.resetLinkCancelled',
  },
  email_change: {
    expired: 'error.emailLinkExpired',
    used: 'error.emailLinkUsed',
    superseded: 'error.emailLinkSuperseded',
    cancelled: 'error.emailLinkCancelled',
  },
  // A verification link is cancelled when the address it was sent to stops being the login's.
  email_verify: {
    expired: 'error.verifyLinkExpired',
    used: 'error.verifyLinkUsed',
    superseded: 'error.verifyLinkSuperseded',
    cancelled: 'error.verifyLinkSuperseded',
  },
};

/** 410: a password-reset, email-confirmation or verification link existed but no longer works. */
export class LinkGoneError extends AccountUsersError {
  readonly reason: LinkGoneReason;
  readonly purpose: LinkPurpose;
  constructor(purpose: LinkPurpose, reason: LinkGoneReason) {
    super(`link_${reason}`, 410, LINK_GONE_KEY[purpose][reason]);
    this.reason = reason;
    this.purpose = purpose;
  }
}

/** 403: the invitation was sent to another address than the signed-in user's. */
export class EmailMismatchError extends AccountUsersError {
  readonly invitedEmail: string;
  readonly signedInEmail: string;
  constructor(invitedEmail: string, signedInEmail: string) {
    super('email_mismatch', 403, 'accept.mismatch', { invited: invitedEmail, current: signedInEmail });
    this.invitedEmail = invitedEmail;
    this.signedInEmail = signedInEmail;
  }
}

/**
 * 403: the signed-in login's address is not verified, so invitations sent to it are neither listed
 * nor answered in the app (their emailed links still work). Nothing proved that the person holding
 * this login reads mail at the address; verifying it (the link the kit sends) lifts the refusal.
 */
export class EmailUnverifiedError extends AccountUsersError {
  constructor() {
    super('email_unverified', 403, 'error.emailUnverified');
  }
}

/** 409: the request conflicts with the current state (e.g. a concurrent change won). */
export class ConflictError extends AccountUsersError {
  /** The request's field that no longer matches the state (a roster's `digest`); JSON names it in `fields`. */
  readonly field: string | undefined;
  constructor(key: MessageKey, values?: MessageValues) {
    super('conflict', 409, key, values);
    this.field = undefined;
  }
  /** A conflict about one field of the request: a client can tell which value to ask for again. */
  static field(field: string, key: MessageKey, values?: MessageValues): ConflictError {
    const err = new ConflictError(key, values);
    (err as { field: string | undefined }).field = field;
    return err;
  }
}

/** 429: a limit was reached; retryAfter in seconds. */
export class TooManyRequestsError extends AccountUsersError {
  readonly retryAfter: number;
  constructor(key: MessageKey, retryAfter: number, values?: MessageValues) {
    super('too_many_requests', 429, key, values);
    this.retryAfter = retryAfter;
  }
}

/** 503: the database could not be reached; nothing was written. */
export class ServiceUnavailableError extends AccountUsersError {
  constructor(key: MessageKey = 'error.unavailable', options?: ErrorOptions) {
    super('unavailable', 503, key, undefined, options);
  }
}

/** Thrown at start-up by accountUsers(options) when an option is wrong. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/**
 * The host's layout function threw, or gave something other than a string of HTML. Not the
 * client's fault and not a kit error: the error handler logs it and answers 500 with a page in
 * the kit's own minimal layout, so a broken layout never sends `{}` or hangs a request.
 */
export class LayoutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LayoutError';
  }
}
