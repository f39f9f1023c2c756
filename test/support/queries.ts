import type { Knex } from 'knex';

/** Counts the SQL statements Knex sends while `work` runs (knex's 'query' event fires once per statement). */
export async function countQueries<T>(knex: Knex, work: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const onQuery = (q: { sql: string }) => queries.push(q.sql);
  knex.on('query', onQuery);
  try {
    const result = await work();
    return { result, queries };
  } finally {
    knex.removeListener('query', onQuery);
  }
}
