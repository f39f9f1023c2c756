import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';

export interface CaughtMail {
  id: number;
  from: string;
  to: string;
  subject: string;
  text: string;
  receivedAt: Date;
}

/**
 * Development only: an SMTP server inside the process that keeps what it receives, so a
 * person can open invitation emails at /dev/mail without configuring real mail.
 */
export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  private server: SMTPServer | undefined;
  private port = 0;
  private nextId = 1;

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 1024 * 1024,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
            this.messages.push({
              id: this.nextId++,
              from: mail.from?.text ?? '',
              to,
              subject: mail.subject ?? '(no subject)',
              text: mail.text ?? '',
              receivedAt: new Date(),
            });
            // Keep the newest few hundred: this is a development tool, not a mail archive.
            if (this.messages.length > 500) this.messages.shift();
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  transport(): Transporter {
    return nodemailer.createTransport({ host: '127.0.0.1', port: this.port, secure: false, ignoreTLS: true });
  }

  find(id: number): CaughtMail | undefined {
    return this.messages.find((m) => m.id === id);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
