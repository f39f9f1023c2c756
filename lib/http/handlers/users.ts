import type { Request, Response } from 'express';
import { listMembers, getMember, removeMember, updatePermissions } from '../../services/members.js';
import { inviterNames, listInvitations } from '../../services/invitations.js';
import { parseId, parsePage } from '../../services/input.js';
import { InvalidInputError } from '../../errors.js';
import { durationText } from '../../messages.js';
import { actorOf, permissionChoices, type HandlerDeps } from './deps.js';


export function usersHandlers({ kit, respond, templates }: HandlerDeps) {
  return {
    /** GET / — "User Management": members and invitations. */
    async list(req: Request, res: Response) {
      const actor = actorOf(req);
      const members = await listMembers(kit, actor, parsePage(req.query.page));
      const invitations = await listInvitations(kit, actor, parsePage(req.query.invitationsPage));
      const inviters = await inviterNames(kit, invitations.invitations);
      const allCount = kit.catalogue.entries.length;
      respond.page(
        req,
        res,
        'users',
        {
          title: templates.message('users.title'),
          validity: durationText(kit.options.invitationTtl),
          members: members.members.map((m) => ({
            ...m,
            allPermissions: m.permissions.length === allCount,
            permissionLabels: m.permissions.map((k) => kit.catalogue.get(k)?.label ?? k),
          })),
          membersPager: pager(members.page, members.pages, 'page'),
          invitations: invitations.invitations.map((i) => ({
            ...i,
            inviterName: inviters.get(i.invitedBy) ?? null,
            isPending: i.status === 'pending',
            canResend: i.status === 'pending' || i.status === 'expired',
            canCancel: i.status === 'pending' || i.status === 'expired',
            permissionLabels: i.permissions.map((k) => kit.catalogue.get(k)?.label ?? k),
          })),
          invitationsPager: pager(invitations.page, invitations.pages, 'invitationsPage'),
        },
        {
          account: req.accountUser!.account,
          members: members.members,
          membersPage: { page: members.page, pages: members.pages, total: members.total },
          invitations: invitations.invitations,
          invitationsPage: { page: invitations.page, pages: invitations.pages, total: invitations.total },
          permissions: kit.catalogue.entries,
        },
      );
    },

    /** GET /users/:userId — the permissions form. */
    async edit(req: Request, res: Response) {
      const member = await getMember(kit, actorOf(req), parseId(req.params.userId));
      respond.page(
        req,
        res,
        'member',
        { title: templates.message('member.title'), member, permissions: permissionChoices(kit, member.permissions) },
        { member, permissions: kit.catalogue.entries },
      );
    },

    /** POST /users/:userId/permissions */
    async savePermissions(req: Request, res: Response) {
      const actor = actorOf(req);
      const userId = parseId(req.params.userId);
      try {
        const member = await updatePermissions(kit, actor, userId, { permissions: req.body?.permissions });
        respond.done(req, res, `${req.baseUrl}/`, { type: 'success', text: templates.message('flash.permissionsSaved', { name: member.name }) }, { member });
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        const member = await getMember(kit, actor, userId);
        const submitted = ([] as unknown[]).concat(req.body?.permissions ?? []).filter((v): v is string => typeof v === 'string');
        respond.page(
          req,
          res,
          'member',
          { title: templates.message('member.title'), member, permissions: permissionChoices(kit, submitted), errors: err.issues },
          { error: { code: err.code, message: err.message, fields: err.issues } },
          err.status,
        );
      }
    },

    /** GET /users/:userId/remove — "Remove user?" */
    async confirmRemove(req: Request, res: Response) {
      const member = await getMember(kit, actorOf(req), parseId(req.params.userId));
      if (member.isOwner) throw InvalidInputError.field('userId', 'the account owner cannot be removed');
      respond.page(req, res, 'remove', { title: templates.message('remove.title'), member, accountName: req.accountUser!.account.name }, { member });
    },

    /** POST /users/:userId/remove */
    async remove(req: Request, res: Response) {
      const member = await removeMember(kit, actorOf(req), parseId(req.params.userId));
      respond.done(req, res, `${req.baseUrl}/`, { type: 'success', text: templates.message('flash.removed', { name: member.name }) }, { removed: member });
    },
  };
}

export function pager(page: number, pages: number, param: string) {
  if (pages <= 1) return null;
  return {
    page,
    pages,
    prev: page > 1 ? `?${param}=${page - 1}` : null,
    next: page < pages ? `?${param}=${page + 1}` : null,
  };
}
