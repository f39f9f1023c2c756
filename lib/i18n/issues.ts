import type { InvalidInputError, FieldIssue } from '../errors.js';
import type { Locale } from './locale.js';

/** A refusal's fields in one language: `field` stays the name the client sent; `message` says why in words. */
export function localisedIssues(err: InvalidInputError, locale: Locale): FieldIssue[] {
  return err.keyedIssues.map((i) => ({ field: i.field, message: i.text ?? locale.message(i.key, i.values) }));
}
