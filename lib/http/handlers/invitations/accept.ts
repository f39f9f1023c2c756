import { keepLanguage } from '../../../services/self-service/user-language.js';
import type { Request, Response } from 'express';
import {
  acceptInvitationByLink,
  declineInvitationByLink,
  findInvitationByToken,
  registerAndAccept,
  type InvitationDetails,
} from '../../../services/invitations/invitation-answers.js';
import { normaliseEmail } from '../../../services/input.js';
import { ForbiddenError, InvalidInputError, UnauthenticatedError } from '../../../errors.js';
import type { AccountUser } from '../../../services/user-store.js';
import { clientIp, kitSession, signedInUserId } from '../../request.js';
import type { HandlerDeps } from '../deps.js';
import { protectLinkPage } from '../self-service/link-page.js';
import { confirmPage } from '../confirm.js';
import { enterAcceptedAccount } from '../accepted-notice.js';
import type { Kit } from '../../../services/context.js';
import { signInThroughPassport } from '../../login-time.js';

function tokenOf(req: Request): string {
  return String(req.params.token ?? '');
}

function login(kit: Kit, req: Request, user: AccountUser): Promise<void> {
  return signInThroughPassport(kit, req, user);
}

function logout(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    if (typeof req.logout !== 'function') return resolve();
    req.logout((err) => (err ? reject(err) : resolve()));
  });
}

export function acceptHandlers({ kit, respond, localeOf }: HandlerDeps) {
  const loginUrl = kit.options.loginUrl;

  async function signedInUser(req: Request): Promise<AccountUser | undefined> {
    const id = signedInUserId(req);
    return id === undefined ? undefined : kit.users.findById(id);
  }

  async function showPage(req: Request, res: Response, details: InvitationDetails, errors?: InvalidInputError, values: { name?: string } = {}) {
    const user = await signedInUser(req);
    const invited = details.invitation.email;
    const mismatch = Boolean(user && kit.options.requireMatchingEmail && normaliseEmail(user.email) !== invited);
    const existingLogin = !user && Boolean(await kit.users.findByEmail(invited));
    const returnTo = `${req.baseUrl}/accept/${tokenOf(req)}`;
    await respond.form(
      req,
      res,
      'accept',
      {
        title: localeOf(req).message('accept.title'),
        token: tokenOf(req),
        accountName: details.account.name,
        inviterName: details.inviter?.name ?? details.account.name,
        email: invited,
        permissions: details.invitation.permissions.map((k) => localeOf(req).permission(k)).filter(Boolean),
        expiresAt: details.invitation.expiresAt,
        accessUntil: details.invitation.accessUntil,
        validity: localeOf(req).format.duration(kit.validity.ms),
        signedIn: Boolean(user),
        currentEmail: user?.email,
        mismatch,
        existingLogin,
        loginHref: `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(returnTo)}`,
        name: values.name ?? '',
      },
      errors,
      {
        invitation: {
          email: invited,
          permissions: details.invitation.permissions,
          expiresAt: details.invitation.expiresAt,
        },
        account: { name: details.account.name },
        inviter: details.inviter ? { name: details.inviter.name } : null,
        signedIn: Boolean(user),
        emailMatches: !mismatch,
        existingLogin,
      },
    );
  }

  // Saved with the answer (respond.done).
  function enter(req: Request, accountId: number): void {
    kitSession(req).activeAccountId = accountId;
  }

  return {
    /** GET /accept/:token — safe for mail scanners: it never changes anything. */
    async show(req: Request, res: Response) {
      protectLinkPage(res);
      await showPage(req, res, await findInvitationByToken(kit, tokenOf(req)));
    },

    /** POST /accept/:token — a signed-in user accepts. */
    async accept(req: Request, res: Response) {
      protectLinkPage(res);
      const user = await signedInUser(req);
      if (!user) throw new UnauthenticatedError();
      const previous = kitSession(req).activeAccountId;
      const { membership } = await acceptInvitationByLink(kit, tokenOf(req), user, clientIp(req));
      await enterAcceptedAccount({ kit, respond, localeOf }, req, res, user.id, membership, previous);
    },

    /** POST /accept/:token/register — a visitor creates a login with the invited address and accepts. */
    async register(req: Request, res: Response) {
      protectLinkPage(res);
      if (signedInUserId(req) !== undefined) throw new ForbiddenError('error.alreadySignedIn');
      const body = (req.body ?? {}) as Record<string, unknown>;
      let result;
      try {
        result = await registerAndAccept(kit, tokenOf(req), { name: body.name, password: body.password }, clientIp(req));
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        const details = await findInvitationByToken(kit, tokenOf(req));
        return showPage(req, res, details, err, { name: typeof body.name === 'string' ? body.name : '' });
      }
      // passport's req.login regenerates the session id (no fixation across sign-in).
      await login(kit, req, result.user);
      await kit.users.recordLogin?.(result.user.id, kit.now());
      // A new login's language is the one it was made in: its own emails are written in it.
      await keepLanguage(kit, result.user.id, localeOf(req).tag);
      enter(req, result.membership.account.id);
      await respond.done(
        req,
        res,
        `${req.baseUrl}/accounts`,
        { type: 'success', text: localeOf(req).message('flash.accepted', { account: result.membership.account.name }) },
        { user: result.user, membership: result.membership },
        201,
      );
    },

    /** GET /accept/:token/decline — "Decline the invitation to …?"; changes nothing (mail scanners may open it). */
    async confirmDecline(req: Request, res: Response) {
      protectLinkPage(res);
      const details = await findInvitationByToken(kit, tokenOf(req));
      const t = localeOf(req);
      const account = details.account.name;
      const link = `${req.baseUrl}/accept/${encodeURIComponent(tokenOf(req))}`;
      await confirmPage(
        respond,
        req,
        res,
        {
          heading: t.message('confirm.decline.title', { account }),
          body: t.message('confirm.decline.body', { account }),
          action: `${link}/decline`,
          button: t.message('accounts.declineNamed', { account }),
          back: link,
          backText: t.message('confirm.backInvitation'),
        },
        { invitation: { email: details.invitation.email, permissions: details.invitation.permissions }, account: { name: account } },
      );
    },

    /** POST /accept/:token/decline — the invitee says no, signed in or not: the link is the proof of the address. */
    async decline(req: Request, res: Response) {
      protectLinkPage(res);
      const { invitation, account } = await declineInvitationByLink(kit, tokenOf(req), signedInUserId(req) ?? null, clientIp(req));
      await respond.page(
        req,
        res,
        'declined',
        { title: localeOf(req).message('declined.title'), accountName: account.name, signedIn: signedInUserId(req) !== undefined },
        { invitation, account: { name: account.name }, message: localeOf(req).message('declined.body', { account: account.name }) },
      );
    },

    /** POST /accept/:token/signout — from the "sent to X, signed in as Y" page. */
    async signOut(req: Request, res: Response) {
      protectLinkPage(res);
      await logout(req);
      await respond.done(
        req,
        res,
        `${req.baseUrl}/accept/${encodeURIComponent(tokenOf(req))}`,
        { type: 'info', text: localeOf(req).message('flash.signedOut') },
        { signedOut: true },
      );
    },
  };
}
