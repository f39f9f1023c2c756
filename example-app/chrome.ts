/**
 * The portal's own header, navigation and footer in each of the kit's seven languages: a kit page
 * in German gets a German frame around it, not an English one. The portal's own pages (invoices,
 * domains, …) are written in English, so their frame is English too.
 */
export interface ChromeWords {
  skip: string;
  account: string;
  switchAccount: string;
  userManagement: string;
  yourAccounts: string;
  yourLogin: string;
  signOut: string;
  signIn: string;
  signUp: string;
  clientArea: string;
  home: string;
  sections: Record<string, string>;
  footer: string;
  mailIntro: string;
  mailCatcher: string;
}

const EN: ChromeWords = {
  skip: 'Skip to content',
  account: 'Account:',
  switchAccount: 'Switch account',
  userManagement: 'User Management',
  yourAccounts: 'Your accounts',
  yourLogin: 'Your login',
  signOut: 'Sign out',
  signIn: 'Sign in',
  signUp: 'Sign up',
  clientArea: 'Client area',
  home: 'Home',
  sections: {
    profile: 'Profile',
    contacts: 'Contacts',
    products: 'Services',
    domains: 'Domains',
    invoices: 'Invoices',
    quotes: 'Quotes',
    tickets: 'Support',
    affiliates: 'Affiliates',
    emails: 'Emails',
    orders: 'Order',
  },
  footer: 'Acme Hosting client area – a demonstration of express-account-users.',
  mailIntro: 'Emails sent by this portal:',
  mailCatcher: 'Mail catcher',
};

const WORDS: Record<string, ChromeWords> = {
  en: EN,
  de: {
    skip: 'Zum Inhalt springen',
    account: 'Konto:',
    switchAccount: 'Konto wechseln',
    userManagement: 'Benutzerverwaltung',
    yourAccounts: 'Ihre Konten',
    yourLogin: 'Ihr Zugang',
    signOut: 'Abmelden',
    signIn: 'Anmelden',
    signUp: 'Registrieren',
    clientArea: 'Kundenbereich',
    home: 'Startseite',
    sections: {
      profile: 'Profil',
      contacts: 'Kontakte',
      products: 'Dienste',
      domains: 'Domains',
      invoices: 'Rechnungen',
      quotes: 'Angebote',
      tickets: 'Support',
      affiliates: 'Partnerprogramm',
      emails: 'E-Mails',
      orders: 'Bestellen',
    },
    footer: 'Acme Hosting Kundenbereich – eine Vorführung von express-account-users.',
    mailIntro: 'Von diesem Portal gesendete E-Mails:',
    mailCatcher: 'Mail-Fänger',
  },
  fr: {
    skip: 'Aller au contenu',
    account: 'Compte\u202F:',
    switchAccount: 'Changer de compte',
    userManagement: 'Gestion des utilisateurs',
    yourAccounts: 'Vos comptes',
    yourLogin: 'Votre identifiant',
    signOut: 'Se déconnecter',
    signIn: 'Se connecter',
    signUp: 'Créer un compte',
    clientArea: 'Espace client',
    home: 'Accueil',
    sections: {
      profile: 'Profil',
      contacts: 'Contacts',
      products: 'Services',
      domains: 'Domaines',
      invoices: 'Factures',
      quotes: 'Devis',
      tickets: 'Assistance',
      affiliates: 'Affiliation',
      emails: 'E-mails',
      orders: 'Commander',
    },
    footer: 'Espace client Acme Hosting – une démonstration d’express-account-users.',
    mailIntro: 'E-mails envoyés par ce portail\u202F:',
    mailCatcher: 'Boîte de test',
  },
  es: {
    skip: 'Ir al contenido',
    account: 'Cuenta:',
    switchAccount: 'Cambiar de cuenta',
    userManagement: 'Gestión de usuarios',
    yourAccounts: 'Sus cuentas',
    yourLogin: 'Su acceso',
    signOut: 'Cerrar sesión',
    signIn: 'Iniciar sesión',
    signUp: 'Registrarse',
    clientArea: 'Área de clientes',
    home: 'Inicio',
    sections: {
      profile: 'Perfil',
      contacts: 'Contactos',
      products: 'Servicios',
      domains: 'Dominios',
      invoices: 'Facturas',
      quotes: 'Presupuestos',
      tickets: 'Soporte',
      affiliates: 'Afiliados',
      emails: 'Correos',
      orders: 'Pedidos',
    },
    footer: 'Área de clientes de Acme Hosting: una demostración de express-account-users.',
    mailIntro: 'Correos enviados por este portal:',
    mailCatcher: 'Buzón de pruebas',
  },
  nl: {
    skip: 'Naar de inhoud',
    account: 'Account:',
    switchAccount: 'Account wisselen',
    userManagement: 'Gebruikersbeheer',
    yourAccounts: 'Uw accounts',
    yourLogin: 'Uw login',
    signOut: 'Uitloggen',
    signIn: 'Inloggen',
    signUp: 'Registreren',
    clientArea: 'Klantomgeving',
    home: 'Start',
    sections: {
      profile: 'Profiel',
      contacts: 'Contactpersonen',
      products: 'Diensten',
      domains: 'Domeinen',
      invoices: 'Facturen',
      quotes: 'Offertes',
      tickets: 'Support',
      affiliates: 'Partnerprogramma',
      emails: 'E-mails',
      orders: 'Bestellen',
    },
    footer: 'Klantomgeving van Acme Hosting – een demonstratie van express-account-users.',
    mailIntro: 'E-mails verstuurd door dit portaal:',
    mailCatcher: 'Testmailbox',
  },
  'pt-BR': {
    skip: 'Ir para o conteúdo',
    account: 'Conta:',
    switchAccount: 'Trocar de conta',
    userManagement: 'Gerenciamento de usuários',
    yourAccounts: 'Suas contas',
    yourLogin: 'Seu login',
    signOut: 'Sair',
    signIn: 'Entrar',
    signUp: 'Cadastrar-se',
    clientArea: 'Área do cliente',
    home: 'Início',
    sections: {
      profile: 'Perfil',
      contacts: 'Contatos',
      products: 'Serviços',
      domains: 'Domínios',
      invoices: 'Faturas',
      quotes: 'Orçamentos',
      tickets: 'Suporte',
      affiliates: 'Afiliados',
      emails: 'E-mails',
      orders: 'Pedidos',
    },
    footer: 'Área do cliente da Acme Hosting – uma demonstração do express-account-users.',
    mailIntro: 'E-mails enviados por este portal:',
    mailCatcher: 'Caixa de teste',
  },
  ar: {
    skip: 'انتقل إلى المحتوى',
    account: 'الحساب:',
    switchAccount: 'تبديل الحساب',
    userManagement: 'إدارة المستخدمين',
    yourAccounts: 'حساباتك',
    yourLogin: 'بيانات دخولك',
    signOut: 'تسجيل الخروج',
    signIn: 'تسجيل الدخول',
    signUp: 'إنشاء حساب',
    clientArea: 'منطقة العملاء',
    home: 'الرئيسية',
    sections: {
      profile: 'الملف الشخصي',
      contacts: 'جهات الاتصال',
      products: 'الخدمات',
      domains: 'النطاقات',
      invoices: 'الفواتير',
      quotes: 'عروض الأسعار',
      tickets: 'الدعم',
      affiliates: 'التسويق بالعمولة',
      emails: 'رسائل البريد',
      orders: 'اطلب',
    },
    footer: 'منطقة عملاء Acme Hosting – عرض توضيحي لـ express-account-users.',
    mailIntro: 'رسائل البريد التي أرسلتها هذه البوابة:',
    mailCatcher: 'صندوق الاختبار',
  },
};

/** The frame's words in a page's language (its tag, e.g. `pt-BR`), and the tag they are in: English when the portal has none. */
export function chromeWords(lang: string | undefined): { lang: string; words: ChromeWords } {
  if (lang && WORDS[lang]) return { lang, words: WORDS[lang] };
  const base = lang?.split('-')[0];
  if (base && WORDS[base]) return { lang: base, words: WORDS[base] };
  return { lang: 'en', words: EN };
}
