/**
 * People and their mails (docs/notifications.md): the directory of principals seen, the preferences at
 * /v1/me/notifications, and the mail outbox sent to a real SMTP server (smtp-server, started here) exactly
 * once per (event, recipient): through an SMTP outage, through a mailer that died mid-send, and in the
 * 07:00 Europe/Berlin digest.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, digestDayAt, type Mailer } from '../activities/mailer.js';
import { claimMails } from '../db/mail.js';
import { mailOutbox, people } from '../db/schema.js';
import { eventually, newInitiative, SmtpReceiver, token, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;
const smtp = new SmtpReceiver();
const PUBLIC_URL = 'https://dd.example.org';
const silent = { info: () => undefined, warn: () => undefined };

let mailer: Mailer;
const mailerFor = (options: Partial<Parameters<typeof createMailer>[0]> = {}) =>
  createMailer({
    db: harness.database.db,
    target: { smtpUrl: smtp.url },
    from: 'Digital Dialog <dd@example.org>',
    publicUrl: PUBLIC_URL,
    log: silent,
    backoff: { baseMs: 10, maxMs: 50 },
    // Before 07:00 in Berlin: no digest unless a test asks for one.
    now: () => new Date('2026-12-03T05:00:00Z'),
    ...options,
  });

/** Mails by their outbox row (X-DD-Mail), to check that none arrived twice. */
const countsById = () => {
  const counts = new Map<string, number>();
  for (const mail of smtp.received) {
    const id = mail.headers.get('x-dd-mail') as string;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
};

const outboxOf = (initiativeId: string) =>
  harness.database.db.select().from(mailOutbox).where(eq(mailOutbox.initiativeId, initiativeId));

beforeAll(async () => {
  await smtp.start();
  mailer = mailerFor();
});
afterAll(async () => {
  await mailer.stop();
  await smtp.stop();
});

async function optIn(as: string, email: string, body: Record<string, unknown> = {}) {
  const answer = await harness.request('PUT', '/v1/me/notifications', {
    token: as,
    body: { email, events: ['task', 'reminder', 'escalation', 'decided'], digest: 'immediate', ...body },
  });
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('the directory and the preferences', () => {
  it('keeps every principal seen, by issuer and subject, with the claims of their token', async () => {
    const me = await harness.get('/v1/me', who.reviewerStMD);
    expect(me.status).toBe(200);
    const [row] = await harness.database.db
      .select()
      .from(people)
      .where(and(eq(people.iss, 'dev'), eq(people.sub, 'r-by-stmd')));
    expect(row).toMatchObject({
      name: 'O. Prüfer',
      land: 'BY',
      roles: ['reviewer'],
      ressort: 'StMD',
      email: null,
    });
    expect(Date.now() - Date.parse(row?.lastSeenAt ?? '')).toBeLessThan(60_000);
  });

  it('answers defaults, stores what PUT sets, and refuses an e-mail address that is not one', async () => {
    const fresh = await harness.request('GET', '/v1/me/notifications', {
      token: await token({ sub: 'new-person', land: 'HE', roles: ['viewer'], name: 'Neu' }),
    });
    expect(fresh.body).toEqual({
      email: null,
      events: ['task', 'reminder', 'escalation', 'decided'],
      digest: 'immediate',
    });
    const set = await optIn(who.viewer, 'leitstand@example.org', { events: ['decided'], digest: 'daily' });
    expect(set).toEqual({ email: 'leitstand@example.org', events: ['decided'], digest: 'daily' });
    const read = await harness.request('GET', '/v1/me/notifications', { token: who.viewer });
    expect(read.body).toEqual(set);
    for (const body of [
      { email: 'kein-mail', events: [], digest: 'immediate' },
      { email: 'a@b.de', events: ['everything'], digest: 'immediate' },
      { email: 'a@b.de', events: ['task', 'task'], digest: 'immediate' },
      { email: 'a@b.de', events: [], digest: 'weekly' },
      { email: 'a@b.de', events: [], digest: 'daily', extra: true },
    ]) {
      const refused = await harness.request('PUT', '/v1/me/notifications', { token: who.viewer, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await harness.request('GET', '/v1/me/notifications', { token: who.viewer })).body).toEqual(set);
    // Mail off: without an address.
    const off = await harness.request('PUT', '/v1/me/notifications', {
      token: who.viewer,
      body: { events: ['decided'], digest: 'daily' },
    });
    expect(off.body).toMatchObject({ email: null });
    expect((await harness.request('GET', '/v1/me/notifications')).status).toBe(401);
  });
});

describe('mails', () => {
  it('mails each new task to those who may perform it, once, in German with a dashboard link', async () => {
    await optIn(who.reviewerNW, 'pruefung@nrw.example');
    await optIn(who.reviewerBY, 'pruefung@by.example', { events: ['reminder'] });
    await optIn(who.proposerStMD, 'stmd@by.example');
    // A reviewer of the proposer's own Ressort and Land who proposed it: four-eyes keeps it from the review.
    await optIn(who.colleagueStMD, 'kollegin@by.example');
    const created = await harness.post(
      '/v1/initiatives',
      who.colleagueStMD,
      newInitiative({ title: 'Digitale Bauanträge' }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    await eventually(
      () => outboxOf(id),
      (rows) => rows.length > 0,
    );
    await mailer.tick();
    const mails = smtp.to('pruefung@nrw.example');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toContain('Neue Aufgabe: Prüfung');
    expect(mail?.subject).toContain('„Digitale Bauanträge“');
    expect(mail?.text).toContain(`${PUBLIC_URL}/#/initiatives/${id}`);
    expect(mail?.text).toContain('Guten Tag');
    expect(mail?.from?.text).toContain('dd@example.org');
    expect(String(mail?.messageId)).toMatch(/@example\.org>?$/);
    // Not opted in to tasks; the author of the version; a proposer, who has no review to do.
    expect(smtp.to('pruefung@by.example')).toHaveLength(0);
    expect(smtp.to('kollegin@by.example')).toHaveLength(0);
    expect(smtp.to('stmd@by.example')).toHaveLength(0);
    // Another round sends nothing again.
    await mailer.tick();
    expect(smtp.to('pruefung@nrw.example')).toHaveLength(1);
    const rows = await outboxOf(id);
    expect(rows.map((row) => [row.sub, row.kind, row.status])).toEqual([['r-nw', 'task', 'sent']]);
  });

  it('waits in the outbox while SMTP is down, retries with backoff, and then sends each mail once', async () => {
    await optIn(who.reviewerNW, 'pruefung@nrw.example');
    await smtp.stop();
    const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    const id = created.body.id;
    await eventually(
      () => outboxOf(id),
      (rows) => rows.length > 0,
    );
    await mailer.tick();
    let [row] = await outboxOf(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.lastError).toBeTruthy();
    expect(Date.parse(row?.nextAttemptAt ?? '')).toBeGreaterThan(Date.parse(row?.createdAt ?? ''));
    // Down with 451 answers this time: the server is up but refuses.
    await smtp.start();
    smtp.failing = true;
    await eventually(
      async () => {
        await mailer.tick();
        return (await outboxOf(id))[0];
      },
      (current) => (current?.attempts ?? 0) >= 2,
    );
    [row] = await outboxOf(id);
    expect(row?.status).toBe('pending');
    expect(row?.lastError).toContain('451');
    smtp.failing = false;
    await eventually(
      async () => {
        await mailer.tick();
        return (await outboxOf(id))[0];
      },
      (current) => current?.status === 'sent',
    );
    const mine = smtp.to('pruefung@nrw.example').filter((mail) => mail.text?.includes(id));
    expect(mine).toHaveLength(1);
    for (const [mailId, count] of countsById()) expect(count, mailId).toBe(1);
  });

  it('sends what a mailer claimed and died with, once its lease ran out, and only once', async () => {
    const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    const id = created.body.id;
    await eventually(
      () => outboxOf(id),
      (rows) => rows.length > 0,
    );
    // A mailer claims the rows and is killed before it sends (its lease: 300 ms).
    const claimed = await claimMails(harness.database.db, 100, 300);
    expect(claimed.map((mail) => mail.id)).toContain((await outboxOf(id))[0]?.id);
    // While the lease runs, no other mailer takes them.
    await mailer.tick();
    expect(smtp.received.filter((mail) => mail.text?.includes(id))).toHaveLength(0);
    const sent = await eventually(
      async () => {
        await mailer.tick();
        return outboxOf(id);
      },
      (rows) => rows.every((row) => row.status === 'sent'),
    );
    // One mail per recipient (the NW reviewer and the BY colleague, who reviews what others propose).
    expect(sent.map((row) => row.sub).sort()).toEqual(['pr-by-stmd', 'r-nw']);
    expect(smtp.received.filter((mail) => mail.text?.includes(id))).toHaveLength(2);
    // Two mailers polling at once (two worker processes) never send a row twice.
    const second = mailerFor();
    const again = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    await eventually(
      () => outboxOf(again.body.id),
      (rows) => rows.length > 0,
    );
    await Promise.all([mailer.tick(), second.tick(), mailer.tick(), second.tick()]);
    await second.stop();
    for (const [mailId, count] of countsById()) expect(count, mailId).toBe(1);
  });

  it('mails the outcome to those who took part', async () => {
    await optIn(who.proposerBY, 'huber@by.example', { events: ['decided'] });
    const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    const id = created.body.id;
    const withdrawn = await harness.post(`/v1/initiatives/${id}/withdrawal`, who.proposerBY, {
      reason: 'Vom Bund aufgegriffen.',
    });
    expect(withdrawn.status).toBe(200);
    await eventually(
      () => outboxOf(id),
      (rows) => rows.some((row) => row.kind === 'decided'),
    );
    await mailer.tick();
    const mails = smtp.to('huber@by.example').filter((mail) => mail.text?.includes(id));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('zurückgezogen');
  });
});

describe('the daily digest', () => {
  it('is due from 07:00 Europe/Berlin (winter and summer time)', () => {
    expect(digestDayAt(new Date('2026-12-03T05:59:00Z'))).toBeUndefined();
    expect(digestDayAt(new Date('2026-12-03T06:00:00Z'))).toBe('2026-12-03');
    expect(digestDayAt(new Date('2026-07-01T04:59:00Z'))).toBeUndefined();
    expect(digestDayAt(new Date('2026-07-01T05:00:00Z'))).toBe('2026-07-01');
    // 00:30 in Berlin: the new day's digest is not due yet.
    expect(digestDayAt(new Date('2026-12-03T23:30:00Z'))).toBeUndefined();
  });

  it('collects the events of a daily reader into one mail at 07:00, built once', async () => {
    const dailyReader = await token({
      sub: 'r-nw-digest',
      land: 'NW',
      roles: ['reviewer'],
      name: 'D. Igest',
    });
    await optIn(dailyReader, 'digest@nrw.example', { digest: 'daily' });
    const ids: string[] = [];
    for (const title of ['Erste Initiative', 'Zweite Initiative']) {
      const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative({ title }));
      ids.push(created.body.id);
    }
    await eventually(
      () =>
        harness.database.db
          .select()
          .from(mailOutbox)
          .where(and(eq(mailOutbox.sub, 'r-nw-digest'), eq(mailOutbox.status, 'held'))),
      (rows) => rows.length === 2,
    );
    await mailer.tick();
    expect(smtp.to('digest@nrw.example')).toHaveLength(0);
    const at7 = () => new Date('2026-12-04T06:01:00Z');
    const first = mailerFor({ now: at7 });
    const second = mailerFor({ now: at7 });
    await Promise.all([first.tick(), second.tick()]);
    await first.tick();
    await Promise.all([first.stop(), second.stop()]);
    const digests = smtp.to('digest@nrw.example');
    expect(digests).toHaveLength(1);
    const [digest] = digests;
    expect(digest?.subject).toBe('Digital Dialog: Ihre Übersicht vom 4. Dezember 2026 (2)');
    for (const id of ids) expect(digest?.text).toContain(`${PUBLIC_URL}/#/initiatives/${id}`);
    expect(digest?.text).toContain('„Erste Initiative“');
    expect(digest?.text).toContain('„Zweite Initiative“');
    const held = await harness.database.db
      .select({ status: mailOutbox.status })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.sub, 'r-nw-digest'), eq(mailOutbox.kind, 'task')));
    expect(held.map((row) => row.status)).toEqual(['digested', 'digested']);
  });
});

describe('without SMTP', () => {
  it('writes each mail as an .eml file under the mail directory', async () => {
    const directory = join(await mkdtemp(join(tmpdir(), 'dd-mail-')), 'mail');
    const files = mailerFor({ target: { directory } });
    await smtp.stop();
    const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    const id = created.body.id;
    await eventually(
      () => outboxOf(id),
      (rows) => rows.length > 0,
    );
    await files.tick();
    await files.stop();
    await smtp.start();
    const written = await readdir(directory);
    const rows = (await outboxOf(id)).filter((row) => row.status !== 'held');
    expect(rows.map((row) => row.status)).toEqual(rows.map(() => 'sent'));
    expect(written).toEqual(expect.arrayContaining(rows.map((row) => `${row.id}.eml`)));
    const nw = rows.find((row) => row.sub === 'r-nw');
    const eml = await readFile(join(directory, `${nw?.id}.eml`), 'utf8');
    expect(eml).toContain('To: pruefung@nrw.example');
    expect(eml).toMatch(/^Subject: /m);
  });
});
