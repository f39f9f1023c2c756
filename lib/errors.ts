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
  | 'email_mismatch'
  | 'conflict'
  | 'too_many_requests'
  | 'csrf'
  | 'unavailable';

export interface FieldIssue {
  field: string;
  message: string;
}

export class AccountUsersError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(code: ErrorCode, status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** 400: one or more fields are wrong; each issue names the field and why. */
export class InvalidInputError extends AccountUsersError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super('invalid_input', 400, issues.map((i) => `${i.field}: ${i.message}`).join('; '));
    this.issues = issues;
  }
  static field(field: string, message: string): InvalidInputError {
    return new InvalidInputError([{ field, message }]);
  }
}

/** 401: nobody is signed in (HTML requests are redirected to the login page instead). */
export class UnauthenticatedError extends AccountUsersError {
  constructor(message = 'Please sign in to continue.') {
    super('unauthenticated', 401, message);
  }
}

/** 403: signed in, but not allowed. */
export class ForbiddenError extends AccountUsersError {
  constructor(message = 'You do not have permission to do that.') {
    super('forbidden', 403, message);
  }
}

/** 403 for a missing or wrong CSRF token. */
export class CsrfError extends AccountUsersError {
  constructor() {
    super('csrf', 403, 'This form has expired or did not come from this site. Go back, reload the page and try again.');
  }
}

/** 404: the thing does not exist, or exists in an account the caller may not see (never a hint which). */
export class NotFoundError extends AccountUsersError {
  constructor(message = 'Not found.') {
    super('not_found', 404, message);
  }
}

export type InvitationGoneReason = 'expired' | 'cancelled' | 'accepted' | 'declined';

/** 410: the invitation link existed but no longer works. */
export class InvitationGoneError extends AccountUsersError {
  readonly reason: InvitationGoneReason;
  readonly accountName: string | undefined;
  constructor(reason: InvitationGoneReason, message: string, accountName?: string) {
    super(`invitation_${reason}`, 410, message);
    this.reason = reason;
    this.accountName = accountName;
  }
}

export type LinkGoneReason = 'expired' | 'used' | 'superseded';

/** 410: a password-reset or email-confirmation link existed but no longer works. */
export class LinkGoneError extends AccountUsersError {
  readonly reason: LinkGoneReason;
  readonly purpose: 'password_reset' | 'email_change';
  constructor(purpose: 'password_reset' | 'email_change', reason: LinkGoneReason, message: string) {
    super(`link_${reason}`, 410, message);
    this.reason = reason;
    this.purpose = purpose;
  }
}

/** 403: the invitation was sent to another address than the signed-in user's. */
export class EmailMismatchError extends AccountUsersError {
  readonly invitedEmail: string;
  readonly signedInEmail: string;
  constructor(invitedEmail: string, signedInEmail: string) {
    super('email_mismatch', 403, `This invitation was sent to ${invitedEmail}, you are signed in as ${signedInEmail}.`);
    this.invitedEmail = invitedEmail;
    this.signedInEmail = signedInEmail;
  }
}

/** 409: the request conflicts with the current state (e.g. a concurrent change won). */
export class ConflictError extends AccountUsersError {
  constructor(message: string) {
    super('conflict', 409, message);
  }
}

/** 429: a limit was reached; retryAfter in seconds. */
export class TooManyRequestsError extends AccountUsersError {
  readonly retryAfter: number;
  constructor(message: string, retryAfter: number) {
    super('too_many_requests', 429, message);
    this.retryAfter = retryAfter;
  }
}

/** 503: the database could not be reached; nothing was written. */
export class ServiceUnavailableError extends AccountUsersError {
  constructor(message = 'The service is temporarily unavailable. Please try again in a moment.', options?: ErrorOptions) {
    super('unavailable', 503, message, options);
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
