import type { Request, Response } from 'express';
import type { Templates } from '../templates.js';
import type { Flash } from '../types.js';
import type { PageFrame } from '../layout.js';
import { permissionCheck, type PermissionCatalogue } from '../permissions.js';
import type { Locale } from '../i18n/locale.js';
import type { InvalidInputError } from '../errors.js';
import { errorJson, formErrors } from './form-errors.js';
import { redirectAfterSave, saveSession, setFlash, takeFlash, wantsJson } from './request.js';

type PageContext = Record<string, unknown> | (() => Record<string, unknown>);

export interface Responder {
  /**
   * An HTML page, or `json` when the client asked for JSON (GETs carry the CSRF token). A
   * function as `context` is called only for the HTML page, so JSON never pays for view data.
   * Rejects when the page cannot be rendered (a LayoutError, for one): the caller passes it to next().
   */
  page(req: Request, res: Response, name: string, context: PageContext, json: Record<string, unknown>, status?: number): Promise<void>;
  /**
   * A form's page. With `error` (a refused submission): its fields' messages in the page's language
   * beside the form, and for JSON the error itself with its status; without: `json`, as `page`.
   */
  form(
    req: Request,
    res: Response,
    name: string,
    context: Record<string, unknown>,
    error: InvalidInputError | undefined,
    json: Record<string, unknown>,
  ): Promise<void>;
  /**
   * After a successful POST: redirect with a flash notice, or the JSON result with the session's
   * CSRF token as it is now (a sign-in, registration or sign-out replaces it: the app's next POST
   * needs the new one, without a GET first); either is sent once the session (the flash, the
   * active account, a sign-in or sign-out) is saved.
   */
  done(req: Request, res: Response, redirectTo: string, flash: Flash, json: Record<string, unknown>, status?: number): Promise<void>;
}

/** Everything a layout gets about the request, besides the page's HTML. */
export function pageFrame(
  req: Request,
  res: Response,
  catalogue: PermissionCatalogue,
  locale: Locale,
  page: { title: unknown; csrfToken: string | undefined; flash: Flash | undefined },
): PageFrame {
  return {
    lang: locale.tag,
    dir: locale.dir,
    timeZone: locale.timeZone,
    title: typeof page.title === 'string' ? page.title : '',
    mount: req.baseUrl,
    csrfToken: page.csrfToken,
    accountUser: req.accountUser,
    can: permissionCheck(catalogue, req.accountUser),
    user: req.user,
    locals: res.locals,
    req,
    flash: page.flash,
  };
}

/** An HTML page as it is: no ETag (a SHA-1 of up to 100 KiB per users page) for a response that is never stored. */
export function sendHtml(req: Request, res: Response, status: number, html: string): void {
  const body = Buffer.from(html);
  res.status(status).type('html').setHeader('Content-Length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function createResponder(
  templates: Templates,
  csrfToken: (req: Request) => string,
  catalogue: PermissionCatalogue,
  localeOf: (req: Request) => Locale,
): Responder {
  const responder: Responder = {
    async page(req, res, name, context, json, status = 200) {
      const token = csrfToken(req);
      // Every kit page carries a CSRF token and the account's people: no cache, shared or
      // private (the back button after logout included), may keep it.
      res.setHeader('Cache-Control', 'no-store');
      if (wantsJson(req)) {
        res.status(status).json({ ...json, csrfToken: token });
        return;
      }
      const data = typeof context === 'function' ? context() : context;
      const html = await templates.page(
        name,
        data,
        pageFrame(req, res, catalogue, localeOf(req), { title: data.title, csrfToken: token, flash: takeFlash(req) }),
      );
      sendHtml(req, res, status, html);
    },
    form(req, res, name, context, error, json) {
      const locale = localeOf(req);
      return responder.page(req, res, name, { ...context, ...formErrors(locale, error) }, error ? errorJson(locale, error) : json, error?.status);
    },
    async done(req, res, redirectTo, flash, json, status = 200) {
      if (wantsJson(req)) {
        // A client's next call may carry the cookie before express-session's own save (after the answer's head) lands.
        await saveSession(req);
        res.setHeader('Cache-Control', 'no-store');
        res.status(status).json({ ...json, message: flash.text, csrfToken: csrfToken(req) });
        return;
      }
      setFlash(req, flash);
      // 303: the browser follows with a GET, so a reload never re-submits the form.
      await redirectAfterSave(req, res, 303, redirectTo);
    },
  };
  return responder;
}
