import type { Db, Tables } from '../db.js';
import { keysetPage, keysetScan, type Page, type PageRequest } from '../keyset.js';
import { fromJsonText, toDate, toJsonText, toNumber } from '../db.js';

export type ActivityAction =
  | 'invitation.sent'
  | 'invitation.resent'
  | 'invitation.updated'
  | 'invitation.cancelled'
  | 'invitation.accepted'
  | 'invitation.declined'
  | 'member.permissions_changed'
  | 'member.removed'
  | 'member.suspended'
  | 'member.reinstated'
  | 'member.restored'
  | 'member.left'
  | 'ownership.offered'
  | 'ownership.transferred'
  | 'ownership.cancelled'
  | 'ownership.declined'
  | 'roster.reconciled'
  | 'members.exported'
  | 'activity.exported'
  | 'account.two_factor_rule_changed'
  | 'member.two_factor_enabled'
  | 'member.two_factor_removed';

export interface ActivityEntry {
  accountId: number;
  actorUserId: number | null;
  /** The host's staff member or job that acted through au.api as `{ system }`; null when a user acted. */
  actorSystem?: string | null;
  subjectUserId?: number | null;
  subjectEmail?: string | null;
  action: ActivityAction;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface ActivityRow extends Required<Omit<ActivityEntry, 'details'>> {
  id: number;
  details: Record<string, unknown>;
  createdAt: Date;
}

function fromRow(r: Record<string, unknown>): ActivityRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : toNumber(v));
  return {
    id: toNumber(r.id),
    accountId: toNumber(r.account_id),
    actorUserId: num(r.actor_user_id),
    actorSystem: (r.actor_system as string | null) ?? null,
    subjectUserId: num(r.subject_user_id),
    subjectEmail: (r.subject_email as string | null) ?? null,
    action: String(r.action) as ActivityAction,
    details: fromJsonText<Record<string, unknown>>(r.details, {}),
    ip: (r.ip as string | null) ?? null,
    createdAt: toDate(r.created_at),
  };
}

export function activityTable(t: Tables) {
  return {
    async insert(db: Db, entry: ActivityEntry, now: Date): Promise<void> {
      await db(t.activity).insert({
        account_id: entry.accountId,
        actor_user_id: entry.actorUserId,
        actor_system: entry.actorSystem ?? null,
        subject_user_id: entry.subjectUserId ?? null,
        subject_email: entry.subjectEmail ?? null,
        action: entry.action,
        details: toJsonText(entry.details ?? {}),
        ip: entry.ip ? entry.ip.slice(0, 64) : null,
        created_at: now.getTime(),
      });
    },
    /** The export's pages: `limit` entries older than id `before` (newest first), one statement each. */
    async scanForAccount(db: Db, accountId: number, before: number | undefined, limit: number): Promise<ActivityRow[]> {
      return keysetScan(() => db(t.activity).where({ account_id: accountId }), 'id', 'desc', before, limit, fromRow);
    },
    /** One page of an account's log, newest first. */
    async listForAccount(db: Db, accountId: number, page: PageRequest): Promise<Page<ActivityRow>> {
      return keysetPage(
        () => db(t.activity).where({ account_id: accountId }),
        'id',
        'desc',
        page,
        fromRow,
        (e) => e.id,
      );
    },
  };
}
