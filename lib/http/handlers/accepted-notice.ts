import type { Request, Response } from 'express';
import type { Kit } from '../../services/context.js';
import type { Locale } from '../../i18n/locale.js';
import type { AccountMembership } from '../../types.js';
import { accountsOf } from '../../services/accounts/accounts.js';
import { kitSession, regenerateSession } from '../request.js';
import type { Responder } from '../respond.js';

/**
 * The notice after an invitation is accepted: the joined account is now the active one, and
 * someone who was working in another account (their own, often) is told they switched, and from which.
 */
export async function acceptedNotice(
  kit: Kit,
  locale: Locale,
  userId: number,
  joined: { id: number; name: string },
  previousActive: number | undefined,
): Promise<string> {
  const others = (await accountsOf(kit, { userId })).filter((m) => m.account.id !== joined.id && !m.accessEnded);
  const previous = others.find((m) => m.account.id === previousActive) ?? others.find((m) => m.isOwner) ?? others[0];
  return previous
    ? locale.message('flash.acceptedSwitched', { account: joined.name, previous: previous.account.name })
    : locale.message('flash.accepted', { account: joined.name });
}

/**
 * How every accept ends, through the emailed link or in the app: a new privilege, so a new session
 * id; the joined account becomes the active one; the accounts page (or JSON) says which, once the
 * session is saved. `previousActive`: the active account before the accept, read before it.
 */
export async function enterAcceptedAccount(
  deps: { kit: Kit; respond: Responder; localeOf: (req: Request) => Locale },
  req: Request,
  res: Response,
  userId: number,
  membership: AccountMembership,
  previousActive: number | undefined,
): Promise<void> {
  await regenerateSession(req);
  kitSession(req).activeAccountId = membership.account.id;
  const text = await acceptedNotice(deps.kit, deps.localeOf(req), userId, membership.account, previousActive);
  await deps.respond.done(req, res, `${req.baseUrl}/accounts`, { type: 'success', text }, { membership });
}
