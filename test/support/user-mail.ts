import type { ParsedMail } from 'mailparser';
import type { SmtpSink } from './smtp.js';

/** Waits until `to` has received `count` messages (emails leave after the answer, from the outbox). */
export async function waitForMail(smtp: SmtpSink, to: string, count = 1, timeoutMs = 5000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = smtp.to(to);
    if (mails.length >= count) return mails[count - 1]!;
    if (Date.now() > deadline) throw new Error(`expected ${count} email(s) to ${to}, got ${mails.length}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The path of the link with `/user/<kind>/<token>` in an email's text. */
export function linkIn(mail: ParsedMail, kind: 'password/reset' | 'email/confirm' | 'email/verify'): string {
  const match = new RegExp(`https?://[^\\s/]+(/\\S*/${kind}/[A-Za-z0-9_-]{43})`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${kind} link in: ${mail.text}`);
  return match[1]!;
}
