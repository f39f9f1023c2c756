import type { Kit } from '../../services/context.js';
import type { Locale } from '../../i18n/locale.js';
import { accountsOf } from '../../services/accounts/accounts.js';

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
