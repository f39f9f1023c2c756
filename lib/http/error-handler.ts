import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import {
  AccountUsersError,
  CsrfError,
  EmailMismatchError,
  EmailUnverifiedError,
  ForbiddenError,
  InvalidInputError,
  InvitationGoneError,
  LayoutError,
  LinkGoneError,
  NotFoundError,
  SecondFactorRequiredError,
  ServiceUnavailableError,
  StepUpRequiredError,
  TooManyRequestsError,
  TwoFactorRequiredError,
  UnauthenticatedError,
} from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import type { Duration } from '../i18n/values.js';
import { errorJson, errorMessage, formErrors } from './form-errors.js';
import { isConnectionError, isDatabaseError } from '../store/db.js';
import type { Logger } from '../logger.js';
import type { PermissionCatalogue } from '../permissions.js';
import type { MessageKey } from '../messages.js';
import type { Templates } from '../templates.js';
import { redirectAfterSave, safeReturnPath, setFlash, wantsJson } from './request.js';
import { pageFrame, sendHtml } from './respond.js';

/**
 * Where a two-factor refusal sends the browser, and what a JSON client is told to open: the second
 * step (or a step-up) at /two-factor/verify, the enrol page at /two-factor; `returnTo` the page to
 * come back to (the request's own for a GET, the form's page for a step-up).
 */
function twoFactorTarget(err: AccountUsersError, req: Request, userMountPath: string): string | undefined {
  const back = err instanceof StepUpRequiredError ? err.returnTo : req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : undefined;
  const query = safeReturnPath(back) ? `?returnTo=${encodeURIComponent(back!)}` : '';
  if (err instanceof SecondFactorRequiredError || err instanceof StepUpRequiredError) return `${userMountPath}/two-factor/verify${query}`;
  if (err instanceof TwoFactorRequiredError) return `${userMountPath}/two-factor${query}`;
  return undefined;
}

/** What a JSON error says besides its message: how long to wait, why a link no longer works, where to give a second factor. */
function extraErrorFields(err: AccountUsersError, body: { error: Record<string, unknown> }, target: string | undefined) {
  if (err instanceof TooManyRequestsError) body.error.retryAfter = err.retryAfter;
  if (err instanceof InvitationGoneError || err instanceof LinkGoneError) body.error.reason = err.reason;
  if (target) body.error[err instanceof TwoFactorRequiredError ? 'enrolUrl' : 'verifyUrl'] = target;
  return body;
}

/**
 * Turns client errors raised inside the kit's router by Express itself into the kit's own: a
 * body the parsers refuse (malformed JSON, a bad or unknown Content-Encoding, too large) and a
 * path whose percent-encoding does not decode are the client's fault, answered here as a 400.
 */
function normalise(err: unknown): unknown {
  const e = err as { status?: number; statusCode?: number; type?: string; expose?: boolean; message?: string } | null;
  const status = e?.status ?? e?.statusCode;
  if (
    e &&
    !(e instanceof AccountUsersError) &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    (typeof e.type === 'string' || e.expose === true || err instanceof URIError)
  ) {
    if (typeof e.type === 'string') return InvalidInputError.field('body', e.type === 'entity.too.large' ? 'field.tooLarge' : 'field.unparsable');
    if (err instanceof URIError || /decode/i.test(e.message ?? '')) return InvalidInputError.field('path', 'field.percentEncoding');
    return InvalidInputError.field('body', 'field.unparsable');
  }
  // A driver's message may carry the SQL and its values (an invitee's email): logged, never shown.
  if (isConnectionError(err) || isDatabaseError(err)) return new ServiceUnavailableError(undefined, { cause: err });
  return err;
}

/**
 * The token of an /accept/:token request, for the mismatch page's sign-out form. The router's
 * error handler runs after Express has reset req.params, so it is read from the path as well.
 */
function linkToken(req: Request): string | undefined {
  if (typeof req.params?.token === 'string') return req.params.token;
  return /^\/accept\/([A-Za-z0-9_-]{43})(?:\/|$)/.exec(req.path)?.[1];
}

/** The page's title says what happened; its message says why. */
function titleKey(err: AccountUsersError): MessageKey {
  if (err instanceof InvitationGoneError) return 'gone.title';
  if (err instanceof LinkGoneError) return 'linkGone.title';
  if (err instanceof EmailMismatchError) return 'accept.title';
  if (err instanceof EmailUnverifiedError) return 'verify.title';
  if (err instanceof CsrfError) return 'csrf.title';
  if (err instanceof ForbiddenError) return 'forbidden.title';
  if (err instanceof NotFoundError) return 'notFound.title';
  if (err instanceof TooManyRequestsError) return 'tooMany.title';
  if (err instanceof ServiceUnavailableError) return 'unavailable.title';
  return 'error.title';
}

/**
 * The one place where kit errors become HTTP: status, page or JSON body, headers.
 * Anything that is not a kit error goes on to the host's error handler. A page that cannot be
 * drawn because the host's layout failed becomes a 500 in the kit's own layout, logged once.
 */
export function createErrorHandler(options: {
  templates: Templates;
  loginUrl: string;
  /** Where au.userRouter is mounted (the `userMountPath` option): two-factor refusals send the browser there. */
  userMountPath: string;
  logger: Logger;
  csrfToken: (req: Request) => string;
  validity: Duration;
  catalogue: PermissionCatalogue;
  localeOf: (req: Request) => Locale;
}): ErrorRequestHandler & {
  respond: (err: unknown, req: Request, res: Response, next: NextFunction) => void;
} {
  const { templates, loginUrl, userMountPath, logger, csrfToken, validity, catalogue, localeOf } = options;

  function layoutFailed(err: LayoutError, req: Request, res: Response, next: NextFunction): void {
    logger.error(`express-account-users: ${err.message}`, ...(err.cause === undefined ? [] : [err.cause]));
    if (res.headersSent) return next(err);
    // Only HTML pages have a layout, so the request asked for HTML.
    try {
      const locale = localeOf(req);
      const title = locale.message('error.title');
      const html = templates.builtInPage(
        'error',
        { title, message: locale.message('error.internal'), signedIn: Boolean(req.user) },
        pageFrame(req, res, catalogue, locale, { title, csrfToken: req.session ? csrfToken(req) : undefined, flash: undefined }),
      );
      res.setHeader('Cache-Control', 'no-store');
      sendHtml(req, res, 500, html);
    } catch (pageErr) {
      next(pageErr);
    }
  }

  function respond(raw: unknown, req: Request, res: Response, next: NextFunction): void {
    if (raw instanceof LayoutError) return layoutFailed(raw, req, res, next);
    const err = normalise(raw);
    if (!(err instanceof AccountUsersError)) return next(raw);
    if (err instanceof ServiceUnavailableError) {
      const cause = err.cause ?? raw;
      logger.error(`express-account-users: ${isConnectionError(cause) ? 'database unavailable' : 'database error'}`, cause);
    }
    if (err instanceof TooManyRequestsError) res.setHeader('Retry-After', String(err.retryAfter));
    if (err instanceof InvitationGoneError || err instanceof LinkGoneError) res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const locale = localeOf(req);
    const target = twoFactorTarget(err, req, userMountPath);
    if (wantsJson(req)) {
      res.status(err.status).json(extraErrorFields(err, errorJson(locale, err), target));
      return;
    }
    if (target && req.session) {
      // The page there says why they came (the account's rule, a change that needs a fresh code).
      if (!(err instanceof SecondFactorRequiredError)) setFlash(req, { type: 'info', text: errorMessage(locale, err) });
      // Saved first, like every kit redirect: a browser that follows before a slow store has the
      // notice (or a step-up's returnTo) would land on the verify page without it.
      redirectAfterSave(req, res, 303, target).catch(next);
      return;
    }
    if (err instanceof UnauthenticatedError) {
      res.redirect(302, `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    const name =
      err instanceof LinkGoneError
        ? 'link-gone'
        : err instanceof InvitationGoneError
          ? 'gone'
          : err instanceof EmailMismatchError
            ? 'mismatch'
            : err instanceof TooManyRequestsError
              ? 'too-many'
              : 'error';
    const title = locale.message(titleKey(err));
    const token = req.session ? csrfToken(req) : undefined;
    const data = {
      title,
      error: err,
      // The error's message and its fields' in the page's language.
      message: errorMessage(locale, err),
      reason: err instanceof InvitationGoneError || err instanceof LinkGoneError ? err.reason : undefined,
      purpose: err instanceof LinkGoneError ? err.purpose : undefined,
      fields: err instanceof InvalidInputError ? formErrors(locale, err).errors : undefined,
      retryAfter: err instanceof TooManyRequestsError ? err.retryAfter : undefined,
      isCsrf: err instanceof CsrfError,
      validity: locale.format.duration(validity.ms),
      token: linkToken(req),
      signedIn: Boolean(req.user),
    };
    // The flash stays in the session for the next page: an error page does not show it.
    templates
      .page(name, data, pageFrame(req, res, catalogue, locale, { title, csrfToken: token, flash: undefined }))
      .then((html) => sendHtml(req, res, err.status, html))
      .catch((renderErr: unknown) => (renderErr instanceof LayoutError ? layoutFailed(renderErr, req, res, next) : next(renderErr)));
  }

  const handler: ErrorRequestHandler = function accountUsersErrorHandler(err, req, res, next) {
    if (res.headersSent) return next(err);
    respond(err, req, res, next);
  };
  return Object.assign(handler, { respond });
}
