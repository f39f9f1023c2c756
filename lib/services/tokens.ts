import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 32 random bytes, base64url: what goes in an invitation, password-reset or email-confirmation link. Never stored. */
export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the token, and what a presented token is looked up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A presented token that cannot be one of ours is refused before any query. */
export function looksLikeInvitationToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function newClaimId(): string {
  return randomUUID();
}
