import type { Request, Response } from 'express';
import { checkPasswordResetLink, requestPasswordReset, resetPassword } from '../../../services/self-service/password-reset.js';
import { InvalidInputError, NotFoundError } from '../../../errors.js';
import { clientIp } from '../../request.js';
import { protectLinkPage } from './link-page.js';
import type { HandlerDeps } from '../deps.js';

const SEND_DELAY_MS = 25;

export function passwordResetHandlers({ kit, respond, localeOf, mailer }: HandlerDeps) {
  const loginUrl = kit.options.loginUrl;
  const tokenOf = (req: Request) => String(req.params.token ?? '');

  function forgotPage(req: Request, res: Response, values: { email?: string }, error?: InvalidInputError) {
    return respond.form(
      req,
      res,
      'forgot-password',
      {
        title: localeOf(req).message('forgot.title'),
        email: values.email ?? '',
        loginUrl,
      },
      error,
      {},
    );
  }

  function resetPage(req: Request, res: Response, error?: InvalidInputError) {
    return respond.form(
      req,
      res,
      'reset-password',
      {
        title: localeOf(req).message('reset.title'),
        token: tokenOf(req),
      },
      error,
      { valid: true },
    );
  }

  return {
    /** GET /password/forgot */
    forgotForm: (req: Request, res: Response) => {
      if (!kit.features.password) throw new NotFoundError();
      return forgotPage(req, res, {});
    },

    /**
     * POST /password/forgot — `email`. The same answer, in the same time, whether or not a login
     * has the address: the email is sent after the answer, by the outbox, and only to a login.
     */
    forgot: async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      let queued;
      try {
        queued = await requestPasswordReset(kit, { email: body.email, locale: localeOf(req).tag }, `${kit.options.baseUrl}${req.baseUrl}/password/reset/`);
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return forgotPage(req, res, { email: typeof body.email === 'string' ? body.email : '' }, err);
      }
      // Sent once the answer is out: how long looking up the login and sending take would tell
      // which addresses have one. A failure leaves the message queued for the outbox worker.
      // A moment later still, so that the lookup shares no event-loop turn with the answer's way out.
      res.once('finish', () => {
        setTimeout(() => {
          mailer.deliver(queued.outboxId).catch((err) => kit.logger.error('express-account-users: could not send a password reset email', err));
        }, SEND_DELAY_MS).unref();
      });
      await respond.done(
        req,
        res,
        `${req.baseUrl}/password/forgot`,
        { type: 'info', text: localeOf(req).message('flash.resetRequested') },
        { requested: true },
        202,
      );
    },

    /** GET /password/reset/:token — safe for mail scanners: it changes nothing. */
    resetForm: async (req: Request, res: Response) => {
      protectLinkPage(res);
      await checkPasswordResetLink(kit, tokenOf(req));
      await resetPage(req, res);
    },

    /** POST /password/reset/:token — `password`: sets it, signs out every session of the login, then on to the login page. */
    reset: async (req: Request, res: Response) => {
      protectLinkPage(res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        await resetPassword(kit, tokenOf(req), { password: body.password }, clientIp(req));
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return resetPage(req, res, err);
      }
      const target = `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}notice=password-reset`;
      await respond.done(req, res, target, { type: 'success', text: localeOf(req).message('flash.passwordReset') }, { passwordReset: true, loginUrl: target });
    },
  };
}
