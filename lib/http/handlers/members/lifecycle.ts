import type { Request, Response } from 'express';
import { getMember } from '../../../services/members/members.js';
import { previousMembership, reinstateMember, restoreMember, suspendMember } from '../../../services/members/lifecycle.js';
import { assertMayManageMember } from '../../../services/members/delegation.js';
import { parseId } from '../../../services/input.js';
import { InvalidInputError, NotFoundError } from '../../../errors.js';
import { bodyOf } from '../../request.js';
import { actorOf, type HandlerDeps } from '../deps.js';
import { grantedStepUpKeys, requireStepUpIfGranting } from '../two-factor/step-up.js';

/** Suspend, reinstate and restore: each a confirmation page (GET) and its POST, as Remove has. */
export function lifecycleHandlers({ kit, respond, localeOf }: HandlerDeps) {
  /** The member as the confirmation pages show them; the delegate limits checked before the page, as Remove's. */
  async function managedMember(req: Request) {
    const actor = actorOf(kit, req);
    const { member } = await getMember(kit, { actor, accountId: actor.accountId, userId: parseId(req.params.userId) });
    assertMayManageMember(kit, actor, member);
    return member;
  }

  const suspendPage = async (req: Request, res: Response, reason: string, error?: InvalidInputError) => {
    const member = await managedMember(req);
    if (member.isOwner) throw InvalidInputError.field('userId', 'field.ownerNotSuspendable');
    const mode = member.suspended ? 'reinstate' : 'suspend';
    await respond.form(
      req,
      res,
      'suspend',
      { title: localeOf(req).message(`${mode}.title`), member, reinstate: member.suspended, reason, accountName: req.accountUser!.account.name },
      error,
      { member },
    );
  };

  return {
    /** GET /users/:userId/suspend — "Suspend user?", with an optional reason. */
    async confirmSuspend(req: Request, res: Response) {
      await suspendPage(req, res, '');
    },

    /** POST /users/:userId/suspend */
    async suspend(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const reason = bodyOf(req).reason;
      try {
        const { member } = await suspendMember(kit, { actor, accountId: actor.accountId, userId: parseId(req.params.userId), reason });
        await respond.done(req, res, `${req.baseUrl}/`, { type: 'success', text: localeOf(req).message('flash.suspended', { name: member.name }) }, { member });
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        await suspendPage(req, res, typeof reason === 'string' ? reason.slice(0, 600) : '', err);
      }
    },

    /** GET /users/:userId/reinstate — "Reinstate user?" */
    async confirmReinstate(req: Request, res: Response) {
      await suspendPage(req, res, '');
    },

    /** POST /users/:userId/reinstate */
    async reinstate(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const { member } = await reinstateMember(kit, { actor, accountId: actor.accountId, userId: parseId(req.params.userId) });
      await respond.done(req, res, `${req.baseUrl}/`, { type: 'success', text: localeOf(req).message('flash.reinstated', { name: member.name }) }, { member });
    },

    /** GET /users/:userId/restore — "Restore user?" for a member removed within the window whose login exists. */
    async confirmRestore(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const removed = await previousMembership(kit, { actor, accountId: actor.accountId, userId: parseId(req.params.userId) });
      if (!removed || !removed.loginExists) throw new NotFoundError('error.notRestorable');
      const locale = localeOf(req);
      await respond.page(
        req,
        res,
        'restore',
        {
          title: locale.message('restore.title'),
          removed,
          permissionLabels: removed.permissions.map((k) => locale.label(k)),
          accountName: req.accountUser!.account.name,
        },
        { removed },
      );
    },

    /** POST /users/:userId/restore */
    async restore(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const userId = parseId(req.params.userId);
      // Giving back `profile` or `manageusers` (or "All permissions") asks for a recent second factor, as granting them does.
      await requireStepUpIfGranting(
        kit,
        req,
        actor.userId,
        async () => {
          const removed = await previousMembership(kit, { actor, accountId: actor.accountId, userId });
          return removed !== null && grantedStepUpKeys(removed.permissions, removed.allPermissions).length > 0;
        },
        `${req.baseUrl}/users/${userId}/restore`,
      );
      const { member } = await restoreMember(kit, { actor, accountId: actor.accountId, userId });
      await respond.done(req, res, `${req.baseUrl}/`, { type: 'success', text: localeOf(req).message('flash.restored', { name: member.name }) }, { member });
    },
  };
}

/** What a restore-by-invitation fills in the invite form: the address, the permissions and end date the removal took. */
export async function previousForInvite(kit: HandlerDeps['kit'], req: Request, by: { email?: unknown; userId?: number }) {
  const actor = actorOf(kit, req);
  const removed = await previousMembership(kit, { actor, accountId: actor.accountId, ...by });
  if (!removed) throw InvalidInputError.field('email', 'field.noPrevious');
  return removed;
}
