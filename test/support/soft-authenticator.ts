import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/*
 * A software authenticator for tests: it makes ES256 passkeys with attestation "none" and signs
 * assertions with node:crypto, building the CBOR, authenticator data and client data itself (as
 * WebAuthn §6 lays them out), so the server's checks run against answers made byte by byte.
 * Nothing here imports the kit: the consumer tests (a packed tarball's host) use it too.
 */

const b64url = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();

/** The CBOR the authenticator writes: unsigned/negative integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  cosePublicKey: Buffer;
  userHandle: string;
  rpID: string;
  counter: number;
}

export interface CeremonyOverrides {
  origin?: string;
  rpID?: string;
  /** User verification (PIN, biometrics) claimed in the flags: true unless said otherwise. */
  uv?: boolean;
  /** The signature count to report; by default one more than the last. */
  counter?: number;
  /** Sign for this challenge instead of the options' one. */
  challenge?: string;
  /** Re-use this credential id (a credential already registered somewhere). */
  credentialId?: Buffer;
  userHandle?: string | null;
}

export interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string };
}
export interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: Array<{ id: string }>;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(readonly origin: string) {}

  /** navigator.credentials.create: a new passkey, answered as @simplewebauthn/browser's startRegistration would. */
  create(options: CreationOptions, o: CeremonyOverrides = {}): Record<string, unknown> {
    const rpID = o.rpID ?? options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    const cose = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x, 'base64url')],
        [-3, Buffer.from(jwk.y, 'base64url')],
      ]),
    );
    const id = o.credentialId ?? randomBytes(32);
    const counter = o.counter ?? 0;
    const flags = 0x01 | (o.uv === false ? 0 : 0x04) | 0x40;
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([sha256(rpID), Buffer.from([flags]), counterBytes, Buffer.alloc(16), idLength, id, cose]);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const clientData = { type: 'webauthn.create', challenge: o.challenge ?? options.challenge, origin: o.origin ?? this.origin, crossOrigin: false };
    this.credentials.push({ id, privateKey, cosePublicKey: cose, userHandle: options.user.id, rpID, counter });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(Buffer.from(JSON.stringify(clientData))),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** navigator.credentials.get: an assertion by `credential` (the last made, by default). */
  get(options: RequestOptions, o: CeremonyOverrides & { credential?: SoftCredential } = {}): Record<string, unknown> {
    const credential = o.credential ?? this.credentials[this.credentials.length - 1];
    if (!credential) throw new Error('the soft authenticator has no passkey');
    const rpID = o.rpID ?? options.rpId ?? credential.rpID;
    credential.counter = o.counter ?? credential.counter + 1;
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(credential.counter);
    const authData = Buffer.concat([sha256(rpID), Buffer.from([0x01 | (o.uv === false ? 0 : 0x04)]), counterBytes]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: o.challenge ?? options.challenge, origin: o.origin ?? this.origin, crossOrigin: false }),
    );
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    const userHandle = o.userHandle === undefined ? credential.userHandle : o.userHandle;
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(userHandle === null ? {} : { userHandle }),
      },
    };
  }
}
