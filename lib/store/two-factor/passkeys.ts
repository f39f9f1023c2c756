import { createHash } from 'node:crypto';
import type { Db, Tables } from '../db.js';
import { insertReturningId, toDate, toDateOrNull, toNumber } from '../db.js';

/** One registered passkey (WebAuthn credential) of a login. */
export interface PasskeyRow {
  id: number;
  userId: number;
  /** base64url, as the browser names it. */
  credentialId: string;
  /** The WebAuthn user id the authenticator holds (base64url). */
  userHandle: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskey = Omit<PasskeyRow, 'id' | 'lastUsedAt'>;

/** A credential id's key in the table: its SHA-256 (the id itself may be longer than a MariaDB unique index allows). */
export function credentialHash(credentialId: string): string {
  return createHash('sha256').update(credentialId).digest('hex');
}

function fromRow(r: Record<string, unknown>): PasskeyRow {
  return {
    id: toNumber(r.id),
    userId: toNumber(r.user_id),
    credentialId: String(r.credential_id),
    userHandle: String(r.user_handle),
    publicKey: String(r.public_key),
    counter: toNumber(r.counter),
    transports: (typeof r.transports === 'string' ? r.transports : '').split(',').filter((s) => s !== ''),
    name: String(r.name),
    backedUp: r.backed_up === true || r.backed_up === 1 || r.backed_up === '1',
    createdAt: toDate(r.created_at),
    lastUsedAt: toDateOrNull(r.last_used_at),
  };
}

export function passkeysTable(t: Tables) {
  return {
    async listFor(db: Db, userId: number): Promise<PasskeyRow[]> {
      const rows = await db(t.passkeys).where({ user_id: userId }).orderBy('id', 'asc');
      return rows.map(fromRow);
    },
    async count(db: Db, userId: number): Promise<number> {
      const r = (await db(t.passkeys).where({ user_id: userId }).count({ n: '*' }).first()) as { n?: unknown } | undefined;
      return toNumber(r?.n ?? 0);
    },
    /** Whoever's it is: the caller decides whether it may be used. */
    async findByCredentialId(db: Db, credentialId: string): Promise<PasskeyRow | undefined> {
      const r = await db(t.passkeys)
        .where({ credential_hash: credentialHash(credentialId) })
        .first();
      return r && String(r.credential_id) === credentialId ? fromRow(r) : undefined;
    },
    /** A passkey of this login only: another login's id finds nothing. */
    async findOfUser(db: Db, userId: number, id: number): Promise<PasskeyRow | undefined> {
      const r = await db(t.passkeys).where({ id, user_id: userId }).first();
      return r ? fromRow(r) : undefined;
    },
    /** The user handle the login's passkeys share, if it has any. */
    async userHandleOf(db: Db, userId: number): Promise<string | undefined> {
      const r = await db(t.passkeys).where({ user_id: userId }).orderBy('id', 'asc').first('user_handle');
      return r ? String(r.user_handle) : undefined;
    },
    /** Inserts; a credential already stored (any login's) is a unique violation the caller turns into a refusal. */
    async insert(db: Db, p: NewPasskey): Promise<number> {
      const row = {
        user_id: p.userId,
        credential_hash: credentialHash(p.credentialId),
        credential_id: p.credentialId,
        user_handle: p.userHandle,
        public_key: p.publicKey,
        counter: p.counter,
        transports: p.transports.join(','),
        name: p.name,
        backed_up: p.backedUp,
        created_at: p.createdAt.getTime(),
        last_used_at: null,
      };
      return insertReturningId(db, t.passkeys, row);
    },
    /**
     * Records a use: the counter moves from the value read to the new one, or nothing happens (false)
     * when another request moved it meanwhile, so one signature cannot be used twice at once.
     */
    async recordUse(db: Db, id: number, counterRead: number, newCounter: number, now: Date): Promise<boolean> {
      return (await db(t.passkeys).where({ id, counter: counterRead }).update({ counter: newCounter, last_used_at: now.getTime() })) === 1;
    },
    async rename(db: Db, userId: number, id: number, name: string): Promise<boolean> {
      return (await db(t.passkeys).where({ id, user_id: userId }).update({ name })) === 1;
    },
    async remove(db: Db, userId: number, id: number): Promise<boolean> {
      return (await db(t.passkeys).where({ id, user_id: userId }).del()) === 1;
    },
    async removeAll(db: Db, userId: number): Promise<number> {
      return db(t.passkeys).where({ user_id: userId }).del();
    },
  };
}
