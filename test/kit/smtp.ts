/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps what it received, parsed with
 * `mailparser`. `failing` answers 451 (a temporary refusal) to every message; `stop()` and `start()` take
 * it down and bring it back on the same port.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export class SmtpReceiver {
  readonly received: ParsedMail[] = [];
  /** Refuse every message with 451 while true. */
  failing = false;
  private server: SMTPServer | undefined;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            if (this.failing) {
              callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
              return;
            }
            this.received.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Mails to `address`. */
  to(address: string): ParsedMail[] {
    return this.received.filter((mail) =>
      (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).some((to) =>
        to.value.some((value) => value.address === address),
      ),
    );
  }
}
