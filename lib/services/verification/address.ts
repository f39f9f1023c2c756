/*
 * Verified addresses. A login's address is *verified* once something proved that whoever holds the
 * login reads mail there: an invitation link the kit emailed (or gave a `{ system }` actor), accepted
 * or registered through by a login of that address, a password reset link, an email-change confirmation (the new address), the verification
 * link this capability sends, or the host saying so. Invitations are listed and answered in the app
 * only for a verified address; their emailed links work as before (the link is its own proof).
 *
 * - Routes (au.userRouter): POST /email/verify sends a link; GET /email/verify/:token shows a page
 *   with a button, POST /email/verify/:token verifies. Offered on GET /profile and, while the
 *   address is unverified, on au.router's GET /accounts instead of the invitations.
 * - Tables: users.email_verified_at (the kit's users; a host store keeps its own flag through
 *   setEmailVerified and AccountUser.emailVerified), user_tokens purpose 'email_verify' (new_email:
 *   the address the link proves), outbox kind 'email_verify'.
 * - au.api: markEmailVerified; `emailVerified` on findUserByEmail and createAccount's owner (and
 *   createAccount's `owner.emailVerified`); invitationsFor, acceptInvitation and declineInvitation
 *   refuse an unverified login with EmailUnverifiedError.
 * - This file: the rule and the marks; links.ts: the link the kit sends; host-mark.ts: the host's word.
 */
import type { Kit } from '../context.js';
import type { Knex } from 'knex';
import type { UserTokenRow } from '../../store/self-service/user-tokens.js';
import { EmailUnverifiedError } from '../../errors.js';
import { normaliseEmail } from '../input.js';
import type { AccountUser } from '../user-store.js';

export function emailIsVerified(user: Pick<AccountUser, 'emailVerified'>): boolean {
  return user.emailVerified === true;
}

/** In-app invitations' first line: without a proved address, the address proves nothing. */
export function requireVerifiedAddress(user: Pick<AccountUser, 'emailVerified'>): void {
  if (!emailIsVerified(user)) throw new EmailUnverifiedError();
}

/**
 * Records a proof inside the caller's transaction (the link's use and the mark land together).
 * A host store without setEmailVerified keeps no flag: nothing to record.
 */
export async function markVerifiedIn(kit: Kit, trx: Knex.Transaction, userId: number): Promise<void> {
  await kit.users.setEmailVerified?.(userId, { trx });
}

/**
 * A reset link proves the address it was mailed to; that is the login's address unless an email
 * change came in between. Read before the reset's transaction (a host store reads through its own
 * connection, which a one-connection pool would not give while the transaction holds it).
 */
export async function resetProvesAddress(kit: Kit, row: UserTokenRow): Promise<boolean> {
  const [recipient, user] = await Promise.all([kit.store.outbox.recipientOfUserToken(kit.knex, row.id), kit.users.findById(row.userId)]);
  return recipient !== undefined && user !== undefined && normaliseEmail(recipient) === normaliseEmail(user.email);
}
