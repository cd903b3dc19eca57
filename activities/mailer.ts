/**
 * The mailer (docs/notifications.md): a loop in every worker process that sends the mail outbox
 * (db/mail.ts) through SMTP with nodemailer, or writes each mail as an .eml file when no SMTP_URL is set,
 * and builds the daily digest once 07:00 Europe/Berlin has passed.
 *
 * Delivery: a row is claimed for a lease, sent, and marked `sent`; a failed send goes back to `pending`
 * and is due again after an exponential backoff (never given up: nothing is lost while SMTP is down).
 * A worker killed mid-send leaves its claimed rows to be claimed again when the lease runs out. Each mail
 * carries a Message-ID made from its row, the same on every attempt.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Database } from '../db/client.js';
import { buildDigests, claimMails, markFailed, markSent, type OutgoingMail } from '../db/mail.js';
import { renderMail } from './mail-texts.js';

export type MailTarget = { smtpUrl: string } | { directory: string };

export interface MailerSettings {
  db: Database;
  target: MailTarget;
  from: string;
  publicUrl: string;
  log: { info(line: string): void; warn(line: string): void };
  /** How often the outbox is polled (default 2 s). */
  intervalMs?: number;
  /** Backoff after a failed send: `baseMs` · 2^(attempts − 1), at most `maxMs` (defaults 30 s, 1 h). */
  backoff?: { baseMs: number; maxMs: number };
  /** How long a claimed row is left to its sender (default 2 min). */
  leaseMs?: number;
  /** The wall clock (tests move it to 07:00 Europe/Berlin). */
  now?: () => Date;
}

const BERLIN = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The date in Europe/Berlin whose 07:00 digest is due at `at`, if 07:00 has passed there that day. */
export function digestDayAt(at: Date): string | undefined {
  const parts = Object.fromEntries(BERLIN.formatToParts(at).map((part) => [part.type, part.value]));
  if (Number(parts.hour) < 7) return undefined;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The domain of the sender's address, for Message-IDs. */
function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'digital-dialog.invalid';
}

export function createMailer(settings: MailerSettings) {
  const { db, from, publicUrl, log } = settings;
  const intervalMs = settings.intervalMs ?? 2_000;
  const backoff = settings.backoff ?? { baseMs: 30_000, maxMs: 3_600_000 };
  const leaseMs = settings.leaseMs ?? 120_000;
  const now = settings.now ?? (() => new Date());
  const domain = domainOf(from);
  const transport: Transporter =
    'smtpUrl' in settings.target
      ? nodemailer.createTransport({
          url: settings.target.smtpUrl,
          connectionTimeout: 20_000,
          greetingTimeout: 20_000,
          socketTimeout: 60_000,
        } as SMTPTransport.Options)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const directory = 'directory' in settings.target ? settings.target.directory : undefined;
  let digestBuiltFor: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function send(mail: OutgoingMail): Promise<void> {
    const { subject, text } = renderMail(mail.kind, mail.data, publicUrl);
    const info = (await transport.sendMail({
      from,
      to: mail.toAddress,
      subject,
      text,
      messageId: `<${mail.id}@${domain}>`,
      headers: { 'X-DD-Mail': mail.id, 'Auto-Submitted': 'auto-generated' },
    })) as { message?: Buffer };
    if (directory !== undefined && info.message) {
      await mkdir(directory, { recursive: true });
      // Named by the row: a mail written again after a crash overwrites its own file.
      await writeFile(join(directory, `${mail.id}.eml`), info.message);
    }
  }

  /** One round: the digest when due, then every due mail in batches. Answers how many were sent. */
  async function tick(): Promise<number> {
    const day = digestDayAt(now());
    if (day !== undefined && day !== digestBuiltFor) {
      const digests = await buildDigests(db, day);
      if (digests > 0) log.info(`mail digest of ${day}: ${digests} recipients`);
      digestBuiltFor = day;
    }
    let sent = 0;
    let failed = false;
    // Until the outbox has nothing due, or a send failed (SMTP is likely down: the backoff decides when
    // the failed rows are tried again, in a later round).
    while (!failed && !stopped) {
      const batch = await claimMails(db, 20, leaseMs);
      if (batch.length === 0) break;
      for (const mail of batch) {
        if (failed) {
          // Not tried after a failure in this round: due again with the failed one's backoff.
          await markFailed(db, mail.id, 'not tried: an earlier mail of the round failed', backoff.baseMs);
          continue;
        }
        try {
          await send(mail);
          await markSent(db, mail.id);
          sent += 1;
        } catch (error) {
          const delay = Math.min(backoff.baseMs * 2 ** (mail.attempts - 1), backoff.maxMs);
          failed = true;
          await markFailed(db, mail.id, (error as Error).message, delay);
          log.warn(
            `mail ${mail.id} not sent (attempt ${mail.attempts}, next in ${delay} ms): ${(error as Error).message}`,
          );
        }
      }
    }
    return sent;
  }

  const loop = () => {
    if (stopped) return;
    running = tick()
      .then(
        () => undefined,
        (error: unknown) => log.warn(`mail outbox round failed: ${(error as Error).message}`),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };

  return {
    /** Starts polling the outbox. */
    start(): void {
      stopped = false;
      loop();
    },
    /** Sends what is due now (tests; the loop calls the same). */
    tick,
    /** Stops polling and waits for the round in flight. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;
