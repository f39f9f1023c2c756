import { OptionsError } from '../errors.js';
import { ALL_PERMISSIONS, PERMISSIONS } from '../permissions.js';
import { canonicalTag } from '../i18n/locales.js';
import { BUILT_IN_LOCALES } from '../i18n/built-in.js';
import { optionsSchema, type ResolvedOptions } from './schema.js';
import { resolveRelyingParty } from './passkeys.js';

/*
 * The start-up checks: the schema first, then what only the parsed whole can tell (presets against
 * the permission catalogue, a fixed locale against the languages). accountUsers() calls
 * parseOptions once; nothing downstream checks an option again.
 */

const KNOWN = Object.keys(optionsSchema.shape);

function suggestion(key: string): string {
  const lower = key.toLowerCase();
  const match = KNOWN.find((k) => k.toLowerCase() === lower);
  return match ? ` Did you mean \`${match}\`?` : '';
}

/** Validates once, at start-up: a wrong option throws here with its name, never at the first request. */
export function parseOptions(input: unknown): ResolvedOptions {
  if (typeof input === 'function') {
    throw new OptionsError('accountUsers() takes an options object; it looks like a function was passed instead.');
  }
  const result = optionsSchema.safeParse(input ?? {});
  if (result.success) {
    checkPresets(result.data);
    checkLocale(result.data);
    resolveRelyingParty(result.data.twoFactor.passkeys, result.data.baseUrl, result.data.portalName);
    return result.data;
  }
  const lines = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${issue.path.join('.')}.` : '';
      return issue.keys.map((k) => `received an unsupported option, \`${where}${k}\`.${issue.path.length ? '' : suggestion(k)}`).join('\n');
    }
    const name = issue.path.join('.') || '(options)';
    const given = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
    const message = given === undefined && issue.path.length > 0 ? 'is required' : issue.message;
    return `option \`${name}\` ${message}`;
  });
  throw new OptionsError(`express-account-users: invalid options:\n  ${lines.join('\n  ')}`);
}

/** Presets name keys of the catalogue, which is only known once `permissions` is parsed. */
function checkPresets(options: ResolvedOptions): void {
  // ALL_PERMISSIONS: the preset applies "All permissions" (also those added later).
  const known = new Set([ALL_PERMISSIONS, ...PERMISSIONS.map((p) => p.key), ...options.permissions.map((p) => p.key)]);
  const problems = options.presets.flatMap((preset, i) => {
    const unknown = [...new Set(preset.permissions.filter((k) => !known.has(k)))];
    return unknown.length
      ? [`option \`presets.${i}.permissions\` of preset "${preset.key}" names unknown permission ${unknown.map((k) => `"${k}"`).join(', ')}`]
      : [];
  });
  if (problems.length) throw new OptionsError(`express-account-users: invalid options:\n  ${problems.join('\n  ')}`);
}

/** A fixed `locale` and `defaultLocale` must be languages of the kit: built in, or added with `locales`. */
function checkLocale(options: ResolvedOptions): void {
  const tags = [...Object.keys(BUILT_IN_LOCALES), ...Object.keys(options.locales)].map((t) => (canonicalTag(t) ?? t).toLowerCase());
  for (const name of ['locale', 'defaultLocale'] as const) {
    const value = options[name];
    if (typeof value !== 'string' || tags.includes(canonicalTag(value)!.toLowerCase())) continue;
    throw new OptionsError(
      `express-account-users: invalid options:\n  option \`${name}\` is "${value}", which is not one of the languages (${tags.join(', ')}); add it with the \`locales\` option`,
    );
  }
  if (typeof options.locale === 'string' && options.defaultLocale !== undefined && canonicalTag(options.locale) !== canonicalTag(options.defaultLocale)) {
    throw new OptionsError(
      `express-account-users: invalid options:\n  option \`defaultLocale\` is "${options.defaultLocale}" but \`locale\` fixes every request to "${options.locale}"; give \`locale\` a function (req) => tag | undefined to fall back to \`defaultLocale\`, or leave \`defaultLocale\` out`,
    );
  }
}
