import type { Request, Response } from 'express';
import { accountSecurity, setAccountTwoFactorRule } from '../../../services/two-factor/account-rule.js';
import { cursorParser } from '../../../services/input.js';
import { InvalidInputError } from '../../../errors.js';
import { bodyOf } from '../../request.js';
import { requestLocale } from '../../locale.js';
import { actorOf, type HandlerDeps } from '../deps.js';
import { pager } from '../members/users.js';

const CURSOR = { after: 'after', before: 'before' };

/** The owner's security page on au.router: the two-factor rule, and who has a factor. */
export function securityHandlers({ kit, respond, localeOf }: HandlerDeps) {
  const cursorOf = cursorParser(CURSOR);

  async function page(req: Request, res: Response, error?: InvalidInputError, values?: { required: boolean; graceDays: string }) {
    const actor = actorOf(kit, req);
    const security = await accountSecurity(kit, { actor, accountId: actor.accountId, ...cursorOf(req.query) });
    const graceDays = security.rule.graceUntil ? Math.max(1, Math.ceil((security.rule.graceUntil.getTime() - kit.now().getTime()) / 86_400_000)) : 0;
    await respond.form(
      req,
      res,
      'security',
      {
        title: localeOf(req).message('security.title'),
        ...security,
        values: values ?? { required: security.rule.required, graceDays: String(graceDays) },
        pager: pager(security, CURSOR),
        enrolUrl: `${kit.options.userMountPath}/two-factor`,
      },
      error,
      security,
    );
  }

  return {
    /** GET /security */
    form: (req: Request, res: Response) => page(req, res),

    /** POST /security — `required` (checkbox or boolean), `graceDays` (0–90). */
    async save(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const body = bodyOf(req);
      let result;
      try {
        result = await setAccountTwoFactorRule(kit, {
          actor,
          accountId: actor.accountId,
          required: body.required,
          graceDays: body.graceDays,
          ...(requestLocale(req) ? { locale: requestLocale(req)!.tag } : {}),
        });
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        const required = body.required === true || body.required === 'on' || body.required === 'true';
        return page(req, res, err, { required, graceDays: typeof body.graceDays === 'string' ? body.graceDays.slice(0, 4) : '' });
      }
      await respond.done(
        req,
        res,
        `${req.baseUrl}/security`,
        { type: 'success', text: localeOf(req).message(result.rule.required ? 'flash.twoFactorRequired' : 'flash.twoFactorNotRequired') },
        { rule: result.rule },
      );
    },
  };
}
