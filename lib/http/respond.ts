import type { Request, Response } from 'express';
import type { Templates } from '../templates.js';
import type { Flash } from '../types.js';
import { setFlash, takeFlash, wantsJson } from './request.js';

type PageContext = Record<string, unknown> | (() => Record<string, unknown>);

export interface Responder {
  /**
   * An HTML page, or `json` when the client asked for JSON (GETs carry the CSRF token). A
   * function as `context` is called only for the HTML page, so JSON never pays for view data.
   */
  page(req: Request, res: Response, name: string, context: PageContext, json: Record<string, unknown>, status?: number): void;
  /** After a successful POST: redirect with a flash notice, or the JSON result. */
  done(req: Request, res: Response, redirectTo: string, flash: Flash, json: Record<string, unknown>, status?: number): void;
}

export function createResponder(templates: Templates, csrfToken: (req: Request) => string): Responder {
  return {
    page(req, res, name, context, json, status = 200) {
      const token = csrfToken(req);
      // Every kit page carries a CSRF token and the account's people: no cache, shared or
      // private (the back button after logout included), may keep it.
      res.setHeader('Cache-Control', 'no-store');
      if (wantsJson(req)) {
        res.status(status).json({ ...json, csrfToken: token });
        return;
      }
      const html = templates.page(name, {
        ...(typeof context === 'function' ? context() : context),
        mount: req.baseUrl,
        csrfToken: token,
        flash: takeFlash(req),
        accountUser: req.accountUser,
      });
      // Sent as is: an ETag (a SHA-1 of up to 100 KiB per users page) is of no use on a
      // response that is never stored, so res.send's freshness machinery is skipped.
      const body = Buffer.from(html);
      res.status(status).type('html').setHeader('Content-Length', body.length);
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    done(req, res, redirectTo, flash, json, status = 200) {
      if (wantsJson(req)) {
        res.status(status).json({ ...json, message: flash.text });
        return;
      }
      setFlash(req, flash);
      // 303: the browser follows with a GET, so a reload never re-submits the form.
      res.redirect(303, redirectTo);
    },
  };
}
