import type { LocaleStrings } from './types.js';
import { ar } from './locales/ar.js';
import { de } from './locales/de.js';
import { es } from './locales/es.js';
import { fr } from './locales/fr.js';
import { nl } from './locales/nl.js';
import { ptBR } from './locales/pt-BR.js';

/** The languages the kit ships, by tag. English is DEFAULT_MESSAGES and the permission catalogue itself. */
export const BUILT_IN_LOCALES: Readonly<Record<string, LocaleStrings>> = { en: {}, de, fr, es, nl, 'pt-BR': ptBR, ar };
