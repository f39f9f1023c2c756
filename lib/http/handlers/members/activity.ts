import type { Request, Response } from 'express';
import { listActivity } from '../../../services/activity.js';
import { cursorParser } from '../../../services/input.js';
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

export function activityHandlers({ kit, respond, localeOf }: HandlerDeps) {
  return {
    /** GET /activity — newest first, paged. */
    async list(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const result = await listActivity(kit, { actor, accountId: actor.accountId, ...activityCursor(req.query) });
      const locale = localeOf(req);
      // A list of permissions as labels in the page's language ("none" for an empty one).
      const labels = (keys: unknown) => {
        const list = Array.isArray(keys) ? keys.map((k) => locale.label(String(k))) : [];
        return list.length ? locale.format.list(list) : locale.message('activity.none');
      };
      const entries = result.items.map((e) => {
        // The host's staff or job by the name it gave au.api; a visitor who declined by link by the address it was sent to.
        const actor = e.actorName ?? e.actorSystem ?? (e.action === 'invitation.declined' ? e.subjectEmail : null) ?? locale.message('activity.someone');
        const changed = Array.isArray(e.details.from) || Array.isArray(e.details.to);
        return {
          ...e,
          text: locale.message(`activity.${e.action}`, { actor, subject: e.subjectName ?? e.subjectEmail ?? '', ...rosterCounts(e.details) }),
          changes: changed ? locale.message('activity.changes', { from: labels(e.details.from), to: labels(e.details.to) }) : null,
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
