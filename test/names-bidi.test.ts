import { expect } from 'chai';
import request from 'supertest';
import { World, OWNER } from './support/world.js';
import { MOUNT, USER_MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';
import { refusedWith } from './support/api.js';
import { waitForMail } from './support/user-mail.js';

const RLO = '\u202e';
const LRI = '\u2066';
const RLI = '\u2067';
const FSI = '\u2068';
const PDI = '\u2069';
const RLM = '\u200f';
/** Every bidirectional control the kit removes from names. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Every isolate the text opens is closed, none is closed that was not opened, and no embedding or
 * override is left in it: what makes a value unable to reorder the sentence around it.
 */
function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === LRI || c === RLI || c === FSI) depth++;
    else if (c === PDI && --depth < 0) return false;
    else if (/[\u202a-\u202e]/.test(c)) return false;
  }
  return depth === 0;
}

/**
 * Finding 13 of issue 21: bidirectional controls in names (U+202E, U+2066–U+2069) reached every
 * page and email, and a U+2069 closed the kit's own isolate in right-to-left sentences and
 * subjects. Names are now stored without any (removed, not refused; a name of nothing else is
 * "required"), and a value set into a sentence loses the controls that open or close a run.
 */
describe('bidirectional controls in names', function () {
  this.timeout(30_000);
  const world = new World();

  before(() => world.setUp());
  after(() => world.tearDown());

  it('au.api.createAccount stores the account name and the owner name without them', async () => {
    const { account, owner } = await world.host.au.api.createAccount({
      name: `${RLO}Hostile${PDI} Ltd${LRI}`,
      owner: { email: 'hostile-owner@example.com', name: `${RLI}Eve${PDI} ${RLM}Owner\u202a\u202b\u202c\u202d\u200e\u061c`, password: 'owner-password-2' },
    });
    expect(account.name).to.equal('Hostile Ltd');
    expect(owner.name).to.equal('Eve Owner');
    expect((await world.knex('au_accounts').where({ id: account.id }).first()).name).to.equal('Hostile Ltd');
    expect((await world.knex('au_users').where({ id: owner.id }).first()).name).to.equal('Eve Owner');
  });

  it('au.api.createAccount refuses a name of nothing but controls (InvalidInputError on `name`) and writes nothing', async () => {
    const [accounts, users] = [await world.count('accounts'), await world.count('users')];
    const err = await refusedWith(
      world.host.au.api.createAccount({ name: `${RLO}${PDI} `, owner: { email: 'nobody@example.com', name: 'Nobody', password: 'owner-password-3' } }),
      'InvalidInputError',
    );
    expect(err.issues!.map((i) => i.field)).to.deep.equal(['name']);
    expect([await world.count('accounts'), await world.count('users')]).to.deep.equal([accounts, users]);
  });

  it('a system actor named with controls is recorded without them', async () => {
    const { invitation } = await world.host.au.api.invite({
      actor: { system: `${RLO}support${PDI}` },
      accountId: world.account.id,
      email: 'by-support@example.com',
      permissions: ['invoices'],
      send: false,
    });
    expect(invitation.invitedBySystem).to.equal('support');
    expect((await world.knex('au_invitations').where({ id: invitation.id }).first()).invited_by_system).to.equal('support');
  });

  describe('over HTTP', () => {
    let link: string;

    before(async () => {
      const owner = await world.ownerBrowser();
      await owner.getJson(`${MOUNT}/`);
      await owner.postJson(`${MOUNT}/invite`, { email: 'newcomer@example.com', permissions: ['invoices'] });
      link = pathOf(world.smtp.linkFor('newcomer@example.com'));
    });

    it('registration through the accept page refuses a name of nothing but controls (400 naming `name`), writing nothing', async () => {
      const visitor = world.browser();
      await visitor.getJson(link);
      const users = await world.count('users');
      const res = await visitor.postJson(`${link}/register`, { name: `${LRI}${RLO}${PDI}`, password: 'a-good-password' });
      expect(res.status, res.text).to.equal(400);
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(['name']);
      expect(await world.count('users')).to.equal(users);
      expect((await world.knex('au_invitations').where({ email: 'newcomer@example.com' }).first()).status).to.equal('pending');
    });

    it('registration through the accept page (a form) stores the name without them', async () => {
      const visitor = world.browser();
      await visitor.get(link);
      const res = await visitor.post(`${link}/register`, { name: `Mallory ${RLO}fdp.exe${PDI}${PDI}`, password: 'a-good-password' });
      expect(res.status, res.text).to.equal(303);
      const user = await world.knex('au_users').where({ email: 'newcomer@example.com' }).first();
      expect(user.name).to.equal('Mallory fdp.exe');
      expect(user.name).not.to.match(BIDI);
    });

    it('a profile name change stores the name without them; one of nothing but controls is refused (400) and the name kept', async () => {
      const me = await world.ownerBrowser();
      await me.getJson(`${USER_MOUNT}/profile`);
      const saved = await me.postJson(`${USER_MOUNT}/profile`, { name: `${FSI}Olive${PDI} ${RLO}Owner` });
      expect(saved.status, saved.text).to.equal(200);
      expect(saved.body.user.name).to.equal('Olive Owner');
      expect((await world.knex('au_users').where({ id: world.ownerId }).first()).name).to.equal('Olive Owner');

      const refused = await me.postJson(`${USER_MOUNT}/profile`, { name: `${PDI}${PDI}` });
      expect(refused.status).to.equal(400);
      expect(refused.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(['name']);
      expect((await world.knex('au_users').where({ id: world.ownerId }).first()).name).to.equal(OWNER.name);
    });

    it("pages set names apart where they stand beside other words (<bdi>): the users page, the member's page, the accounts page", async () => {
      const owner = await world.ownerBrowser();
      const users = await owner.get(`${MOUNT}/`);
      expect(users.text).to.contain('<bdi>Mallory fdp.exe</bdi>');
      const user = await world.knex('au_users').where({ email: 'newcomer@example.com' }).first();
      expect((await owner.get(`${MOUNT}/users/${user.id}`)).text).to.contain(': <bdi>Mallory fdp.exe</bdi></h1>');
      expect((await owner.get(`${MOUNT}/accounts`)).text).to.contain('<bdi>Acme Ltd</bdi>');
    });
  });

  describe('a hostile name stored before (or by a host store) in right-to-left sentences', () => {
    const HOSTILE = `Evil${PDI}${PDI} Corp${RLO}`;
    let link: string;

    before(async () => {
      // As a row written before names were cleaned: straight into the table.
      await world.knex('au_accounts').where({ id: world.account.id }).update({ name: HOSTILE });
      await world
        .knex('au_users')
        .where({ id: world.ownerId })
        .update({ name: `${RLI}Olive${PDI}${PDI}` });
      const owner = await world.ownerBrowser();
      owner.agent.set('Accept-Language', 'ar');
      await owner.getJson(`${MOUNT}/`);
      const sent = await owner.postJson(`${MOUNT}/invite`, { email: 'arabic-reader@example.com', permissions: ['invoices'] });
      expect(sent.status, sent.text).to.equal(201);
      link = pathOf(world.smtp.linkFor('arabic-reader@example.com'));
    });

    it('the Arabic invitation subject and body stay balanced, the name isolated once and without its controls', async () => {
      const mail = await waitForMail(world.smtp, 'arabic-reader@example.com');
      expect(mail.subject).to.contain(`${FSI}Evil Corp${PDI}`);
      expect(balanced(mail.subject!), JSON.stringify(mail.subject)).to.equal(true);
      expect(mail.text).to.contain(`${FSI}Olive${PDI}`);
      expect(balanced(mail.text!), JSON.stringify(mail.text)).to.equal(true);
      expect(balanced(mail.html as string)).to.equal(true);
    });

    it("the Arabic accept page's sentence stays balanced", async () => {
      const page = await request(world.host.app).get(link).set('Accept-Language', 'ar');
      expect(page.status).to.equal(200);
      const lead = /<p class="au-lead">([^<]*)<\/p>/.exec(page.text)![1]!;
      expect(lead).to.contain(`${FSI}Evil Corp${PDI}`).and.contain(`${FSI}Olive${PDI}`);
      expect(balanced(lead), JSON.stringify(lead)).to.equal(true);
      expect(balanced(page.text)).to.equal(true);
    });
  });
});

/**
 * The attack review of the issue-21 fixes: a paragraph separator (U+2029, NEL U+0085, CR, LF,
 * U+001C–U+001E) closes every isolate before it (Unicode bidi rule X8), as U+2069 did, and line
 * separators and control characters belong in no one-line name. Names are stored without any of
 * \p{Cc}, \p{Zl}, \p{Zp} (removed, as the bidi controls are); a system actor's name, the host's
 * code, is refused with them (as its line breaks were); a value set into a sentence loses them.
 */
describe('paragraph separators and control characters in names', function () {
  this.timeout(30_000);
  const world = new World();
  beforeEach(() => world.setUp());
  afterEach(() => world.tearDown());

  const PS = '\u2029';
  const LS = '\u2028';
  const NEL = '\u0085';
  /** Bidi class B (paragraph separators): each ends the isolate around a value. */
  const PARAGRAPH = /[\u2029\u0085\u001c-\u001e\n\r]/;
  const ANY = /[\p{Cc}\p{Zl}\p{Zp}]/u;

  it('removes them from names stored through au.api.createAccount (account and owner) and the profile form, so none ends the isolate of the Arabic invitation subject', async () => {
    const { account, owner: evilOwner } = await world.host.au.createAccount({
      name: `Evil${PS} Corp`,
      owner: { email: 'evil-owner@evil.test', name: `Eve${NEL} Owner${LS}\t`, password: 'evil-owner-password-1' },
    });
    const owner = await world.ownerBrowser();
    await owner.get(`${USER_MOUNT}/profile`);
    const renamed = await owner.post(`${USER_MOUNT}/profile`, { name: `Olive${PS} Owner\r\n` });
    expect(renamed.status, renamed.text).to.equal(303);
    const stored = [
      (await world.knex('au_accounts').where({ id: account.id }).first()).name as string,
      (await world.knex('au_users').where({ id: evilOwner.id }).first()).name as string,
      (await world.knex('au_users').where({ id: world.ownerId }).first()).name as string,
    ];
    expect(stored).to.deep.equal(['Evil Corp', 'Eve Owner', 'Olive Owner']);
    await world.host.au.api.invite({
      actor: { userId: evilOwner.id },
      accountId: account.id,
      email: 'arabic-reader@example.com',
      permissions: ['invoices'],
      locale: 'ar',
    });
    const mail = await waitForMail(world.smtp, 'arabic-reader@example.com');
    expect(PARAGRAPH.test(mail.subject!), JSON.stringify(mail.subject)).to.equal(false);
    expect(mail.subject).to.contain(`${FSI}Evil Corp${PDI}`);
  });

  it("refuses them in a system actor's name (InvalidInputError on `actor`), writing nothing", async () => {
    for (const system of [`support${LS}jane`, `support${PS}`, `support${NEL}jane`, 'support\njane']) {
      const before = await world.count('invitations');
      const err = await refusedWith(
        world.host.au.api.invite({ actor: { system }, accountId: world.account.id, email: 'by-support@example.com', permissions: ['invoices'], send: false }),
        'InvalidInputError',
      );
      expect(
        err.issues!.map((i) => i.field.split('.')[0]),
        JSON.stringify(system),
      ).to.deep.equal(['actor']);
      expect(await world.count('invitations')).to.equal(before);
    }
  });

  it('refuses a name of nothing else as empty (400 naming `name`), writing nothing', async () => {
    const [accounts, users] = [await world.count('accounts'), await world.count('users')];
    const err = await refusedWith(
      world.host.au.api.createAccount({ name: `${PS}${NEL}\n`, owner: { email: 'nobody@example.com', name: 'Nobody', password: 'owner-password-3' } }),
      'InvalidInputError',
    );
    expect(err.issues!.map((i) => i.field)).to.deep.equal(['name']);
    expect([await world.count('accounts'), await world.count('users')]).to.deep.equal([accounts, users]);
  });

  it('keeps them out of the Arabic subject for a name stored before (or by a host store)', async () => {
    await world
      .knex('au_accounts')
      .where({ id: world.account.id })
      .update({ name: `Evil${PS}${NEL}\r\n Corp` });
    await world.host.au.api.invite({
      actor: { system: 'support' },
      accountId: world.account.id,
      email: 'arabic-reader@example.com',
      permissions: ['invoices'],
      locale: 'ar',
    });
    const mail = await waitForMail(world.smtp, 'arabic-reader@example.com');
    expect(ANY.test(mail.subject!), JSON.stringify(mail.subject)).to.equal(false);
    // (The subject's own header rule turns line breaks into spaces before the value is set in.)
    expect(mail.subject).to.match(new RegExp(`${FSI}Evil +Corp${PDI}`));
    expect(balanced(mail.subject!)).to.equal(true);
  });
});
