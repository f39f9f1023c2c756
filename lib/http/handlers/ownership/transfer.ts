import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  acceptOwnership,
  cancelOwnershipOffer,
  declineOwnershipOffer,
  offerOwnership,
  pendingOwnershipOffer,
  showOwnershipOffer,
  type OwnershipOffer,
} from '../../../services/ownership/ownership.js';
import type { Locale } from '../../../i18n/locale.js';
import type { MessageKey } from '../../../messages.js';
import type { Responder } from '../../respond.js';
import { confirmPage } from '../confirm.js';
import { listMembers } from '../../../services/members/users-page.js';
import { parseInput } from '../../../services/input.js';
import { InvalidInputError, NotFoundError, UnauthenticatedError } from '../../../errors.js';
import { bodyOf, clientIp, kitSession, regenerateSession, signedInUserId } from '../../request.js';
import { actorOf, submittedText, type HandlerDeps } from '../deps.js';
import { protectLinkPage } from '../self-service/link-page.js';
import { requireRecentSecondFactor } from '../two-factor/step-up.js';

const offerForm = z.object({
  userId: z.coerce.number({ error: 'field.chooseOwner' }).int('field.chooseOwner').positive('field.chooseOwner'),
  currentPassword: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'field.tooLong'),
});

/** The page asking "Decline ownership of …?", from the offer's link page or from the accounts page. */
export function declineOfferConfirmation(respond: Responder, localeOf: (req: Request) => Locale) {
  return (req: Request, res: Response, offer: OwnershipOffer, action: string, back: string, backText: MessageKey) => {
    const t = localeOf(req);
    const values = { account: offer.account.name, from: offer.from?.name ?? '' };
    return confirmPage(
      respond,
      req,
      res,
      {
        heading: t.message('confirm.declineOffer.title', values),
        body: t.message('confirm.declineOffer.body', values),
        action,
        button: t.message('confirm.declineOffer.button', values),
        back,
        backText: t.message(backText),
      },
      { ...offer },
    );
  };
}

/**
 * The service names the new owner `toUserId` (au.api's parameter); this form sends `userId`. A
 * refusal names the field the request sent, so an app can put the message beside its own input.
 */
function asFormFields(err: InvalidInputError): InvalidInputError {
  if (!err.keyedIssues.some((i) => i.field === 'toUserId')) return err;
  return new InvalidInputError(err.keyedIssues.map((i) => (i.field === 'toUserId' ? { ...i, field: 'userId' } : i)));
}

/**
 * How every accepted ownership offer ends, from its link or from the accounts page: a new
 * privilege, so a new session id; the account taken over becomes the active one.
 */
export async function enterOwnedAccount(
  deps: { respond: Responder; localeOf: (req: Request) => Locale },
  req: Request,
  res: Response,
  account: { id: number; name: string },
): Promise<void> {
  await regenerateSession(req);
  kitSession(req).activeAccountId = account.id;
  await deps.respond.done(
    req,
    res,
    `${req.baseUrl}/`,
    { type: 'success', text: deps.localeOf(req).message('flash.ownershipAccepted', { account: account.name }) },
    { account },
  );
}

export function transferHandlers({ kit, respond, localeOf, loginLimit }: HandlerDeps) {
  const declineOfferPage = declineOfferConfirmation(respond, localeOf);
  function userIdOf(req: Request): number {
    const id = signedInUserId(req);
    if (id === undefined) throw new UnauthenticatedError();
    return id;
  }

  /** The owner's page: the standing offer, or the form to make one. */
  async function page(req: Request, res: Response, errors?: InvalidInputError) {
    const actor = actorOf(kit, req);
    const pending = await pendingOwnershipOffer(kit, actor);
    const all = (await listMembers(kit, { actor, accountId: actor.accountId })).items;
    // Only someone who could accept is offered: not the owner, not a member whose access has ended.
    const members = all.filter((m) => !m.isOwner && !m.accessEnded);
    const pendingTo = pending ? all.find((m) => m.userId === pending.toUserId) : undefined;
    await respond.form(
      req,
      res,
      'transfer',
      {
        title: localeOf(req).message('transfer.title'),
        pending,
        pendingName: pendingTo?.name ?? '',
        // Nothing is preselected: the owner chooses (a refused submission keeps the choice).
        members: members.map((m) => ({ ...m, selected: String(m.userId) === submittedText(bodyOf(req).userId) })),
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
      await requireRecentSecondFactor(kit, req, actor.userId!, `${req.baseUrl}/transfer`);
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
        await respond.done(
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

    /** GET /transfer/cancel — "Withdraw the offer of ownership to …?" */
    async confirmCancel(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const pending = await pendingOwnershipOffer(kit, actor);
      if (!pending) throw new NotFoundError('error.noTransferPending');
      const to = await kit.users.findById(pending.toUserId);
      const t = localeOf(req);
      const name = to?.name ?? '';
      await confirmPage(
        respond,
        req,
        res,
        {
          heading: t.message('confirm.withdraw.title', { name }),
          body: t.message('confirm.withdraw.body', { name }),
          action: `${req.baseUrl}/transfer/cancel`,
          button: t.message('confirm.withdraw.button', { name }),
          back: `${req.baseUrl}/transfer`,
          backText: t.message('confirm.backTransfer'),
        },
        { pending },
      );
    },

    /** POST /transfer/cancel */
    async cancel(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const { transfer } = await cancelOwnershipOffer(kit, { actor, accountId: actor.accountId });
      await respond.done(req, res, `${req.baseUrl}/transfer`, { type: 'success', text: localeOf(req).message('flash.ownershipCancelled') }, { transfer });
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

    /** GET /transfer/:token/decline — "Decline ownership of …?" */
    async confirmDecline(req: Request, res: Response) {
      protectLinkPage(res);
      const token = String(req.params.token ?? '');
      const offer = await showOwnershipOffer(kit, { userId: userIdOf(req), token }, 'decline');
      const link = `${req.baseUrl}/transfer/${encodeURIComponent(token)}`;
      await declineOfferPage(req, res, offer, `${link}/decline`, link, 'confirm.backOffer');
    },

    /** POST /transfer/:token/decline */
    async decline(req: Request, res: Response) {
      protectLinkPage(res);
      const { transfer, account } = await declineOwnershipOffer(kit, { userId: userIdOf(req), token: String(req.params.token ?? '') }, clientIp(req));
      await respond.done(
        req,
        res,
        `${req.baseUrl}/accounts`,
        { type: 'success', text: localeOf(req).message('flash.ownershipDeclined', { account: account.name }) },
        { transfer, account },
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
      await enterOwnedAccount({ respond, localeOf }, req, res, account);
    },
  };
}
