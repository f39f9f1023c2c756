import type { Db, Tables } from './db.js';
import { keysetPage, type Page, type PageRequest } from './keyset.js';
import { fromJsonText, insertReturningId, toDate, toDateOrNull, toJsonText, toNumber } from './db.js';

export type InvitationStatus = 'pending' | 'accepted' | 'cancelled';

export interface InvitationRow {
  id: number;
  accountId: number;
  email: string;
  permissions: string[];
  status: InvitationStatus;
  invitedBy: number;
  sendCount: number;
  expiresAt: Date;
  sentAt: Date | null;
  acceptedAt: Date | null;
  acceptedUserId: number | null;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the owner's list shows of an invitation. */
export type InvitationSummary = Pick<InvitationRow, 'id' | 'email' | 'permissions' | 'status' | 'invitedBy' | 'expiresAt' | 'sentAt' | 'createdAt'>;

const SUMMARY_COLUMNS = ['id', 'email', 'permissions', 'status', 'invited_by', 'expires_at', 'sent_at', 'created_at'];

function summaryFromRow(r: Record<string, unknown>): InvitationSummary {
  return {
    id: toNumber(r.id),
    email: String(r.email),
    permissions: fromJsonText<string[]>(r.permissions, []),
    status: String(r.status) as InvitationStatus,
    invitedBy: toNumber(r.invited_by),
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
    acceptedAt: toDateOrNull(r.accepted_at),
    acceptedUserId: r.accepted_user_id === null || r.accepted_user_id === undefined ? null : toNumber(r.accepted_user_id),
    cancelledAt: toDateOrNull(r.cancelled_at),
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
    async listForAccount(db: Db, accountId: number, page: PageRequest): Promise<Page<InvitationSummary>> {
      const query = () => db(t.invitations).select(SUMMARY_COLUMNS).where({ account_id: accountId });
      return keysetPage(query, 'id', 'desc', page, summaryFromRow, (i) => i.id);
    },
    async insert(db: Db, row: { accountId: number; email: string; permissions: string[]; invitedBy: number; expiresAt: Date; now: Date }): Promise<number> {
      return insertReturningId(db, t.invitations, {
        account_id: row.accountId,
        email: row.email,
        pending_email: row.email,
        permissions: toJsonText(row.permissions),
        status: 'pending',
        invited_by: row.invitedBy,
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
    async rearm(db: Db, id: number, change: { permissions?: string[]; invitedBy: number; expiresAt: Date; now: Date }): Promise<boolean> {
      const patch: Record<string, unknown> = {
        token_hash: null,
        invited_by: change.invitedBy,
        expires_at: change.expiresAt.getTime(),
        updated_at: change.now.getTime(),
        send_count: db.raw('send_count + 1'),
      };
      if (change.permissions) patch.permissions = toJsonText(change.permissions);
      const n = await db(t.invitations).where({ id, status: 'pending' }).update(patch);
      return n === 1;
    },
    /** Called by the mailer just before sending: the new token's hash becomes the only one that works. */
    async setToken(db: Db, id: number, tokenHash: string, expiresAt: Date, now: Date): Promise<boolean> {
      const n = await db(t.invitations)
        .where({ id, status: 'pending' })
        .update({ token_hash: tokenHash, expires_at: expiresAt.getTime(), sent_at: now.getTime() });
      return n === 1;
    },
    async markAccepted(db: Db, id: number, tokenHash: string, userId: number, now: Date): Promise<boolean> {
      const n = await db(t.invitations)
        .where({ id, status: 'pending', token_hash: tokenHash })
        .update({ status: 'accepted', pending_email: null, accepted_at: now.getTime(), accepted_user_id: userId, updated_at: now.getTime() });
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
