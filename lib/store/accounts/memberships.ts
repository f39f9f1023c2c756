import type { Knex } from 'knex';
import type { Db, Tables } from '../db.js';
import { containsPattern, dialectOf, fromJsonText, permissionPattern, toDate, toDateOrNull, toJsonText, toNumber } from '../db.js';
import { toBool } from './accounts.js';
import { keysetPage, keysetScan, type Page, type PageRequest } from '../keyset.js';
import { userFromRow, type UserRow } from '../users.js';

/** A membership joined with its account: everything the guard needs, in one row. */
export interface MembershipRow {
  /** The membership's own id: the users page's cursor. */
  id: number;
  accountId: number;
  accountName: string;
  ownerUserId: number;
  userId: number;
  permissions: string[];
  invitedBy: number | null;
  /** When access ends; null: it does not. */
  accessUntil: Date | null;
  /** accessUntil has come, as the statement that read the row saw the clock. */
  accessEnded: boolean;
  /** The account's two-factor rule (lib/services/two-factor/account-rule.ts). */
  twoFactorRequired: boolean;
  twoFactorGraceUntil: Date | null;
  /** When the member's login turned its second factor on; null: it has none (or the read did not join it). */
  twoFactorEnabledAt: Date | null;
  /** When the member was suspended (null: not suspended); the row stays, granting nothing until reinstated. */
  suspendedAt: Date | null;
  /** Who suspended them: a user's id, null for the host's staff or a job (or not suspended). */
  suspendedBy: number | null;
  /** The reason given, if any; the member is told it. */
  suspendedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

// Compared in the statement itself, with the injected clock's time bound in, so an ended
// membership costs no query of its own and sorts after the live ones for the default account.
const ENDED = (t: Tables) => `case when ${t.memberships}.access_until is not null and ${t.memberships}.access_until <= ? then 1 else 0 end`;

// A membership that grants nothing now (suspended, or its access ended): sorted after the live
// ones when the default account is chosen.
export const UNUSABLE = (t: Tables) =>
  `case when ${t.memberships}.suspended_at is not null or (${t.memberships}.access_until is not null and ${t.memberships}.access_until <= ?) then 1 else 0 end`;

// `factor`: the login's second factor, left-joined by user id (false for a locking read: PostgreSQL
// cannot lock the nullable side of an outer join, and a write decides nothing by it).
export const COLUMNS = (t: Tables, db: Db, now: Date, factor = true) => [
  `${t.memberships}.id as membership_id`,
  `${t.memberships}.access_until as access_until`,
  `${t.memberships}.suspended_at as suspended_at`,
  `${t.memberships}.suspended_by as suspended_by`,
  `${t.memberships}.suspended_reason as suspended_reason`,
  db.raw(`${ENDED(t)} as access_ended`, [now.getTime()]),
  `${t.memberships}.account_id as account_id`,
  `${t.memberships}.user_id as user_id`,
  `${t.memberships}.permissions as permissions`,
  `${t.memberships}.invited_by as invited_by`,
  `${t.memberships}.created_at as created_at`,
  `${t.memberships}.updated_at as updated_at`,
  `${t.accounts}.name as account_name`,
  `${t.accounts}.owner_user_id as owner_user_id`,
  `${t.accounts}.two_factor_required as two_factor_required`,
  `${t.accounts}.two_factor_grace_until as two_factor_grace_until`,
  factor ? `${t.twoFactor}.enabled_at as two_factor_enabled_at` : db.raw('null as two_factor_enabled_at'),
];

export function fromRow(r: Record<string, unknown>): MembershipRow {
  return {
    id: toNumber(r.membership_id),
    accountId: toNumber(r.account_id),
    accountName: String(r.account_name),
    ownerUserId: toNumber(r.owner_user_id),
    userId: toNumber(r.user_id),
    permissions: fromJsonText<string[]>(r.permissions, []),
    invitedBy: r.invited_by === null || r.invited_by === undefined ? null : toNumber(r.invited_by),
    accessUntil: toDateOrNull(r.access_until),
    accessEnded: toNumber(r.access_ended) === 1,
    twoFactorRequired: toBool(r.two_factor_required),
    twoFactorGraceUntil: toDateOrNull(r.two_factor_grace_until),
    twoFactorEnabledAt: toDateOrNull(r.two_factor_enabled_at),
    suspendedAt: toDateOrNull(r.suspended_at),
    suspendedBy: r.suspended_by === null || r.suspended_by === undefined ? null : toNumber(r.suspended_by),
    suspendedReason: typeof r.suspended_reason === 'string' ? r.suspended_reason : null,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

/** A suspension as stored: when, by whom (null: the host's staff or a job) and why (optional). */
export interface Suspension {
  at: Date;
  by: number | null;
  reason: string | null;
}

export function suspensionColumns(s: Suspension | null) {
  return { suspended_at: s ? s.at.getTime() : null, suspended_by: s?.by ?? null, suspended_reason: s?.reason ?? null };
}

/** What narrows the users page's members list; each condition is part of the page's one statement. */
export interface MemberFilter {
  /**
   * Part of a name or an address, matched in the kit's own users table, joined row by row: a
   * search most users match fills its page as soon as the unfiltered list would.
   */
  text?: string;
  /** A subquery of the user ids to keep (a search through a host's users store). */
  userIds?: Knex.QueryBuilder;
  /** Members holding this permission (the owner holds them all). */
  permission?: string;
  /** A stored entry that grants `permission` too (the "All permissions" marker). */
  permissionCoveredBy?: string;
}

export function membershipsTable(t: Tables) {
  // The login's factor comes in the same statement: the guard stays one query whatever the rule.
  const joined = (db: Db, now: Date) =>
    db(t.memberships)
      .join(t.accounts, `${t.accounts}.id`, `${t.memberships}.account_id`)
      .leftJoin(t.twoFactor, `${t.twoFactor}.user_id`, `${t.memberships}.user_id`)
      .select(COLUMNS(t, db, now));

  // The default-account rule, in one place so the session's query and the guard's fallback
  // can never pick different accounts: an account that still grants (not suspended, access not
  // ended), the first the user owns, else the first joined.
  const defaultFirst = <Q extends Knex.QueryBuilder>(query: Q, userId: number, now: Date): Q =>
    query
      .orderByRaw(UNUSABLE(t), [now.getTime()])
      .orderByRaw(`case when ${t.accounts}.owner_user_id = ? then 0 else 1 end`, [userId])
      .orderBy(`${t.memberships}.account_id`, 'asc') as Q;

  return {
    /** The guard's query: one indexed lookup. */
    async find(db: Db, userId: number, accountId: number, now: Date): Promise<MembershipRow | undefined> {
      const r = await joined(db, now).where(`${t.memberships}.user_id`, userId).andWhere(`${t.memberships}.account_id`, accountId).first();
      return r ? fromRow(r) : undefined;
    },
    /**
     * find, for a transaction about to write the row: the row is locked until commit and read as
     * committed at that moment (MariaDB's repeatable-read snapshot would otherwise answer with the
     * row as it was when the transaction first read anything). SQLite's one connection needs no lock.
     */
    async findForWrite(db: Db, userId: number, accountId: number, now: Date): Promise<MembershipRow | undefined> {
      const dialect = dialectOf(db);
      const q = db(t.memberships)
        .join(t.accounts, `${t.accounts}.id`, `${t.memberships}.account_id`)
        .select(COLUMNS(t, db, now, false))
        .where(`${t.memberships}.user_id`, userId)
        .andWhere(`${t.memberships}.account_id`, accountId);
      if (dialect === 'sqlite') {
        const r = await q.first();
        return r ? fromRow(r) : undefined;
      }
      // PostgreSQL: FOR NO KEY UPDATE, the mode accounts.lockForWrite takes (foreign-key inserts go on).
      const rows = (await (dialect === 'pg' ? q.forNoKeyUpdate() : q.forUpdate())) as Record<string, unknown>[];
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    /** The account a user lands in when none is chosen: the first they own, else the first they joined. */
    async findDefault(db: Db, userId: number, now: Date): Promise<MembershipRow | undefined> {
      const r = await defaultFirst(joined(db, now).where(`${t.memberships}.user_id`, userId), userId, now).first();
      return r ? fromRow(r) : undefined;
    },
    /**
     * The session's query: the kit's user and their membership in the chosen account (or, with
     * none chosen, the default one, as findDefault orders them) in one round trip. Left joins, so
     * a user without a membership still comes back; the password hash is not read.
     */
    async findUserWithMembership(
      db: Db,
      userId: number,
      accountId: number | undefined,
      now: Date,
    ): Promise<{ user: UserRow; membership: MembershipRow | undefined; twoFactorEnabledAt: Date | null } | undefined> {
      const query = db(t.users)
        .leftJoin(t.memberships, (on) => {
          on.on(`${t.memberships}.user_id`, '=', `${t.users}.id`);
          if (accountId !== undefined) on.andOnVal(`${t.memberships}.account_id`, '=', accountId);
        })
        .leftJoin(t.accounts, `${t.accounts}.id`, `${t.memberships}.account_id`)
        // By the user's id, not the membership's: a user of no account owes their second factor too.
        .leftJoin(t.twoFactor, `${t.twoFactor}.user_id`, `${t.users}.id`)
        .select([
          `${t.users}.id as id`,
          `${t.users}.email as email`,
          `${t.users}.name as name`,
          `${t.users}.last_login_at as last_login_at`,
          `${t.users}.sessions_valid_after as sessions_valid_after`,
          ...COLUMNS(t, db, now),
        ])
        .where(`${t.users}.id`, userId);
      if (accountId === undefined) defaultFirst(query, userId, now);
      const r = await query.first();
      if (!r) return undefined;
      const hasMembership = r.account_id !== null && r.account_id !== undefined;
      return { user: userFromRow(r), membership: hasMembership ? fromRow(r) : undefined, twoFactorEnabledAt: toDateOrNull(r.two_factor_enabled_at) };
    },
    async listForUser(db: Db, userId: number, now: Date): Promise<MembershipRow[]> {
      const rows = await joined(db, now).where(`${t.memberships}.user_id`, userId).orderBy(`${t.memberships}.account_id`, 'asc');
      return rows.map(fromRow);
    },
    /**
     * One page of an account's members: the owner leads the first page, the others follow by
     * membership id. After a transfer the owner's membership is no longer the account's lowest id,
     * so the others are paged by the (account_id, id) index without the owner (no sort of the
     * account) and the owner is read apart, by one more indexed statement, when a page reaches the
     * start. The list is [owner, others…] paged `limit` at a time; a first page reached backwards
     * that would hold one row too many leaves its first other to the page before it.
     */
    async listForAccount(db: Db, accountId: number, page: PageRequest, now: Date, filter: MemberFilter = {}): Promise<Page<MembershipRow>> {
      // Every condition of the filter, on the account's members (the owner included).
      const filtered = () => {
        const q = joined(db, now).where(`${t.memberships}.account_id`, accountId);
        if (filter.text !== undefined) {
          const pattern = containsPattern(filter.text);
          q.join(t.users, `${t.users}.id`, `${t.memberships}.user_id`).where((w) =>
            w.whereRaw(`lower(${t.users}.name) like ? escape '!'`, [pattern]).orWhereRaw(`${t.users}.email like ? escape '!'`, [pattern]),
          );
        }
        if (filter.userIds) q.whereIn(`${t.memberships}.user_id`, filter.userIds);
        if (filter.permission !== undefined) {
          const patterns = [filter.permission, ...(filter.permissionCoveredBy !== undefined ? [filter.permissionCoveredBy] : [])].map(permissionPattern);
          // The owner holds every permission whatever their row says.
          q.where((w) => {
            patterns.forEach((p) => w.orWhereRaw(`${t.memberships}.permissions like ? escape '!'`, [p]));
            w.orWhereRaw(`${t.memberships}.user_id = ${t.accounts}.owner_user_id`);
          });
        }
        return q;
      };
      // The owner leads the first page (when the filter keeps them); the others follow by id.
      const others = (request: PageRequest) =>
        keysetPage(
          () => filtered().whereRaw(`${t.memberships}.user_id <> ${t.accounts}.owner_user_id`),
          `${t.memberships}.id`,
          'asc',
          request,
          fromRow,
          (m) => m.id,
        );
      const withOwner = async (rest: Page<MembershipRow>): Promise<Page<MembershipRow>> => {
        const owner = await filtered().whereRaw(`${t.memberships}.user_id = ${t.accounts}.owner_user_id`).first();
        return owner ? { ...rest, rows: [fromRow(owner), ...rest.rows], previous: null } : rest;
      };
      const firstPage = async () => withOwner(await others({ limit: Math.max(1, page.limit - 1) }));

      if (page.after === undefined && page.before === undefined) return firstPage();
      const found = await others(page);
      if (found.previous !== null) return found;
      // keysetPage answers a cursor with nothing before it (or the whole list) with its first page.
      const { before } = page;
      if (before === undefined || found.rows.length === 0 || found.rows[0]!.id >= before) return firstPage();
      if (found.rows.length < page.limit) return withOwner(found);
      const rest = found.rows.slice(1);
      return { rows: rest, next: found.next, previous: rest[0]?.id ?? null };
    },
    /** The export's pages: `limit` members after membership id `after`, one statement each. */
    async scanForAccount(db: Db, accountId: number, after: number | undefined, limit: number, now: Date): Promise<MembershipRow[]> {
      return keysetScan(() => joined(db, now).where(`${t.memberships}.account_id`, accountId), `${t.memberships}.id`, 'asc', after, limit, fromRow);
    },
    /** Every member of the account, for a roster compared in one transaction (its rows bounded by the rosterMaxRows it is compared with). */
    async allForAccount(db: Db, accountId: number, now: Date): Promise<MembershipRow[]> {
      const rows = (await joined(db, now).where(`${t.memberships}.account_id`, accountId).orderBy(`${t.memberships}.id`, 'asc')) as Record<string, unknown>[];
      return rows.map(fromRow);
    },
    /** `suspension`: a restored member who was suspended when removed comes back suspended. */
    async insert(
      db: Db,
      row: {
        accountId: number;
        userId: number;
        permissions: string[];
        invitedBy: number | null;
        accessUntil?: Date | null;
        suspension?: Suspension | null;
        now: Date;
      },
    ): Promise<void> {
      await db(t.memberships).insert({
        account_id: row.accountId,
        user_id: row.userId,
        permissions: toJsonText(row.permissions),
        invited_by: row.invitedBy,
        access_until: row.accessUntil ? row.accessUntil.getTime() : null,
        ...suspensionColumns(row.suspension ?? null),
        created_at: row.now.getTime(),
        updated_at: row.now.getTime(),
      });
    },
    /** accessUntil: undefined leaves it as it is, null clears it. */
    async updatePermissions(db: Db, accountId: number, userId: number, permissions: string[], now: Date, accessUntil?: Date | null): Promise<number> {
      const patch: Record<string, unknown> = { permissions: toJsonText(permissions), updated_at: now.getTime() };
      if (accessUntil !== undefined) patch.access_until = accessUntil ? accessUntil.getTime() : null;
      return db(t.memberships).where({ account_id: accountId, user_id: userId }).update(patch);
    },
    /** An owner's access never ends: the row of a user who becomes the owner loses its end date. */
    async clearAccessUntil(db: Db, accountId: number, userId: number): Promise<number> {
      return db(t.memberships).where({ account_id: accountId, user_id: userId }).update({ access_until: null });
    },
    /** Suspends (a suspension) or reinstates (null); false when the row is gone. Nothing else of the row changes. */
    async setSuspension(db: Db, accountId: number, userId: number, suspension: Suspension | null, now: Date): Promise<boolean> {
      const n = await db(t.memberships)
        .where({ account_id: accountId, user_id: userId })
        .update({ ...suspensionColumns(suspension), updated_at: now.getTime() });
      return n === 1;
    },
    async delete(db: Db, accountId: number, userId: number): Promise<number> {
      return db(t.memberships).where({ account_id: accountId, user_id: userId }).del();
    },
    /** For the kit's own users table: is the login with this email a member (read in the caller's transaction)? */
    async existsForEmail(db: Db, accountId: number, email: string): Promise<boolean> {
      const r = await db(t.memberships)
        .join(t.users, `${t.users}.id`, `${t.memberships}.user_id`)
        .where(`${t.memberships}.account_id`, accountId)
        .andWhere(`${t.users}.email`, email)
        .first(`${t.memberships}.id`);
      return Boolean(r);
    },
    async exists(db: Db, accountId: number, userId: number): Promise<boolean> {
      const r = await db(t.memberships).where({ account_id: accountId, user_id: userId }).first('id');
      return Boolean(r);
    },
  };
}
