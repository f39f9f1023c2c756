import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * The TOTP secret at rest. With the `twoFactor.encryptionKey` option it is sealed with AES-256-GCM
 * (node's crypto, no cipher of our own), the login's id bound in as associated data so a sealed
 * secret copied onto another login's row does not open. Without a key it is stored as it is; a
 * database dump then holds the secrets, which the README says plainly.
 */

const SEALED = 'v1:';
const PLAIN = 'plain:';

function keyOf(encryptionKey: string): Buffer {
  // Any string of 32+ characters: hashed to the 32 bytes AES-256 takes.
  return createHash('sha256').update(encryptionKey, 'utf8').digest();
}

export function sealSecret(secret: string, encryptionKey: string | undefined, userId: number): string {
  if (!encryptionKey) return PLAIN + secret;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(encryptionKey), iv);
  cipher.setAAD(Buffer.from(`user:${userId}`));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return SEALED + [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function openSecret(stored: string, encryptionKey: string | undefined, userId: number): string {
  if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
  if (!stored.startsWith(SEALED)) throw new Error('express-account-users: a two-factor secret is stored in an unknown form');
  if (!encryptionKey) throw new Error('express-account-users: two-factor secrets are encrypted but the twoFactor.encryptionKey option is not set');
  const [iv, tag, body] = stored
    .slice(SEALED.length)
    .split('.')
    .map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', keyOf(encryptionKey), iv!);
  decipher.setAAD(Buffer.from(`user:${userId}`));
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
}
