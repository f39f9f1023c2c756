import type { Request, Response } from 'express';
import { listActivity } from '../../services/activity.js';
import { cursorParser } from '../../services/input.js';
import { actorOf, type HandlerDeps } from './deps.js';
import { pager } from './users.js';

const CURSOR = { after: 'after', before: 'before' };
const activityCursor = cursorParser(CURSOR);

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
        const person = (name: string | null, email: string | null) => (name === null ? null : `${name} <${email ?? ''}>`);
        const actor =
          person(e.actorName, e.actorEmail) ??
          e.actorSystem ??
          (e.action === 'invitation.declined' ? e.subjectEmail : null) ??
          locale.message('activity.someone');
        const changed = Array.isArray(e.details.from) || Array.isArray(e.details.to);
        return {
          ...e,
          text: locale.message(`activity.${e.action}`, {
            actor,
            subject: (e.subjectUserId === null ? null : person(e.subjectName, e.subjectEmail)) ?? e.subjectEmail ?? '',
          }),
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
