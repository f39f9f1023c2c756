import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { AccountUser, UserStore } from '../../lib/index.js';
import { dialect } from './db.js';

/**
 * A host that keeps its logins in a `people` table of its own, with its own password format
 * (the `users` option). `selfService` adds the table's two self-service columns and, to the
 * store, the optional methods (setPasswordHash, setName, setEmail, setEmailVerified, hashPassword).
 */
export interface PeopleOptions {
  /** true: `sessions_valid_after` and `email_verified` columns, read into the users the store returns. */
  columns?: 'basic' | 'self-service';
  /** true: the store offers the optional self-service methods. */
  methods?: boolean;
}

/** Creates the host's `people` table. */
export async function createPeopleTable(knex: Knex, { columns = 'basic' }: PeopleOptions = {}): Promise<void> {
  await knex.schema.createTable('people', (t) => {
    t.increments('id');
    t.string('email', 254).notNullable().unique();
    t.string('full_name', 255).notNullable();
    t.string('password', 255).notNullable();
    if (columns === 'self-service') {
      t.bigInteger('sessions_valid_after').nullable();
      t.boolean('email_verified').notNullable().defaultTo(false);
    }
  });
}

interface PersonRow {
  id: number | string;
  email: string;
  full_name: string;
  sessions_valid_after?: unknown;
  email_verified?: unknown;
}

/** The host's UserStore over `people`; `createdInTransaction` records, per create(), whether it ran in a transaction. */
export function peopleStore(knex: Knex, { columns = 'basic', methods = false }: PeopleOptions = {}): { store: UserStore; createdInTransaction: boolean[] } {
  const hash = (password: string, salt = randomBytes(8).toString('hex')) => `${salt}:${scryptSync(password, salt, 32, { N: 1024 }).toString('hex')}`;
  const view = (r: PersonRow): AccountUser =>
    columns === 'basic'
      ? { id: Number(r.id), email: r.email, name: r.full_name }
      : {
          id: Number(r.id),
          email: r.email,
          name: r.full_name,
          sessionsValidAfter: r.sessions_valid_after ? new Date(Number(r.sessions_valid_after)) : null,
          emailVerified: Boolean(Number(r.email_verified ?? 0)),
        };
  const createdInTransaction: boolean[] = [];
  const store: UserStore = {
    async findById(id) {
      const r = await knex('people').where({ id }).first();
      return r && view(r);
    },
    async findByEmail(email) {
      const r = await knex('people').where({ email: email.toLowerCase() }).first();
      return r && view(r);
    },
    async create(user, { trx }) {
      createdInTransaction.push(trx.isTransaction === true);
      const row = { email: user.email, full_name: user.name, password: user.passwordHash ?? hash(user.password) };
      const inserted = await (dialect() === 'pg' ? trx('people').insert(row).returning('id') : trx('people').insert(row));
      const first = inserted[0] as number | { id: number };
      return { id: Number(typeof first === 'object' ? first.id : first), email: user.email, name: user.name };
    },
    async verifyPassword(user, password) {
      const r = await knex('people').where({ id: user.id }).first();
      if (!r) return false;
      const [salt, expected] = String(r.password).split(':');
      return timingSafeEqual(Buffer.from(hash(password, salt).split(':')[1]!, 'hex'), Buffer.from(expected!, 'hex'));
    },
  };
  if (!methods) return { store, createdInTransaction };
  return {
    createdInTransaction,
    store: {
      ...store,
      hashPassword: (password) => Promise.resolve(hash(password)),
      async setPasswordHash(id, passwordHash, { sessionsValidAfter, trx }) {
        await trx('people').where({ id }).update({ password: passwordHash, sessions_valid_after: sessionsValidAfter.getTime() });
      },
      async setName(id, name, { trx }) {
        await trx('people').where({ id }).update({ full_name: name });
      },
      async setEmail(id, email, { trx }) {
        if (await trx('people').where({ email }).whereNot({ id }).first()) return false;
        await trx('people').where({ id }).update({ email, email_verified: false });
        return true;
      },
      async setEmailVerified(id, { trx }) {
        await trx('people').where({ id }).update({ email_verified: true });
      },
    },
  };
}
