import { expect } from 'chai';
import { Browser, pathOf } from './support/client.js';
import { ExamplePortalWorld } from './support/example-portal.js';
import type { Portal } from '../example-app/app.js';
import type { MailCatcher } from '../example-app/mail-catcher.js';
import { readConfig } from '../example-app/config.js';
import { DEMO_OWNER, seedDemo } from '../example-app/seed.js';

/** The section links in the portal's navigation, by permission key. */
function navSections(html: string): string[] {
  const nav = /<nav aria-label="Client area"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/data-section="([a-z]+)"/g)].map((m) => m[1]!).filter((s) => s !== 'home');
}

/** The id of the first table row (data-<kind>-id) whose cells mention `text`. */
function rowId(html: string, kind: string, text: string): string {
  const row = [...html.matchAll(new RegExp(`data-${kind}-id="(\\d+)">([^]*?)</tr>`, 'g'))].find((m) => m[2]!.includes(text));
  if (!row) throw new Error(`no ${kind} row mentioning ${text}`);
  return row[1]!;
}

async function logIn(browser: Browser, email: string, password: string, returnTo?: string) {
  await browser.get('/login');
  return browser.post(`/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`, { email, password });
}

function linkIn(catcher: MailCatcher, to: string): string {
  const mail = [...catcher.messages].reverse().find((m) => m.to.includes(to));
  const link = /https?:\/\/\S+\/accept\/[A-Za-z0-9_-]{43}/.exec(mail?.text ?? '')?.[0];
  if (!link) throw new Error(`no invitation link for ${to}`);
  return link;
}

describe('example-app (Acme Hosting), driven through its own pages', () => {
  const world = new ExamplePortalWorld();
  let catcher: MailCatcher;
  let portal: Portal;
  let owner: Browser;
  let member: Browser;

  before(async () => {
    await world.setUp();
    ({ catcher, portal } = world);
  });
  after(() => world.tearDown());

  it('sends an anonymous visitor of a guarded page to the login page with returnTo', async () => {
    const res = await new Browser(portal.app).get('/invoices');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/login?returnTo=%2Finvoices');
  });

  it('signs a new customer up as the owner of a new account and shows every section', async () => {
    owner = new Browser(portal.app);
    await owner.get('/signup');
    const res = await owner.post('/signup', { name: 'Olive Owner', company: 'Olive Media', email: 'olive@example.com', password: 'olive-password-1' });
    expect(res.status).to.equal(303);
    const home = await owner.get('/');
    expect(home.status).to.equal(200);
    expect(home.text).to.contain('Account: <strong><bdi>Olive Media</bdi></strong>');
    expect(navSections(home.text)).to.deep.equal([
      'profile',
      'contacts',
      'products',
      'domains',
      'invoices',
      'quotes',
      'tickets',
      'affiliates',
      'emails',
      'orders',
    ]);
  });

  it('refuses a sign-up with an email that already has a login, saying so', async () => {
    const visitor = new Browser(portal.app);
    await visitor.get('/signup');
    const res = await visitor.post('/signup', { name: 'Copy Cat', email: 'olive@example.com', password: 'another-password' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('already exists');
  });

  it('refuses a portal form without the CSRF token and changes nothing', async () => {
    const invoices = await owner.get('/invoices');
    const id = rowId(invoices.text, 'invoice', 'Unpaid');
    const res = await owner.post(`/invoices/${id}/pay`, {}, { csrf: null });
    expect(res.status).to.equal(403);
    expect((await owner.get('/invoices')).text).to.match(/INV-1002<\/td><td[^>]*>[^<]*<\/td><td[^>]*>[^<]*<\/td><td[^>]*>Unpaid/);
  });

  it('pays an invoice with the Pay button', async () => {
    const invoices = await owner.get('/invoices');
    const id = rowId(invoices.text, 'invoice', 'Unpaid');
    const res = await owner.post(`/invoices/${id}/pay`);
    expect(res.status).to.equal(303);
    const after = await owner.get('/invoices');
    expect(after.text).to.contain('Invoice INV-1002 paid');
    expect(after.text).to.not.contain('Unpaid');
  });

  it('reveals a service password only when asked, with a POST', async () => {
    const services = await owner.get('/services');
    expect(services.text).to.not.contain('acme-secret');
    const res = await owner.post(`/services/${rowId(services.text, 'service', 'Business Hosting')}/password`);
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<code class="acme-secret">[A-Za-z0-9_-]{12}<\/code>/);
    expect(res.headers['cache-control']).to.equal('no-store');
  });

  it('opens the control panel of a service through single sign-on', async () => {
    const services = await owner.get('/services');
    const res = await owner.post(`/services/${rowId(services.text, 'service', 'Cloud VPS')}/sso`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('You are signed in to the control panel of <strong>vps.olive-media.example</strong>');
  });

  it('saves new nameservers for a domain, and refuses ones that are not host names', async () => {
    const domains = await owner.get('/domains');
    const id = rowId(domains.text, 'domain', 'olive-media.example');
    expect((await owner.post(`/domains/${id}/nameservers`, { ns1: 'ns1.cloudhost.example', ns2: 'ns2.cloudhost.example' })).status).to.equal(303);
    expect((await owner.get('/domains')).text)
      .to.contain('value="ns1.cloudhost.example"')
      .and.contain('Nameservers for olive-media.example saved.');
    await owner.post(`/domains/${id}/nameservers`, { ns1: 'not a host', ns2: '' });
    const after = await owner.get('/domains');
    expect(after.text).to.contain('Nameservers not saved').and.contain('value="ns1.cloudhost.example"');
  });

  it('places an order: a pending service and an unpaid invoice appear', async () => {
    await owner.get('/order');
    expect((await owner.post('/order', { product: 'vps', domain: 'new-shop.example' })).status).to.equal(303);
    expect((await owner.get('/services')).text).to.match(/Cloud VPS 2 GB<\/td><td[^>]*>new-shop\.example<\/td><td[^>]*>[^<]*<\/td><td[^>]*>Pending/);
    expect((await owner.get('/invoices')).text).to.contain('Unpaid');
  });

  it('answers a wrong password with 401 and the login form again', async () => {
    const res = await logIn(new Browser(portal.app), 'olive@example.com', 'wrong-password');
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('Incorrect email or password.');
  });

  it('returns to a same-origin returnTo after login, and ignores one that points elsewhere', async () => {
    const back = await logIn(new Browser(portal.app), 'olive@example.com', 'olive-password-1', '/domains');
    expect(back.headers.location).to.equal('/domains');
    const offsite = await logIn(new Browser(portal.app), 'olive@example.com', 'olive-password-1', '//evil.example/steal');
    expect(offsite.headers.location).to.equal('/');
  });

  it('lets an invitee register through the emailed link shown at /dev/mail', async () => {
    await owner.get('/account/users/invite');
    const sent = await owner.post('/account/users/invite', { email: 'anna@example.com', permissions: ['invoices', 'tickets'] });
    expect(sent.status).to.equal(303);
    const list = await owner.get('/dev/mail');
    expect(list.text).to.contain('Olive Media has invited you to their account.');
    const id = /href="\/dev\/mail\/(\d+)"/.exec(list.text)?.[1];
    const message = await owner.get(`/dev/mail/${id}`);
    const link = linkIn(catcher, 'anna@example.com');
    expect(message.text).to.contain(`<a href="${link}">`);
    member = new Browser(portal.app);
    await member.get(pathOf(link));
    const registered = await member.post(`${pathOf(link)}/register`, { name: 'Anna Accountant', password: 'anna-password-1' });
    expect(registered.status).to.equal(303);
  });

  it('shows a member only the sections they were granted', async () => {
    const home = await member.get('/');
    expect(navSections(home.text)).to.deep.equal(['invoices', 'tickets']);
    expect(home.text).to.not.contain('User Management');
  });

  it('serves a page the member was granted', async () => {
    const res = await member.get('/tickets');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('SSL certificate renewal');
  });

  it('refuses a page the member was not granted with 403', async () => {
    const res = await member.get('/domains');
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('View Domains');
  });

  it('refuses a POST action the member was not granted with 403', async () => {
    const owners = await owner.get('/services');
    const id = /data-service-id="(\d+)"/.exec(owners.text)?.[1];
    await member.get('/tickets');
    const res = await member.post(`/services/${id}/password`);
    expect(res.status).to.equal(403);
  });

  it('hides the reveal-password button from an owner-granted member without manageproducts', async () => {
    const annaId = ((await world.db.knex('au_users').where({ email: 'anna@example.com' }).first()) as { id: number }).id;
    await owner.get(`/account/users/users/${annaId}`);
    await owner.post(`/account/users/users/${annaId}/permissions`, { permissions: ['invoices', 'tickets', 'products'] });
    const res = await member.get('/services');
    expect(res.status).to.equal(200);
    expect(res.text).to.not.contain('Reveal password');
    expect(navSections((await member.get('/')).text)).to.deep.equal(['products', 'invoices', 'tickets']);
  });

  it('links a delegate holding Manage Users to User Management in the header, and lets them open it', async () => {
    const annaId = ((await world.db.knex('au_users').where({ email: 'anna@example.com' }).first()) as { id: number }).id;
    await owner.get(`/account/users/users/${annaId}`);
    const granted = await owner.post(`/account/users/users/${annaId}/permissions`, { permissions: ['invoices', 'tickets', 'products', 'manageusers'] });
    expect(granted.status).to.equal(303);
    const home = await member.get('/');
    expect(home.text).to.contain('<a href="/account/users/">User Management</a>');
    const users = await member.get('/account/users/');
    expect(users.status).to.equal(200);
    expect(users.text).to.contain('<h1>User Management</h1>');
    // As the earlier tests left her: no Manage Users.
    await owner.get(`/account/users/users/${annaId}`);
    await owner.post(`/account/users/users/${annaId}/permissions`, { permissions: ['invoices', 'tickets', 'products'] });
    expect((await member.get('/')).text).to.not.contain('User Management');
  });

  it("names the presets in the page's language on the invite form: the portal's own translations", async () => {
    for (const [language, billing, technical] of [
      ['de', 'Ansprechpartner Abrechnung', 'Technischer Ansprechpartner'],
      ['ar', 'جهة اتصال الفوترة', 'جهة الاتصال التقنية'],
    ] as const) {
      const form = await owner.agent.get('/account/users/invite').set('Accept-Language', language);
      expect(form.status).to.equal(200);
      expect(form.text, language).to.contain(`value="billing"`).and.contain(`>${billing}</button>`).and.contain(`>${technical}</button>`);
      expect(form.text, language).not.to.contain('Billing contact').and.not.to.contain('Technical contact');
    }
  });

  it("keeps another account's records out of reach (404), even for its ids", async () => {
    const owners = await owner.get('/invoices');
    const id = /data-invoice-id="(\d+)"/.exec(owners.text)?.[1];
    const stranger = new Browser(portal.app);
    await stranger.get('/signup');
    await stranger.post('/signup', { name: 'Sid Stranger', email: 'sid@example.com', password: 'sid-password-1' });
    await stranger.get('/invoices');
    const res = await stranger.post(`/invoices/${id}/pay`);
    expect(res.status).to.equal(404);
  });

  it('logs out with a POST and then treats the browser as anonymous', async () => {
    await member.get('/');
    const res = await member.post('/logout');
    expect(res.status).to.equal(303);
    expect((await member.get('/tickets')).status).to.equal(302);
  });

  it('sets a session cookie that is httpOnly and SameSite=Lax, and a Content-Security-Policy', async () => {
    const res = await new Browser(portal.app).get('/login');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie)
      .to.match(/acme\.sid=/)
      .and.match(/HttpOnly/)
      .and.match(/SameSite=Lax/);
    expect(res.headers['content-security-policy']).to.contain("script-src 'self'");
  });

  it("frames a kit page in the page's language: header, navigation and footer in German, right to left in Arabic", async () => {
    const de = await owner.agent.get('/account/users/').set('Accept-Language', 'de');
    expect(de.status).to.equal(200);
    expect(de.text).to.contain('<header class="acme-header" lang="de" dir="ltr">');
    expect(de.text).to.contain('Konto: <strong><bdi>Olive Media</bdi></strong>');
    expect(de.text).to.contain('>Konto wechseln</a>');
    expect(de.text).to.contain('>Benutzerverwaltung</a>');
    expect(de.text).to.contain('<nav aria-label="Kundenbereich" class="acme-nav">');
    expect(de.text).to.contain('data-section="invoices">Rechnungen</a>');
    expect(de.text).to.contain('>Abmelden</button>');
    expect(de.text).to.contain('<footer class="acme-footer" lang="de" dir="ltr">');
    expect(de.text).to.contain('Acme Hosting Kundenbereich');
    // No English left in the frame.
    const frame = de.text.replace(/<main[\s\S]*<\/main>/, '');
    for (const english of ['Switch account', 'User Management', 'Sign out', 'Client area', 'Skip to content', 'Invoices', 'a demonstration']) {
      expect(frame).not.to.contain(english);
    }
    const ar = await owner.agent.get('/account/users/').set('Accept-Language', 'ar');
    expect(ar.text).to.contain('<header class="acme-header" lang="ar" dir="rtl">');
    expect(ar.text).to.contain('>تبديل الحساب</a>');
    expect(ar.text).to.contain('<footer class="acme-footer" lang="ar" dir="rtl">');
    // The portal's own pages are written in English, and so is their frame.
    const own = await owner.agent.get('/invoices').set('Accept-Language', 'de');
    expect(own.text).to.contain('<header class="acme-header" lang="en" dir="ltr">');
    expect(own.text).to.contain('>Switch account</a>');
  });

  it('seeds the demo owner once, and the demo owner can log in', async () => {
    expect((await seedDemo(portal.au, portal.data)).created).to.equal(true);
    expect((await seedDemo(portal.au, portal.data)).created).to.equal(false);
    const res = await logIn(new Browser(portal.app), DEMO_OWNER.email, DEMO_OWNER.password);
    expect(res.status).to.equal(303);
  });
});

describe('example-app in production', () => {
  it('refuses to start without SESSION_SECRET', () => {
    expect(() => readConfig({ NODE_ENV: 'production' })).to.throw(/SESSION_SECRET/);
  });

  it('has no /dev/mail even with a mail catcher', async () => {
    const world = new ExamplePortalWorld();
    const { portal } = await world.setUp({ sessionSecret: 'x'.repeat(32), production: true, logger: undefined });
    try {
      expect((await new Browser(portal.app).get('/dev/mail')).status).to.equal(404);
    } finally {
      await world.tearDown();
    }
  });
});
