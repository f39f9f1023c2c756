import type { Request, Response } from 'express';
import {
  confirmTotpEnrolment,
  factorEnabledAt,
  pendingTotpEnrolment,
  regenerateRecoveryCodes,
  removeTwoFactor,
  startTotpEnrolment,
  twoFactorStatus,
  verifySecondFactor,
} from '../../../services/two-factor/two-factor.js';
import { InvalidInputError, UnauthenticatedError } from '../../../errors.js';
import { bodyOf, clientIp, redirectAfterSave, regenerateSession, safeReturnPath, saveSession } from '../../request.js';
import { requestLocale } from '../../locale.js';
import { forgetSecondFactor, markSecondFactorGiven, passportUserId, secondFactorOwed } from '../../second-factor.js';
import { selfOf } from '../self-service/profile.js';
import type { HandlerDeps } from '../deps.js';
import type { MessageKey } from '../../../messages.js';
import { requireRecentSecondFactor } from './step-up.js';
import { Duration } from '../../../i18n/values.js';
import { forgetRememberedDevices, rememberDevice, rememberedDevices, rememberingDevices } from '../../../services/two-factor/devices.js';
import { clearRememberedBrowser, setRememberedBrowser } from '../../remembered-browser.js';
import { takeChallenge, responseOf } from './challenge.js';
import { listPasskeys, passkeysEnabled, verifyPasskeyFactor } from '../../../services/two-factor/passkeys.js';

/** Where to go after the second step: a same-origin path the request carried, else the site's root. */
function returnToOf(req: Request): string | undefined {
  return safeReturnPath(bodyOf(req).returnTo) ?? safeReturnPath(req.query.returnTo);
}

export function twoFactorHandlers({ kit, respond, localeOf, loginLimit, codeLimit }: HandlerDeps) {
  const title = (req: Request, key: 'twoFactor.title' | 'twoFactor.enrolTitle' | 'twoFactor.codesTitle' | 'twoFactor.verifyTitle') =>
    localeOf(req).message(key);

  /** The status page, with the removal form's errors when it was refused. */
  async function statusPage(req: Request, res: Response, error?: InvalidInputError) {
    const { userId } = selfOf(req);
    const status = await twoFactorStatus(kit, { userId });
    const devices = rememberingDevices(kit) && status.enabled ? await rememberedDevices(kit, { userId }) : [];
    const passkeys = passkeysEnabled(kit) ? await listPasskeys(kit, { userId }) : undefined;
    await respond.form(
      req,
      res,
      'two-factor',
      {
        title: title(req, 'twoFactor.title'),
        status,
        totpOn: status.methods.includes('totp'),
        passkeys,
        passkeysOn: passkeys !== undefined,
        returnTo: returnToOf(req),
        profileUrl: `${req.baseUrl}/profile`,
        remembering: rememberingDevices(kit) && status.enabled,
        devices: devices.map((d) => ({ ...d, forgetLabel: localeOf(req).message('twoFactor.forgetDeviceNamed', { name: d.label }) })),
      },
      error,
      { status, ...(rememberingDevices(kit) ? { devices } : {}), ...(passkeys ? { passkeys } : {}) },
    );
  }

  /** The enrolment page: QR code, the secret for typing, the confirmation form. */
  async function enrolPage(req: Request, res: Response, enrolment: { secret: string; otpauthUrl: string; qrSvg: string }, error?: InvalidInputError) {
    await respond.form(
      req,
      res,
      'two-factor-enrol',
      {
        title: title(req, 'twoFactor.enrolTitle'),
        ...enrolment,
        // An image, not inline markup: the page carries no HTML it did not escape.
        qrDataUri: `data:image/svg+xml;base64,${Buffer.from(enrolment.qrSvg).toString('base64')}`,
        returnTo: returnToOf(req),
      },
      error,
      { ...enrolment },
    );
  }

  /** The recovery codes, shown this once. */
  async function codesPage(req: Request, res: Response, recoveryCodes: string[]) {
    await respond.page(
      req,
      res,
      'two-factor-codes',
      { title: title(req, 'twoFactor.codesTitle'), recoveryCodes, next: returnToOf(req) ?? `${req.baseUrl}/two-factor` },
      { recoveryCodes },
    );
  }

  async function verifyPage(req: Request, res: Response, error?: InvalidInputError) {
    const { methods } = await twoFactorStatus(kit, { userId: pendingSelf(req).userId });
    // A passkey-only login has no code field: its intro must not ask for a code from an app.
    const totp = methods.includes('totp');
    const passkey = methods.includes('passkey');
    const signingIn = secondFactorOwed(req);
    const intro: MessageKey = signingIn
      ? passkey
        ? totp
          ? 'twoFactor.verifyIntroBoth'
          : 'twoFactor.verifyIntroPasskey'
        : 'twoFactor.verifyIntro'
      : passkey
        ? totp
          ? 'twoFactor.stepUpIntroBoth'
          : 'twoFactor.stepUpIntroPasskey'
        : 'twoFactor.stepUpIntro';
    await respond.form(
      req,
      res,
      'two-factor-verify',
      {
        title: title(req, 'twoFactor.verifyTitle'),
        returnTo: returnToOf(req),
        signingIn,
        intro: localeOf(req).message(intro),
        offerRemember: rememberingDevices(kit),
        rememberFor: new Duration((kit.options.twoFactor.rememberDeviceDays ?? 0) * 86_400_000),
        totp,
        passkey,
      },
      error,
      { signingIn, methods },
    );
  }

  /** The session's user, whether or not the second factor is still owed (the verify routes only). */
  function pendingSelf(req: Request) {
    const userId = passportUserId(req);
    if (userId === undefined) throw new UnauthenticatedError();
    return { userId, ip: clientIp(req), locale: requestLocale(req)?.tag };
  }

  return {
    /** GET /two-factor — status and choices. */
    status: (req: Request, res: Response) => statusPage(req, res),

    /** POST /two-factor/totp — `currentPassword`: starts enrolment; JSON `{ secret, otpauthUrl, qrSvg }`, or the enrolment page. */
    async startTotp(req: Request, res: Response) {
      const actor = selfOf(req);
      let enrolment;
      try {
        enrolment = await loginLimit.guardCurrentPassword(req, actor.userId, () =>
          startTotpEnrolment(kit, actor, { currentPassword: bodyOf(req).currentPassword }),
        );
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return statusPage(req, res, err);
      }
      await enrolPage(req, res, enrolment);
    },

    /** POST /two-factor/totp/confirm — `code`: turns the factor on; JSON `{ recoveryCodes }`, shown once. */
    async confirmTotp(req: Request, res: Response) {
      const actor = selfOf(req);
      let result;
      try {
        result = await codeLimit.guard(actor.userId, () => confirmTotpEnrolment(kit, actor, { code: bodyOf(req).code }));
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        const pending = await pendingTotpEnrolment(kit, actor);
        if (!pending) throw err;
        return enrolPage(req, res, pending, err);
      }
      // This browser gave the code: it stays signed in, under a new id; others owe a code from now on.
      await regenerateSession(req);
      markSecondFactorGiven(req, result.enabledAt);
      await saveSession(req);
      // Two-factor was already on (passkeys): the codes the person keeps still hold, none to show.
      if (result.recoveryCodes.length === 0) {
        return respond.done(req, res, `${req.baseUrl}/two-factor`, { type: 'success', text: localeOf(req).message('flash.totpAdded') }, { recoveryCodes: [] });
      }
      await codesPage(req, res, result.recoveryCodes);
    },

    /** POST /two-factor/recovery-codes — a new set (a recent code needed); the old ones stop working. */
    async newRecoveryCodes(req: Request, res: Response) {
      const actor = selfOf(req);
      await requireRecentSecondFactor(kit, req, actor.userId, `${req.baseUrl}/two-factor`);
      const { recoveryCodes } = await regenerateRecoveryCodes(kit, actor);
      await codesPage(req, res, recoveryCodes);
    },

    /** POST /two-factor/remove — `currentPassword`, or `code` / `recoveryCode`. */
    async remove(req: Request, res: Response) {
      const actor = selfOf(req);
      const body = bodyOf(req);
      const input = { currentPassword: body.currentPassword, code: body.code, recoveryCode: body.recoveryCode };
      try {
        // A password is counted as sign-ins are; a code as second steps are.
        if (typeof body.currentPassword === 'string' && body.currentPassword !== '') {
          await loginLimit.guardCurrentPassword(req, actor.userId, () => removeTwoFactor(kit, actor, input));
        } else {
          await codeLimit.guard(actor.userId, () => removeTwoFactor(kit, actor, input));
        }
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return statusPage(req, res, err);
      }
      forgetSecondFactor(req);
      await respond.done(req, res, `${req.baseUrl}/two-factor`, { type: 'success', text: localeOf(req).message('flash.twoFactorRemoved') }, { removed: true });
    },

    /** POST /two-factor/devices/forget — `deviceId` (one remembered browser), or none: all of them. */
    async forgetDevices(req: Request, res: Response) {
      const actor = selfOf(req);
      const deviceId = bodyOf(req).deviceId;
      const { forgotten } = await forgetRememberedDevices(kit, { userId: actor.userId, deviceId, ip: actor.ip ?? null });
      if (deviceId === undefined || deviceId === '') clearRememberedBrowser(kit, res);
      await respond.done(
        req,
        res,
        `${req.baseUrl}/two-factor`,
        { type: 'success', text: localeOf(req).message('flash.devicesForgotten', { count: forgotten }) },
        { forgotten },
      );
    },

    /** GET /two-factor/verify — the second step of a sign-in, or a step-up. */
    async verifyForm(req: Request, res: Response) {
      const { userId } = pendingSelf(req);
      if (!(await factorEnabledAt(kit, userId))) {
        // Reset or removed meanwhile: nothing to give.
        forgetSecondFactor(req);
        return redirectAfterSave(req, res, 303, returnToOf(req) ?? '/');
      }
      await verifyPage(req, res);
    },

    /** POST /two-factor/verify — `code`, or `recoveryCode`: the session counts as signed in from now on. */
    async verify(req: Request, res: Response) {
      const actor = pendingSelf(req);
      const body = bodyOf(req);
      let result: { method: 'totp' | 'recovery_code' | 'passkey'; recoveryCodesLeft?: number };
      try {
        if (body.response !== undefined && body.response !== '') {
          // A passkey's answer to the challenge this session asked for (POST /two-factor/passkeys/verify/options).
          const expectedChallenge = takeChallenge(req, 'verify', actor.userId, kit.now())?.challenge;
          result = await codeLimit.guard(actor.userId, () => verifyPasskeyFactor(kit, actor, { response: responseOf(req), expectedChallenge }));
        } else {
          result = await codeLimit.guard(actor.userId, () => verifySecondFactor(kit, actor, { code: body.code, recoveryCode: body.recoveryCode }));
        }
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return verifyPage(req, res, err);
      }
      // Fully signed in now: a new session id, as for any change of privilege.
      await regenerateSession(req);
      markSecondFactorGiven(req, kit.now());
      await saveSession(req);
      // "Remember this browser" (only with twoFactor.rememberDeviceDays): a checkbox or JSON true.
      if (rememberingDevices(kit) && (body.rememberDevice === true || body.rememberDevice === 'on' || body.rememberDevice === 'true')) {
        const remembered = await rememberDevice(kit, actor, { userAgent: req.get('user-agent') });
        setRememberedBrowser(kit, res, remembered.token, remembered.expiresAt);
      }
      const returnTo = returnToOf(req) ?? '/';
      const text =
        result.method === 'recovery_code'
          ? localeOf(req).message('flash.recoveryCodeUsed', { count: result.recoveryCodesLeft ?? 0 })
          : localeOf(req).message(result.method === 'passkey' ? 'flash.passkeyVerified' : 'flash.secondFactorVerified');
      // The documented answer only (not the passkey's id the service also returns).
      const answer = {
        verified: true,
        method: result.method,
        ...(result.recoveryCodesLeft !== undefined ? { recoveryCodesLeft: result.recoveryCodesLeft } : {}),
        returnTo,
      };
      await respond.done(req, res, returnTo, { type: result.method === 'recovery_code' ? 'info' : 'success', text }, answer);
    },
  };
}
