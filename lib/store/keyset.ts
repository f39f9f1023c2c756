import type { Knex } from 'knex';

/**
 * Keyset ("cursor") paging over an id column. A page costs the same at the start and at the
 * end of a 10,000-row list: the database seeks to the cursor in the index instead of counting
 * past an OFFSET, and no `count(*)` is needed because one row beyond the page tells whether
 * there is more.
 */
export interface PageRequest {
  /** The id of the last row of the page before, in list order: the page that follows it. */
  after?: number | undefined;
  /** The id of the first row of the page after, in list order: the page that comes before it. */
  before?: number | undefined;
  limit: number;
}

export interface Page<R> {
  rows: R[];
  /** Pass as `after` for the next page; null on the last page. */
  next: number | null;
  /** Pass as `before` for the previous page; null on the first page. */
  previous: number | null;
}

/**
 * One page of `query()` ordered by `column` in `direction`. `idOf` reads the column's value
 * back from a mapped row. One statement for a page reached by its links; a cursor that points
 * past the end gives the last page, one before the start the first page (two statements).
 * A page before a cursor with fewer rows than `limit` before it (rows removed meanwhile) is
 * a short first page: no row is ever shown on two neighbouring pages.
 */
export async function keysetPage<R>(
  query: () => Knex.QueryBuilder,
  column: string,
  direction: 'asc' | 'desc',
  request: PageRequest,
  map: (row: Record<string, unknown>) => R,
  idOf: (row: R) => number,
): Promise<Page<R>> {
  const forward = direction === 'asc' ? '>' : '<';
  const backward = direction === 'asc' ? '<' : '>';
  const reverse = direction === 'asc' ? 'desc' : 'asc';
  const { limit } = request;
  const fetch = async (where: ((q: Knex.QueryBuilder) => void) | null, order: 'asc' | 'desc') => {
    const q = query();
    if (where) where(q);
    return (await q.orderBy(column, order).limit(limit + 1)) as Record<string, unknown>[];
  };
  const last = (rows: R[]) => idOf(rows[rows.length - 1]!);

  // Read forwards after a cursor (or from the start). Null when nothing follows the cursor.
  const forwards = async (after: number | undefined): Promise<Page<R> | null> => {
    const rows = await fetch(after === undefined ? null : (q) => q.where(column, forward, after), direction);
    if (after !== undefined && rows.length === 0) return null;
    const page = rows.slice(0, limit).map(map);
    return { rows: page, next: rows.length > limit ? last(page) : null, previous: after === undefined ? null : idOf(page[0]!) };
  };

  // Read backwards from a cursor (or from the end): the rows come nearest-first. Null when
  // nothing comes before the cursor.
  const backwards = async (before: number | undefined): Promise<Page<R> | null> => {
    const rows = await fetch(before === undefined ? null : (q) => q.where(column, backward, before), reverse);
    if (rows.length === 0) return null;
    const more = rows.length > limit;
    const page = rows.slice(0, limit).reverse().map(map);
    return { rows: page, next: before === undefined ? null : last(page), previous: more ? idOf(page[0]!) : null };
  };
  const first = async () => (await forwards(undefined))!;

  if (request.before !== undefined) return (await backwards(request.before)) ?? first();
  // Past the end: the last page (and the first when the list is empty).
  if (request.after !== undefined) return (await forwards(request.after)) ?? (await backwards(undefined)) ?? first();
  return first();
}

/**
 * A scan of `query()` in keyset pages, for a stream (an export): each call is one statement, the
 * page after `after` (or from the start) in `direction`, at most `limit` rows. Unlike keysetPage it
 * never falls back to the last page when nothing follows (a stream simply ends), and a row written
 * after the scan passed its place is not read: an export is the rows as each page found them.
 */
export async function keysetScan<R>(
  query: () => Knex.QueryBuilder,
  column: string,
  direction: 'asc' | 'desc',
  after: number | undefined,
  limit: number,
  map: (row: Record<string, unknown>) => R,
): Promise<R[]> {
  const q = query();
  if (after !== undefined) q.where(column, direction === 'asc' ? '>' : '<', after);
  const rows = (await q.orderBy(column, direction).limit(limit)) as Record<string, unknown>[];
  return rows.map(map);
}
