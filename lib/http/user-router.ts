import type { MessageKey } from '../messages.js';
import type { RequestHandler, Router } from 'express';
import type { Guards } from './guard.js';
import type { HandlerDeps } from './handlers/deps.js';
import { asyncHandler } from './request.js';
import { bodyEmailKey, createRequestLimit } from './rate-limits.js';
import { profileHandlers } from './handlers/self-service/profile.js';
import { passwordResetHandlers } from './handlers/self-service/password-reset.js';
import { emailChangeHandlers } from './handlers/self-service/email-change.js';
import { emailVerifyHandlers } from './handlers/verification/email-verify.js';
import { twoFactorHandlers } from './handlers/two-factor/two-factor.js';
import { passkeyHandlers } from './handlers/two-factor/passkeys.js';
import { signedInUserId } from './request.js';

type KitRouter = (limited: (router: Router) => void, routes: (router: Router) => void) => Router;

/**
 * `au.userRouter`: the signed-in person's own login. Built like `au.router` (the same kitRouter:
 * parsing, CSRF, frame headers, the kit's error handler); routes the user store cannot serve are
 * answered 404 by their services.
 */
export function createUserRouter(deps: HandlerDeps, guards: Guards, kitRouter: KitRouter, deadLinks: RequestHandler): Router {
  const { kit } = deps;
  const limits = kit.options.limits;
  const windowMs = limits.selfServiceWindowMs;
  const profile = profileHandlers(deps);
  const reset = passwordResetHandlers(deps);
  const email = emailChangeHandlers(deps);
  const verify = emailVerifyHandlers(deps);
  const twoFactor = twoFactorHandlers(deps);
  const passkeys = passkeyHandlers(deps);
  const { requireSignedIn } = guards;
  const h = asyncHandler;

  // Every request counts (each one sends an email), per address and per IP, where every instance sees it.
  const limit = (name: string, perWindow: number, message: MessageKey, byAddress: boolean) =>
    createRequestLimit({ perWindow, windowMs, store: kit.rateLimitStore(name), now: () => kit.now(), message, ...(byAddress ? { key: bodyEmailKey } : {}) });
  const resetLimits = [
    limit('password-reset-ip', limits.passwordResetPerIpPerWindow, 'limit.resetIp', false),
    limit('password-reset-email', limits.passwordResetPerWindow, 'limit.resetEmail', true),
  ];
  const emailLimits = [
    limit('email-change-ip', limits.emailChangePerIpPerWindow, 'limit.emailChangeIp', false),
    limit('email-change-email', limits.emailChangePerWindow, 'limit.emailChangeEmail', true),
  ];
  // A verification link goes to the login's own address: counted per login, and per IP.
  const verifyLimits = [
    limit('email-verify-ip', limits.emailVerifyPerIpPerWindow, 'limit.verifyIp', false),
    createRequestLimit({
      perWindow: limits.emailVerifyPerWindow,
      windowMs,
      store: kit.rateLimitStore('email-verify-login'),
      now: () => kit.now(),
      message: 'limit.verifyLogin',
      key: (req) => {
        const id = signedInUserId(req);
        return id === undefined ? undefined : `user:${id}`;
      },
    }),
  ];

  // The accounts page of au.router sends its "Send Verification Link" form to the userMountPath
  // option, having no request of this router to learn the mount from: say so once if it differs.
  let mountChecked = false;
  return kitRouter(
    (r) => {
      r.use(function checkUserMountPath(req, _res, next) {
        if (!mountChecked && req.baseUrl !== kit.options.userMountPath) {
          kit.logger.warn(
            `express-account-users: au.userRouter is mounted at "${req.baseUrl}" but the userMountPath option is "${kit.options.userMountPath}"; the accounts page sends its verification form to the latter`,
          );
        }
        mountChecked = true;
        next();
      });
      r.post('/password/forgot', ...resetLimits);
      r.post('/email', requireSignedIn, ...emailLimits);
      // Links whose token matches nothing count against au.router's dead-link limit (one count per IP).
      r.use(['/password/reset/:token', '/email/confirm/:token'], deadLinks);
      r.post('/email/verify', requireSignedIn, ...verifyLimits);
      // Every passkey sign-in attempt counts per IP, like a password sign-in (a wrong answer also counts against its login).
      r.post(
        ['/two-factor/passkeys/sign-in/options', '/two-factor/passkeys/sign-in'],
        limit('passkey-sign-in-ip', limits.loginPerIpPerWindow, 'limit.passkeySignIn', false),
      );
    },
    (r) => {
      // The route table, top to bottom.
      r.get('/profile', requireSignedIn, h(profile.show));
      r.post('/profile', requireSignedIn, h(profile.saveName));
      r.post('/password', requireSignedIn, h(profile.changePassword));
      r.post('/email', requireSignedIn, h(email.request));
      r.get('/email/confirm/:token', h(email.confirmForm));
      r.post('/email/confirm/:token', h(email.confirm));
      r.post('/email/verify', requireSignedIn, h(verify.send));
      r.get('/email/verify/:token', requireSignedIn, h(verify.show));
      r.post('/email/verify/:token', requireSignedIn, h(verify.confirm));
      r.get('/password/forgot', h(reset.forgotForm));
      r.post('/password/forgot', h(reset.forgot));
      r.get('/password/reset/:token', h(reset.resetForm));
      r.post('/password/reset/:token', h(reset.reset));
      r.get('/two-factor', requireSignedIn, h(twoFactor.status));
      r.post('/two-factor/totp', requireSignedIn, h(twoFactor.startTotp));
      r.post('/two-factor/totp/confirm', requireSignedIn, h(twoFactor.confirmTotp));
      r.post('/two-factor/recovery-codes', requireSignedIn, h(twoFactor.newRecoveryCodes));
      r.post('/two-factor/remove', requireSignedIn, h(twoFactor.remove));
      r.post('/two-factor/devices/forget', requireSignedIn, h(twoFactor.forgetDevices));
      // The second step itself: open to a session that still owes its factor (the one place it is).
      r.get('/two-factor/verify', h(twoFactor.verifyForm));
      r.post('/two-factor/verify', h(twoFactor.verify));
      r.post('/two-factor/passkeys/verify/options', h(passkeys.verifyOptions));
      r.get('/two-factor/passkeys', requireSignedIn, h(passkeys.list));
      r.post('/two-factor/passkeys/register/options', requireSignedIn, h(passkeys.registrationOptions));
      r.post('/two-factor/passkeys/register', requireSignedIn, h(passkeys.register));
      r.post('/two-factor/passkeys/:id/rename', requireSignedIn, h(passkeys.rename));
      r.post('/two-factor/passkeys/:id/remove', requireSignedIn, h(passkeys.remove));
      // Passwordless: open to anyone (a host's login page links to the page).
      r.get('/two-factor/passkeys/sign-in', h(passkeys.signInPage));
      r.post('/two-factor/passkeys/sign-in/options', h(passkeys.signInOptions));
      r.post('/two-factor/passkeys/sign-in', h(passkeys.signIn));
    },
  );
}
