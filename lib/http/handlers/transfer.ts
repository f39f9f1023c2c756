import type { Request, Response } from 'express';
import { z } from 'zod';
import { acceptOwnership, cancelOwnershipOffer, offerOwnership, pendingOwnershipOffer, showOwnershipOffer } from '../../services/ownership.js';
import { listMembers } from '../../services/users-page.js';
import { parseInput } from '../../services/input.js';
import { InvalidInputError, UnauthenticatedError } from '../../errors.js';
import { bodyOf, clientIp, kitSession, regenerateSession, signedInUserId } from '../request.js';
import { actorOf, type HandlerDeps } from './deps.js';
import { protectLinkPage } from './link-page.js';

const offerForm = z.object({
  userId: z.coerce.number({ error: 'field.chooseOwner' }).int('field.chooseOwner').positive('field.chooseOwner'),
  currentPassword: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'field.tooLong'),
});

/**
 * The service names the new owner `toUserId` (au.api's parameter); this form sends `userId`. A
 * refusal names the field the request sent, so an app can put the message beside its own input.
 */
function asFormFields(err: InvalidInputError): InvalidInputError {
  if (!err.keyedIssues.some((i) => i.field === 'toUserId')) return err;
  return new InvalidInputError(err.keyedIssues.map((i) => (i.field === 'toUserId' ? { ...i, field: 'userId' } : i)));
}

export function transferHandlers({ kit, respond, localeOf, loginLimit }: HandlerDeps) {
  function userIdOf(req: Request): number {
    const id = signedInUserId(req);
    if (id === undefined) throw new UnauthenticatedError();
    return id;
  }

  /** The owner's page: the standing offer, or the form to make one. */
  async function page(req: Request, res: Response, errors?: InvalidInputError) {
    const actor = actorOf(kit, req);
    const pending = await pendingOwnershipOffer(kit, actor);
    const members = (await listMembers(kit, { actor, accountId: actor.accountId })).items.filter((m) => !m.isOwner);
    const pendingTo = pending ? members.find((m) => m.userId === pending.toUserId) : undefined;
    await respond.form(
      req,
      res,
      'transfer',
      {
        title: localeOf(req).message('transfer.title'),
        pending,
        pendingName: pendingTo?.name ?? '',
        members,
      },
      errors,
      { pending, members },
    );
  }

  return {
    /** GET /transfer */
    async form(req: Request, res: Response) {
      await page(req, res);
    },

    /** POST /transfer — `userId`, `currentPassword`. */
    async offer(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      try {
        const { userId, currentPassword } = parseInput(offerForm, bodyOf(req));
        const { transfer } = await loginLimit.guardCurrentPassword(req, actor.userId!, async () => {
          const owner = await kit.users.findById(actor.userId!);
          if (!owner || !(await kit.users.verifyPassword(owner, currentPassword))) {
            throw InvalidInputError.field('currentPassword', 'field.notCurrentPassword');
          }
          return offerOwnership(kit, { actor, accountId: actor.accountId, toUserId: userId });
        });
        const to = await kit.users.findById(transfer.toUserId);
        respond.done(
          req,
          res,
          `${req.baseUrl}/transfer`,
          { type: 'success', text: localeOf(req).message('flash.ownershipOffered', { name: to?.name ?? '' }) },
          { transfer },
          201,
        );
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        await page(req, res, asFormFields(err));
      }
    },

    /** POST /transfer/cancel */
    async cancel(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const { transfer } = await cancelOwnershipOffer(kit, { actor, accountId: actor.accountId });
      respond.done(req, res, `${req.baseUrl}/transfer`, { type: 'success', text: localeOf(req).message('flash.ownershipCancelled') }, { transfer });
    },

    /** GET /transfer/:token — the offer, for the member it was made to. */
    async show(req: Request, res: Response) {
      protectLinkPage(res);
      const offer = await showOwnershipOffer(kit, { userId: userIdOf(req), token: String(req.params.token ?? '') });
      await respond.page(
        req,
        res,
        'transfer-offer',
        { title: localeOf(req).message('transfer.offerTitle', { account: offer.account.name }), ...offer, token: String(req.params.token) },
        { ...offer },
      );
    },

    /** POST /transfer/:token — accept. */
    async accept(req: Request, res: Response) {
      protectLinkPage(res);
      const { account } = await acceptOwnership(
        kit,
        { userId: userIdOf(req), token: String(req.params.token ?? ''), locale: localeOf(req).tag },
        clientIp(req),
      );
      // A new privilege: a new session id; the account taken over becomes the active one.
      await regenerateSession(req);
      kitSession(req).activeAccountId = account.id;
      respond.done(
        req,
        res,
        `${req.baseUrl}/`,
        { type: 'success', text: localeOf(req).message('flash.ownershipAccepted', { account: account.name }) },
        { account },
      );
    },
  };
}
