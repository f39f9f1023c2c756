import type { Knex } from 'knex';

/**
 * The portal's own records (services, domains, invoices, …), one table keyed by account
 * and kind. The kit's guard decides whether a user may see invoices; these queries,
 * always scoped to the active account, decide whose.
 */
export type Kind = 'profile' | 'contact' | 'service' | 'domain' | 'invoice' | 'quote' | 'ticket' | 'affiliate' | 'email';

export interface Item<T = Record<string, unknown>> {
  id: number;
  accountId: number;
  kind: Kind;
  data: T;
}

const TABLE = 'acme_items';

/** The example's only table, created if missing (the kit's tables come from au.migrate()). */
export async function ensurePortalSchema(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(TABLE)) return;
  await knex.schema.createTable(TABLE, (t) => {
    t.increments('id');
    t.integer('account_id').notNullable();
    t.string('kind', 32).notNullable();
    t.text('data').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['account_id', 'kind']);
  });
}

interface Row {
  id: number | string;
  account_id: number | string;
  kind: Kind;
  data: string;
}

function toItem<T>(row: Row): Item<T> {
  return { id: Number(row.id), accountId: Number(row.account_id), kind: row.kind, data: JSON.parse(row.data) as T };
}

export interface PortalData {
  list<T>(accountId: number, kind: Kind): Promise<Item<T>[]>;
  /** undefined for an id of another account: never a hint that it exists. */
  find<T>(accountId: number, kind: Kind, id: number): Promise<Item<T> | undefined>;
  insert<T>(accountId: number, kind: Kind, data: T): Promise<number>;
  update<T>(item: Item<T>, data: T): Promise<void>;
}

export function portalData(knex: Knex, now: () => Date): PortalData {
  const returning = /^(pg|postgres)/.test(String((knex.client as { config: { client: unknown } }).config.client));
  return {
    async list<T>(accountId: number, kind: Kind) {
      const rows = (await knex(TABLE).where({ account_id: accountId, kind }).orderBy('id')) as Row[];
      return rows.map((r) => toItem<T>(r));
    },
    async find<T>(accountId: number, kind: Kind, id: number) {
      if (!Number.isSafeInteger(id) || id <= 0) return undefined;
      const row = (await knex(TABLE).where({ id, account_id: accountId, kind }).first()) as Row | undefined;
      return row && toItem<T>(row);
    },
    async insert<T>(accountId: number, kind: Kind, data: T) {
      const row = { account_id: accountId, kind, data: JSON.stringify(data), created_at: now().getTime() };
      // PostgreSQL reports the new id only through RETURNING; SQLite and MariaDB report it anyway.
      const [inserted] = (returning ? await knex(TABLE).insert(row, ['id']) : await knex(TABLE).insert(row)) as unknown[];
      return Number(typeof inserted === 'object' ? (inserted as { id: number }).id : inserted);
    },
    async update<T>(item: Item<T>, data: T) {
      await knex(TABLE)
        .where({ id: item.id, account_id: item.accountId })
        .update({ data: JSON.stringify(data) });
    },
  };
}
