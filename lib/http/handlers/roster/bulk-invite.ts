import type { Request, Response } from 'express';
import { inviteMany, type BulkInviteResult } from '../../../services/roster/invite-many.js';
import { presetPermissions } from '../../../services/presets.js';
import { requireStepUpToGrant } from '../two-factor/step-up.js';
import { ownAccessEnd } from '../../../services/members/delegation.js';
import { InvalidInputError } from '../../../errors.js';
import { bodyOf } from '../../request.js';
import { accessUntilOf, actorOf, grantable, permissionChoices, presetChoices, submittedText, type HandlerDeps } from '../deps.js';

/** The textarea as sent back after a refusal: at most what the service would read of it. */
const submittedEmails = (value: unknown) => (typeof value === 'string' ? value.slice(0, 64_000) : Array.isArray(value) ? value.join('\n') : '');

export function bulkInviteHandlers({ kit, respond, localeOf }: HandlerDeps) {
  async function bulkForm(req: Request, res: Response, values: { emails?: string; permissions: string[]; accessUntil?: string }, errors?: InvalidInputError) {
    const actor = actorOf(kit, req);
    const locale = localeOf(req);
    return respond.form(
      req,
      res,
      'invite-bulk',
      {
        title: locale.message('bulk.title'),
        max: kit.options.limits.bulkInviteMax,
        emails: values.emails ?? '',
        permissions: permissionChoices(kit, values.permissions, actor, locale),
        delegate: !req.accountUser!.isOwner,
        presets: presetChoices(kit, actor, locale),
        accessUntil: values.accessUntil ?? '',
        ownAccessUntil: await ownAccessEnd(kit, actor),
      },
      errors,
      { max: kit.options.limits.bulkInviteMax, permissions: grantable(kit, actor), checked: values.permissions },
    );
  }

  return {
    /** GET /invite/bulk */
    async form(req: Request, res: Response) {
      await bulkForm(req, res, { permissions: [] });
    },

    /** POST /invite/bulk */
    async create(req: Request, res: Response) {
      const body = bodyOf(req);
      const submitted = ([] as unknown[]).concat(body.permissions ?? []).filter((v): v is string => typeof v === 'string');
      const again = { emails: submittedEmails(body.emails), accessUntil: submittedText(body.accessUntil) };
      if (body.applyPreset !== undefined) {
        // A preset's button without JavaScript: the same form, its boxes ticked; nothing is sent.
        try {
          return await bulkForm(req, res, { ...again, permissions: presetPermissions(kit, body.applyPreset, 'applyPreset') });
        } catch (err) {
          if (!(err instanceof InvalidInputError)) throw err;
          return bulkForm(req, res, { ...again, permissions: submitted }, err);
        }
      }
      await requireStepUpToGrant(kit, req, actorOf(kit, req).userId, body, () => Promise.resolve([]), `${req.baseUrl}/invite/bulk`);
      let results: BulkInviteResult[];
      try {
        const actor = actorOf(kit, req);
        ({ results } = await inviteMany(kit, {
          actor,
          accountId: actor.accountId,
          emails: body.emails,
          permissions: body.permissions,
          preset: body.preset,
          accessUntil: accessUntilOf(req),
        }));
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return bulkForm(req, res, { ...again, permissions: submitted }, err);
      }
      const locale = localeOf(req);
      const rows = results.map((r) => ({ ...r, outcomeText: locale.message(`bulk.outcome.${r.outcome}`), ok: r.outcome === 'invited' }));
      await respond.page(
        req,
        res,
        'invite-bulk-result',
        {
          title: locale.message('bulk.resultTitle'),
          rows,
          summary: locale.message('bulk.summary', { invited: rows.filter((r) => r.ok).length, total: rows.length }),
        },
        { results },
      );
    },
  };
}
