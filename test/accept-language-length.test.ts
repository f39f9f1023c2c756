import { expect } from 'chai';
import request from 'supertest';
import { World } from './support/world.js';
import { USER_MOUNT } from './support/app.js';
import { ACCEPT_LANGUAGE_MAX, cutAcceptLanguage } from '../lib/http/locale.js';
import { BUILT_IN_LOCALES } from '../lib/i18n/built-in.js';

/** A long run of entries the kit speaks none of: "zz-AA;q=0.5,zz-AB;q=0.5,…". */
function filler(length: number): string {
  const entries: string[] = [];
  for (let i = 0; entries.join(',').length < length; i++)
    entries.push(`zz-${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i / 26) % 26))};q=0.5`);
  return entries.join(',');
}

const langOf = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

/**
 * Finding 14 of issue 21 (its second half): a 10 kB Accept-Language cost about eight times a normal
 * request to negotiate. The kit reads only its first 256 characters (back to the last whole entry).
 */
describe('Accept-Language length', function () {
  this.timeout(20_000);
  const world = new World();
  before(() => world.setUp());
  after(() => world.tearDown());

  it(`cuts a header beyond ${ACCEPT_LANGUAGE_MAX} characters back to its last whole entry, and leaves a short one as it is`, () => {
    const long = `de-DE,de;q=0.9,${filler(10_000)}`;
    const cut = cutAcceptLanguage(long);
    expect(cut.length).to.be.at.most(ACCEPT_LANGUAGE_MAX);
    expect(long.startsWith(`${cut},`)).to.equal(true);
    expect(cutAcceptLanguage('fr-CA,fr;q=0.9,en;q=0.8')).to.equal('fr-CA,fr;q=0.9,en;q=0.8');
    expect(cutAcceptLanguage('x'.repeat(10_000))).to.have.length(ACCEPT_LANGUAGE_MAX);
  });

  it('negotiates the first language of a 10 kB header', async () => {
    const header = `de-DE,de;q=0.9,${filler(10_000)}`;
    expect(header.length).to.be.above(10_000);
    const page = await request(world.host.app).get(`${USER_MOUNT}/password/forgot`).set('Accept-Language', header);
    expect(page.status).to.equal(200);
    expect(langOf(page.text)).to.equal('de');
    const json = await request(world.host.app)
      .get(`${USER_MOUNT}/password/reset/${'x'.repeat(43)}`)
      .set('Accept-Language', `nl,${filler(10_000)}`)
      .set('Accept', 'application/json');
    expect(json.status).to.equal(404);
    expect(json.body.error.message).to.equal(BUILT_IN_LOCALES.nl!.messages!['error.resetLinkInvalid']);
  });

  it('reads nothing past the cut: a language named only after 256 characters of others is not chosen', async () => {
    const late = await request(world.host.app)
      .get(`${USER_MOUNT}/password/forgot`)
      .set('Accept-Language', `${filler(300)},fr;q=1`);
    expect(langOf(late.text)).to.equal('en');
    const early = await request(world.host.app)
      .get(`${USER_MOUNT}/password/forgot`)
      .set('Accept-Language', `${filler(200)},fr;q=1`);
    expect(langOf(early.text)).to.equal('fr');
  });
});
