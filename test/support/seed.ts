import type { Knex } from 'knex';
import { tableNames } from '../../lib/store/db.js';

/** The password every seeded user shares (hashed once with the server's KDF parameters). */
export const PASSWORD = 'bench-password-1';
const t = tableNames('au_');
const MEMBER_PERMISSIONS = JSON.stringify(['invoices', 'tickets']);
const DAY = 24 * 60 * 60 * 1000;

// 400 rows a statement: knex writes a SQLite multi-row insert as a compound SELECT, capped at 500 terms.
async function insertBatched(knex: Knex, table: string, rows: Record<string, unknown>[], size = 400): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await knex(table).insert(rows.slice(i, i + size));
}

async function idsByEmail(knex: Knex, emails: string[]): Promise<number[]> {
  const found = new Map<string, number>();
  for (let i = 0; i < emails.length; i += 1000) {
    for (const r of await knex(t.users)
      .select('id', 'email')
      .whereIn('email', emails.slice(i, i + 1000)))
      found.set(String(r.email), Number(r.id));
  }
  return emails.map((e) => {
    const id = found.get(e);
    if (id === undefined) throw new Error(`seed: no user ${e}`);
    return id;
  });
}

async function insertAccount(knex: Knex, name: string, ownerUserId: number, now: number): Promise<number> {
  await knex(t.accounts).insert({ name, owner_user_id: ownerUserId, created_at: now });
  const r = await knex(t.accounts).where({ name, owner_user_id: ownerUserId }).orderBy('id', 'desc').first('id');
  return Number(r.id);
}

/**
 * An account with `size` users (the owner and size-1 members holding invoices and tickets),
 * written in bulk. Emails are `<prefix>-<i>@bench.test`, i = 0 being the owner.
 */
export async function seedAccount(
  knex: Knex,
  prefix: string,
  size: number,
  passwordHash: string,
): Promise<{ accountId: number; userIds: number[]; emails: string[] }> {
  const now = Date.now();
  const emails = Array.from({ length: size }, (_, i) => `${prefix}-${i}@bench.test`);
  await insertBatched(
    knex,
    t.users,
    emails.map((email, i) => ({ email, name: `${prefix} user ${i}`, password_hash: passwordHash, created_at: now })),
  );
  const userIds = await idsByEmail(knex, emails);
  const accountId = await insertAccount(knex, `${prefix} Ltd`, userIds[0]!, now);
  await insertBatched(
    knex,
    t.memberships,
    userIds.map((userId, i) => ({
      account_id: accountId,
      user_id: userId,
      permissions: i === 0 ? JSON.stringify([]) : MEMBER_PERMISSIONS,
      invited_by: i === 0 ? null : userIds[0],
      created_at: now + i,
      updated_at: now + i,
    })),
  );
  return { accountId, userIds, emails };
}

/**
 * `count` entries in the account's activity log (permission changes of `subjectUserId` by
 * `actorUserId`, a second apart), oldest first; each entry's details carry its number `n` (0 the oldest).
 */
export async function seedActivity(knex: Knex, accountId: number, actorUserId: number, subjectUserId: number, count: number): Promise<void> {
  const start = Date.now() - count * 1000;
  await insertBatched(
    knex,
    t.activity,
    Array.from({ length: count }, (_, n) => ({
      account_id: accountId,
      actor_user_id: actorUserId,
      subject_user_id: subjectUserId,
      action: 'member.permissions_changed',
      details: JSON.stringify({ from: ['invoices'], to: ['invoices', 'tickets'], n }),
      created_at: start + n * 1000,
    })),
  );
}

/** `count` pending invitations to the account, each already mailed once (an outbox row marked sent). */
export async function seedInvitations(knex: Knex, accountId: number, invitedBy: number, count: number): Promise<void> {
  const now = Date.now();
  await insertBatched(
    knex,
    t.invitations,
    Array.from({ length: count }, (_, i) => {
      const email = `invitee-${accountId}-${i}@bench.test`;
      return {
        account_id: accountId,
        email,
        pending_email: email,
        permissions: MEMBER_PERMISSIONS,
        token_hash: null,
        status: 'pending',
        invited_by: invitedBy,
        send_count: 1,
        expires_at: now + 7 * DAY,
        sent_at: now,
        created_at: now - count + i,
        updated_at: now,
      };
    }),
  );
  const invitations = await knex(t.invitations).select('id', 'email').where({ account_id: accountId });
  await insertBatched(
    knex,
    t.outbox,
    invitations.map((r) => ({
      invitation_id: Number(r.id),
      recipient: String(r.email),
      link_prefix: 'http://bench.invalid/account/users/accept/',
      status: 'sent',
      attempts: 1,
      next_attempt_at: now,
      sent_at: now,
      created_at: now,
    })),
  );
}

/** Many small accounts (10 users each) until the database holds `total` memberships in all. */
export async function seedFiller(knex: Knex, total: number, passwordHash: string, onProgress?: (n: number) => void): Promise<void> {
  const row = (await knex(t.memberships).count({ n: '*' }).first()) as { n: unknown };
  let have = Number(row.n);
  const accountsNeeded = Math.ceil(Math.max(0, total - have) / 10);
  // Fifty accounts (500 users) per round keeps every insert at a few hundred rows.
  for (let a = 0; a < accountsNeeded; a += 50) {
    const now = Date.now();
    const batch = Math.min(50, accountsNeeded - a);
    const emails = Array.from({ length: batch * 10 }, (_, i) => `filler-${a * 10 + i}@bench.test`);
    await insertBatched(
      knex,
      t.users,
      emails.map((email, i) => ({ email, name: `Filler ${a * 10 + i}`, password_hash: passwordHash, created_at: now })),
    );
    const ids = await idsByEmail(knex, emails);
    const accounts = [];
    for (let k = 0; k < batch; k++) accounts.push({ name: `Filler ${a + k} Ltd`, owner_user_id: ids[k * 10]!, created_at: now });
    await insertBatched(knex, t.accounts, accounts);
    const accountRows = await knex(t.accounts)
      .select('id', 'owner_user_id')
      .whereIn(
        'owner_user_id',
        accounts.map((x) => x.owner_user_id),
      );
    const accountOf = new Map(accountRows.map((r) => [Number(r.owner_user_id), Number(r.id)]));
    const memberships = ids.map((userId, i) => {
      const owner = ids[Math.floor(i / 10) * 10]!;
      return {
        account_id: accountOf.get(owner)!,
        user_id: userId,
        permissions: userId === owner ? '[]' : MEMBER_PERMISSIONS,
        invited_by: userId === owner ? null : owner,
        created_at: now,
        updated_at: now,
      };
    });
    await insertBatched(knex, t.memberships, memberships);
    have += memberships.length;
    onProgress?.(have);
  }
}

/**
 * Fresh planner statistics after a bulk load, as autovacuum would give a live database. On
 * PostgreSQL a VACUUM too: otherwise autovacuum starts on the freshly written tables a minute
 * later, in the middle of whatever is being measured.
 */
export async function analyze(knex: Knex, dialect: string): Promise<void> {
  if (dialect === 'pg')
    await knex.raw(
      `vacuum analyze ${Object.values(t)
        .map((name) => `"${name}"`)
        .join(', ')}`,
    );
  else if (dialect === 'mysql') for (const table of Object.values(t)) await knex.raw(`analyze table \`${table}\``).catch(() => undefined);
  else await knex.raw('analyze');
}
