import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AddressInfo } from 'node:net';

/** A real SMTP server on a random port that keeps every message it receives, parsed. */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  /** When each message was taken (Date.now(), beside `messages`, same order). */
  readonly receivedAt: number[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.messages.push(mail);
            this.receivedAt.push(Date.now());
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    // A client that vanishes mid-session (a process SIGKILLed while it sends: the cluster rig) is
    // reported as an 'error' of the server; left unheard, it would end the test process.
    this.server.on('error', () => undefined);
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * A nodemailer transport pointed at this sink (kept pointing at the same port across stop/start).
   * A stopped sink refuses connections at once; the timeouts only bound a sink that is slow to
   * answer, as it is to 150 connections at once while other test files share the two cores.
   */
  transport(): Transporter {
    return nodemailer.createTransport({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      ignoreTLS: true,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  }

  /** The accept link in the newest message to `to`. */
  linkFor(to: string): string {
    const mail = [...this.messages].reverse().find((m) => JSON.stringify(m.to).toLowerCase().includes(to.toLowerCase()));
    if (!mail) throw new Error(`no email to ${to}; received: ${this.messages.map((m) => JSON.stringify(m.to)).join(', ')}`);
    const match = /https?:\/\/\S+\/accept\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '');
    if (!match) throw new Error(`no accept link in the email to ${to}`);
    return match[0];
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((m) => JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()));
  }
}
