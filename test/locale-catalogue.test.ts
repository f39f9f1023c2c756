import { expect } from 'chai';
import { bareOptions, memoryKnex } from './support/app.js';
import { DEFAULT_MESSAGES, PERMISSIONS, accountUsers, type AccountUsersOptions } from '../lib/index.js';
import { MANAGE_USERS, PermissionCatalogue } from '../lib/permissions.js';
import { BUILT_IN_LOCALES } from '../lib/i18n/built-in.js';
import { createLocales } from '../lib/i18n/locales.js';
import { durationParts } from '../lib/i18n/format.js';
import { Duration, PermissionNames, RelativeTime } from '../lib/i18n/values.js';
import { invitationSubject } from '../lib/mail/compose.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const NOW = new Date('2026-11-29T12:00:00Z');

function locales(options: { messages?: Record<string, string>; locales?: Record<string, object>; warnings?: string[] } = {}) {
  const warnings = options.warnings ?? [];
  return createLocales({
    hostMessages: options.messages ?? {},
    hostLocales: options.locales ?? {},
    catalogue: new PermissionCatalogue([MANAGE_USERS, { key: 'reports', label: 'View Reports', description: 'Usage reports' }]),
    now: () => NOW,
    logger: { warn: (m: string) => warnings.push(m), error: () => undefined },
  });
}

describe('the built-in languages', () => {
  const tags = Object.keys(BUILT_IN_LOCALES).filter((t) => t !== 'en');

  it('are the seven the README lists', () => {
    expect(Object.keys(BUILT_IN_LOCALES)).to.deep.equal(['en', 'de', 'fr', 'es', 'nl', 'pt-BR', 'ar']);
  });

  for (const tag of tags) {
    describe(tag, () => {
      const messages = (BUILT_IN_LOCALES[tag]!.messages ?? {}) as Record<string, string>;

      it('translates every message key and no other', () => {
        expect(Object.keys(messages).sort()).to.deep.equal(Object.keys(DEFAULT_MESSAGES).sort());
      });

      it('uses exactly the placeholders of each English string', () => {
        const wrong = Object.entries(DEFAULT_MESSAGES).filter(([key, english]) => placeholders(messages[key] ?? '').join() !== placeholders(english).join());
        expect(wrong.map(([key]) => key)).to.deep.equal([]);
      });

      it('leaves no string empty or identical to a long English sentence', () => {
        const same = Object.entries(DEFAULT_MESSAGES).filter(([key, english]) => english.split(' ').length > 4 && messages[key] === english);
        expect(same.map(([key]) => key)).to.deep.equal([]);
        expect(Object.entries(messages).filter(([, text]) => text.trim() === '')).to.deep.equal([]);
      });

      it('names every built-in permission and Manage Users, with a description and, where English has one, a warning', () => {
        const words = BUILT_IN_LOCALES[tag]!.permissions ?? {};
        for (const p of [...PERMISSIONS, MANAGE_USERS]) {
          expect(words[p.key]?.label, p.key).to.be.a('string').and.not.equal(p.label);
          expect(words[p.key]?.description, p.key).to.be.a('string').and.not.equal('');
          if ('warning' in p) expect(words[p.key]?.warning, p.key).to.be.a('string').and.not.equal('');
        }
      });
    });
  }
});

/**
 * The team's style rules for every built-in language, as a native speaker's review pass recorded them
 * (issue 22). A new string that breaks one fails here, in every language at once.
 */
describe('the style rules of every built-in language', () => {
  const all: Array<[string, Record<string, string>]> = [
    ['en', DEFAULT_MESSAGES],
    ...Object.entries(BUILT_IN_LOCALES)
      .filter(([tag]) => tag !== 'en')
      .map(([tag, l]) => [tag, l.messages as Record<string, string>] as [string, Record<string, string>]),
  ];

  it('keeps every placeholder of the English string, and adds none', () => {
    const problems = all.flatMap(([tag, messages]) =>
      Object.entries(messages)
        .filter(([key, text]) => placeholders(text).join() !== placeholders(DEFAULT_MESSAGES[key as keyof typeof DEFAULT_MESSAGES]).join())
        .map(([key]) => `${tag} ${key}`),
    );
    expect(problems).to.deep.equal([]);
  });

  // {date} is always a full date ("Dec 13, 2026, 3:49 AM UTC"): it takes the language's preposition
  // before it ("expires on", "läuft am … ab", "expire le", "caduca el", "verloopt op", "expira em",
  // "ينتهي في"), or one of "until", "since" or "before". ({expires} is a relative time, "in 7 days", which takes none.)
  const DATE_PREPOSITIONS: Record<string, string[]> = {
    en: ['on', 'until', 'since', 'before'],
    de: ['am', 'bis', 'seit', 'dem'], // "vor dem {date}"
    fr: ['le', "jusqu'au"],
    es: ['el', 'hasta', 'del'], // "antes del {date}"
    nl: ['op', 'tot', 'sinds', 'vóór'],
    'pt-BR': ['em', 'até', 'desde', 'de'], // "antes de {date}"
    ar: ['في', 'حتى', 'منذ', 'قبل'],
  };
  it('puts a preposition before every full date, in each language', () => {
    const problems = all.flatMap(([tag, messages]) =>
      Object.entries(messages).flatMap(([key, text]) =>
        [...text.matchAll(/(\S*)\s*\{(date)\}/g)].filter((m) => !DATE_PREPOSITIONS[tag]!.includes(m[1]!)).map((m) => `${tag} ${key}: "${m[1]} {date}"`),
      ),
    );
    expect(problems).to.deep.equal([]);
  });

  // One set of words per language, formal register, for the person's login (their email address and
  // password, never "account": an account is the customer's, which a login is invited into) and for
  // signing in and out. Mixing them made an invitee read "create an account" while joining someone
  // else's, and Dutch pages said Aanmelden, Inloggen and "Log in" for the same act (issue 22).
  const LOGIN_WORDS: Record<string, { uses: string; forbidden: RegExp }> = {
    en: { uses: 'login; sign in, sign out', forbidden: /\blog(ged)? (in|out)\b|\blogout\b|\bsign ?up\b|\bcreate an account\b|\bregister\b/i },
    de: { uses: 'Zugang; anmelden, abmelden, Anmeldung', forbidden: /\bLog-?ins?\b|einlogg|auslogg|Anmeldedaten|Benutzerkonto|Konto erstellen/i },
    fr: {
      uses: 'identifiant ; se connecter, se déconnecter, connexion',
      forbidden: /\blogin\b|s'identifier|identifiez-vous|(ouvrir|fermer|ouvrez|fermez) (une|la) session|s'inscrire|inscrivez|compte utilisateur/i,
    },
    es: {
      uses: 'credenciales de acceso; iniciar sesión, cerrar sesión',
      forbidden: /\blogin\b|\bregistrarse\b|\bregístrese\b|\bcrear una cuenta\b|\bentrar\b|\bconectarse\b|\bingresar\b/i,
    },
    nl: { uses: 'login; inloggen, uitloggen', forbidden: /aanmeld|afmeld|\blog (in|uit)\b|\binloggegevens\b/i },
    'pt-BR': {
      uses: 'login; entrar, sair',
      forbidden: /\blogar\b|\bfa(zer|ça) login\b|conectad|desconect|\b(iniciar|encerrar) sessão\b|\búltimo acesso\b|cadastr/i,
    },
    ar: { uses: 'بيانات الدخول؛ تسجيل الدخول، تسجيل الخروج', forbidden: /حساب الدخول|الولوج|اسم المستخدم|إنشاء حساب|أنشئ حسابًا/ },
  };
  it('names the login and signing in and out with one set of words per language', () => {
    const problems = all.flatMap(([tag, messages]) =>
      Object.entries(messages)
        .filter(([, text]) => LOGIN_WORDS[tag]!.forbidden.test(text))
        .map(([key, text]) => `${tag} ${key} (uses ${LOGIN_WORDS[tag]!.uses}): ${text}`),
    );
    expect(problems).to.deep.equal([]);
  });

  it('in French, puts a non-breaking space before : ; ? ! (and inside « »), never a plain one', () => {
    const fr = BUILT_IN_LOCALES.fr!.messages as Record<string, string>;
    const problems = Object.entries(fr)
      .filter(([, text]) => / [:;?!»]|« /.test(text) || /[^\u00a0\u202f][:;?!]/.test(text.replace(/https?:\/\//g, '').replace(/\d:\d/g, '')))
      .map(([key, text]) => `${key}: ${text}`);
    expect(problems).to.deep.equal([]);
  });

  // Counts of units are Intl's to write: a number beside a hand-written unit word gets the plural
  // wrong in Arabic (3–10 take another form than 11 and up) and elsewhere with 1.
  const UNIT_WORDS =
    /\{\w+\}\s*(seconds?|minutes?|hours?|days?|Sekunden?|Minuten?|Stunden?|Tagen?|secondes?|heures?|jours?|segundos?|minutos?|horas?|días?|seconden|minuten|uren|dagen|dias|ثانية|ثوان|دقيقة|دقائق|ساعة|ساعات|يوم|أيام)\b/u;
  it('writes no unit word beside a number placeholder: Intl formats counts with their unit', () => {
    const problems = all.flatMap(([tag, messages]) =>
      Object.entries(messages)
        .filter(([, text]) => UNIT_WORDS.test(text))
        .map(([key, text]) => `${tag} ${key}: ${text}`),
    );
    expect(problems).to.deep.equal([]);
  });

  it('writes Arabic seconds in the plural form Intl gives each count', () => {
    const ar = locales().get('ar');
    expect(ar.format.seconds(3)).to.equal(new Intl.NumberFormat('ar', { style: 'unit', unit: 'second', unitDisplay: 'long', useGrouping: false }).format(3));
    expect(ar.format.seconds(3)).to.not.equal(ar.format.seconds(11).replace(ar.format.number(11), ar.format.number(3)));
    expect(ar.message('tooMany.body', { seconds: ar.format.seconds(3) })).to.not.contain('ثانية.');
  });
});

describe('a language as the kit speaks it', () => {
  const all = locales();

  it('says how long something lasts in its own words', () => {
    expect(all.english.message('gone.expired', { validity: new Duration(7 * 86_400_000) })).to.equal(
      'This invitation has expired. Invitations are valid for 7 days.',
    );
    expect(all.get('de').format.duration(86_400_000)).to.equal('1 Tag');
    expect(all.get('fr').format.duration(3_600_000).replace(/\s/g, ' ')).to.equal('1 heure');
    expect(all.english.format.duration(30 * 60_000)).to.equal('30 minutes');
    expect(durationParts(36 * 3_600_000)).to.deep.equal({ value: 36, unit: 'hour' });
    expect(durationParts(36 * 3_600_000 + 1000)).to.deep.equal({ value: 1.5, unit: 'day' });
  });

  it('writes relative times, dates and lists with Intl, never concatenated English', () => {
    const inSevenDays = new Date(NOW.getTime() + 7 * 86_400_000);
    expect(all.english.message('accept.expires', { expires: new RelativeTime(inSevenDays) })).to.equal('This invitation expires in 7 days.');
    expect(all.get('de').format.relative(inSevenDays)).to.equal('in 7 Tagen');
    expect(all.get('es').format.relative(new Date(NOW.getTime() - 3 * 3_600_000))).to.equal('hace 3 horas');
    expect(all.get('de').format.date(new Date('2026-12-31T17:00:00Z'))).to.equal('31. Dez. 2026, 17:00 UTC');
    const names = new PermissionNames(['invoices', 'domains'], ['View & Pay Invoices', 'View Domains']);
    expect(all.english.message('error.missingPermissions', { permissions: names })).to.equal(
      'You do not have permission to do that. Ask the account owner for: View & Pay Invoices and View Domains.',
    );
    const de = BUILT_IN_LOCALES.de!.permissions!;
    expect(all.get('de').format.permissions(names)).to.equal(`${de.invoices!.label} und ${de.domains!.label}`);
  });

  it('writes Arabic right to left, its numbers as Intl writes them', () => {
    const ar = all.get('ar');
    expect(ar.dir).to.equal('rtl');
    expect(ar.message('tooMany.body', { seconds: 30 })).to.contain(new Intl.NumberFormat('ar').format(30));
    expect(all.get('de').dir).to.equal('ltr');
    // An address inside an Arabic sentence keeps its own direction: the value is isolated.
    expect(ar.message('flash.invited', { email: 'anna@example.com' })).to.contain('\u2068anna@example.com\u2069');
    expect(all.get('de').message('flash.invited', { email: 'anna@example.com' })).not.to.contain('\u2068');
  });

  it("keeps the seed's invitation subject exactly, in English", () => {
    expect(invitationSubject(all.english, 'Acme Ltd')).to.equal('Acme Ltd has invited you to their account.');
    expect(invitationSubject(all.get('de'), 'Acme Ltd')).to.equal(BUILT_IN_LOCALES.de!.messages!['mail.invitation.subject']!.replace('{account}', 'Acme Ltd'));
  });

  it('finds a language by its tag, its region or its language alone', () => {
    expect(all.find('pt-br')?.tag).to.equal('pt-BR');
    expect(all.find('pt')?.tag).to.equal('pt-BR');
    expect(all.find('de-AT')?.tag).to.equal('de');
    expect(all.find('it')).to.equal(undefined);
    expect(all.get('it').tag).to.equal('en');
  });
});

describe('the messages and locales options', () => {
  it('`messages` replaces a string in every language', () => {
    const l = locales({ messages: { 'users.title': 'Team' } });
    expect(['en', 'de', 'ar'].map((t) => l.get(t).message('users.title'))).to.deep.equal(['Team', 'Team', 'Team']);
  });

  it('`locales[tag].messages` replaces a string of that language only, over `messages`', () => {
    const l = locales({ messages: { 'users.title': 'Team' }, locales: { de: { messages: { 'users.title': 'Mitarbeiter' } } } });
    expect(l.get('de').message('users.title')).to.equal('Mitarbeiter');
    expect(l.get('fr').message('users.title')).to.equal('Team');
  });

  it('`locales[tag].presets` names a host preset in that language', () => {
    const l = locales({ locales: { de: { presets: { billing: 'Buchhaltung' } } } });
    expect(l.get('de').presetLabel('billing', 'Billing contact')).to.equal('Buchhaltung');
    expect(l.get('fr').presetLabel('billing', 'Billing contact')).to.equal('Billing contact');
  });

  it('`locales[tag].permissions` names a host permission in that language; others show its English label', () => {
    const l = locales({ locales: { de: { permissions: { reports: { label: 'Berichte ansehen' } } } } });
    expect(l.get('de').label('reports')).to.equal('Berichte ansehen');
    expect(l.get('de').permission('reports')?.description).to.equal('Usage reports');
    expect(l.get('fr').label('reports')).to.equal('View Reports');
    expect(l.get('de').label('invoices')).to.equal(BUILT_IN_LOCALES.de!.permissions!.invoices!.label);
  });

  it('a language added with some keys falls back to English for the rest, with one warning naming the language and keys', () => {
    const warnings: string[] = [];
    const l = locales({ locales: { it: { messages: { 'users.title': 'Gestione utenti' } } }, warnings });
    expect(l.get('it').message('users.title')).to.equal('Gestione utenti');
    expect(l.get('it').message('users.invite')).to.equal(DEFAULT_MESSAGES['users.invite']);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('"it"').and.contain('users.invite').and.contain('permission reports').and.not.contain('users.title');
  });

  it('the built-in languages start without a warning', () => {
    const warnings: string[] = [];
    locales({ warnings });
    expect(warnings).to.deep.equal([]);
  });

  describe('at start-up', () => {
    const knex = memoryKnex();
    after(() => knex.destroy());
    const base = (): AccountUsersOptions => bareOptions(knex);

    it('refuses a `locale` that is not one of the languages, naming the option and the way to add it', () => {
      expect(() => accountUsers({ ...base(), locale: 'it' })).to.throw(/option `locale` is "it".*`locales` option/);
      expect(() => accountUsers({ ...base(), locale: 'not a tag!' })).to.throw(/option `locale`/);
    });

    it('accepts a `locale` the `locales` option adds', () => {
      const au = accountUsers({
        ...base(),
        locale: 'it',
        locales: { it: { messages: DEFAULT_MESSAGES } },
        logger: { warn: () => undefined, error: () => undefined },
      });
      void au.close();
    });

    it('refuses a `locales` entry with an unknown message key or a malformed tag', () => {
      expect(() => accountUsers({ ...base(), locales: { de: { messages: { 'users.titel': 'x' } as never } } })).to.throw(/locales\.de\.messages/);
      expect(() => accountUsers({ ...base(), locales: { 'not a tag!': {} } })).to.throw(/locales/);
    });
  });
});
