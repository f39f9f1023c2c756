import { expect } from 'chai';
import type { Request } from 'express';
import { useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { addMember, setPermissions } from './support/members.js';
import { escapeHtml } from './support/invitations.js';

interface Entry {
  action: string;
  subjectEmail: string | null;
  changes: { granted: string[]; removed: string[]; permissions: string[] | null; accessUntil?: string | null };
}

/** The text of the activity table's rows, newest first, tags removed. */
function rowTexts(html: string): string[] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return body
    .split('</tr>')
    .slice(0, -1)
    .map((r) =>
      r
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}

describe('activity log: changes as differences', () => {
  const { world, owner } = useWorld({ locale: (req: Request) => (typeof req.query.lang === 'string' ? req.query.lang : undefined) }, { owner: 'signed-in' });
  let memberId: number;
  before(async () => {
    memberId = (await addMember(world, owner, 'mia@example.com', ['invoices', 'quotes'], { name: 'Mia Member' })).userId;
    await owner.getJson(`${MOUNT}/`);
    expect(
      (await owner.postJson(`${MOUNT}/invite`, { email: 'tim@example.com', permissions: ['tickets', 'domains'], accessUntil: '2031-12-31' })).status,
    ).to.equal(201);
  });

  const newest = async (lang = 'en') => (await owner.get(`${MOUNT}/activity?lang=${lang}`)).text;

  it('says what a permission change granted and removed, not the two full lists', async () => {
    await setPermissions(owner, memberId, ['invoices', 'domains']);
    const [text] = rowTexts(await newest());
    expect(text).to.contain(escapeHtml('changed the permissions of Mia Member <mia@example.com>: granted View Domains, removed View & Accept Quotes'));
    expect(text).to.not.contain('→');
    const json = await owner.getJson(`${MOUNT}/activity`);
    expect((json.body.entries as Entry[])[0]!.changes).to.deep.equal({ granted: ['domains'], removed: ['quotes'], permissions: null });
  });

  it('says a change of the end date alone as such, never as a permission change A → A', async () => {
    await owner.getJson(`${MOUNT}/users/${memberId}`);
    const res = await owner.postJson(`${MOUNT}/users/${memberId}/permissions`, { permissions: ['invoices', 'domains'], accessUntil: '2031-12-31' });
    expect(res.status).to.equal(200);
    const [text] = rowTexts(await newest());
    expect(text).to.match(/changed when the access of Mia Member .* ends: access now ends on Dec 31, 2031, 11:59 PM UTC/);
    expect(text).to.not.contain('changed the permissions');
    const cleared = await owner.postJson(`${MOUNT}/users/${memberId}/permissions`, { permissions: ['invoices', 'domains'], accessUntil: null });
    expect(cleared.status).to.equal(200);
    expect(rowTexts(await newest())[0]).to.contain('ends: access no longer ends');
  });

  it('says "nothing changed" for a save that changed nothing', async () => {
    await setPermissions(owner, memberId, ['invoices', 'domains']);
    expect(rowTexts(await newest())[0]).to.match(/changed the permissions of .*: nothing changed /);
  });

  it('lists the permissions an invitation grants, and its access end', async () => {
    const texts = rowTexts(await newest());
    const invited = texts.find((t) => t.includes('invited tim@example.com'));
    expect(invited).to.contain('invited tim@example.com: permissions: View Domains and View &amp; Open Support Tickets, access until Dec 31, 2031');
    const accepted = texts.find((t) => t.includes('accepted the invitation'));
    expect(accepted).to.contain('permissions: View &amp; Pay Invoices and View &amp; Accept Quotes');
  });

  it('keeps an IP address left to right in a right-to-left page, and the date on one line on a wide screen', async () => {
    const html = await newest('ar');
    expect(html).to.contain('dir="rtl"');
    expect(html).to.match(/<bdi dir="ltr" class="au-ip">(::1|::ffff:127\.0\.0\.1|127\.0\.0\.1)<\/bdi>/);
    expect(html).to.contain('class="au-when"');
    const css = (await owner.get(`${MOUNT}/assets/au.css`)).text;
    expect(css).to.match(/\.au-activity td\.au-when \{ white-space: nowrap; \}/);
  });

  it('writes the differences in each language, with its own list separator', async () => {
    const de = rowTexts(await newest('de')).find((t) => t.includes('gewährt'));
    expect(de).to.contain('gewährt: Domains anzeigen, entzogen: Angebote anzeigen und annehmen'.split(',')[0]);
    const ar = rowTexts(await newest('ar')).find((t) => t.includes('منح'));
    expect(ar).to.contain('،');
  });
});
