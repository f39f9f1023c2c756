/**
 * What the kit needs of a mail transport: nodemailer's `sendMail`. Declared here rather than
 * imported from nodemailer so that a host's type check needs no @types/nodemailer; any
 * `nodemailer.createTransport(...)` result fits.
 */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  sendMail(message: MailMessage): Promise<unknown>;
}
