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
  /**
   * `<au.<outbox id>.<claim id>@<baseUrl's host>>`: unique per attempt, so no mail client folds a
   * resent link into the copy before it, yet a copy sent again after a crash names the same outbox row.
   */
  messageId?: string;
}

export interface MailTransport {
  sendMail(message: MailMessage): Promise<unknown>;
}
