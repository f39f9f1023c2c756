import type { Templates } from '../templates.js';
import type { PermissionCatalogue } from '../permissions.js';
import type { MailMessage } from './transport.js';

export interface InvitationMailInput {
  to: string;
  from: string;
  accountName: string;
  inviterName: string | null;
  permissions: string[];
  link: string;
  expiresAt: Date;
  /** How long the link is valid, in words ("7 days"). */
  validity: string;
}

/** Line breaks in a header value would let a name inject headers; they are folded to spaces. */
export function headerSafe(value: string): string {
  return value.replace(/[\r\n\u0000\u2028\u2029]+/g, ' ').trim();
}

export function invitationSubject(accountName: string): string {
  return `${headerSafe(accountName)} has invited you to their account.`;
}

export function composeInvitation(templates: Templates, catalogue: PermissionCatalogue, input: InvitationMailInput): MailMessage {
  const context = {
    accountName: input.accountName,
    inviterName: input.inviterName,
    permissions: input.permissions.map((key) => catalogue.get(key)).filter(Boolean),
    link: input.link,
    expiresAt: input.expiresAt,
    validity: input.validity,
  };
  return {
    from: input.from,
    to: input.to,
    subject: invitationSubject(input.accountName),
    text: templates.render('emails/invitation-text', context, { text: true }),
    html: templates.render('emails/invitation-html', context),
  };
}

/** The three emails about a person's own login, each with a text and an HTML template under views/emails/. */
export type UserMailTemplate = 'password-reset' | 'email-change' | 'email-change-notice';

export interface UserMailInput {
  to: string;
  from: string;
  name: string;
  /** The reset or confirmation link; for the notice, the page where the password can be reset. */
  link: string;
  /** How long the link is valid, in words ("1 hour"). */
  validity?: string;
  newEmail?: string;
}

const USER_MAIL_SUBJECT: Record<UserMailTemplate, string> = {
  'password-reset': 'mail.passwordReset.subject',
  'email-change': 'mail.emailChange.subject',
  'email-change-notice': 'mail.emailChangeNotice.subject',
};

export function composeUserMail(templates: Templates, template: UserMailTemplate, input: UserMailInput): MailMessage {
  const context = { name: input.name, link: input.link, validity: input.validity, newEmail: input.newEmail, email: input.to };
  return {
    from: input.from,
    to: input.to,
    subject: headerSafe(templates.message(USER_MAIL_SUBJECT[template])),
    text: templates.render(`emails/${template}-text`, context, { text: true }),
    html: templates.render(`emails/${template}-html`, context),
  };
}
