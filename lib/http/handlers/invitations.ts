import type { Request, Response } from 'express';
import { cancelInvitation, invite, resendInvitation, type Queued } from '../../services/invitations.js';
import { parseId } from '../../services/input.js';
import { InvalidInputError } from '../../errors.js';
import type { DeliveryResult } from '../../mail/outbox.js';
import { acceptLinkPrefix, actorOf, permissionChoices, type HandlerDeps } from './deps.js';

export function invitationHandlers({ kit, respond, templates, mailer }: HandlerDeps) {
  function inviteForm(req: Request, res: Response, values: { email?: string; permissions: string[] }, errors?: InvalidInputError) {
    return respond.page(
      req,
      res,
      'invite',
      {
        title: templates.message('invite.title'),
        email: values.email ?? '',
        permissions: permissionChoices(kit, values.permissions),
        errors: errors?.issues,
        fieldErrors: Object.fromEntries((errors?.issues ?? []).map((i) => [i.field, i.message])),
      },
      errors ? { error: { code: errors.code, message: errors.message, fields: errors.issues } } : { permissions: kit.catalogue.entries },
      errors?.status,
    );
  }

  /** Sends right after commit; a failure leaves the message queued for the outbox worker. */
  async function deliverNow(queued: Queued): Promise<DeliveryResult | 'unchanged'> {
    if (queued.outboxId === null) return 'unchanged';
    return mailer.deliver(queued.outboxId);
  }

  return {
    /** GET /invite */
    async form(req: Request, res: Response) {
      await inviteForm(req, res, { permissions: [] });
    },

    /** POST /invite */
    async create(req: Request, res: Response) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      let queued: Queued;
      try {
        queued = await invite(kit, actorOf(req), { email: body.email, permissions: body.permissions }, acceptLinkPrefix(kit, req));
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        const submitted = ([] as unknown[]).concat(body.permissions ?? []).filter((v): v is string => typeof v === 'string');
        return inviteForm(req, res, { email: typeof body.email === 'string' ? body.email : '', permissions: submitted }, err);
      }
      const delivery = await deliverNow(queued);
      const email = queued.invitation.email;
      const [type, key] =
        delivery === 'unchanged'
          ? (['info', 'flash.invitedUnchanged'] as const)
          : delivery === 'failed'
            ? (['error', 'flash.invitedNotDelivered'] as const)
            : (['success', queued.outcome === 'resent' ? 'flash.resent' : 'flash.invited'] as const);
      respond.done(
        req,
        res,
        `${req.baseUrl}/`,
        { type, text: templates.message(key, { email }) },
        { invitation: queued.invitation, outcome: queued.outcome, delivery },
        queued.outcome === 'sent' ? 201 : 200,
      );
    },

    /** POST /invitations/:id/resend */
    async resend(req: Request, res: Response) {
      const queued = await resendInvitation(kit, actorOf(req), parseId(req.params.id), acceptLinkPrefix(kit, req));
      const delivery = await deliverNow(queued);
      const email = queued.invitation.email;
      respond.done(
        req,
        res,
        `${req.baseUrl}/`,
        delivery === 'failed'
          ? { type: 'error', text: templates.message('flash.invitedNotDelivered', { email }) }
          : { type: 'success', text: templates.message('flash.resent', { email }) },
        { invitation: queued.invitation, delivery },
      );
    },

    /** POST /invitations/:id/cancel */
    async cancel(req: Request, res: Response) {
      const invitation = await cancelInvitation(kit, actorOf(req), parseId(req.params.id));
      respond.done(req, res, `${req.baseUrl}/`, { type: 'success', text: templates.message('flash.cancelled', { email: invitation.email }) }, { invitation });
    },
  };
}
