import type { Locale } from '../../../i18n/locale.js';
import type { DeliveryStatus } from '../../../services/invitations/invitations.js';
import { deliveryProblemKey } from '../../../delivery-problem.js';
import type { MessageKey } from '../../../messages.js';
import type { Request, Response } from 'express';
import { getMember, removeMember, setPermissions, type MemberView } from '../../../services/members/members.js';
import type { Acting } from '../../../services/context.js';
import { usersFilterOf, usersPage } from '../../../services/members/users-page.js';
import { cursorParser, parseId, type Cursor, type CursorNames, type UsersFilter } from '../../../services/input.js';
import { INVITATION_LIST_STATES } from '../../../store/invitations/invitations.js';
import { InvalidInputError } from '../../../errors.js';
import {
  accessUntilValue,
  actorOf,
  allSubmitted,
  mayGrantAll,
  memberAccessUntilOf,
  grantable,
  permissionChoices,
  presetChoices,
  submittedText,
  type HandlerDeps,
} from '../deps.js';
import { presetPermissions } from '../../../services/presets.js';
import { requireStepUpToGrant } from '../two-factor/step-up.js';
import { bodyOf } from '../../request.js';
import { assertMayManageMember, isOwnMembership, mayManageInvitation, mayManageMember, ownAccessEnd } from '../../../services/members/delegation.js';

const DELIVERY_STATUS_KEY: Record<DeliveryStatus, MessageKey> = {
  queued: 'deliveryStatus.queued',
  sent: 'deliveryStatus.sent',
  failing: 'deliveryStatus.failing',
  'not delivered': 'deliveryStatus.notDelivered',
};

const ROW_WORDS = {
  colName: 'users.colName',
  colEmail: 'users.colEmail',
  colPermissions: 'users.colPermissions',
  colLastLogin: 'users.colLastLogin',
  colStatus: 'users.colStatus',
  colSent: 'users.colSent',
  colExpires: 'users.colExpires',
  colDelivery: 'users.colDelivery',
  owner: 'users.owner',
  allPermissions: 'users.allPermissions',
  noPermissions: 'users.noPermissions',
  never: 'users.never',
  managePermissions: 'users.managePermissions',
  suspended: 'access.suspended',
  suspend: 'users.suspend',
  reinstate: 'users.reinstate',
  resend: 'users.resend',
  cancelInvitation: 'users.cancelInvitation',
} as const satisfies Record<string, MessageKey>;

function rowWords(locale: Locale) {
  return Object.fromEntries(Object.entries(ROW_WORDS).map(([name, key]) => [name, locale.message(key)])) as Record<keyof typeof ROW_WORDS, string>;
}

export function usersHandlers({ kit, respond, localeOf }: HandlerDeps) {
  /** The permissions form's view: as stored, with a preset's boxes ticked, or as submitted (its errors added by respond.form). */
  const memberForm = async (
    req: Request,
    actor: Acting,
    member: MemberView,
    checked: readonly string[],
    all: boolean,
    accessUntil: string,
    restoreAccess = false,
  ) => {
    const permissions = permissionChoices(kit, checked, actor, localeOf(req));
    return {
      title: localeOf(req).message('member.title'),
      member,
      canManage: mayManageMember(actor, member),
      // A delegate's own row: only the owner changes it (they may leave from the accounts page).
      isOwn: isOwnMembership(actor, member),
      permissions,
      // Ticked when "All permissions" was chosen (not merely every box ticked: it covers later ones too).
      allChecked: all,
      mayGrantAll: mayGrantAll(actor),
      presets: presetChoices(kit, actor, localeOf(req)),
      // An ended access is not prefilled (its date has passed): the form offers to restore it instead.
      accessUntil: member.accessEnded && !restoreAccess ? '' : accessUntil,
      // The stored end as the field shows it: left as shown, a save leaves the date alone (memberAccessUntilOf).
      accessUntilShown: accessUntilValue(member.accessUntil, localeOf(req).timeZone),
      restoreAccess,
      // A time-limited delegate is told how far what they grant may reach.
      ownAccessUntil: await ownAccessEnd(kit, actor),
    };
  };

  return {
    /** GET / — "User Management": members and invitations. */
    async list(req: Request, res: Response) {
      const query = req.query as Record<string, unknown>;
      const cursors = { members: membersCursor(query), invitations: invitationsCursor(query) };
      const filter = usersFilterOf(kit, 'page')(query);
      const actor = actorOf(kit, req);
      const page = await usersPage(kit, actor, cursors, filter);
      // Every link of the page keeps the filter it was reached with.
      const filterParams = filterQuery(filter);
      const locale = localeOf(req);
      // A page's rows share a handful of permission sets: each set's labels are worked out once.
      const sets = new Map<string, { labels: string[]; text: string }>();
      const describe = (keys: string[]) => {
        const id = keys.join(' ');
        let set = sets.get(id);
        if (!set) {
          const labels = keys.map((k) => locale.label(k));
          sets.set(id, (set = { labels, text: locale.format.list(labels) }));
        }
        return set;
      };
      await respond.page(
        req,
        res,
        'users',
        // Built only for the HTML page; the JSON answer is the service's result as it is.
        () => ({
          title: localeOf(req).message('users.title'),
          // The words every row repeats, looked up once: a property read costs a fraction of a {{t}} call, a hundred rows over.
          words: rowWords(locale),
          // In words of the page's language: a host's own template may print it as it is.
          validity: locale.format.duration(kit.validity.ms),
          // Ownership is the owner's alone to give: a delegate is not offered the link.
          isOwner: actor.isOwner,
          members: page.members.map((m) => {
            const set = describe(m.permissions);
            const removeLabel = locale.message('users.removeNamed', { name: m.name });
            const suspendLabel = locale.message(m.suspended ? 'users.reinstateNamed' : 'users.suspendNamed', { name: m.name });
            return { ...m, permissionLabels: set.labels, canManage: mayManageMember(actor, m), removeLabel, suspendLabel };
          }),
          // Members removed within the restore window: restored directly while their login exists, else invited again.
          removed: page.removedMembers.map((r) => ({
            ...r,
            permissionText: r.allPermissions
              ? locale.message('users.allPermissions')
              : r.permissions.length
                ? locale.format.list(r.permissions.map((k) => locale.label(k)))
                : locale.message('users.noPermissions'),
            canManage: mayManageMember(actor, { userId: r.userId, isOwner: false, permissions: r.permissions }),
            restoreLabel: locale.message('users.restoreNamed', { name: r.name ?? r.email }),
          })),
          // Each list's links keep the other list where it is.
          membersPager: pager(page.membersPage, MEMBERS_CURSOR, { ...filterParams, ...cursorParams(cursors.invitations, INVITATIONS_CURSOR) }),
          filter: {
            q: filter.q ?? '',
            active: filter.q !== undefined || filter.permission !== undefined || filter.status !== 'pending',
            permissions: kit.catalogue.entries.map((p) => ({ key: p.key, label: locale.label(p.key), selected: p.key === filter.permission })),
            states: INVITATION_LIST_STATES.map((state) => ({ state, label: locale.message(`users.state.${state}`), selected: state === filter.status })),
            membersSearched: page.membersSearched,
          },
          pendingOnly: filter.status === 'pending',
          invitations: page.invitations.map((i) => {
            const set = describe(i.permissions);
            // A delegate acts only on invitations granting what they hold themselves.
            const mine = mayManageInvitation(actor, i);
            return {
              ...i,
              isPending: i.status === 'pending',
              isExpired: i.status === 'expired',
              // An expired or declined invitation may be started over with Resend; only a pending one is cancelled.
              canResend: mine && (i.status === 'pending' || i.status === 'expired' || i.status === 'declined'),
              canCancel: mine && i.status === 'pending',
              // Accessible names with the address: a list of "Resend, Cancel invitation, Resend…" says nothing.
              resendLabel: locale.message('users.resendNamed', { email: i.email }),
              cancelLabel: locale.message('users.cancelInvitationNamed', { email: i.email }),
              permissionLabels: set.labels,
              permissionText: i.allPermissions ? locale.message('users.allPermissions') : set.text,
              statusText: locale.message(`status.${i.status}`),
              // A class name cannot hold a space: "not delivered" becomes au-delivery-not-delivered.
              deliveryClass: i.delivery ? `au-delivery-${i.delivery.status.replace(/ /g, '-')}` : null,
              deliveryText: i.delivery ? locale.message(DELIVERY_STATUS_KEY[i.delivery.status]) : null,
              problemText: i.delivery?.problem ? locale.message(deliveryProblemKey(i.delivery.problem.code)) : null,
            };
          }),
          invitationsPager: pager(page.invitationsPage, INVITATIONS_CURSOR, { ...filterParams, ...cursorParams(cursors.members, MEMBERS_CURSOR) }),
        }),
        { account: req.accountUser!.account, ...page, permissions: kit.catalogue.entries },
      );
    },

    /** GET /users/:userId — the permissions form. */
    async edit(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const { member } = await getMember(kit, { actor, accountId: actor.accountId, userId: parseId(req.params.userId) });
      await respond.page(
        req,
        res,
        'member',
        await memberForm(req, actor, member, member.permissions, member.allPermissions, accessUntilValue(member.accessUntil, localeOf(req).timeZone)),
        {
          member,
          permissions: grantable(kit, actor),
        },
      );
    },

    /** POST /users/:userId/permissions */
    async savePermissions(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const userId = parseId(req.params.userId);
      const body = bodyOf(req);
      if (body.applyPreset !== undefined) {
        // A preset's button on a page without JavaScript: the same form, its boxes ticked; nothing is saved.
        const { member } = await getMember(kit, { actor, accountId: actor.accountId, userId });
        let keys: string[] = [];
        let error: InvalidInputError | undefined;
        try {
          keys = presetPermissions(kit, body.applyPreset, 'applyPreset');
        } catch (err) {
          if (!(err instanceof InvalidInputError)) throw err;
          error = err;
        }
        const all = kit.catalogue.coversAll(keys);
        keys = kit.catalogue.normalise(keys);
        const restore = body.restoreAccess === 'yes';
        return respond.form(req, res, 'member', await memberForm(req, actor, member, keys, all, submittedText(body.accessUntil), restore), error, {
          member,
          checked: keys,
          allPermissions: all,
        });
      }
      // Granting `profile` or `manageusers` to a member who lacks it asks for a recent second factor.
      await requireStepUpToGrant(
        kit,
        req,
        actor.userId,
        { permissions: body.permissions, preset: body.preset, allPermissions: body.allPermissions },
        async () => (await getMember(kit, { actor, accountId: actor.accountId, userId })).member.permissions,
        `${req.baseUrl}/users/${userId}`,
      );
      try {
        const { member } = await setPermissions(kit, {
          actor,
          accountId: actor.accountId,
          userId,
          permissions: body.permissions,
          allPermissions: body.allPermissions,
          preset: body.preset,
          accessUntil: memberAccessUntilOf(req),
        });
        await respond.done(
          req,
          res,
          `${req.baseUrl}/`,
          { type: 'success', text: localeOf(req).message('flash.permissionsSaved', { name: member.name }) },
          { member },
        );
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        const { member } = await getMember(kit, { actor, accountId: actor.accountId, userId });
        const submitted = ([] as unknown[]).concat(bodyOf(req).permissions ?? []).filter((v): v is string => typeof v === 'string');
        const restore = bodyOf(req).restoreAccess === 'yes';
        await respond.form(
          req,
          res,
          'member',
          await memberForm(req, actor, member, submitted, allSubmitted(bodyOf(req)), submittedText(bodyOf(req).accessUntil), restore),
          err,
          {},
        );
      }
    },

    /** GET /users/:userId/remove — "Remove user?" */
    async confirmRemove(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const { member } = await getMember(kit, { actor, accountId: actor.accountId, userId: parseId(req.params.userId) });
      assertMayManageMember(kit, actor, member);
      if (member.isOwner) throw InvalidInputError.field('userId', 'field.ownerNotRemovable');
      await respond.page(req, res, 'remove', { title: localeOf(req).message('remove.title'), member, accountName: req.accountUser!.account.name }, { member });
    },

    /** POST /users/:userId/remove */
    async remove(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      const { member } = await removeMember(kit, { actor, accountId: actor.accountId, userId: parseId(req.params.userId) });
      await respond.done(
        req,
        res,
        `${req.baseUrl}/`,
        { type: 'success', text: localeOf(req).message('flash.removed', { name: member.name }) },
        { removed: member },
      );
    },
  };
}

const MEMBERS_CURSOR = { after: 'membersAfter', before: 'membersBefore' };
const INVITATIONS_CURSOR = { after: 'invitationsAfter', before: 'invitationsBefore' };
const membersCursor = cursorParser(MEMBERS_CURSOR);
const invitationsCursor = cursorParser(INVITATIONS_CURSOR);

/** The filter as query parameters, leaving out what is the default. */
function filterQuery(filter: UsersFilter): Record<string, string> {
  const params: Record<string, string> = {};
  if (filter.q !== undefined) params.q = filter.q;
  if (filter.permission !== undefined) params.permission = filter.permission;
  if (filter.status !== 'pending') params.status = filter.status;
  return params;
}

function cursorParams(cursor: Cursor, names: CursorNames): Record<string, string> {
  if (cursor.after !== undefined) return { [names.after]: String(cursor.after) };
  if (cursor.before !== undefined) return { [names.before]: String(cursor.before) };
  return {};
}

/** Previous/next links for a list page, or null when it is the only page. */
export function pager(page: { next: number | null; previous: number | null }, names: CursorNames, keep: Record<string, string> = {}) {
  if (page.next === null && page.previous === null) return null;
  const href = (params: Record<string, string>) => `?${new URLSearchParams({ ...keep, ...params }).toString()}`;
  return {
    previous: page.previous === null ? null : href({ [names.before]: String(page.previous) }),
    next: page.next === null ? null : href({ [names.after]: String(page.next) }),
  };
}
