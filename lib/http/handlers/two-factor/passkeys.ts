import type { Request, Response } from 'express';
import {
  confirmCurrentPassword,
  listPasskeys,
  passkeyAuthenticationOptions,
  passkeyRegistrationOptions,
  registerPasskey,
  relyingParty,
  removePasskey,
  renamePasskey,
  signInWithPasskey,
} from '../../../services/two-factor/passkeys.js';
import { factorEnabledAt, stepUpDue } from '../../../services/two-factor/two-factor.js';
import { InvalidInputError, UnauthenticatedError } from '../../../errors.js';
import { keepChallenge, responseOf, takeChallenge } from './challenge.js';
import { bodyOf, clientIp, wantsJson, regenerateSession, safeReturnPath, saveSession } from '../../request.js';
import { markSecondFactorGiven, passportUserId, secondFactorGivenAt } from '../../second-factor.js';
import { signInThroughPassport } from '../../login-time.js';
import { selfOf } from '../self-service/profile.js';
import type { HandlerDeps } from '../deps.js';
import { requireRecentSecondFactor } from './step-up.js';

/** The route's `:id`, a number when it is one (the service refuses anything else on the field). */
function idParam(req: Request): unknown {
  const id = String(req.params.id ?? '');
  return /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : id;
}

function returnToOf(req: Request): string | undefined {
  return safeReturnPath(bodyOf(req).returnTo) ?? safeReturnPath(req.query.returnTo);
}

export function passkeyHandlers({ kit, respond, localeOf, loginLimit }: HandlerDeps) {
  /** A second factor given in this session in the last stepUpMinutes. */
  async function recentSecondFactor(req: Request, userId: number): Promise<boolean> {
    return (await factorEnabledAt(kit, userId)) !== null && !(await stepUpDue(kit, userId, secondFactorGivenAt(req)));
  }

  return {
    /** GET /two-factor/passkeys — JSON `{ passkeys }`; a page goes to the two-factor page, where they are listed. */
    async list(req: Request, res: Response) {
      const { userId } = selfOf(req);
      relyingParty(kit);
      if (!wantsJson(req)) return res.redirect(303, `${req.baseUrl}/two-factor`);
      const passkeys = await listPasskeys(kit, { userId });
      await respond.page(req, res, 'two-factor', {}, { passkeys });
    },

    /**
     * POST /two-factor/passkeys/register/options — `currentPassword` (not needed after a second factor
     * in the last stepUpMinutes): JSON `{ options }` for startRegistration; the challenge stays in the session.
     */
    async registrationOptions(req: Request, res: Response) {
      const actor = selfOf(req);
      relyingParty(kit);
      if (!(await recentSecondFactor(req, actor.userId))) {
        await loginLimit.guardCurrentPassword(req, actor.userId, () => confirmCurrentPassword(kit, actor.userId, bodyOf(req).currentPassword));
      }
      const { options, challenge, userHandle } = await passkeyRegistrationOptions(kit, actor);
      keepChallenge(req, 'register', challenge, kit.now(), { userId: actor.userId, userHandle });
      await saveSession(req);
      res.json({ options });
    },

    /** POST /two-factor/passkeys/register — `response`, `name`: JSON `{ passkey, recoveryCodes? }`; the first passkey shows the recovery codes page. */
    async register(req: Request, res: Response) {
      const actor = selfOf(req);
      const kept = takeChallenge(req, 'register', actor.userId, kit.now());
      const body = bodyOf(req);
      const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name : localeOf(req).message('passkeys.defaultName');
      const result = await registerPasskey(kit, actor, { response: responseOf(req), name, expectedChallenge: kept?.challenge, userHandle: kept?.userHandle });
      if (result.recoveryCodes) {
        // Two-factor turned on in this browser, with the passkey it just used: it counts as given here.
        await regenerateSession(req);
        markSecondFactorGiven(req, kit.now());
        await saveSession(req);
        const next = `${req.baseUrl}/two-factor`;
        return respond.page(
          req,
          res,
          'two-factor-codes',
          { title: localeOf(req).message('twoFactor.codesTitle'), recoveryCodes: result.recoveryCodes, next },
          { passkey: result.passkey, recoveryCodes: result.recoveryCodes },
        );
      }
      await respond.done(
        req,
        res,
        `${req.baseUrl}/two-factor`,
        { type: 'success', text: localeOf(req).message('flash.passkeyAdded') },
        { passkey: result.passkey },
      );
    },

    /** POST /two-factor/passkeys/:id/rename — `name`. */
    async rename(req: Request, res: Response) {
      const actor = selfOf(req);
      const passkey = await renamePasskey(kit, actor, { id: idParam(req), name: bodyOf(req).name });
      await respond.done(req, res, `${req.baseUrl}/two-factor`, { type: 'success', text: localeOf(req).message('flash.passkeyRenamed') }, { passkey });
    },

    /** POST /two-factor/passkeys/:id/remove — `currentPassword`, or a second factor in the last stepUpMinutes (else step-up). */
    async remove(req: Request, res: Response) {
      const actor = selfOf(req);
      relyingParty(kit);
      const password = bodyOf(req).currentPassword;
      if (typeof password === 'string' && password !== '') {
        await loginLimit.guardCurrentPassword(req, actor.userId, () => confirmCurrentPassword(kit, actor.userId, password));
      } else {
        await requireRecentSecondFactor(kit, req, actor.userId, `${req.baseUrl}/two-factor`);
      }
      const { twoFactorOff } = await removePasskey(kit, actor, { id: idParam(req) });
      await respond.done(
        req,
        res,
        `${req.baseUrl}/two-factor`,
        { type: 'success', text: localeOf(req).message('flash.passkeyRemoved') },
        { removed: true, twoFactorOff },
      );
    },

    /** POST /two-factor/passkeys/verify/options — for the second step (or a step-up): JSON `{ options }` naming the login's passkeys. */
    async verifyOptions(req: Request, res: Response) {
      const userId = pendingUserId(req);
      const { options, challenge } = await passkeyAuthenticationOptions(kit, userId);
      keepChallenge(req, 'verify', challenge, kit.now(), { userId });
      await saveSession(req);
      res.json({ options });
    },

    /** GET /two-factor/passkeys/sign-in — the passkey sign-in page (a host's login page links here). */
    signInPage: (req: Request, res: Response) => signInPage(req, res),

    /** POST /two-factor/passkeys/sign-in/options — JSON `{ options }` for any discoverable passkey of this site. */
    async signInOptions(req: Request, res: Response) {
      const { options, challenge } = await passkeyAuthenticationOptions(kit, undefined);
      keepChallenge(req, 'sign-in', challenge, kit.now());
      await saveSession(req);
      res.json({ options });
    },

    /**
     * POST /two-factor/passkeys/sign-in — `response`: signs the passkey's login in, as good as password
     * and second factor (user verification is required). Every attempt counts against the IP's limit
     * (the route's). Not against the login's code limit: this step asks for no password, so a stranger
     * who learned a credential id (the verify options name it) could otherwise use up that limit and
     * lock the login's own second factor out, and a signature cannot be guessed anyway.
     */
    async signIn(req: Request, res: Response) {
      const kept = takeChallenge(req, 'sign-in', undefined, kit.now());
      const response = responseOf(req);
      let result;
      try {
        result = await signInWithPasskey(kit, { response, expectedChallenge: kept?.challenge, ip: clientIp(req) });
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return signInPage(req, res, err);
      }
      const user = await kit.users.findById(result.userId);
      if (!user) throw new UnauthenticatedError();
      await signInThroughPassport(kit, req, user);
      markSecondFactorGiven(req, kit.now());
      await kit.users.recordLogin?.(user.id, kit.now());
      const returnTo = returnToOf(req) ?? '/';
      await respond.done(
        req,
        res,
        returnTo,
        { type: 'success', text: localeOf(req).message('flash.passkeySignedIn') },
        { signedIn: true, userId: user.id, returnTo },
      );
    },
  };

  async function signInPage(req: Request, res: Response, error?: InvalidInputError) {
    relyingParty(kit);
    await respond.form(req, res, 'passkey-sign-in', { title: localeOf(req).message('passkeys.signInTitle'), returnTo: returnToOf(req) }, error, {
      returnTo: returnToOf(req) ?? null,
    });
  }

  /** The session's login, whether or not its second factor is still owed (the verify step). */
  function pendingUserId(req: Request): number {
    const userId = passportUserId(req);
    if (userId === undefined) throw new UnauthenticatedError();
    return userId;
  }
}
