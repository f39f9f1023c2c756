import type { Request, Response } from 'express';
import { checkEmailChangeLink, confirmEmailChange, requestEmailChange } from '../../../services/self-service/email-change.js';
import { InvalidInputError } from '../../../errors.js';
import type { DeliveryResult } from '../../../mail/outbox.js';
import { signedInUserId, clientIp } from '../../request.js';
import { protectLinkPage } from './link-page.js';
import { profileHandlers, selfOf } from './profile.js';
import type { HandlerDeps } from '../deps.js';
import { requireRecentSecondFactor } from '../two-factor/step-up.js';

export function emailChangeHandlers(deps: HandlerDeps) {
  const { kit, respond, localeOf, mailer, loginLimit } = deps;
  const profile = profileHandlers(deps);

  return {
    /** POST /email — `email`, `currentPassword`: a confirmation link to the new address, a notice to the current one. */
    request: async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const base = `${kit.options.baseUrl}${req.baseUrl}`;
      await requireRecentSecondFactor(kit, req, selfOf(req).userId, `${req.baseUrl}/profile`);
      let result;
      try {
        const self = selfOf(req);
        result = await loginLimit.guardCurrentPassword(req, self.userId, () =>
          requestEmailChange(
            kit,
            self,
            { email: body.email, currentPassword: body.currentPassword },
            { confirm: `${base}/email/confirm/`, notice: `${base}/password/forgot` },
          ),
        );
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return profile.showProfileWith(req, res, 'email', err, { email: typeof body.email === 'string' ? body.email : '' });
      }
      // Sent right after commit; a failure leaves them queued for the outbox worker.
      const sent: DeliveryResult[] = [];
      for (const id of result.outboxIds) sent.push(await mailer.deliver(id));
      const delivered = sent[0] !== 'failed';
      await respond.done(
        req,
        res,
        `${req.baseUrl}/profile`,
        {
          type: delivered ? 'info' : 'error',
          text: localeOf(req).message(delivered ? 'flash.emailChangeSent' : 'flash.emailChangeNotDelivered', { email: result.email }),
        },
        { email: result.email, confirmationSent: delivered },
        202,
      );
    },

    /**
     * GET /email/confirm/:token — a page with a button naming the new address; changes nothing, so
     * a mail gateway that fetches every link (GET or HEAD) confirms nothing.
     */
    confirmForm: async (req: Request, res: Response) => {
      protectLinkPage(res);
      const token = String(req.params.token ?? '');
      const { email } = await checkEmailChangeLink(kit, token);
      await respond.page(req, res, 'confirm-email', { title: localeOf(req).message('confirmEmail.title'), email, token }, { email, valid: true });
    },

    /**
     * POST /email/confirm/:token — the page's button (CSRF): the address changes (409 when another
     * login has taken it meanwhile). No session needed: the link, sent to the new address, is the proof.
     */
    confirm: async (req: Request, res: Response) => {
      protectLinkPage(res);
      const { email } = await confirmEmailChange(kit, String(req.params.token ?? ''), clientIp(req));
      await respond.page(
        req,
        res,
        'email-confirmed',
        // Someone still signed in is not offered "Sign in": their profile instead.
        {
          title: localeOf(req).message('emailConfirmed.title'),
          email,
          loginUrl: kit.options.loginUrl,
          signedIn: signedInUserId(req) !== undefined,
          profileUrl: `${req.baseUrl}/profile`,
        },
        { email, confirmed: true },
      );
    },
  };
}
