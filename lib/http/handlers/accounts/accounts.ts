import type { Request, Response } from 'express';
import { accountsOf, membershipForSwitch } from '../../../services/accounts/accounts.js';
import { acceptInvitation, declineInvitation, invitationsFor } from '../../../services/invitations/invitee.js';
import { leaveAccount } from '../../../services/members/members.js';
import { acceptOwnership, declineOwnershipOffer, ownershipOffersFor, showOwnershipOffer } from '../../../services/ownership/ownership.js';
import { parseId } from '../../../services/input.js';
import { EmailUnverifiedError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../../errors.js';
import { loadAccountUser } from '../../guard.js';
import { bodyOf, clientIp, kitSession, regenerateSession, safeReturnPath, signedInUserId } from '../../request.js';
import type { HandlerDeps } from '../deps.js';
import { confirmPage } from '../confirm.js';
import { enterAcceptedAccount } from '../accepted-notice.js';
import { declineOfferConfirmation, enterOwnedAccount } from '../ownership/transfer.js';

export function accountHandlers({ kit, respond, localeOf }: HandlerDeps) {
  const declineOfferPage = declineOfferConfirmation(respond, localeOf);

  function userIdOf(req: Request): number {
    const id = signedInUserId(req);
    if (id === undefined) throw new UnauthenticatedError();
    return id;
  }

  /** The waiting invitations, or null while the login's address is unverified (the page offers to verify it instead). */
  const waitingOrUnverified = (userId: number) =>
    invitationsFor(kit, { userId }).catch((err: unknown) => {
      if (err instanceof EmailUnverifiedError) return null;
      throw err;
    });

  /**
   * The account this session acts in, chosen now if none was (the default account, as every guarded
   * route would): right after sign-in the list already shows one active. A chosen account the user
   * was removed from, or whose access ended, is forgotten (loadAccountUser refuses once) and the
   * default taken instead: this page is where the user goes to pick another.
   */
  async function activeAccount(req: Request, res: Response): Promise<number | undefined> {
    try {
      return (await loadAccountUser(kit, req, res))?.account.id;
    } catch (err) {
      if (!(err instanceof ForbiddenError)) throw err;
      return (await loadAccountUser(kit, req, res))?.account.id;
    }
  }

  return {
    /** GET /accounts — the switcher. */
    async list(req: Request, res: Response) {
      const userId = userIdOf(req);
      const [accounts, waiting, offers] = await Promise.all([accountsOf(kit, { userId }), waitingOrUnverified(userId), ownershipOffersFor(kit, { userId })]);
      const active = (await activeAccount(req, res)) ?? kitSession(req).activeAccountId;
      const locale = localeOf(req);
      const rows = accounts.map((m) => ({
        id: m.account.id,
        name: m.account.name,
        isOwner: m.isOwner,
        active: m.account.id === active,
        // An ended access is listed (so the user sees why, and may leave) but cannot be switched to.
        switchable: m.account.id !== active && !m.accessEnded && !m.suspended,
        accessUntil: m.accessUntil,
        accessEnded: m.accessEnded,
        // Listed so the member sees it, with the reason given; not switchable until reinstated.
        suspended: m.suspended,
        suspendedReason: m.suspendedReason,
        role: m.isOwner
          ? locale.message('users.owner')
          : locale.message(m.permissions.length === 1 ? 'accounts.memberRoleOne' : 'accounts.memberRole', { count: m.permissions.length }),
        permissionCount: m.permissions.length,
        // What they may do there, by name: a count says nothing to someone who just joined.
        permissionLabels: m.isOwner || m.allPermissions ? [locale.message('users.allPermissions')] : m.permissions.map((k) => locale.label(k)),
        // The active account is used on the portal's own pages: its first action opens them (never Leave).
        openUrl: m.account.id === active && !m.accessEnded && !m.suspended ? kit.options.homeUrl : null,
      }));
      const invitations = (waiting ?? []).map((i) => ({ ...i, permissionLabels: i.permissions.map((k) => locale.label(k)) }));
      const emailVerified = waiting !== null;
      await respond.page(
        req,
        res,
        'accounts',
        {
          title: localeOf(req).message('accounts.title'),
          accounts: rows,
          invitations,
          offers,
          emailUnverified: !emailVerified,
          // au.userRouter's form, where the host mounted it (userMountPath); back here afterwards.
          verify: kit.features.verify ? { action: `${kit.options.userMountPath}/email/verify`, returnTo: `${req.baseUrl}/accounts` } : null,
        },
        // `invitations` stays empty while the address is unverified: `emailVerified` says why.
        { accounts: rows, activeAccountId: active ?? null, invitations: waiting ?? [], emailVerified, ownershipOffers: offers },
      );
    },

    /** POST /accounts/invitations/:invitationId/accept — an invitation to the user's own address, without the email's link. */
    async acceptInvitation(req: Request, res: Response) {
      const userId = userIdOf(req);
      const previous = kitSession(req).activeAccountId;
      const { membership } = await acceptInvitation(kit, { userId, invitationId: parseId(req.params.invitationId) }, clientIp(req));
      await enterAcceptedAccount({ kit, respond, localeOf }, req, res, userId, membership, previous);
    },

    /** GET /accounts/invitations/:invitationId/decline — "Decline the invitation to …?" */
    async confirmDeclineInvitation(req: Request, res: Response) {
      const userId = userIdOf(req);
      const invitationId = parseId(req.params.invitationId);
      const invitation = (await invitationsFor(kit, { userId })).find((i) => i.id === invitationId);
      if (!invitation) throw new NotFoundError('error.noSuchInvitation');
      const t = localeOf(req);
      const account = invitation.account.name;
      await confirmPage(
        respond,
        req,
        res,
        {
          heading: t.message('confirm.decline.title', { account }),
          body: t.message('confirm.decline.body', { account }),
          action: `${req.baseUrl}/accounts/invitations/${invitationId}/decline`,
          button: t.message('accounts.declineNamed', { account }),
          back: `${req.baseUrl}/accounts`,
          backText: t.message('confirm.backAccounts'),
        },
        { invitation },
      );
    },

    /** POST /accounts/invitations/:invitationId/decline */
    async declineInvitation(req: Request, res: Response) {
      const userId = userIdOf(req);
      const { invitation, account } = await declineInvitation(kit, { userId, invitationId: parseId(req.params.invitationId) }, clientIp(req));
      await respond.done(
        req,
        res,
        `${req.baseUrl}/accounts`,
        { type: 'success', text: localeOf(req).message('flash.declined', { account: account.name }) },
        { invitation, account: { id: account.id, name: account.name } },
      );
    },

    /** POST /accounts/switch — `accountId` becomes the active account (only one the user belongs to). */
    async switchTo(req: Request, res: Response) {
      const userId = userIdOf(req);
      let accountId: number;
      try {
        const given = bodyOf(req).accountId;
        accountId = parseId(typeof given === 'number' ? String(given) : given);
      } catch {
        throw new NotFoundError('error.noSuchAccount');
      }
      const membership = await membershipForSwitch(kit, userId, accountId);
      await regenerateSession(req);
      kitSession(req).activeAccountId = membership.account.id;
      const back = safeReturnPath(bodyOf(req).returnTo) ?? `${req.baseUrl}/accounts`;
      await respond.done(
        req,
        res,
        back,
        { type: 'success', text: localeOf(req).message('flash.switched', { account: membership.account.name }) },
        { account: membership.account },
      );
    },

    /** GET /accounts/:accountId/leave — "Leave …?" */
    async confirmLeave(req: Request, res: Response) {
      const userId = userIdOf(req);
      const accountId = parseId(req.params.accountId);
      const membership = (await accountsOf(kit, { userId })).find((m) => m.account.id === accountId);
      if (!membership) throw new NotFoundError('error.noSuchAccount');
      if (membership.isOwner) throw InvalidInputError.field('accountId', 'field.ownerCannotLeave');
      const t = localeOf(req);
      const account = membership.account.name;
      await confirmPage(
        respond,
        req,
        res,
        {
          heading: t.message('confirm.leave.title', { account }),
          body: t.message('confirm.leave.body', { account }),
          action: `${req.baseUrl}/accounts/${accountId}/leave`,
          button: t.message('accounts.leaveNamed', { account }),
          back: `${req.baseUrl}/accounts`,
          backText: t.message('confirm.backAccounts'),
        },
        { account: membership.account },
      );
    },

    /** POST /accounts/offers/:transferId/accept — the ownership offered to the user, accepted from this page. */
    async acceptOffer(req: Request, res: Response) {
      const { account } = await acceptOwnership(
        kit,
        { userId: userIdOf(req), transferId: parseId(req.params.transferId), locale: localeOf(req).tag },
        clientIp(req),
      );
      await enterOwnedAccount({ respond, localeOf }, req, res, account);
    },

    /** GET /accounts/offers/:transferId/decline — "Decline ownership of …?" */
    async confirmDeclineOffer(req: Request, res: Response) {
      const transferId = parseId(req.params.transferId);
      const offer = await showOwnershipOffer(kit, { userId: userIdOf(req), transferId }, 'decline');
      await declineOfferPage(req, res, offer, `${req.baseUrl}/accounts/offers/${transferId}/decline`, `${req.baseUrl}/accounts`, 'confirm.backAccounts');
    },

    /** POST /accounts/offers/:transferId/decline */
    async declineOffer(req: Request, res: Response) {
      const { transfer, account } = await declineOwnershipOffer(kit, { userId: userIdOf(req), transferId: parseId(req.params.transferId) }, clientIp(req));
      await respond.done(
        req,
        res,
        `${req.baseUrl}/accounts`,
        { type: 'success', text: localeOf(req).message('flash.ownershipDeclined', { account: account.name }) },
        { transfer, account },
      );
    },

    /** POST /accounts/:accountId/leave — a member leaves; the owner cannot. */
    async leave(req: Request, res: Response) {
      const userId = userIdOf(req);
      const accountId = parseId(req.params.accountId);
      const { accountName } = await leaveAccount(kit, userId, accountId, clientIp(req));
      const state = kitSession(req);
      if (state.activeAccountId === accountId) delete state.activeAccountId;
      await respond.done(
        req,
        res,
        `${req.baseUrl}/accounts`,
        { type: 'success', text: localeOf(req).message('flash.left', { account: accountName }) },
        { left: { id: accountId, name: accountName } },
      );
    },
  };
}
