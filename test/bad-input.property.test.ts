import { expect } from 'chai';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import type { Response } from 'supertest';
import { useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { addMember } from './support/members.js';
import { PERMISSIONS } from '../lib/index.js';

const KEYS = PERMISSIONS.map((p) => p.key);
const RUNS = { numRuns: 30 };
const HTML_SPECIAL = /[<>"'&`=]/;
/** Wraps generated text in markers no template contains, so finding it raw on a page means it went out unescaped. */
const marked = (v: unknown) => (typeof v === 'string' ? `Zq9${v}Zq9` : v);

// ---- generators -------------------------------------------------------------------------
const nonString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

const emails = fc.oneof(
  fc.emailAddress(),
  fc.emailAddress().map((e) => `  ${e.toUpperCase()} `),
  fc.tuple(fc.emailAddress(), fc.constantFrom('\r\n', '\n', '\r', '\u0000', '\r\nBcc: victim@evil.test')).map(([e, brk]) => `${e}${brk}`),
  fc.tuple(fc.constantFrom('\r\nBcc: victim@evil.test\r\n', '\n'), fc.emailAddress()).map(([brk, e]) => `${e.split('@')[0]}${brk}@${e.split('@')[1]}`),
  fc.emailAddress().map((e) => `${'a'.repeat(300)}${e}`),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('ünïcødé@exämple.com', 'user@例え.jp', '"quoted"@example.com', '<script>@x.com', 'a@b', '@example.com', '', 'x@y.z\u202E', '<b>@example.com'),
  nonString,
);

const names = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    '{{constructor.constructor "alert(1)"}}',
    '{{{body}}}',
    '{{> layout}}',
    '\u202Eevil\u202C Name',
    'שלום עולם',
    'Name\u0000NUL',
    'a\r\nBcc: x@evil.test',
    "O'Brien & Sons = `tick`",
    '   ',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ minLength: 256, maxLength: 300 }),
  nonString,
);

const permissionValues = fc.oneof(
  fc.array(fc.constantFrom(...KEYS), { maxLength: 20 }),
  fc.array(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), { maxLength: 8 }),
  fc.constantFrom(...KEYS),
  fc.string({ maxLength: 12 }),
  fc.array(fc.constantFrom(...KEYS), { minLength: 53, maxLength: 400 }),
  fc.array(fc.array(fc.constantFrom(...KEYS), { maxLength: 2 }), { maxLength: 3 }),
  nonString,
  fc.constant(undefined),
);

const ids = fc
  .oneof(
    fc.constantFrom(
      '0',
      '-1',
      '1e3',
      '0x10',
      '1.5',
      '1 OR 1=1',
      '1; DROP TABLE au_users',
      "1' OR '1'='1",
      '99999999999999999999',
      '2147483648',
      ' 1',
      '01',
      '%00',
      'NaN',
      'Infinity',
      '1/../2',
      '１',
    ),
    fc.string({ maxLength: 20 }),
    fc.bigInt({ min: 2n ** 31n, max: 2n ** 70n }).map(String),
    fc.integer({ min: -1_000_000, max: 0 }).map(String),
  )
  // A small positive integer may be a real id (the owner's, a member's); those are not bad input.
  .filter((s) => !/^\s*\d+\s*$/.test(s) || Number(s) >= 2 ** 31 || /^0/.test(s.trim()))
  .filter((s) => s !== '.' && s !== '..' && s.trim() !== '');

// ---- expectations -----------------------------------------------------------------------
/** Permissions the kit should accept, as it would store them, or undefined when it must refuse. */
function acceptedPermissions(value: unknown, allowEmpty: boolean): string[] | undefined {
  const list =
    value === undefined ? [] : typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  if (!list || list.length > KEYS.length * 4 || list.some((k) => !KEYS.includes(k as never))) return undefined;
  if (!allowEmpty && list.length === 0) return undefined;
  return KEYS.filter((k) => list.includes(k));
}

/** A refusal the visitor can act on: 400, 404 or 410 with a message, never a 500. */
function expectClearRefusal(res: Response, allowed = [400, 404, 410]) {
  expect(res.status, res.text?.slice(0, 300)).to.be.oneOf(allowed);
  if (res.type === 'application/json') {
    expect(res.body.error.message).to.be.a('string').and.not.equal('');
  } else {
    expect(res.text).to.match(/role="alert"/);
  }
}

/** The input shown on a page only in its HTML-escaped form. */
function expectEscaped(html: string, input: string) {
  const value = input.trim();
  if (!HTML_SPECIAL.test(value)) return;
  expect(html).to.not.contain(value);
  expect(html).to.contain(Handlebars.escapeExpression(value));
}

describe('bad input (property-based)', function () {
  this.timeout(60_000);
  const { world, owner } = useWorld({ limits: { invitationsPerDay: 1_000_000, acceptPerWindow: 1_000_000 } });
  let seq = 0;

  const snapshot = async () => ({
    users: await world.count('users'),
    accounts: await world.count('accounts'),
    invitations: await world.count('invitations'),
    outbox: await world.count('outbox'),
    memberships: await world.count('account_users'),
    activity: await world.count('activity'),
  });

  it('emails: an invite is stored normalised or refused with 400 naming the field, never a 500, nothing written when refused', async () => {
    await fc.assert(
      fc.asyncProperty(emails, async (email) => {
        const before = await snapshot();
        const res = await owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] });
        if (res.status === 400) {
          expectClearRefusal(res);
          expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.include('email');
          expect(await snapshot()).to.deep.equal(before);
          return;
        }
        expect(res.status, res.text).to.be.oneOf([200, 201]);
        const stored = res.body.invitation.email as string;
        expect(stored).to.equal((email as string).trim().toLowerCase());
        expect(stored).to.not.match(/[\u0000-\u001f\u007f]/);
        for (const mail of world.smtp.to(stored)) expect(mail.subject).to.not.match(/[\r\n]/);
      }),
      RUNS,
    );
  });

  it('emails: the invite form sent back with an error shows the input only HTML-escaped', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('<script>alert(1)</script>', '"><svg onload=alert(1)>', '{{7*7}}@x'), fc.string({ unit: 'grapheme', maxLength: 30 })),
        async (email) => {
          await owner.get(`${MOUNT}/invite`);
          const before = await snapshot();
          const submitted = `Zq9${email}\n<b>Zq9`;
          const res = await owner.post(`${MOUNT}/invite`, { email: submitted, permissions: ['invoices'] });
          expectClearRefusal(res, [400]);
          expectEscaped(res.text, submitted);
          expect(await snapshot()).to.deep.equal(before);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('names: registration stores the name or refuses it with 400; pages show it escaped', async () => {
    await fc.assert(
      fc.asyncProperty(names.map(marked), async (name) => {
        const email = `named${++seq}@example.com`;
        expect((await owner.postJson(`${MOUNT}/invite`, { email, permissions: ['invoices'] })).status).to.equal(201);
        const link = pathOf(world.smtp.linkFor(email));
        const visitor = world.browser();
        await visitor.getJson(link);
        const before = await snapshot();
        const res = await visitor.postJson(`${link}/register`, { name, password: 'a-good-password' });
        if (res.status === 400) {
          expectClearRefusal(res);
          expect(await snapshot()).to.deep.equal(before);
          expect(await world.knex('au_users').where({ email }).first()).to.equal(undefined);
          return;
        }
        expect(res.status, res.text).to.equal(201);
        expect(typeof name).to.equal('string');
        const userId = res.body.user.id as number;
        const page = await owner.get(`${MOUNT}/users/${userId}`);
        expect(page.status).to.equal(200);
        expectEscaped(page.text, name as string);
        const activity = await owner.get(`${MOUNT}/activity`);
        expectEscaped(activity.text, name as string);
      }),
      { numRuns: 25 },
    );
  });

  it('account names: the email subject never carries a header break and the HTML email shows the name escaped', async () => {
    await fc.assert(
      fc.asyncProperty(names.map(marked), async (name) => {
        const n = ++seq;
        const before = await snapshot();
        let created;
        try {
          created = await world.host.au.createAccount({
            name: name as string,
            owner: { email: `acct${n}@example.com`, name: 'Acct Owner', password: 'acct-password-1' },
          });
        } catch (err) {
          expect((err as Error).name).to.equal('InvalidInputError');
          expect(await snapshot()).to.deep.equal(before);
          return;
        }
        void created;
        const b = world.browser();
        await b.login(`acct${n}@example.com`, 'acct-password-1');
        await b.getJson(`${MOUNT}/`);
        const to = `to${n}@example.com`;
        expect((await b.postJson(`${MOUNT}/invite`, { email: to, permissions: ['invoices'] })).status).to.equal(201);
        const [mail] = world.smtp.to(to);
        expect(mail!.subject).to.not.match(/[\r\n]/);
        expect(mail!.subject!.endsWith(' has invited you to their account.')).to.equal(true);
        expect(mail!.headers.has('bcc')).to.equal(false);
        expectEscaped(String(mail!.html), name as string);
      }),
      { numRuns: 25 },
    );
  });

  it('permissions on invite: accepted exactly when every entry is a known key (deduplicated), else 400 with nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(permissionValues, async (permissions) => {
        const email = `perm${++seq}@example.com`;
        const before = await snapshot();
        const res = await owner.postJson(`${MOUNT}/invite`, permissions === undefined ? { email } : { email, permissions });
        const expected = acceptedPermissions(permissions, false);
        if (expected === undefined) {
          expectClearRefusal(res, [400]);
          expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.include('permissions');
          expect(await snapshot()).to.deep.equal(before);
        } else {
          expect(res.status, res.text).to.equal(201);
          expect(res.body.invitation.permissions).to.deep.equal(expected);
        }
      }),
      RUNS,
    );
  });

  it('permissions on a member: saved exactly when every entry is a known key, else 400 and the grant unchanged', async () => {
    const member = await addMember(world, owner, 'edited@example.com', ['invoices']);
    await owner.getJson(`${MOUNT}/users/${member.userId}`);
    const current = async () =>
      JSON.parse(String(((await world.knex('au_account_users').where({ user_id: member.userId }).first()) as { permissions: unknown }).permissions));
    await fc.assert(
      fc.asyncProperty(permissionValues, async (permissions) => {
        const was = await current();
        const res = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, permissions === undefined ? {} : { permissions });
        const expected = acceptedPermissions(permissions, true);
        if (expected === undefined) {
          expectClearRefusal(res, [400]);
          expect(await current()).to.deep.equal(was);
        } else {
          expect(res.status, res.text).to.equal(200);
          expect(await current()).to.deep.equal(expected);
        }
      }),
      RUNS,
    );
  });

  it("tokens: wrong length, wrong alphabet, mutated or another invitation's dead token get 404/410, never a 500, nothing written", async () => {
    // A token of another account's invitation that has been cancelled, and one that was used.
    const other = await world.host.au.createAccount({
      name: 'Other Co',
      owner: { email: 'other-owner@example.com', name: 'Oscar', password: 'other-password-1' },
    });
    void other;
    const otherOwner = world.browser();
    await otherOwner.login('other-owner@example.com', 'other-password-1');
    await otherOwner.getJson(`${MOUNT}/`);
    const inv = await otherOwner.postJson(`${MOUNT}/invite`, { email: 'cancelled-elsewhere@example.com', permissions: ['invoices'] });
    const cancelledToken = pathOf(world.smtp.linkFor('cancelled-elsewhere@example.com')).split('/').pop()!;
    await otherOwner.postJson(`${MOUNT}/invitations/${inv.body.invitation.id}/cancel`, {});
    await owner.postJson(`${MOUNT}/invite`, { email: 'live@example.com', permissions: ['invoices'] });
    const live = pathOf(world.smtp.linkFor('live@example.com')).split('/').pop()!;
    const visitor = world.browser();
    await visitor.getJson(`${MOUNT}/accept/${live}`);

    const tokens = fc
      .oneof(
        fc.string({ minLength: 1, maxLength: 42 }),
        fc.string({ minLength: 44, maxLength: 120 }),
        fc.string({ unit: 'grapheme', minLength: 43, maxLength: 43 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        fc
          .integer({ min: 0, max: 42 })
          .chain((i) => fc.constantFrom('A', 'z', '0', '_').map((c) => live.slice(0, i) + (live[i] === c ? 'B' : c) + live.slice(i + 1))),
        fc.constantFrom(cancelledToken, `${live}=`, live.toUpperCase(), `${live}%00`, "' OR 1=1 --", '../../etc/passwd'),
      )
      .filter((t) => t !== live && t !== '.' && t !== '..');
    await fc.assert(
      fc.asyncProperty(tokens, fc.constantFrom('show', 'register', 'accept'), async (token, action) => {
        const before = await snapshot();
        const path = `${MOUNT}/accept/${encodeURIComponent(token)}`;
        const res =
          action === 'show'
            ? await visitor.agent.get(path).set('Accept', 'application/json')
            : await visitor.postJson(action === 'register' ? `${path}/register` : path, { name: 'Guesser', password: 'a-good-password' });
        // An anonymous POST to accept is told to sign in first (401), whatever the token.
        expectClearRefusal(res, action === 'accept' ? [401, 404, 410] : [404, 410]);
        if (token === cancelledToken) expect(res.status).to.be.oneOf([401, 410]);
        expect(await snapshot()).to.deep.equal(before);
      }),
      { numRuns: 60 },
    );
  });

  it('ids: non-numeric, negative, huge or SQL fragments get 404 on every route with an id (400 for a list cursor), nothing written', async () => {
    const routes = [
      (id: string) => owner.postJson(`${MOUNT}/invitations/${encodeURIComponent(id)}/resend`, {}),
      (id: string) => owner.postJson(`${MOUNT}/invitations/${encodeURIComponent(id)}/cancel`, {}),
      (id: string) => owner.agent.get(`${MOUNT}/users/${encodeURIComponent(id)}`).set('Accept', 'application/json'),
      (id: string) => owner.postJson(`${MOUNT}/users/${encodeURIComponent(id)}/permissions`, { permissions: KEYS }),
      (id: string) => owner.agent.get(`${MOUNT}/users/${encodeURIComponent(id)}/remove`).set('Accept', 'application/json'),
      (id: string) => owner.postJson(`${MOUNT}/users/${encodeURIComponent(id)}/remove`, {}),
      (id: string) => owner.postJson(`${MOUNT}/accounts/${encodeURIComponent(id)}/leave`, {}),
      (id: string) => owner.postJson(`${MOUNT}/accounts/switch`, { accountId: id }),
      (id: string) => owner.agent.get(`${MOUNT}/?membersAfter=${encodeURIComponent(id)}`).set('Accept', 'application/json'),
      (id: string) => owner.agent.get(`${MOUNT}/?invitationsBefore=${encodeURIComponent(id)}`).set('Accept', 'application/json'),
      (id: string) => owner.agent.get(`${MOUNT}/activity?after=${encodeURIComponent(id)}`).set('Accept', 'application/json'),
    ];
    const cursorRoutes = 3;
    await owner.getJson(`${MOUNT}/`);
    await fc.assert(
      fc.asyncProperty(ids, fc.integer({ min: 0, max: routes.length - 1 }), async (id, r) => {
        const before = await snapshot();
        const res = await routes[r]!(id);
        if (r >= routes.length - cursorRoutes) {
          // A list cursor is a position, not a record: any row id is a valid one (a page of the
          // owner's own rows), anything else is refused with 400 naming the parameter.
          if (/^[1-9][0-9]{0,9}$/.test(id) && Number(id) < 2 ** 31) expect(res.status).to.equal(200);
          else {
            expectClearRefusal(res, [400]);
            expect(res.body.error.fields[0].field).to.be.oneOf(['membersAfter', 'invitationsBefore', 'after']);
          }
        } else expectClearRefusal(res, [404]);
        expect(await snapshot()).to.deep.equal(before);
      }),
      { numRuns: 60 },
    );
  });
});
