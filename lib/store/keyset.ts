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
 * back from a mapped row. A cursor that points past either end of the list (rows removed
 * since the link was made, or a hand-written one) gives the first page, never an empty one.
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
  const { limit } = request;

  if (request.before !== undefined) {
    const rows = (await query()
      .where(column, backward, request.before)
      .orderBy(column, direction === 'asc' ? 'desc' : 'asc')
      .limit(limit + 1)) as Record<string, unknown>[];
    // A full page and one more row before it: a page in the middle. Otherwise these rows are
    // the start of the list, and the first page (below) shows them with the rows that follow.
    if (rows.length > limit) {
      const page = rows.slice(0, limit).reverse().map(map);
      return { rows: page, next: idOf(page[page.length - 1]!), previous: idOf(page[0]!) };
    }
  } else if (request.after !== undefined) {
    const rows = (await query().where(column, forward, request.after).orderBy(column, direction).limit(limit + 1)) as Record<string, unknown>[];
    if (rows.length > 0) {
      const page = rows.slice(0, limit).map(map);
      return { rows: page, next: rows.length > limit ? idOf(page[page.length - 1]!) : null, previous: idOf(page[0]!) };
    }
  }

  const rows = (await query().orderBy(column, direction).limit(limit + 1)) as Record<string, unknown>[];
  const page = rows.slice(0, limit).map(map);
  return { rows: page, next: rows.length > limit ? idOf(page[page.length - 1]!) : null, previous: null };
}
