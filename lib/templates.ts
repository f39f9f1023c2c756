import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Locale } from './i18n/locale.js';
import type { Locales } from './i18n/locales.js';
import { LayoutError, OptionsError } from './errors.js';
import type { LayoutContext, LayoutFunction, LayoutOption, PageFrame } from './layout.js';
import type { Logger } from './logger.js';
import type { HostHandlebars } from './options/schema.js';
import { missingNames, type TemplateSource } from './template-checks.js';

/** The kit's own views folder, found from this file both in lib/ (sources) and dist/lib/ (the package). */
export function builtInViewsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../views'), resolve(here, '../../views')]) {
    if (existsSync(join(candidate, 'pages'))) return candidate;
  }
  throw new Error(`express-account-users: cannot find the views folder next to ${here}`);
}

export interface Templates {
  /**
   * Renders `pages/<name>` inside the layout (the host's, or the kit's own) in the frame's language;
   * rejects with a LayoutError when the host's layout function fails.
   */
  page(name: string, data: Record<string, unknown>, frame: PageFrame): Promise<string>;
  /** The built-in `pages/<name>` in the built-in layout, whatever the host configured: the page shown when the host's layout failed. */
  builtInPage(name: string, data: Record<string, unknown>, frame: PageFrame): string;
  /** Renders one template without a layout (emails) in one language. `text` templates are not HTML-escaped. */
  render(name: string, context: Record<string, unknown>, opts: { locale: Locale; text?: boolean }): string;
}

/** What every helper finds in Handlebars' `@data`: the language the render started in. */
interface RenderData {
  locale?: Locale;
}

/**
 * The kit renders with its own Handlebars instance and absolute paths, so it never
 * depends on the host's view engine (pug, EJS, …) or its `views` setting. The host's own
 * partials and helpers (`handlebars` option) are registered in this instance, and every
 * template is checked at start-up for partials and helpers that are not registered.
 */
export function createTemplates(options: {
  views?: string | undefined;
  layout?: LayoutOption | undefined;
  handlebars?: HostHandlebars | undefined;
  locales: Locales;
  logger: Logger;
}): Templates {
  const hbs = Handlebars.create();
  const builtIn = builtInViewsDir();
  const { locales } = options;
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  const warned = new Set<string>();

  const localeOf = (opts: Handlebars.HelperOptions | undefined) => (opts?.data as RenderData | undefined)?.locale ?? locales.english;

  /** The host's override when the `views` folder has one, else the built-in file. */
  function fileOf(name: string): { file: string; overridden: boolean } {
    if (options.views) {
      const override = join(options.views, `${name}.hbs`);
      if (existsSync(override)) return { file: override, overridden: true };
    }
    return { file: join(builtIn, `${name}.hbs`), overridden: false };
  }

  function source(name: string): string {
    const { file, overridden } = fileOf(name);
    if (options.views && !overridden && !warned.has(name)) {
      warned.add(name);
      options.logger.warn(`express-account-users: ${join(options.views, `${name}.hbs`)} not found; using the built-in ${name}.hbs`);
    }
    return readFileSync(file, 'utf8');
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

  function builtInCompiled(name: string): Handlebars.TemplateDelegate {
    const key = `built-in:${name}`;
    let fn = cache.get(key);
    if (!fn) {
      fn = hbs.compile(readFileSync(join(builtIn, `${name}.hbs`), 'utf8'), { strict: false });
      cache.set(key, fn);
    }
    return fn;
  }

  const hbsFiles = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.hbs'))
          .map((f) => f.slice(0, -4))
      : [];
  // The views folder may add partials of its own next to the ones it overrides.
  const kitPartials = [...new Set([...hbsFiles(join(builtIn, 'partials')), ...(options.views ? hbsFiles(join(options.views, 'partials')) : [])])];
  for (const name of kitPartials) hbs.registerPartial(name, source(`partials/${name}`));

  hbs.registerHelper('t', (key: string, opts: Handlebars.HelperOptions) => {
    const values = opts.hash as Record<string, unknown>;
    for (const _ in values) return localeOf(opts).message(key, values);
    return localeOf(opts).message(key);
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
  // A moment relative to now ("in 7 days") or as a date ("31 Dec 2026, 17:00 UTC"), in the page's language.
  hbs.registerHelper('relative', (date: unknown, opts: Handlebars.HelperOptions) => (date instanceof Date ? localeOf(opts).format.relative(date) : ''));
  hbs.registerHelper('iso', (date: unknown) => (date instanceof Date ? date.toISOString() : ''));
  hbs.registerHelper('seconds', (n: unknown, opts: Handlebars.HelperOptions) => (typeof n === 'number' ? localeOf(opts).format.seconds(n) : ''));
  // An email address that may break after its @ and dots (a line break opportunity, <wbr>), never
  // inside a word: a table keeps it whole where it fits and breaks it where a person would.
  hbs.registerHelper('address', (value: unknown) =>
    typeof value === 'string' ? new hbs.SafeString(hbs.escapeExpression(value).replace(/([@.])/g, '$1<wbr>')) : '',
  );
  hbs.registerHelper('day', (date: unknown, opts: Handlebars.HelperOptions) => (date instanceof Date ? localeOf(opts).format.date(date) : ''));
  // One chip per label, each escaped here: a helper loop costs a fraction of {{#each}} over ~100 rows.
  hbs.registerHelper(
    'chips',
    (labels: unknown) => new hbs.SafeString((Array.isArray(labels) ? labels : []).map((l) => `<span class="au-chip">${breakable(String(l))}</span>`).join(' ')),
  );
  // A label such as "Neue Bestellungen/Upgrades/Kündigungen" may break after its slashes, so a
  // phone's form or a desktop's table column need not be as wide as the whole of it.
  hbs.registerHelper('breakable', (value: unknown) => new hbs.SafeString(typeof value === 'string' ? breakable(value) : ''));
  hbs.registerHelper('permissionLabel', (key: string, opts: Handlebars.HelperOptions) => localeOf(opts).label(key));
  // {{#if (can "invoices")}} in a layout, a page or a partial, at any depth: it asks the `can` of
  // the context the render started with (the layout context, or the page's own values).
  hbs.registerHelper('can', function can(key: unknown, opts: Handlebars.HelperOptions) {
    const check = (opts?.data as { root?: { can?: unknown } } | undefined)?.root?.can;
    return typeof key === 'string' && typeof check === 'function' && (check as (key: string) => unknown)(key) === true;
  });

  const problems = registerHostNames(hbs, options.handlebars);

  const layout = options.layout;
  const hostLayout = typeof layout === 'string' ? hbs.compile(layout, { strict: false }) : undefined;

  const registered = { partials: new Set(Object.keys(hbs.partials)), helpers: new Set(Object.keys(hbs.helpers)) };
  const sources: TemplateSource[] = [
    ...[
      ...hbsFiles(join(builtIn, 'pages')).map((n) => `pages/${n}`),
      ...kitPartials.map((n) => `partials/${n}`),
      ...hbsFiles(join(builtIn, 'emails')).map((n) => `emails/${n}`),
      'layout',
    ].map((name) => {
      const { file } = fileOf(name);
      return { origin: file, text: readFileSync(file, 'utf8') };
    }),
    ...Object.entries(options.handlebars?.partials ?? {}).map(([name, text]) => ({ origin: `option \`handlebars.partials.${name}\``, text })),
    ...(typeof layout === 'string' ? [{ origin: 'option `layout`', text: layout }] : []),
  ];
  for (const s of sources) problems.push(...missingNames(s, registered));
  if (problems.length) {
    throw new OptionsError(`express-account-users: templates refer to partials or helpers that are not registered:\n  ${problems.join('\n  ')}`);
  }

  /** What a kit page's own template sees: its values and the few the layout also gets. */
  const pageValues = (data: Record<string, unknown>, frame: PageFrame) => ({
    ...data,
    mount: frame.mount,
    // The zone the page's dates are in: the access-until field says so.
    timeZone: frame.timeZone,
    csrfToken: frame.csrfToken,
    flash: frame.flash,
    accountUser: frame.accountUser,
    can: frame.can,
  });

  const inLocale = (frame: PageFrame) => ({ data: { locale: locales.get(frame.lang).inZone(frame.timeZone) } satisfies RenderData });

  return {
    render(name, context, opts) {
      const values = { ...context, lang: opts.locale.tag, dir: opts.locale.dir };
      return compiled(name, Boolean(opts.text))(values, { data: { locale: opts.locale } satisfies RenderData });
    },
    async page(name, data, frame) {
      const language = inLocale(frame);
      const body = compiled(`pages/${name}`, false)(pageValues(data, frame), language);
      const context: LayoutContext = { ...frame, body };
      if (typeof layout === 'function') return callLayout(layout, body, context, name);
      return (hostLayout ?? compiled('layout', false))(context, language);
    },
    builtInPage(name, data, frame) {
      const language = inLocale(frame);
      const body = builtInCompiled(`pages/${name}`)(pageValues(data, frame), language);
      return builtInCompiled('layout')({ ...frame, body }, language);
    },
  };
}

/** Escaped text with a line-break opportunity (<wbr>) after each slash. */
function breakable(text: string): string {
  return Handlebars.escapeExpression(text).replace(/\//g, '/<wbr>');
}

const HANDLEBARS_BUILT_INS: ReadonlySet<string> = new Set(Object.keys(Handlebars.create().helpers));

/**
 * Registers the host's partials and helpers next to the kit's own. A name the kit already uses is
 * refused rather than replaced: a host helper called `eq` or a partial called `errors` meant for the
 * host's own templates would otherwise silently change every kit page (templates of the kit are
 * replaced through the `views` folder, by file name).
 */
function registerHostNames(hbs: typeof Handlebars, host: HostHandlebars | undefined): string[] {
  const problems: string[] = [];
  for (const [name, helper] of Object.entries(host?.helpers ?? {})) {
    if (Object.hasOwn(hbs.helpers, name)) {
      const whose = HANDLEBARS_BUILT_INS.has(name) ? 'a built-in Handlebars helper' : "one of the kit's own helpers";
      problems.push(`option \`handlebars.helpers.${name}\`: "${name}" is ${whose}; give yours another name`);
      continue;
    }
    hbs.registerHelper(name, helper as Handlebars.HelperDelegate);
  }
  for (const [name, text] of Object.entries(host?.partials ?? {})) {
    if (Object.hasOwn(hbs.partials, name)) {
      problems.push(
        `option \`handlebars.partials.${name}\`: "${name}" is one of the kit's own partials; give yours another name (to replace the kit's, put partials/${name}.hbs in the \`views\` folder)`,
      );
      continue;
    }
    hbs.registerPartial(name, text);
  }
  return problems;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * Calls the host's layout function, sync or async, and makes sure a string comes back: a
 * Promise or an object handed on to res.send would go out as `{}`.
 */
async function callLayout(layout: LayoutFunction, body: string, context: LayoutContext, page: string): Promise<string> {
  let result: unknown;
  let later = false;
  try {
    const returned: unknown = layout(body, context);
    later = typeof (returned as { then?: unknown } | null)?.then === 'function';
    result = await returned;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new LayoutError(`the layout function ${later ? 'rejected' : 'threw'} while rendering pages/${page}: ${reason}`, { cause: err });
  }
  if (typeof result !== 'string') {
    throw new LayoutError(
      `the layout function ${later ? 'returned a Promise that resolved to' : 'returned'} ${describe(result)} instead of a string of HTML while rendering pages/${page}`,
    );
  }
  return result;
}
