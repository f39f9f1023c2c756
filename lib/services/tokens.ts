import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

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

// No 0/o, 1/l/i: a code read off paper is typed back without guessing.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** One recovery code, shown once: ten characters of 31 (about 49 bits), as `xxxxx-xxxxx`. */
export function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** A recovery code as typed (any case, spaces or hyphens) in the form its hash was made of. */
export function normaliseRecoveryCode(value: string): string {
  return value.toLowerCase().replace(/[\s-]/g, '');
}
