import { parse, CsvError } from 'csv-parse/sync';
import type { Kit } from '../context.js';
import { InvalidInputError, type KeyedIssue } from '../../errors.js';
import { emailSchema } from '../input.js';
import { unguardedCell } from './csv-cells.js';

/**
 * A roster's CSV, as documented in docs/api.md ("Roster reconcile"): one row per person, the
 * address and what they may do, either as two columns (email, permissions) or under a header row
 * naming an `email` and a `permissions` column (other columns ignored: the members export reads
 * back as a roster). Permissions are catalogue keys separated by `;` (or spaces), a preset's key,
 * or empty (a member with no permissions). Lines starting with `#` are comments. Under a header, an
 * optional `suspended` column (`yes`/`no`, as the export writes it; empty leaves it as it is) asks
 * that a member be suspended or reinstated.
 */
export interface RosterRow {
  /** The line of the CSV the row is on, counted from 1 (the header is line 1 when there is one). */
  row: number;
  email: string;
  permissions: string[];
  /** true: suspended, false: not suspended; undefined: no `suspended` column, or an empty cell (left as it is). */
  suspended?: boolean;
}

const YES = new Set(['yes', 'true', '1']);
const NO = new Set(['no', 'false', '0']);

// Errors beyond these many are not listed: the first ones are enough to fix a file.
const MAX_ISSUES = 10;
const shown = (v: string) => (v.length > 60 ? `${v.slice(0, 57)}…` : v);

function refuse(issues: KeyedIssue[]): never {
  throw new InvalidInputError(issues.slice(0, MAX_ISSUES));
}

const issue = (key: KeyedIssue['key'], values: KeyedIssue['values'] = {}): KeyedIssue => ({ field: 'csv', key, values });

/** The permission keys a cell names: a preset's key, or catalogue keys separated by `;` or spaces. Undefined: an unknown name (in `unknown`). */
function permissionsOf(kit: Kit, cell: string): { keys: string[] } | { unknown: string } {
  const preset = kit.options.presets.find((p) => p.key === cell);
  if (preset) return { keys: kit.catalogue.normalise([...preset.permissions]) };
  const keys = cell.split(/[;\s]+/).filter((k) => k !== '');
  const unknown = keys.find((k) => !kit.catalogue.has(k));
  return unknown === undefined ? { keys: kit.catalogue.normalise(keys) } : { unknown };
}

/**
 * Reads a roster, or refuses it (InvalidInputError on the field `csv`, 400) with the row and column
 * of each problem: too large, too many rows, not CSV, a bad address, an unknown permission, an
 * address twice. Nothing is compared or written before the whole file reads cleanly.
 */
export function parseRoster(kit: Kit, csv: unknown): RosterRow[] {
  const { rosterMaxBytes, rosterMaxRows } = kit.options.limits;
  if (typeof csv !== 'string' || csv.trim() === '') refuse([{ field: 'csv', key: 'field.required' }]);
  // Counted before parsing: a huge upload costs one byte count, not a parse.
  if (Buffer.byteLength(csv, 'utf8') > rosterMaxBytes) refuse([issue('field.csvTooLarge', { max: rosterMaxBytes })]);

  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(csv, {
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      trim: true,
      info: true,
      max_record_size: 4096,
      // One past the limit is enough to say there are too many (and the header, if any).
      to: rosterMaxRows + 2,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = typeof err.lines === 'number' ? err.lines : 0;
    refuse([issue('field.csvSyntax', { row: line })]);
  }

  let emailColumn = 0;
  let permissionsColumn = 1;
  let suspendedColumn = -1;
  let header = false;
  const first = records[0]?.record.map((c) => c.toLowerCase());
  if (first?.includes('email')) {
    header = true;
    emailColumn = first.indexOf('email');
    permissionsColumn = first.indexOf('permissions');
    if (permissionsColumn === -1) refuse([issue('field.csvMissingColumn', { column: 'permissions' })]);
    suspendedColumn = first.indexOf('suspended');
  }
  const body = header ? records.slice(1) : records;
  if (body.length === 0) refuse([issue('field.csvEmpty')]);
  if (body.length > rosterMaxRows) refuse([issue('field.csvTooManyRows', { max: rosterMaxRows })]);

  const issues: KeyedIssue[] = [];
  const rows: RosterRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { record, info } of body) {
    const row = info.lines;
    if (!header && record.length > 2) {
      issues.push(issue('field.csvColumns', { row, count: record.length }));
      continue;
    }
    const emailCell = unguardedCell(record[emailColumn] ?? '');
    const checked = emailSchema.safeParse(emailCell);
    if (!checked.success) {
      issues.push(issue('field.csvEmail', { row, column: emailColumn + 1, name: 'email', value: shown(emailCell) }));
      continue;
    }
    const email = checked.data;
    const permissions = permissionsOf(kit, record[permissionsColumn] ?? '');
    if ('unknown' in permissions) {
      issues.push(issue('field.csvPermission', { row, column: permissionsColumn + 1, name: 'permissions', value: shown(permissions.unknown) }));
      continue;
    }
    let suspended: boolean | undefined;
    if (suspendedColumn !== -1) {
      const cell = (record[suspendedColumn] ?? '').toLowerCase();
      if (YES.has(cell)) suspended = true;
      else if (NO.has(cell)) suspended = false;
      else if (cell !== '') {
        issues.push(issue('field.csvSuspended', { row, column: suspendedColumn + 1, name: 'suspended', value: shown(record[suspendedColumn]!) }));
        continue;
      }
    }
    const earlier = firstRowOf.get(email);
    if (earlier !== undefined) {
      issues.push(issue('field.csvDuplicate', { row, email, first: earlier }));
      continue;
    }
    firstRowOf.set(email, row);
    rows.push({ row, email, permissions: permissions.keys, ...(suspended === undefined ? {} : { suspended }) });
  }
  if (issues.length) refuse(issues);
  return rows;
}
