import { Readable, pipeline } from 'node:stream';
import { z } from 'zod';
import { stringify } from 'csv-stringify';
import { actorFields, requireManager, type Acting, type Kit } from '../context.js';
import { actingIn, type ActingInput } from '../acting.js';
import { emit, findUsers, record, userNames } from '../activity.js';
import type { ActivityEntry } from '../../store/accounts/activity.js';
import { parseInput } from '../input.js';
import { safeCell } from './csv-cells.js';

export type ExportFormat = 'csv' | 'json';

export interface ExportInput extends ActingInput {
  format?: unknown;
}

/** Rows read per statement: a page of members and their users, then the next; memory holds one page. */
export const EXPORT_PAGE = 500;

/** One member as exported. Dates are ISO 8601 (UTC); null: never, or no end. */
export interface MemberExportRow {
  name: string;
  email: string;
  owner: boolean;
  /** Catalogue keys; every key for the owner. In CSV: separated by `;` (a roster reads them back). */
  permissions: string[];
  lastSignIn: string | null;
  accessUntil: string | null;
  /** Suspended in this account (the membership stays, granting nothing); a roster reads the column back. */
  suspended: boolean;
  /** The login has two-factor sign-in turned on. */
  twoFactor: boolean;
}

/** The CSV's columns, in order: `key` of MemberExportRow, `header` as the file names it (English, stable for scripts). */
const MEMBER_COLUMNS = [
  { key: 'name', header: 'name' },
  { key: 'email', header: 'email' },
  { key: 'owner', header: 'owner' },
  { key: 'permissions', header: 'permissions' },
  { key: 'lastSignIn', header: 'last_sign_in' },
  { key: 'accessUntil', header: 'access_until' },
  { key: 'suspended', header: 'suspended' },
  { key: 'twoFactor', header: 'two_factor' },
] as const;

/** One activity entry as exported. */
export interface ActivityExportRow {
  at: string;
  action: string;
  /** "Name <email>" of the user who acted, the system actor's name, or null. */
  actor: string | null;
  actorUserId: number | null;
  subject: string | null;
  subjectUserId: number | null;
  ip: string | null;
  details: Record<string, unknown>;
}

const ACTIVITY_COLUMNS = [
  { key: 'at', header: 'at' },
  { key: 'action', header: 'action' },
  { key: 'actor', header: 'actor' },
  { key: 'subject', header: 'subject' },
  { key: 'ip', header: 'ip' },
  { key: 'details', header: 'details' },
] as const;

const formatSchema = z.object({ format: z.enum(['csv', 'json'], { error: 'must be "csv" or "json"' }) });

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The account's members in membership order, a page at a time, each page's users and their factors read in one call each. */
async function* memberRows(kit: Kit, accountId: number): AsyncGenerator<MemberExportRow> {
  let after: number | undefined;
  for (;;) {
    const rows = await kit.store.memberships.scanForAccount(kit.knex, accountId, after, EXPORT_PAGE, kit.now());
    if (rows.length === 0) return;
    const users = new Map(
      (
        await findUsers(
          kit,
          rows.map((r) => r.userId),
        )
      ).map((u) => [u.id, u]),
    );
    const withFactor = await kit.store.twoFactor.enabledAmong(
      kit.knex,
      rows.map((r) => r.userId),
    );
    for (const r of rows) {
      const user = users.get(r.userId);
      const owner = r.userId === r.ownerUserId;
      yield {
        name: user?.name ?? '',
        email: user?.email ?? '',
        owner,
        permissions: owner ? [...kit.catalogue.keys] : kit.catalogue.normalise(r.permissions),
        lastSignIn: iso(user?.lastLoginAt),
        accessUntil: iso(r.accessUntil),
        suspended: r.suspendedAt !== null,
        twoFactor: withFactor.has(r.userId),
      };
    }
    if (rows.length < EXPORT_PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** The account's log, newest first, a page at a time. */
async function* activityRows(kit: Kit, accountId: number): AsyncGenerator<ActivityExportRow> {
  let before: number | undefined;
  for (;;) {
    const rows = await kit.store.activity.scanForAccount(kit.knex, accountId, before, EXPORT_PAGE);
    if (rows.length === 0) return;
    const ids = [...new Set(rows.flatMap((r) => [r.actorUserId, r.subjectUserId]).filter((v): v is number => v !== null))];
    const names = await userNames(kit, ids);
    for (const r of rows) {
      yield {
        at: r.createdAt.toISOString(),
        action: r.action,
        actor: r.actorUserId !== null ? (names.get(r.actorUserId) ?? null) : r.actorSystem,
        actorUserId: r.actorUserId,
        subject: r.subjectUserId !== null ? (names.get(r.subjectUserId) ?? r.subjectEmail) : r.subjectEmail,
        subjectUserId: r.subjectUserId,
        ip: r.ip,
        details: r.details,
      };
    }
    if (rows.length < EXPORT_PAGE) return;
    before = rows[rows.length - 1]!.id;
  }
}

/** A cell as text, formula-safe: lists joined with `;`, objects as JSON, booleans as yes/no. */
function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return safeCell(value.join(';'));
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return safeCell(value);
  if (typeof value === 'number') return String(value);
  return safeCell(JSON.stringify(value));
}

/**
 * Rows as a CSV stream: a byte-order mark (spreadsheets then read UTF-8), a header, every cell
 * through safeCell. Pulled: the next page is read only when the reader has taken the last.
 */
function csvStream<R extends object>(rows: AsyncGenerator<R>, columns: ReadonlyArray<{ key: keyof R & string; header: string }>): Readable {
  const out = stringify({ bom: true, header: true, columns: columns.map((c) => ({ key: c.key, header: c.header })), record_delimiter: 'windows' });
  const cells = Readable.from(
    (async function* () {
      for await (const row of rows) {
        yield Object.fromEntries(columns.map((c) => [c.key, cellOf(row[c.key])]));
      }
    })(),
  );
  // A failed page (the database gone) ends the stream with that error: the reader sees a broken download, never a short file that looks whole.
  pipeline(cells, out, () => undefined);
  return out;
}

/** Rows as one JSON document, `{ "<name>": [ … ] }`, written a row at a time. */
function jsonStream<R>(rows: AsyncGenerator<R>, name: string): Readable {
  return Readable.from(
    (async function* () {
      yield `{${JSON.stringify(name)}:[`;
      let first = true;
      for await (const row of rows) {
        yield (first ? '\n' : ',\n') + JSON.stringify(row);
        first = false;
      }
      yield '\n]}\n';
    })(),
  );
}

/**
 * Who downloaded what, in the account's log and on au.events: a delegate who takes every address
 * is visible to the owner. Written when the export is asked, before its first row, so a download
 * cut short (or never read) is in the log too; the number of rows is known only at the stream's
 * end, so it is not recorded (counting first would cost a scan of a million-row log).
 */
async function recordExport(kit: Kit, actor: Acting, action: 'members.exported' | 'activity.exported', format: ExportFormat): Promise<void> {
  const entry: ActivityEntry = { accountId: actor.accountId, ...actorFields(actor), action, details: { format } };
  await record(kit, kit.knex, entry);
  emit(kit, entry);
}

/**
 * The account's members as CSV or JSON (`{ "members": [...] }`), for the owner or a delegate who
 * manages users. Who may export is decided before the stream is returned (a refusal is an error,
 * not an empty file); the rows are then read from the database a page at a time as the stream is
 * read, so an account of 100,000 members is exported in the memory of one page. Not a snapshot: a
 * member added or removed while the export runs may or may not be in it. Each export is one
 * activity entry and event (`members.exported`, `activity.exported`) with its format.
 */
export async function exportMembers(kit: Kit, input: ExportInput): Promise<Readable> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const { format } = parseInput(formatSchema, { format: input.format });
  await recordExport(kit, actor, 'members.exported', format);
  const rows = memberRows(kit, actor.accountId);
  return format === 'csv' ? csvStream(rows, MEMBER_COLUMNS) : jsonStream(rows, 'members');
}

/** The account's activity log, newest first, as CSV (details as JSON in one cell) or JSON (`{ "activity": [...] }`); streamed as exportMembers. */
export async function exportActivity(kit: Kit, input: ExportInput): Promise<Readable> {
  const actor = await actingIn(kit, input);
  requireManager(kit, actor);
  const { format } = parseInput(formatSchema, { format: input.format });
  // Recorded first: the log it exports begins with this download.
  await recordExport(kit, actor, 'activity.exported', format);
  const rows = activityRows(kit, actor.accountId);
  return format === 'csv' ? csvStream(rows, ACTIVITY_COLUMNS) : jsonStream(rows, 'activity');
}
