import type { Request, Response } from 'express';
import { cancelInvitation, getInvitation, invite, resendInvitation, type InviteResult } from '../../../services/invitations/invitations.js';
import { confirmPage } from '../confirm.js';
import { parseId } from '../../../services/input.js';
import { InvalidInputError } from '../../../errors.js';
import {
  accessUntilOf,
  accessUntilValue,
  actorOf,
  allSubmitted,
  grantable,
  mayGrantAll,
  permissionChoices,
  presetChoices,
  submittedText,
  type HandlerDeps,
} from '../deps.js';
import { presetPermissions } from '../../../services/presets.js';
import { requireStepUpToGrant } from '../two-factor/step-up.js';
import { ownAccessEnd } from '../../../services/members/delegation.js';
import { previousForInvite } from '../members/lifecycle.js';
import type { RemovedMemberView } from '../../../services/members/lifecycle.js';

export function invitationHandlers({ kit, respond, localeOf }: HandlerDeps) {
  async function inviteForm(
    req: Request,
    res: Response,
    values: { email?: string; permissions: string[]; all?: boolean; accessUntil?: string; previous?: RemovedMemberView },
    errors?: InvalidInputError,
  ) {
    // A time-limited delegate is told how far what they grant may reach.
    const ownAccessUntil = await ownAccessEnd(kit, actorOf(kit, req));
    const permissions = permissionChoices(kit, values.permissions, actorOf(kit, req), localeOf(req));
    return respond.form(
      req,
      res,
      'invite',
      {
        title: localeOf(req).message('invite.title'),
        email: values.email ?? '',
        permissions,
        // Ticked when "All permissions" was chosen (it covers permissions added later too).
        allChecked: values.all === true,
        mayGrantAll: mayGrantAll(actorOf(kit, req)),
        delegate: !req.accountUser!.isOwner,
        presets: presetChoices(kit, actorOf(kit, req), localeOf(req)),
        accessUntil: values.accessUntil ?? '',
        ownAccessUntil,
        // A removed member's previous permissions, ticked: the form says whose and since when.
        previous: values.previous ?? null,
      },
      errors,
      {
        permissions: grantable(kit, actorOf(kit, req)),
        presets: presetChoices(kit, actorOf(kit, req), localeOf(req)).map(({ key, label, permissions }) => ({ key, label, permissions })),
        checked: values.permissions,
        allPermissions: values.all === true,
        ...(values.previous ? { previous: values.previous } : {}),
      },
    );
  }

  return {
    /** GET /invite */
    async form(req: Request, res: Response) {
      // ?restore=<userId>: "Invite again" from the users page's recently removed list.
      const restore = (req.query as Record<string, unknown>).restore;
      if (typeof restore === 'string') {
        const previous = await previousForInvite(kit, req, { userId: parseId(restore) });
        return inviteForm(req, res, previousValues(previous, kit.now(), localeOf(req).timeZone));
      }
      await inviteForm(req, res, { permissions: [] });
    },

    /** POST /invite */
    async create(req: Request, res: Response) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.applyPrevious !== undefined) {
        // "Restore their previous permissions": the same form, with what the removal took ticked; nothing is sent.
        const email = typeof body.email === 'string' ? body.email : '';
        try {
          return await inviteForm(req, res, previousValues(await previousForInvite(kit, req, { email: body.email }), kit.now(), localeOf(req).timeZone));
        } catch (err) {
          if (!(err instanceof InvalidInputError)) throw err;
          const submitted = ([] as unknown[]).concat(body.permissions ?? []).filter((v): v is string => typeof v === 'string');
          return inviteForm(req, res, { email, permissions: submitted, all: allSubmitted(body), accessUntil: submittedText(body.accessUntil) }, err);
        }
      }
      if (body.applyPreset !== undefined) {
        // A preset's button on a page without JavaScript: the same form, its boxes ticked; nothing is sent.
        let keys: string[];
        try {
          keys = presetPermissions(kit, body.applyPreset, 'applyPreset');
        } catch (err) {
          if (!(err instanceof InvalidInputError)) throw err;
          return inviteForm(
            req,
            res,
            { email: typeof body.email === 'string' ? body.email : '', permissions: [], accessUntil: submittedText(body.accessUntil) },
            err,
          );
        }
        return inviteForm(req, res, {
          email: typeof body.email === 'string' ? body.email : '',
          permissions: kit.catalogue.normalise(keys),
          all: kit.catalogue.coversAll(keys),
          accessUntil: submittedText(body.accessUntil),
        });
      }
      // Inviting with `profile` or `manageusers` asks for a recent second factor.
      await requireStepUpToGrant(kit, req, actorOf(kit, req).userId, body, () => Promise.resolve([]), `${req.baseUrl}/invite`);
      let queued: InviteResult;
      try {
        const actor = actorOf(kit, req);
        // The form always emails: `send: false` is au.api's, for hosts that deliver links themselves.
        queued = await invite(kit, {
          actor,
          accountId: actor.accountId,
          email: body.email,
          permissions: body.permissions,
          allPermissions: body.allPermissions,
          preset: body.preset,
          accessUntil: accessUntilOf(req),
        });
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        const submitted = ([] as unknown[]).concat(body.permissions ?? []).filter((v): v is string => typeof v === 'string');
        return inviteForm(
          req,
          res,
          {
            email: typeof body.email === 'string' ? body.email : '',
            permissions: submitted,
            all: allSubmitted(body),
            accessUntil: submittedText(body.accessUntil),
          },
          err,
        );
      }
      const { delivery } = queued;
      const email = queued.invitation.email;
      const [type, key] =
        queued.outcome === 'updated'
          ? (['info', 'flash.invitedUpdated'] as const)
          : delivery === 'unchanged'
            ? (['info', 'flash.invitedUnchanged'] as const)
            : delivery === 'failed'
              ? (['error', 'flash.invitedNotDelivered'] as const)
              : (['success', queued.outcome === 'resent' ? 'flash.resent' : 'flash.invited'] as const);
      await respond.done(
        req,
        res,
        `${req.baseUrl}/`,
        { type, text: localeOf(req).message(key, { email }) },
        { invitation: queued.invitation, outcome: queued.outcome, delivery },
        queued.outcome === 'sent' ? 201 : 200,
      );
    },

    /** POST /invitations/:id/resend */
    async resend(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const queued = await resendInvitation(kit, { actor, accountId: actor.accountId, invitationId: parseId(req.params.id) });
      const { delivery } = queued;
      const email = queued.invitation.email;
      await respond.done(
        req,
        res,
        `${req.baseUrl}/`,
        delivery === 'failed'
          ? { type: 'error', text: localeOf(req).message('flash.invitedNotDelivered', { email }) }
          : { type: 'success', text: localeOf(req).message('flash.resent', { email }) },
        { invitation: queued.invitation, delivery },
      );
    },

    /** GET /invitations/:id/cancel — "Cancel the invitation to …?" */
    async confirmCancel(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const { invitation } = await getInvitation(kit, { actor, accountId: actor.accountId, invitationId: parseId(req.params.id) });
      const t = localeOf(req);
      const email = invitation.email;
      await confirmPage(
        respond,
        req,
        res,
        {
          heading: t.message('confirm.cancelInvitation.title', { email }),
          body: t.message('confirm.cancelInvitation.body', { email }),
          action: `${req.baseUrl}/invitations/${invitation.id}/cancel`,
          button: t.message('users.cancelInvitationNamed', { email }),
          back: `${req.baseUrl}/`,
          backText: t.message('error.back'),
        },
        { invitation },
      );
    },

    /** POST /invitations/:id/cancel */
    async cancel(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const { invitation } = await cancelInvitation(kit, { actor, accountId: actor.accountId, invitationId: parseId(req.params.id) });
      await respond.done(
        req,
        res,
        `${req.baseUrl}/`,
        { type: 'success', text: localeOf(req).message('flash.cancelled', { email: invitation.email }) },
        { invitation },
      );
    },
  };
}

/** The invite form's values for a removed member: their address, permissions and (future) end date. */
function previousValues(previous: RemovedMemberView, now: Date, zone: string) {
  // An end date already past is left out: the form refuses a date in the past.
  const until = previous.accessUntil && previous.accessUntil.getTime() > now.getTime() ? accessUntilValue(previous.accessUntil, zone) : '';
  return { email: previous.email, permissions: previous.permissions, all: previous.allPermissions, accessUntil: until, previous };
}
