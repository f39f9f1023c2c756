import { expect } from 'chai';
import type { AccountUsers } from '../../lib/index.js';
import type { World } from './world.js';

/** Awaits `work` and asserts it was refused with an error of `type` (by class name, as hosts check it). */
export async function refusedWith(
  work: Promise<unknown>,
  type: string,
): Promise<Error & { code?: string; issues?: Array<{ field: string; message: string }> }> {
  try {
    await work;
  } catch (err) {
    expect((err as Error).name, (err as Error).message).to.equal(type);
    return err as Error;
  }
  expect.fail(`expected a ${type}, but it succeeded`);
}

let n = 0;

/**
 * A new login of its own (made by creating an account it owns), for inviting into the world's
 * account. Verified by default, as the host's own sign-up would vouch for it: in-app invitations
 * are listed and answered only for a verified address. `{ verified: false }` for a login nothing proved.
 */
export async function newLogin(
  au: AccountUsers,
  label = 'person',
  { verified = true }: { verified?: boolean } = {},
): Promise<{ userId: number; email: string; password: string; ownAccountId: number }> {
  const email = `${label}-${++n}@example.test`;
  const password = 'person-password-1';
  const { account, owner } = await au.createAccount({
    name: `${label} ${n} Ltd`,
    owner: { email, name: `${label} ${n}`, password, emailVerified: verified },
  });
  return { userId: owner.id, email, password, ownAccountId: account.id };
}

/** A member of the world's account with `permissions`, added through au.api (invite without email, accept in the app). */
export async function apiMember(world: World, permissions: string[] = ['invoices'], label = 'member') {
  const au = world.host.au;
  const login = await newLogin(au, label);
  const { invitation } = await au.api.invite({
    actor: { system: 'setup' },
    accountId: world.account.id,
    email: login.email,
    permissions: permissions as never[],
    send: false,
  });
  await au.api.acceptInvitation({ userId: login.userId, invitationId: invitation.id });
  return login;
}
