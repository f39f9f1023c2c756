import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Request, Response } from 'express';
import { PERMISSIONS, type AccountUser, type AccountUserContext, type LayoutContext } from '../lib/index.js';
import { navFor } from './nav.js';
import { takeFlash } from './flash.js';
import { chromeWords } from './chrome.js';

const VIEWS = join(dirname(fileURLToPath(import.meta.url)), 'views');

export interface Renderer {
  /** One of the portal's pages inside its layout, with the navigation the user may follow. */
  page(req: Request, res: Response, view: string, context?: Record<string, unknown>, status?: number): void;
  /** The kit's `layout` option: its pages get the same header and navigation as the portal's. */
  kitLayout(body: string, context: LayoutContext): string;
}

interface Chrome {
  title: unknown;
  body: string;
  accountUser: AccountUserContext | undefined;
  signedIn: boolean;
  userName: unknown;
  csrfToken: unknown;
  can: (key: string) => boolean;
  path: string;
  flash?: string | undefined;
  /** The kit page's language and direction; the portal's own pages are English. */
  lang?: string;
  dir?: string;
}

/**
 * The portal's own Handlebars instance: the kit renders its pages with its own, so the
 * host is free to use any engine; this one just happens to be Handlebars too.
 */
export function createRenderer(options: { csrfToken: (req: Request) => string; devMail: boolean }): Renderer {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  for (const file of readdirSync(VIEWS)) {
    if (file.endsWith('.hbs')) templates.set(file.slice(0, -4), hbs.compile(readFileSync(join(VIEWS, file), 'utf8'), { strict: false }));
  }
  const template = (name: string) => {
    const fn = templates.get(name);
    if (!fn) throw new Error(`example-app: no view named ${name}`);
    return fn;
  };

  function layout(chrome: Chrome): string {
    const account = chrome.accountUser;
    // The frame in the page's language (a kit page's); the portal's own pages are English.
    const { lang: chromeLang, words } = chromeWords(chrome.lang);
    return template('layout')({
      title: chrome.title,
      lang: chrome.lang ?? 'en',
      dir: chrome.dir ?? 'ltr',
      chromeLang,
      chromeDir: chromeLang === 'ar' ? 'rtl' : 'ltr',
      w: words,
      body: chrome.body,
      signedIn: chrome.signedIn,
      userName: chrome.userName,
      accountName: account?.account.name,
      isOwner: account?.isOwner ?? false,
      // The owner, or a delegate holding "Manage Users": both reach User Management.
      managesUsers: (account?.isOwner ?? false) || chrome.can('manageusers'),
      nav: account ? navFor(chrome.can, chrome.path).map((s) => ({ ...s, label: words.sections[s.key] ?? s.label })) : [],
      csrfToken: chrome.csrfToken,
      flash: chrome.flash,
      devMail: options.devMail,
    });
  }

  return {
    page(req, res, view, context = {}, status = 200) {
      const localCan: unknown = res.locals.can;
      const can = typeof localCan === 'function' ? (localCan as (key: string) => boolean) : () => false;
      const csrfToken = options.csrfToken(req);
      const allowed = Object.fromEntries(PERMISSIONS.map((p) => [p.key, can(p.key)]));
      const body = template(view)({ ...context, allowed, csrfToken });
      const user: { name?: string } | undefined = req.user;
      // Pages behind a login must not come back from the cache after logging out.
      if (req.user) res.setHeader('Cache-Control', 'no-store');
      res
        .status(status)
        .type('html')
        .send(
          layout({
            title: context.title,
            body,
            accountUser: req.accountUser,
            signedIn: Boolean(req.user),
            userName: user?.name,
            csrfToken,
            can,
            path: req.path,
            flash: takeFlash(req),
          }),
        );
    },
    kitLayout(body, context) {
      // Our users are the kit's own (au.passportStrategy), so req.user is an AccountUser.
      const user = context.user as AccountUser | undefined;
      return layout({
        title: context.title,
        body,
        accountUser: context.accountUser,
        signedIn: Boolean(user),
        userName: user?.name || user?.email,
        csrfToken: context.csrfToken,
        can: context.can,
        path: context.req.originalUrl,
        lang: context.lang,
        dir: context.dir,
      });
    },
  };
}
