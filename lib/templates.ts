import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { DEFAULT_MESSAGES, formatMessage } from './messages.js';
import type { Logger } from './options.js';
import type { PermissionCatalogue } from './permissions.js';

export type LayoutOption = string | ((body: string, context: Record<string, unknown>) => string);

/** The kit's own views folder, found from this file both in lib/ (sources) and dist/lib/ (the package). */
export function builtInViewsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../views'), resolve(here, '../../views')]) {
    if (existsSync(join(candidate, 'pages'))) return candidate;
  }
  throw new Error(`express-account-users: cannot find the views folder next to ${here}`);
}

export interface Templates {
  /** Renders `pages/<name>` inside the layout. */
  page(name: string, context: Record<string, unknown>): string;
  /** Renders one template without a layout (emails). `text` templates are not HTML-escaped. */
  render(name: string, context: Record<string, unknown>, opts?: { text?: boolean }): string;
  message(key: string, values?: Record<string, unknown>): string;
}

// One formatter for the process: constructing an Intl formatter costs far more than formatting
// (it was most of the users page's time with 50 members and 50 invitations on it).
const RELATIVE_TIME = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

// A full users page shows about a hundred dates, most of them the same few phrases ("in 6 days"):
// the phrase for each (unit, value) is formatted once. Bounded: values are whole units.
const RELATIVE_TEXT = new Map<string, string>();

function relative(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 60 ? [seconds, 'second'] : abs < 3600 ? [Math.round(seconds / 60), 'minute'] : abs < 86400 ? [Math.round(seconds / 3600), 'hour'] : [Math.round(seconds / 86400), 'day'];
  const key = `${unit} ${value}`;
  let text = RELATIVE_TEXT.get(key);
  if (text === undefined) {
    text = RELATIVE_TIME.format(value, unit as Intl.RelativeTimeFormatUnit);
    if (RELATIVE_TEXT.size < 10_000) RELATIVE_TEXT.set(key, text);
  }
  return text;
}

/**
 * The kit renders with its own Handlebars instance and absolute paths, so it never
 * depends on the host's view engine (pug, EJS, …) or its `views` setting.
 */
export function createTemplates(options: {
  views?: string | undefined;
  layout?: LayoutOption | undefined;
  messages: Record<string, string>;
  catalogue: PermissionCatalogue;
  logger: Logger;
  now: () => Date;
}): Templates {
  const hbs = Handlebars.create();
  const builtIn = builtInViewsDir();
  const messages: Record<string, string> = { ...DEFAULT_MESSAGES, ...options.messages };
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  const warned = new Set<string>();

  const message = (key: string, values: Record<string, unknown> = {}) => formatMessage(messages[key] ?? key, values);

  function source(name: string): string {
    if (options.views) {
      const override = join(options.views, `${name}.hbs`);
      if (existsSync(override)) return readFileSync(override, 'utf8');
      if (!warned.has(name)) {
        warned.add(name);
        options.logger.warn(`express-account-users: ${override} not found; using the built-in ${name}.hbs`);
      }
    }
    return readFileSync(join(builtIn, `${name}.hbs`), 'utf8');
  }

  function compiled(name: string, text: boolean): Handlebars.TemplateDelegate {
    const key = `${text ? 'text:' : ''}${name}`;
    let fn = cache.get(key);
    if (!fn) {
      fn = hbs.compile(source(name), { noEscape: text, strict: false });
      cache.set(key, fn);
    }
    return fn;
  }

  for (const file of readdirSync(join(builtIn, 'partials'))) {
    if (!file.endsWith('.hbs')) continue;
    const name = file.slice(0, -4);
    hbs.registerPartial(name, source(`partials/${name}`));
  }

  // Most {{t}} calls pass no values (row labels, headings): those texts are formatted once.
  const plain = new Map<string, string>();
  hbs.registerHelper('t', (key: string, opts: Handlebars.HelperOptions) => {
    const values = opts.hash as Record<string, unknown>;
    for (const _ in values) return message(key, values);
    let text = plain.get(key);
    if (text === undefined) {
      text = message(key);
      if (Object.hasOwn(messages, key)) plain.set(key, text); // bounded by the message catalogue
    }
    return text;
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
  hbs.registerHelper('relative', (date: unknown) => (date instanceof Date ? relative(date, options.now()) : ''));
  hbs.registerHelper('iso', (date: unknown) => (date instanceof Date ? date.toISOString() : ''));
  hbs.registerHelper('day', (date: unknown) => (date instanceof Date ? date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : ''));
  // One chip per label, each escaped here: a helper loop costs a fraction of {{#each}} over ~100 rows.
  hbs.registerHelper('chips', (labels: unknown) =>
    new hbs.SafeString((Array.isArray(labels) ? labels : []).map((l) => `<span class="au-chip">${hbs.escapeExpression(String(l))}</span>`).join(' ')),
  );
  hbs.registerHelper('permissionLabel', (key: string) => options.catalogue.label(key));

  const layout = options.layout;
  const hostLayout = typeof layout === 'string' ? hbs.compile(layout) : undefined;

  return {
    message,
    render(name, context, opts) {
      return compiled(name, Boolean(opts?.text))(context);
    },
    page(name, context) {
      const body = compiled(`pages/${name}`, false)(context);
      const full = { ...context, body };
      if (typeof layout === 'function') return layout(body, full);
      if (hostLayout) return hostLayout(full);
      return compiled('layout', false)(full);
    },
  };
}
