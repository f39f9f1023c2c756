import { AccountUsersError, ConflictError, InvalidInputError, issuesText } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import { localisedIssues } from '../i18n/issues.js';

/** A field's name as the list of errors shows it: its label in the page's language, or the name itself. */
function fieldLabel(locale: Locale, field: string): string {
  const key = `fieldName.${field}`;
  const label = locale.message(key);
  return label === key ? field : label;
}

/** A refused form's errors for its page, in the page's language: the list at the top and each field's own. */
export function formErrors(locale: Locale, error: InvalidInputError | undefined) {
  if (!error) return { errors: undefined, fieldErrors: {} };
  const issues = localisedIssues(error, locale);
  return {
    errors: issues.map((i) => ({ ...i, label: fieldLabel(locale, i.field) })),
    // Every problem of a field beside it, together ("must be at least 8 characters and must not contain …").
    fieldErrors: Object.fromEntries(
      [...new Set(issues.map((i) => i.field))].map((f) => [f, locale.format.list(issues.filter((i) => i.field === f).map((i) => i.message))]),
    ),
  };
}

/** A kit error as JSON, in the request's language; `code` and field names are the same in every language. */
export function errorJson(locale: Locale, err: AccountUsersError) {
  if (err instanceof ConflictError && err.field !== undefined) {
    const message = errorMessage(locale, err);
    return { error: { code: err.code, message, fields: [{ field: err.field, message }] } };
  }
  if (!(err instanceof InvalidInputError)) return { error: { code: err.code, message: errorMessage(locale, err) } };
  const fields = localisedIssues(err, locale);
  return { error: { code: err.code, message: issuesText(fields), fields } };
}

/** An error's message in one language; a refused input's names each field and why ("email: …; permissions: …"). */
export function errorMessage(locale: Locale, err: AccountUsersError): string {
  return err instanceof InvalidInputError ? issuesText(localisedIssues(err, locale)) : locale.message(err.messageKey, err.messageValues);
}
