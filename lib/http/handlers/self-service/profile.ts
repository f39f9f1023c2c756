import type { Request, Response } from 'express';
import { changeName, getProfile } from '../../../services/self-service/profile.js';
import { changePassword } from '../../../services/self-service/password-change.js';
import { InvalidInputError, UnauthenticatedError } from '../../../errors.js';
import type { SelfActor } from '../../../services/context.js';
import { clientIp, regenerateSession, signedInUserId } from '../../request.js';
import { stampLogin } from '../../login-time.js';
import { requestLocale } from '../../locale.js';
import type { HandlerDeps } from '../deps.js';
import { EMAIL_CHANGE_TTL_MS } from '../../../services/self-service/email-change.js';
import { requireRecentSecondFactor } from '../two-factor/step-up.js';

/** The signed-in person acting on their own login; services never see `req`. */
export function selfOf(req: Request): SelfActor {
  const userId = signedInUserId(req);
  if (userId === undefined) throw new UnauthenticatedError();
  return { userId, ip: clientIp(req), locale: requestLocale(req)?.tag };
}

export type ProfileForm = 'name' | 'password' | 'email';

export function profileHandlers({ kit, respond, localeOf, loginLimit }: HandlerDeps) {
  /** The profile page, with one form's errors and submitted values when it was refused. */
  async function showProfile(req: Request, res: Response, failed?: { form: ProfileForm; error: InvalidInputError; values: Record<string, string> }) {
    const profile = await getProfile(kit, selfOf(req));
    await respond.form(
      req,
      res,
      'profile',
      {
        title: localeOf(req).message('profile.title'),
        user: profile.user,
        features: profile.features,
        // au.router's accounts page, where the host mounted it (mountPath).
        accountsUrl: `${kit.options.mountPath}/accounts`,
        emailValidity: localeOf(req).format.duration(EMAIL_CHANGE_TTL_MS),
        form: failed?.form,
        values: { name: profile.user.name, ...(failed?.values ?? {}) },
      },
      failed?.error,
      { user: profile.user, features: profile.features },
    );
  }

  const text = (v: unknown) => (typeof v === 'string' ? v : '');

  return {
    /** The profile page again, with a refused form's errors (for the email form's handler too). */
    showProfileWith: (req: Request, res: Response, form: ProfileForm, error: InvalidInputError, values: Record<string, string>) => {
      return showProfile(req, res, { form, error, values });
    },

    /** GET /profile */
    show: async (req: Request, res: Response) => {
      await showProfile(req, res);
    },

    /** POST /profile — `name` */
    saveName: async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      let profile;
      try {
        profile = await changeName(kit, selfOf(req), { name: body.name });
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return showProfile(req, res, { form: 'name', error: err, values: { name: text(body.name) } });
      }
      await respond.done(req, res, `${req.baseUrl}/profile`, { type: 'success', text: localeOf(req).message('flash.profileSaved') }, { user: profile.user });
    },

    /** POST /password — `currentPassword`, `newPassword`: this browser stays signed in under a new session id. */
    changePassword: async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      await requireRecentSecondFactor(kit, req, selfOf(req).userId, `${req.baseUrl}/profile`);
      let result;
      try {
        const self = selfOf(req);
        result = await loginLimit.guardCurrentPassword(req, self.userId, () =>
          changePassword(kit, self, { currentPassword: body.currentPassword, newPassword: body.newPassword }),
        );
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        return showProfile(req, res, { form: 'password', error: err, values: {} });
      }
      // Every session established before the change is signed out on its next request; this one is
      // re-established at that very moment, under a new id.
      await regenerateSession(req);
      stampLogin(req, result.sessionsValidAfter.getTime());
      await respond.done(
        req,
        res,
        `${req.baseUrl}/profile`,
        { type: 'success', text: localeOf(req).message('flash.passwordChanged') },
        { passwordChanged: true, otherSessionsSignedOut: true },
      );
    },
  };
}
