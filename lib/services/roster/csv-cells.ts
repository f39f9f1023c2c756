/**
 * A spreadsheet reads a cell that begins with = + - @ (or a tab or carriage return, which some
 * strip first) as a formula: a member's name "=HYPERLINK(…)" would run in the owner's spreadsheet
 * (CSV injection, OWASP). Such a cell gets a leading apostrophe, which spreadsheets show as text and
 * do not display; a roster read back strips it again from an address (roster-csv.ts).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** An exported cell read back: the apostrophe safeCell added, taken off again. */
export function unguardedCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
