import type { Templates } from '../templates.js';
import type { Locale } from '../i18n/locale.js';
import type { Duration } from '../i18n/values.js';
import type { MailMessage } from './transport.js';
import type { MessageKey } from '../messages.js';

/** How the email names the portal it comes from (kit.portal). */
export interface Portal {
  name: string;
  url: string;
}

export interface InvitationMailInput {
  to: string;
  from: string;
  portal: Portal;
  /** When the access it grants ends (null: no end). */
  accessUntil: Date | null;
  accountName: string;
  inviterName: string | null;
  permissions: string[];
  link: string;
  expiresAt: Date;
  /** How long the link is valid. */
  validity: Duration;
  /** The language its sender used. */
  locale: Locale;
}

/** Line breaks in a header value would let a name inject headers; they are folded to spaces. */
export function headerSafe(value: string): string {
  return value.replace(/[\r\n\u0000\u2028\u2029]+/g, ' ').trim();
}

const RLM = '\u200f';
// A line that is a link alone: a mark before it would be copied with it.
const LINK_LINE = /^\s*https?:\/\/\S+\s*$/;

/**
 * A right-to-left language's plain-text email: each line starts with a right-to-left mark, so a
 * client that lays text out left to right still starts each paragraph from the right (a line that
 * opens with a Latin name or a number would otherwise run left to right). Links stay bare.
 */
export function withTextDirection(text: string, locale: Locale): string {
  if (locale.dir !== 'rtl') return text;
  return text
    .split('\n')
    .map((line) => (line.trim() === '' || LINK_LINE.test(line) ? line : RLM + line))
    .join('\n');
}

/** In English exactly the seed's subject: "<Account name> has invited you to their account." */
export function invitationSubject(locale: Locale, accountName: string): string {
  return headerSafe(locale.message('mail.invitation.subject', { account: headerSafe(accountName) }));
}

export function composeInvitation(templates: Templates, input: InvitationMailInput): MailMessage {
  const { locale } = input;
  const context = {
    accountName: input.accountName,
    inviterName: input.inviterName,
    // The host's staff or a job invited through au.api: the email speaks of the account alone.
    inviter: input.inviterName ?? input.accountName,
    permissions: input.permissions.map((key) => locale.permission(key)).filter(Boolean),
    link: input.link,
    expiresAt: input.expiresAt,
    accessUntil: input.accessUntil,
    // Words of the email's language ("7 Tage"): an overriding template may print it as it is.
    validity: locale.format.duration(input.validity.ms),
    portalName: input.portal.name,
    portalUrl: input.portal.url,
  };
  return {
    from: input.from,
    to: input.to,
    // Not the portal's name: in English the subject stays exactly the seed's.
    subject: invitationSubject(locale, input.accountName),
    text: withTextDirection(templates.render('emails/invitation-text', context, { locale, text: true }), locale),
    html: templates.render('emails/invitation-html', context, { locale }),
  };
}

/** The emails about a person's own login, each with a text and an HTML template under views/emails/. */
export type UserMailTemplate = 'password-reset' | 'email-change' | 'email-change-notice' | 'email-verify';

export interface UserMailInput {
  to: string;
  from: string;
  portal: Portal;
  name: string;
  /** The reset, confirmation or verification link; for the notice, the page where the password can be reset. */
  link: string;
  /** How long the link is valid. */
  validity?: Duration;
  newEmail?: string;
  /** The language the person last used (or the request's that asked for it). */
  locale: Locale;
}

const USER_MAIL_SUBJECT: Record<UserMailTemplate, string> = {
  'password-reset': 'mail.passwordReset.subject',
  'email-change': 'mail.emailChange.subject',
  'email-change-notice': 'mail.emailChangeNotice.subject',
  'email-verify': 'mail.emailVerify.subject',
};

export function composeUserMail(templates: Templates, template: UserMailTemplate, input: UserMailInput): MailMessage {
  const { locale } = input;
  const validity = input.validity && locale.format.duration(input.validity.ms);
  const context = {
    name: input.name,
    link: input.link,
    validity,
    newEmail: input.newEmail,
    email: input.to,
    portalName: input.portal.name,
    portalUrl: input.portal.url,
  };
  return {
    from: input.from,
    to: input.to,
    subject: headerSafe(locale.message(USER_MAIL_SUBJECT[template], { portal: headerSafe(input.portal.name) })),
    text: withTextDirection(templates.render(`emails/${template}-text`, context, { locale, text: true }), locale),
    html: templates.render(`emails/${template}-html`, context, { locale }),
  };
}

export interface MemberMailInput {
  to: string;
  from: string;
  accountName: string;
  /** The member's name. */
  name: string;
  /** Why they were suspended, if the suspender said. */
  reason: string | null;
  /** The member's accounts page. */
  link: string;
  locale: Locale;
}

/** A member told of their standing in an account: suspended, reinstated or restored (views/emails/member-notice-*). */
export function composeMemberMail(
  templates: Templates,
  kind: 'member_suspended' | 'member_reinstated' | 'member_restored',
  input: MemberMailInput,
): MailMessage {
  const key = kind.replace('member_', '') as 'suspended' | 'reinstated' | 'restored';
  const values = { account: input.accountName, name: input.name };
  const context = {
    accountName: input.accountName,
    name: input.name,
    reason: input.reason,
    link: input.link,
    body: input.locale.message(`mail.member.${key}.body`, values),
  };
  return {
    from: input.from,
    to: input.to,
    subject: headerSafe(input.locale.message(`mail.member.${key}.subject`, { account: headerSafe(input.accountName) })),
    text: templates.render('emails/member-notice-text', context, { locale: input.locale, text: true }),
    html: templates.render('emails/member-notice-html', context, { locale: input.locale }),
  };
}

export interface TransferMailInput {
  to: string;
  from: string;
  portal: Portal;
  accountName: string;
  fromName: string;
  toName: string;
  /** The offer's link (the offer email), or the accounts page (the notices). */
  link: string;
  expiresAt: Date;
  /** The recipient's language, as they last used it (or the request's that queued it). */
  locale: Locale;
}

/** The offer carries its link (views/emails/ownership-offer-*); the three notices share views/emails/ownership-notice-*. */
export function composeTransferMail(
  templates: Templates,
  kind: 'ownership_offer' | 'ownership_offered' | 'ownership_transferred' | 'ownership_cancelled',
  input: TransferMailInput,
): MailMessage {
  const values = { account: input.accountName, from: input.fromName, to: input.toName, portal: input.portal.name };
  const key = kind.replace('ownership_', '') as 'offer' | 'offered' | 'transferred' | 'cancelled';
  const context = {
    accountName: input.accountName,
    fromName: input.fromName,
    toName: input.toName,
    link: input.link,
    expiresAt: input.expiresAt,
    body: input.locale.message(`mail.ownership.${key}.body`, values),
    portalName: input.portal.name,
    portalUrl: input.portal.url,
  };
  const template = kind === 'ownership_offer' ? 'ownership-offer' : 'ownership-notice';
  return {
    from: input.from,
    to: input.to,
    subject: headerSafe(input.locale.message(`mail.ownership.${key}.subject`, { ...values, portal: headerSafe(input.portal.name) })),
    text: withTextDirection(templates.render(`emails/${template}-text`, context, { locale: input.locale, text: true }), input.locale),
    html: templates.render(`emails/${template}-html`, context, { locale: input.locale }),
  };
}

export interface TwoFactorRuleMailInput {
  to: string;
  from: string;
  accountName: string;
  /** Until when the member may still act without a factor; null: from now on. */
  graceUntil: Date | null;
  /** The reminder before the grace ends, rather than the email sent when the rule was turned on. */
  reminder?: boolean;
  /** The enrol page. */
  link: string;
  locale: Locale;
  /** Passkeys are on (`twoFactor.passkeys`): the email names both ways to comply, not the app alone. */
  passkeys: boolean;
}

/** The rule email's sentence: a passkey satisfies the rule as the app does, so where the kit offers both the email names both. */
function ruleMailBody(input: TwoFactorRuleMailInput): MessageKey {
  if (input.reminder) return input.passkeys ? 'mail.twoFactorReminder.bodyPasskeys' : 'mail.twoFactorReminder.body';
  if (input.graceUntil) return input.passkeys ? 'mail.twoFactorRequired.bodyGracePasskeys' : 'mail.twoFactorRequired.bodyGrace';
  return input.passkeys ? 'mail.twoFactorRequired.bodyPasskeys' : 'mail.twoFactorRequired.body';
}

/** To a member without a second factor: the account's owner now requires one (views/emails/two-factor-required-*). */
export function composeTwoFactorRuleMail(templates: Templates, input: TwoFactorRuleMailInput): MailMessage {
  const { locale } = input;
  const values = { account: input.accountName, date: input.graceUntil ?? new Date(0) };
  const context = {
    accountName: input.accountName,
    graceUntil: input.graceUntil,
    link: input.link,
    body: locale.message(ruleMailBody(input), values),
  };
  return {
    from: input.from,
    to: input.to,
    subject: headerSafe(locale.message(input.reminder ? 'mail.twoFactorReminder.subject' : 'mail.twoFactorRequired.subject', { account: input.accountName })),
    text: templates.render('emails/two-factor-required-text', context, { locale, text: true }),
    html: templates.render('emails/two-factor-required-html', context, { locale }),
  };
}
