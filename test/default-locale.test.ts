import { expect } from 'chai';
import request from 'supertest';
import { World } from './support/world.js';
import { bareOptions, memoryKnex, MOUNT } from './support/app.js';
import { accountUsers, OptionsError, type AccountUsersOptions } from '../lib/index.js';

/** The `lang` of a kit page: an unknown link's page needs no sign-in. */
async function langOf(world: World, acceptLanguage: string | undefined): Promise<string> {
  let req = request(world.host.app).get(`${MOUNT}/accept/${'A'.repeat(43)}`);
  if (acceptLanguage !== undefined) req = req.set('Accept-Language', acceptLanguage);
  const res = await req;
  return /<html lang="([^"]+)"/.exec(res.text)?.[1] ?? `no lang (${res.status})`;
}

/** `defaultLocale` (issue 23, finding 2): what a German portal speaks when the request does not say. */
describe('the defaultLocale option', function () {
  this.timeout(30_000);

  describe("a portal with defaultLocale: 'de'", () => {
    const world = new World();
    before(() => world.setUp({ defaultLocale: 'de' }));
    after(() => world.tearDown());

    it("answers Accept-Language: * (fetch's default), no header and languages the kit lacks in German", async () => {
      expect(await langOf(world, '*')).to.equal('de');
      expect(await langOf(world, undefined)).to.equal('de');
      expect(await langOf(world, 'ja, zh-CN;q=0.8')).to.equal('de');
    });

    it('still negotiates among the languages it speaks', async () => {
      expect(await langOf(world, 'fr-CH, fr;q=0.9')).to.equal('fr');
      expect(await langOf(world, 'en-US,en;q=0.9,*;q=0.5')).to.equal('en');
      expect(await langOf(world, 'ja, nl;q=0.5')).to.equal('nl');
    });

    it('writes JSON errors in it', async () => {
      const res = await request(world.host.app)
        .get(`${MOUNT}/accept/${'A'.repeat(43)}`)
        .set('Accept', 'application/json')
        .set('Accept-Language', '*');
      expect(res.status).to.equal(404);
      expect(res.body.error.message).to.match(/Einladung/);
    });

    it('sends an au.api invitation that names no language in German', async () => {
      const result = await world.host.au.api.invite({
        actor: { system: 'staff-cli' },
        accountId: world.account.id,
        email: 'neu@example.de',
        permissions: ['invoices'],
      });
      expect(result.delivery).to.equal('sent');
      const [mail] = world.smtp.to('neu@example.de');
      expect(mail!.subject).to.equal('Einladung zum Konto Acme Ltd');
      // A caller that names a language still gets it.
      await world.host.au.api.invite({
        actor: { system: 'staff-cli' },
        accountId: world.account.id,
        email: 'new@example.com',
        permissions: ['invoices'],
        locale: 'en',
      });
      expect(world.smtp.to('new@example.com')[0]!.subject).to.equal('Acme Ltd has invited you to their account.');
    });
  });

  describe('beside a locale function', () => {
    const world = new World();
    before(() => world.setUp({ defaultLocale: 'nl', locale: (req) => (req.query.lang === 'es' ? 'es' : undefined) }));
    after(() => world.tearDown());

    it("takes the function's tag, else Accept-Language, else the default", async () => {
      const lang = async (query: string, header: string) =>
        /<html lang="([^"]+)"/.exec(
          (
            await request(world.host.app)
              .get(`${MOUNT}/accept/${'A'.repeat(43)}${query}`)
              .set('Accept-Language', header)
          ).text,
        )?.[1];
      expect(await lang('?lang=es', 'fr')).to.equal('es');
      expect(await lang('', 'fr')).to.equal('fr');
      expect(await lang('', '*')).to.equal('nl');
    });
  });

  describe('checked at start-up', () => {
    const knex = memoryKnex();
    after(() => knex.destroy());
    const base: AccountUsersOptions = bareOptions(knex);
    const errorFor = (options: Partial<AccountUsersOptions>): string => {
      try {
        void accountUsers({ ...base, ...options }).close();
      } catch (err) {
        expect(err).to.be.instanceOf(OptionsError);
        return (err as Error).message;
      }
      return expect.fail('accepted');
    };

    it('refuses a language the kit does not have, naming the option and the languages', () => {
      expect(errorFor({ defaultLocale: 'it' })).to.contain('option `defaultLocale` is "it", which is not one of the languages (en, de, fr, es, nl, pt-br, ar)');
      expect(errorFor({ defaultLocale: 'not a tag!' })).to.contain('option `defaultLocale` must be a language tag');
    });

    it('takes a language added with `locales`', () => {
      void accountUsers({
        ...base,
        defaultLocale: 'it',
        locales: { it: { messages: { 'users.title': 'Utenti' } } },
        logger: { warn: () => {}, error: () => {} },
      }).close();
    });

    it('refuses a default that a fixed `locale` tag would never fall back to', () => {
      expect(errorFor({ locale: 'fr', defaultLocale: 'de' })).to.contain('option `defaultLocale` is "de" but `locale` fixes every request to "fr"');
    });
  });
});
