import type { Db, Tables } from '../db.js';
import { keysetPage, type Page, type PageRequest } from '../keyset.js';
import { containsPattern, fromJsonText, insertReturningId, permissionPattern, toDate, toDateOrNull, toJsonText, toNumber } from '../db.js';

export type InvitationStatus = 'pending' | 'accepted' | 'cancelled' | 'declined';

export interface InvitationRow {
  id: number;
  accountId: number;
  email: string;
  permissions: string[];
  status: InvitationStatus;
  /** The inviting user; 0 when the host's staff or a job invited through au.api (see invitedBySystem). */
  invitedBy: number;
  /** Who invited when it was not a user: the `system` name given to au.api. */
  invitedBySystem: string | null;
  /** When the access it grants ends (null: no end); carried into the membership on accept. */
  accessUntil: Date | null;
  /** The language its sender used: its emails, resends included, are written in it (null: rows from before; English). */
  locale: string | null;
  sendCount: number;
  /**
   * Whether the current link reached the invitee by the kit's email (or was handed to a `{ system }`
   * actor): only then does using it prove the address. False for a link au.api.invite({ send: false })
   * returned to an inviting user, and while there is no link.
   */
  linkMailed: boolean;
  expiresAt: Date;
  sentAt: Date | null;
  acceptedAt: Date | null;
  acceptedUserId: number | null;
  cancelledAt: Date | null;
  declinedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Which invitations a list shows: `pending` (waiting and unexpired), `expired` (pending past its
 * expiry), a final status, `history` (everything but pending), or `all`.
 */
export type InvitationListState = 'pending' | 'expired' | 'accepted' | 'cancelled' | 'declined' | 'history' | 'all';

export const INVITATION_LIST_STATES: readonly InvitationListState[] = ['pending', 'expired', 'accepted', 'cancelled', 'declined', 'history', 'all'];

/** What narrows an account's invitations list; `now` tells pending from expired (the injected clock). */
export interface InvitationFilter {
  state: InvitationListState;
  now?: Date;
  /** Part of the address, any case. */
  text?: string;
  /** Invitations granting this permission. */
  permission?: string;
  /** A stored entry that grants `permission` too (the "All permissions" marker). */
  permissionCoveredBy?: string;
}

/** What the owner's list shows of an invitation. */
export type InvitationSummary = Pick<
  InvitationRow,
  'id' | 'email' | 'permissions' | 'status' | 'invitedBy' | 'invitedBySystem' | 'accessUntil' | 'expiresAt' | 'sentAt' | 'createdAt'
>;

const SUMMARY_COLUMNS = ['id', 'email', 'permissions', 'status', 'invited_by', 'invited_by_system', 'access_until', 'expires_at', 'sent_at', 'created_at'];

function summaryFromRow(r: Record<string, unknown>): InvitationSummary {
  return {
    id: toNumber(r.id),
    email: String(r.email),
    permissions: fromJsonText<string[]>(r.permissions, []),
    status: String(r.status) as InvitationStatus,
    invitedBy: toNumber(r.invited_by),
    invitedBySystem: (r.invited_by_system as string | null | undefined) ?? null,
    accessUntil: toDateOrNull(r.access_until),
    expiresAt: toDate(r.expires_at),
    sentAt: toDateOrNull(r.sent_at),
    createdAt: toDate(r.created_at),
  };
}

function fromRow(r: Record<string, unknown>): InvitationRow {
  return {
    ...summaryFromRow(r),
    accountId: toNumber(r.account_id),
    sendCount: toNumber(r.send_count),
    linkMailed: r.link_mailed === true || Number(r.link_mailed) === 1,
    locale: typeof r.locale === 'string' ? r.locale : null,
    acceptedAt: toDateOrNull(r.accepted_at),
    acceptedUserId: r.accepted_user_id === null || r.accepted_user_id === undefined ? null : toNumber(r.accepted_user_id),
    cancelledAt: toDateOrNull(r.cancelled_at),
    declinedAt: toDateOrNull(r.declined_at),
    updatedAt: toDate(r.updated_at),
  };
}

export function invitationsTable(t: Tables) {
  return {
    async findById(db: Db, id: number): Promise<InvitationRow | undefined> {
      const r = await db(t.invitations).where({ id }).first();
      return r ? fromRow(r) : undefined;
    },
    async findInAccount(db: Db, accountId: number, id: number): Promise<InvitationRow | undefined> {
      const r = await db(t.invitations).where({ id, account_id: accountId }).first();
      return r ? fromRow(r) : undefined;
    },
    async findByTokenHash(db: Db, tokenHash: string): Promise<InvitationRow | undefined> {
      const r = await db(t.invitations).where({ token_hash: tokenHash }).first();
      return r ? fromRow(r) : undefined;
    },
    async findPending(db: Db, accountId: number, email: string): Promise<InvitationRow | undefined> {
      const r = await db(t.invitations).where({ account_id: accountId, pending_email: email }).first();
      return r ? fromRow(r) : undefined;
    },
    /**
     * One page of an account's invitations, newest first (ids grow with creation; (account_id, id)
     * index), with the columns the owner's list shows: never the token hash.
     */
    async listForAccount(db: Db, accountId: number, page: PageRequest, filter: InvitationFilter = { state: 'all' }): Promise<Page<InvitationSummary>> {
      const query = () => {
        const q = db(t.invitations).select(SUMMARY_COLUMNS).where({ account_id: accountId });
        const now = filter.now?.getTime() ?? Date.now();
        switch (filter.state) {
          case 'all':
            break;
          // (account_id, status, id) serves the pending list however long the history grows.
          case 'pending':
            q.where({ status: 'pending' }).andWhere('expires_at', '>', now);
            break;
          case 'expired':
            q.where({ status: 'pending' }).andWhere('expires_at', '<=', now);
            break;
          case 'history':
            q.where((w) => w.whereNot({ status: 'pending' }).orWhere('expires_at', '<=', now));
            break;
          default:
            q.where({ status: filter.state });
        }
        if (filter.text !== undefined) q.whereRaw(`email like ? escape '!'`, [containsPattern(filter.text)]);
        if (filter.permission !== undefined) {
          const patterns = [filter.permission, ...(filter.permissionCoveredBy !== undefined ? [filter.permissionCoveredBy] : [])].map(permissionPattern);
          q.where((w) => patterns.forEach((p) => w.orWhereRaw(`permissions like ? escape '!'`, [p])));
        }
        return q;
      };
      return keysetPage(query, 'id', 'desc', page, summaryFromRow, (i) => i.id);
    },
    async insert(
      db: Db,
      row: {
        accountId: number;
        email: string;
        permissions: string[];
        invitedBy: number;
        invitedBySystem: string | null;
        accessUntil?: Date | null;
        locale?: string | null;
        expiresAt: Date;
        now: Date;
      },
    ): Promise<number> {
      return insertReturningId(db, t.invitations, {
        account_id: row.accountId,
        email: row.email,
        pending_email: row.email,
        permissions: toJsonText(row.permissions),
        status: 'pending',
        invited_by: row.invitedBy,
        invited_by_system: row.invitedBySystem,
        access_until: row.accessUntil ? row.accessUntil.getTime() : null,
        locale: row.locale ?? null,
        send_count: 1,
        token_hash: null,
        expires_at: row.expiresAt.getTime(),
        created_at: row.now.getTime(),
        updated_at: row.now.getTime(),
      });
    },
    /**
     * Re-arms a pending invitation: the old link dies at once (token cleared until the next
     * email carries a new one) and the expiry restarts. Conditional on status so it loses
     * cleanly to a concurrent accept or cancel.
     */
    async rearm(
      db: Db,
      id: number,
      change: {
        permissions?: string[];
        accessUntil?: Date | null;
        locale?: string;
        invitedBy: number;
        invitedBySystem: string | null;
        expiresAt: Date;
        now: Date;
      },
    ): Promise<boolean> {
      const patch: Record<string, unknown> = {
        token_hash: null,
        link_mailed: false,
        invited_by: change.invitedBy,
        invited_by_system: change.invitedBySystem,
        expires_at: change.expiresAt.getTime(),
        updated_at: change.now.getTime(),
        send_count: db.raw('send_count + 1'),
      };
      if (change.permissions) patch.permissions = toJsonText(change.permissions);
      if (change.locale !== undefined) patch.locale = change.locale;
      if (change.accessUntil !== undefined) patch.access_until = change.accessUntil ? change.accessUntil.getTime() : null;
      const n = await db(t.invitations).where({ id, status: 'pending' }).update(patch);
      return n === 1;
    },
    /**
     * What a pending invitation grants, changed without a new email or link (a re-invite within the
     * resend cooldown). `updated_at` moves: an in-app accept of the row as it was loses the race.
     */
    async updateGrant(db: Db, id: number, change: { permissions: string[]; accessUntil: Date | null; now: Date }): Promise<boolean> {
      const n = await db(t.invitations)
        .where({ id, status: 'pending' })
        .update({
          permissions: toJsonText(change.permissions),
          access_until: change.accessUntil ? change.accessUntil.getTime() : null,
          updated_at: change.now.getTime(),
        });
      return n === 1;
    },
    /**
     * Called by the mailer just before sending (`mailed`), or for a link handed to its inviter: the
     * new token's hash becomes the only one that works, and `link_mailed` says how it travels.
     */
    async setToken(db: Db, id: number, tokenHash: string, expiresAt: Date, now: Date, mailed: boolean): Promise<boolean> {
      const n = await db(t.invitations)
        .where({ id, status: 'pending' })
        .update({ token_hash: tokenHash, link_mailed: mailed, expires_at: expiresAt.getTime(), sent_at: now.getTime() });
      return n === 1;
    },
    async markAccepted(db: Db, id: number, tokenHash: string, userId: number, now: Date): Promise<boolean> {
      const n = await db(t.invitations)
        .where({ id, status: 'pending', token_hash: tokenHash })
        .update({ status: 'accepted', pending_email: null, accepted_at: now.getTime(), accepted_user_id: userId, updated_at: now.getTime() });
      return n === 1;
    },
    /** In-app accept by a signed-in user whose address it was sent to. The link's hash stays, so the link says "already accepted". */
    async markAcceptedById(db: Db, id: number, readUpdatedAt: Date, userId: number, now: Date): Promise<boolean> {
      // Conditional on the row the invitee saw: a re-invite with other permissions in between loses them the race instead.
      const n = await db(t.invitations)
        .where({ id, status: 'pending', updated_at: readUpdatedAt.getTime() })
        .andWhere('expires_at', '>', now.getTime())
        .update({ status: 'accepted', pending_email: null, accepted_at: now.getTime(), accepted_user_id: userId, updated_at: now.getTime() });
      return n === 1;
    },
    /** Declined by the invitee; by link (`tokenHash`) only while that link is the current one. The hash stays: the link then says "declined". */
    async markDeclined(db: Db, id: number, tokenHash: string | null, now: Date): Promise<boolean> {
      const where: Record<string, unknown> = { id, status: 'pending' };
      if (tokenHash !== null) where.token_hash = tokenHash;
      const n = await db(t.invitations)
        .where(where)
        .andWhere('expires_at', '>', now.getTime())
        .update({ status: 'declined', pending_email: null, declined_at: now.getTime(), updated_at: now.getTime() });
      return n === 1;
    },
    /**
     * A declined invitation started over by the owner's Resend: pending again, under the same
     * unique (account, pending email) rule as a new one, so it collides with a newer pending invitation.
     */
    /** accessUntil: undefined leaves it as it is. */
    async reopen(
      db: Db,
      id: number,
      change: { invitedBy: number; invitedBySystem: string | null; accessUntil?: Date | null; expiresAt: Date; now: Date },
    ): Promise<boolean> {
      const n = await db(t.invitations)
        .where({ id, status: 'declined' })
        .update({
          ...(change.accessUntil !== undefined ? { access_until: change.accessUntil ? change.accessUntil.getTime() : null } : {}),
          status: 'pending',
          pending_email: db.raw('email'),
          token_hash: null,
          link_mailed: false,
          declined_at: null,
          invited_by: change.invitedBy,
          invited_by_system: change.invitedBySystem,
          expires_at: change.expiresAt.getTime(),
          updated_at: change.now.getTime(),
          send_count: db.raw('send_count + 1'),
        });
      return n === 1;
    },
    /** The pending, unexpired invitations sent to one address, in every account, with the account's name (pending_email index). */
    async listPendingForEmail(db: Db, email: string, now: Date, limit: number): Promise<Array<InvitationSummary & { accountId: number; accountName: string }>> {
      const rows = (await db(t.invitations)
        .join(t.accounts, `${t.accounts}.id`, `${t.invitations}.account_id`)
        .select([
          ...SUMMARY_COLUMNS.map((c) => `${t.invitations}.${c} as ${c}`),
          `${t.invitations}.account_id as account_id`,
          `${t.accounts}.name as account_name`,
        ])
        .where(`${t.invitations}.pending_email`, email)
        .andWhere(`${t.invitations}.expires_at`, '>', now.getTime())
        .orderBy(`${t.invitations}.id`, 'asc')
        .limit(limit)) as Record<string, unknown>[];
      return rows.map((r) => ({ ...summaryFromRow(r), accountId: toNumber(r.account_id), accountName: String(r.account_name) }));
    },
    /** The account's pending invitations (expired ones included: they still hold the address), for a roster. */
    async listPendingForAccount(db: Db, accountId: number): Promise<InvitationRow[]> {
      const rows = (await db(t.invitations).where({ account_id: accountId, status: 'pending' }).orderBy('id', 'asc')) as Record<string, unknown>[];
      return rows.map(fromRow);
    },
    /** What a pending invitation grants, changed without a new email (a roster's change); false when it is no longer pending. */
    async setPendingPermissions(db: Db, id: number, permissions: string[], now: Date): Promise<boolean> {
      const n = await db(t.invitations)
        .where({ id, status: 'pending' })
        .update({ permissions: toJsonText(permissions), updated_at: now.getTime() });
      return n === 1;
    },
    async markCancelled(db: Db, id: number, now: Date): Promise<boolean> {
      const n = await db(t.invitations)
        .where({ id, status: 'pending' })
        .update({ status: 'cancelled', pending_email: null, cancelled_at: now.getTime(), updated_at: now.getTime() });
      return n === 1;
    },
  };
}
