import type { MessageKey } from '../messages.js';

/** A permission's words in one language. */
export interface PermissionText {
  readonly label: string;
  readonly description?: string;
  readonly warning?: string;
}

/**
 * The strings of one language: the kit's messages by key and the permissions' words by permission
 * key. A built-in locale has every key; a host's `locales` entry may give only some.
 */
export interface LocaleStrings {
  readonly messages?: Partial<Record<MessageKey, string>>;
  readonly permissions?: Readonly<Record<string, PermissionText>>;
  /** The labels of the host's presets (the `presets` option) by preset key. */
  readonly presets?: Readonly<Record<string, string>>;
}

/** One entry of the `locales` option: a language the host adds, or strings of a built-in one it replaces. */
export interface HostLocale extends LocaleStrings {
  /** Writing direction; by default from the language (`ar`, `he`, `fa`, `ur`, … are right to left). */
  readonly dir?: 'ltr' | 'rtl';
}
