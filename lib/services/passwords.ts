import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  algorithm?: 'scrypt';
  N: number;
  r: number;
  p: number;
}

/** argon2id through the optional peer `@node-rs/argon2`; memoryCost in KiB (OWASP: 19456, t=2, p=1). */
export interface Argon2idParams {
  algorithm: 'argon2id';
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** How new hashes are made (`passwordHashing`). Stored hashes name their own algorithm and parameters. */
export type PasswordHashing = ScryptParams | Argon2idParams;

const KEY_LENGTH = 32;

export const ARGON2_PACKAGE = '@node-rs/argon2';

/** The part of @node-rs/argon2 the kit uses: its hashes are PHC strings, `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
interface Argon2Binding {
  hash(password: string, options: { algorithm: number; memoryCost: number; timeCost: number; parallelism: number; outputLen: number }): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

let argon2Binding: Promise<Argon2Binding> | undefined;

/**
 * Loaded on the first argon2id hash or verification, never before: a host that keeps scrypt
 * needs no native package. The specifier is a variable so neither TypeScript nor the bundler
 * requires the package to be installed.
 */
export function loadArgon2(specifier: string = ARGON2_PACKAGE): Promise<Argon2Binding> {
  argon2Binding ??= (import(specifier) as Promise<Argon2Binding & { default?: Argon2Binding }>).then(
    (m) => (typeof m.hash === 'function' ? m : m.default!),
    (err: unknown) => {
      argon2Binding = undefined;
      throw new Error(
        `express-account-users: passwordHashing { algorithm: 'argon2id' } needs the package ${ARGON2_PACKAGE} (npm install ${ARGON2_PACKAGE}), which could not be loaded: ${(err as Error)?.message ?? err}`,
      );
    },
  );
  return argon2Binding;
}

// argon2's own enumeration (a const enum in the binding's types, so not exported at run time).
const ARGON2ID = 2;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem must exceed 128·N·r or Node refuses OWASP's N=2^17.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * `$scrypt$N=…,r=…,p=…$salt$hash`, or argon2id's PHC string: the hash carries its algorithm and
 * parameters so they can change later.
 */
export async function hashPassword(password: string, params: PasswordHashing): Promise<string> {
  if (params.algorithm === 'argon2id') {
    const argon2 = await loadArgon2();
    return argon2.hash(password.normalize('NFKC'), {
      algorithm: ARGON2ID,
      memoryCost: params.memoryCost,
      timeCost: params.timeCost,
      parallelism: params.parallelism,
      outputLen: KEY_LENGTH,
    });
  }
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return `$scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parseScrypt(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const m = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return undefined;
  return {
    params: { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) },
    salt: Buffer.from(m[4]!, 'base64'),
    key: Buffer.from(m[5]!, 'base64'),
  };
}

function parseArgon2id(stored: string): Argon2idParams | undefined {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(stored);
  return m ? { algorithm: 'argon2id', memoryCost: Number(m[1]), timeCost: Number(m[2]), parallelism: Number(m[3]) } : undefined;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (stored && parseArgon2id(stored)) {
    // Without the package an argon2id hash cannot be checked: that is an error, not a wrong password.
    const argon2 = await loadArgon2();
    return argon2.verify(stored, password.normalize('NFKC')).catch(() => false);
  }
  const parsed = stored ? parseScrypt(stored) : undefined;
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when a stored hash was made with another algorithm or other parameters than the current ones (upgrade on next login). */
export function needsRehash(stored: string, params: PasswordHashing): boolean {
  if (params.algorithm === 'argon2id') {
    const had = parseArgon2id(stored);
    return !had || had.memoryCost !== params.memoryCost || had.timeCost !== params.timeCost || had.parallelism !== params.parallelism;
  }
  const parsed = parseScrypt(stored);
  return !parsed || parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
}
