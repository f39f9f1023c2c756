import type { Request, Response } from 'express';
import { listActivity, type ActivityItem } from '../../../services/activity.js';
import { cursorParser } from '../../../services/input.js';
import type { Locale } from '../../../i18n/locale.js';
import { actorOf, type HandlerDeps } from '../deps.js';
import { pager } from './users.js';

const CURSOR = { after: 'after', before: 'before' };
const activityCursor = cursorParser(CURSOR);

/** A roster's entry says how many it invited, changed and removed (its details keep the lists). */
function rosterCounts(details: Record<string, unknown>): Record<string, number> {
  const counts = details.counts as Record<string, unknown> | undefined;
  if (!counts || typeof counts !== 'object') return {};
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { invite: n(counts.invite), change: n(counts.change), remove: n(counts.remove) };
}

/** An export's entry names its format as the file does: CSV, JSON. */
function exportFormat(details: Record<string, unknown>): Record<string, string> {
  return typeof details.format === 'string' ? { format: details.format.toUpperCase() } : {};
}

/**
 * What an entry changed, in words of the page's language: "granted Domains, removed Quotes",
 * "access now ends 31 Dec 2026", an invitation's permissions. Null when it names nothing.
 */
export function changesText(locale: Locale, item: Pick<ActivityItem, 'action' | 'changes'>): string | null {
  const { granted, removed, permissions, accessUntil } = item.changes;
  const names = (keys: string[]) => (keys.length ? locale.format.list(keys.map((k) => locale.label(k))) : locale.message('activity.none'));
  const parts: string[] = [];
  if (granted.length) parts.push(locale.message('activity.granted', { permissions: names(granted) }));
  if (removed.length) parts.push(locale.message('activity.removed', { permissions: names(removed) }));
  if (permissions) parts.push(locale.message('activity.withPermissions', { permissions: names(permissions) }));
  if (accessUntil !== undefined) {
    const invitation = item.action !== 'member.permissions_changed';
    if (accessUntil === null) parts.push(locale.message('activity.accessNoEnd'));
    else parts.push(locale.message(invitation ? 'access.until' : 'activity.accessNowEnds', { date: accessUntil }));
  }
  if (!parts.length && item.action === 'member.permissions_changed') parts.push(locale.message('activity.noChange'));
  return parts.length ? locale.format.parts(parts) : null;
}

export function activityHandlers({ kit, respond, localeOf }: HandlerDeps) {
  return {
    /** GET /activity — newest first, paged. */
    async list(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const result = await listActivity(kit, { actor, accountId: actor.accountId, ...activityCursor(req.query) });
      const locale = localeOf(req);
      const entries = result.items.map((e) => {
        // The host's staff or job by the name it gave au.api; a visitor who declined by link by the address it was sent to.
        // The page names a person with their address ("Anna <anna@example.com>"); JSON keeps name and address apart.
        const person = (name: string | null, email: string | null) => (name === null ? null : `${name} <${email ?? ''}>`);
        const actor =
          person(e.actorName, e.actorEmail) ??
          e.actorSystem ??
          (e.action === 'invitation.declined' ? e.subjectEmail : null) ??
          locale.message('activity.someone');
        const { granted, removed } = e.changes;
        // A change of the end date alone is not a permission change: it is said as what it is.
        const key =
          e.action === 'member.permissions_changed' && !granted.length && !removed.length && e.changes.accessUntil !== undefined
            ? 'activity.accessChanged'
            : (`activity.${e.action}` as const);
        return {
          ...e,
          text: locale.message(key, {
            actor,
            subject: (e.subjectUserId === null ? null : person(e.subjectName, e.subjectEmail)) ?? e.subjectEmail ?? '',
            ...rosterCounts(e.details),
            ...exportFormat(e.details),
          }),
          changes: changesText(locale, e),
        };
      });
      await respond.page(
        req,
        res,
        'activity',
        { title: localeOf(req).message('activity.title'), entries, pager: pager(result, CURSOR) },
        { entries: result.items, next: result.next, previous: result.previous },
      );
    },
  };
}
