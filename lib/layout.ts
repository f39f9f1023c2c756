import type { Request, Response } from 'express';
import type { AccountUserContext, Flash } from './types.js';

/**
 * What a host layout receives around a kit page: enough to draw the portal's own header and
 * navigation (who is signed in, in which account, which sections they may open).
 */
export interface LayoutContext {
  /** The kit page's HTML, already escaped: insert it as it is (`{{{body}}}` in Handlebars). */
  body: string;
  /** The page's title, e.g. "User Management". */
  title: string;
  /** Where the kit's router is mounted (`req.baseUrl`), e.g. `/account/users`: prefix for `au.css`, `au.js` and the kit's links. */
  mount: string;
  /** The kit's CSRF token for this session; undefined only on an error page of a request without a session. */
  csrfToken: string | undefined;
  /** The active account, its user and their permissions, when the request has one. */
  accountUser: AccountUserContext | undefined;
  /** The rule of `res.locals.can`: false for a key the catalogue does not know; the owner holds every other key. False without an account user. */
  can: (key: string) => boolean;
  /** `req.user`, as the host's passport left it. */
  user: Express.User | undefined;
  /** `res.locals`: whatever the host's own middleware put there for its layout. */
  locals: Response['locals'];
  /** The request, for a function layout (a string layout cannot read its inherited properties such as `req.path`). */
  req: Request;
  /** The page's language, a BCP 47 tag for `<html lang>`: `en`, `de`, `pt-BR`, `ar`. */
  lang: string;
  /** The page's writing direction, for `<html dir>`: `rtl` for Arabic. */
  dir: 'ltr' | 'rtl';
  /** The IANA time zone the page's dates are written in (the `timeZone` option; `UTC` by default). */
  timeZone: string;
  /** The notice the kit page shows (its body already includes it), e.g. "Invitation sent to …". */
  flash: Flash | undefined;
}

/** A layout function: the page's HTML and its context in, the full HTML document out, now or later. */
export type LayoutFunction = (body: string, context: LayoutContext) => string | Promise<string>;

/** The `layout` option: a Handlebars template containing `{{{body}}}`, or a layout function. */
export type LayoutOption = string | LayoutFunction;

/** What the kit needs to build a LayoutContext: everything but the body, which it renders itself. */
export type PageFrame = Omit<LayoutContext, 'body'>;
