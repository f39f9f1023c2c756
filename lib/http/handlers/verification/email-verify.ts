import type { Request, Response } from 'express';
import { checkVerificationLink, confirmVerification, requestVerification } from '../../../services/verification/links.js';
import { bodyOf, safeReturnPath } from '../../request.js';
import { protectLinkPage } from '../self-service/link-page.js';
import { selfOf } from '../self-service/profile.js';
import type { HandlerDeps } from '../deps.js';

/** The verification link (lib/services/verification/): send it, show its page, use it. */
export function emailVerifyHandlers({ kit, respond, localeOf, mailer }: HandlerDeps) {
  const tokenOf = (req: Request) => String(req.params.token ?? '');

  return {
    /** POST /email/verify — a link to the signed-in login's own address; back to `returnTo` (the accounts page's form) or the profile. */
    send: async (req: Request, res: Response) => {
      const result = await requestVerification(kit, selfOf(req), `${kit.options.baseUrl}${req.baseUrl}/email/verify/`);
      // Sent right after commit; a failure leaves it queued for the outbox worker.
      const delivered = result.outboxId === null || (await mailer.deliver(result.outboxId)) !== 'failed';
      const back = safeReturnPath(bodyOf(req).returnTo) ?? `${req.baseUrl}/profile`;
      const key = result.alreadyVerified ? 'flash.alreadyVerified' : delivered ? 'flash.verifySent' : 'flash.verifyNotDelivered';
      await respond.done(
        req,
        res,
        back,
        { type: result.alreadyVerified ? 'success' : delivered ? 'info' : 'error', text: localeOf(req).message(key, { email: result.email }) },
        { email: result.email, emailVerified: result.alreadyVerified, verificationSent: !result.alreadyVerified && delivered },
        result.alreadyVerified ? 200 : 202,
      );
    },

    /** GET /email/verify/:token — a page with a button; the link alone changes nothing (mail scanners fetch every link). */
    show: async (req: Request, res: Response) => {
      protectLinkPage(res);
      const { email } = await checkVerificationLink(kit, tokenOf(req), selfOf(req));
      await respond.page(req, res, 'email-verify', { title: localeOf(req).message('verify.title'), token: tokenOf(req), email }, { email, valid: true });
    },

    /** POST /email/verify/:token — verifies, then on to the accounts page, where invitations to the address are now listed. */
    confirm: async (req: Request, res: Response) => {
      protectLinkPage(res);
      const { email } = await confirmVerification(kit, tokenOf(req), selfOf(req));
      await respond.done(
        req,
        res,
        `${kit.options.mountPath}/accounts`,
        { type: 'success', text: localeOf(req).message('flash.emailVerified', { email }) },
        { email, emailVerified: true },
      );
    },
  };
}
