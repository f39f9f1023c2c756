import type { Request, Response } from 'express';
import { listActivity } from '../../services/activity.js';
import { cursorParser } from '../../services/input.js';
import { actorOf, type HandlerDeps } from './deps.js';
import { pager } from './users.js';

const CURSOR = { after: 'after', before: 'before' };
const activityCursor = cursorParser(CURSOR);

const ACTION_TEXT: Record<string, string> = {
  'invitation.sent': 'invited',
  'invitation.resent': 're-sent the invitation to',
  'invitation.cancelled': 'cancelled the invitation to',
  'invitation.accepted': 'accepted the invitation',
  'invitation.declined': 'declined the invitation',
  'member.permissions_changed': 'changed the permissions of',
  'member.removed': 'removed',
  'member.left': 'left the account',
  'ownership.offered': 'offered ownership to',
  'ownership.transferred': 'became the owner, taking over from',
  'ownership.cancelled': 'withdrew the offer of ownership to',
};

export function activityHandlers({ kit, respond, templates }: HandlerDeps) {
  return {
    /** GET /activity — newest first, paged. */
    async list(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const result = await listActivity(kit, { actor, accountId: actor.accountId, ...activityCursor(req.query) });
      const label = (k: unknown) => kit.catalogue.label(String(k));
      const entries = result.items.map((e) => ({
        ...e,
        // The host's staff or job by the name it gave au.api; a visitor who declined by link by the address it was sent to.
        actorName: e.actorName ?? e.actorSystem ?? (e.action === 'invitation.declined' ? e.subjectEmail : null),
        text: ACTION_TEXT[e.action] ?? e.action,
        subject:
          e.action === 'invitation.declined' || (e.actorUserId !== null && e.subjectUserId === e.actorUserId && e.action !== 'member.permissions_changed')
            ? null
            : (e.subjectName ?? e.subjectEmail),
        from: Array.isArray(e.details.from) ? (e.details.from as unknown[]).map(label).join(', ') || 'none' : null,
        to: Array.isArray(e.details.to) ? (e.details.to as unknown[]).map(label).join(', ') || 'none' : null,
      }));
      await respond.page(
        req,
        res,
        'activity',
        { title: templates.message('activity.title'), entries, pager: pager(result, CURSOR) },
        { entries: result.items, next: result.next, previous: result.previous },
      );
    },
  };
}
