/**
 * Attachments (docs/texts.md, Attachments): upload by content type, content-addressed storage, listing,
 * download headers, withdrawal, and every refusal — over real HTTP, PostgreSQL and Temporal.
 */
import { createHash } from 'node:crypto';
import postgres from 'postgres';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../api/auth.js';
import type { Attachment } from '../workflows/contracts.js';
import { Flow } from './kit/flow.js';
import { historyOf, startExtraApp, useHarness, type ExtraApp } from './kit/index.js';
import { TEST_SECRET } from './kit/tokens.js';

const harness = useHarness();
const { who } = harness;
const flow = new Flow(harness, who);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A real PDF, made by pdfkit. */
function pdf(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ info: { CreationDate: new Date(0) } });
    const parts: Buffer[] = [];
    doc.on('data', (part: Buffer) => parts.push(part));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
/** A GIF header: a real image format, but not an allowed one. */
const GIF = Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1'), Buffer.alloc(32)]);

interface Problem {
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

async function upload(
  base: string,
  id: string,
  token: string,
  file: { bytes: Buffer; name: string; type?: string } | undefined,
  title: string | null = 'Gutachten',
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  if (title !== null) form.append('title', title);
  if (file)
    form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const response = await fetch(`${base}/v1/initiatives/${id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: form,
  });
  return {
    status: response.status,
    location: response.headers.get('location'),
    type: response.headers.get('content-type'),
    body: (await response.json()) as Attachment & Problem,
  };
}

let sql: postgres.Sql;
beforeAll(() => {
  sql = postgres(harness.databaseUrl, { max: 1, onnotice: () => undefined });
});
afterAll(async () => {
  await sql.end();
});

const staged = async () =>
  Number((await sql`select count(*)::int as n from attachment_chunks where key like 'upload:%'`)[0]?.n);

describe('attachments', () => {
  it('are typed by content, stored once per content, listed, downloaded and withdrawn', async () => {
    const motion = await flow.motion();
    const bytes = await pdf('Gutachten zur Machbarkeit – Prüfung für Länder');
    const added = await upload(harness.baseUrl, motion.id, who.reviewerNW, {
      bytes,
      name: 'C:\\Users\\x\\Gutachten Prüfung.pdf',
      type: 'text/html',
    });
    expect(added.status).toBe(201);
    expect(added.location).toBe(`/v1/initiatives/${motion.id}/attachments/1`);
    expect(added.body).toMatchObject({
      id: 1,
      title: 'Gutachten',
      filename: 'Gutachten Prüfung.pdf',
      mediaType: 'application/pdf',
      size: bytes.length,
      sha256: sha256(bytes),
      by: { sub: 'r-nw', land: 'NW' },
      withdrawn: false,
    });

    // The same bytes again, under another name and by another Land: a second attachment, stored once.
    const again = await upload(
      harness.baseUrl,
      motion.id,
      who.proposerBY,
      {
        bytes,
        name: 'kopie.txt',
        type: 'text/plain',
      },
      'Kopie',
    );
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: 2, mediaType: 'application/pdf', sha256: sha256(bytes) });
    const [blobs] =
      await sql`select count(*)::int as n from attachment_blobs where sha256 = ${sha256(bytes)}`;
    expect(blobs?.n).toBe(1);
    const [chunks] = await sql`select count(*)::int as n from attachment_chunks where key = ${sha256(bytes)}`;
    expect(chunks?.n).toBe(1);

    const png = await upload(
      harness.baseUrl,
      motion.id,
      who.proposerBY,
      { bytes: PNG, name: 'karte.pdf' },
      'Karte',
    );
    expect(png.body).toMatchObject({ id: 3, mediaType: 'image/png', filename: 'karte.pdf' });
    const text = Buffer.from('Stellungnahme des Landes: Zustimmung mit Änderungen.\n', 'utf8');
    const plain = await upload(
      harness.baseUrl,
      motion.id,
      who.proposerBY,
      { bytes: text, name: 'notiz' },
      'Notiz',
    );
    expect(plain.body).toMatchObject({ id: 4, mediaType: 'text/plain', size: text.length });

    const list = await harness.get<{ items: Attachment[] }>(
      `/v1/initiatives/${motion.id}/attachments`,
      who.viewer,
    );
    expect(list.body.items.map((a) => [a.id, a.title, a.mediaType, a.withdrawn])).toEqual([
      [1, 'Gutachten', 'application/pdf', false],
      [2, 'Kopie', 'application/pdf', false],
      [3, 'Karte', 'image/png', false],
      [4, 'Notiz', 'text/plain', false],
    ]);

    const download = await fetch(`${harness.baseUrl}/v1/initiatives/${motion.id}/attachments/1`, {
      headers: { authorization: `Bearer ${who.viewer}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="Gutachten Pr?fung.pdf"; filename*=UTF-8''Gutachten%20Pr%C3%BCfung.pdf`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(download.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const textDownload = await fetch(`${harness.baseUrl}/v1/initiatives/${motion.id}/attachments/4`, {
      headers: { authorization: `Bearer ${who.viewer}` },
    });
    expect(textDownload.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await textDownload.text()).toBe(text.toString('utf8'));

    // Only the uploader withdraws; the attachment stays listed and downloadable.
    const foreign = await flow.post(motion.id, '/attachments/1/withdrawal', who.proposerBY, {});
    expect(foreign.status).toBe(403);
    const withdrawn = await flow.post(motion.id, '/attachments/1/withdrawal', who.reviewerNW, {
      reason: 'Ersetzt.',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ id: 1, withdrawn: true, withdrawal: { reason: 'Ersetzt.' } });
    const twice = await flow.post(motion.id, '/attachments/1/withdrawal', who.reviewerNW, {});
    expect(twice.status).toBe(409);
    expect((await flow.post(motion.id, '/attachments/9/withdrawal', who.reviewerNW, {})).status).toBe(404);
    const after = await harness.get<{ items: Attachment[] }>(
      `/v1/initiatives/${motion.id}/attachments`,
      who.viewer,
    );
    expect(after.body.items[0]?.withdrawn).toBe(true);
    const still = await fetch(`${harness.baseUrl}/v1/initiatives/${motion.id}/attachments/1`, {
      headers: { authorization: `Bearer ${who.viewer}` },
    });
    expect(still.status).toBe(200);
    await still.arrayBuffer();

    // The audit chain carries the sha256 of what was added and withdrawn.
    const history = await historyOf(harness, motion.id, who.viewer);
    expect(history.filter((e) => e.type === 'attachment_added').map((e) => e.data.sha256)).toEqual([
      sha256(bytes),
      sha256(bytes),
      sha256(PNG),
      sha256(text),
    ]);
    expect(history.find((e) => e.type === 'attachment_withdrawn')?.data).toMatchObject({
      attachment: 1,
      sha256: sha256(bytes),
      reason: 'Ersetzt.',
    });
    expect(await staged()).toBe(0);
  });

  it('refuses what is not an allowed type, whatever its name or declared type (415), storing nothing', async () => {
    const motion = await flow.motion();
    for (const file of [
      { bytes: GIF, name: 'bild.pdf', type: 'application/pdf' },
      { bytes: Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x80, 0x81]), name: 'daten.txt', type: 'text/plain' },
      {
        bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'),
        name: 'a.png',
      },
    ]) {
      const refused = await upload(harness.baseUrl, motion.id, who.proposerBY, file);
      expect(refused.status, file.name).toBe(415);
      expect(refused.type).toContain('application/problem+json');
    }
    const json = await fetch(`${harness.baseUrl}/v1/initiatives/${motion.id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.proposerBY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x', file: 'x' }),
    });
    expect(json.status).toBe(415);
    expect((await flow.get(motion.id)).attachments).toBeUndefined();
    expect(await staged()).toBe(0);
  });

  it('refuses a missing title or file (400), an outsider (403), an unreadable initiative (404), a terminal one (409)', async () => {
    const motion = await flow.motion();
    const noTitle = await upload(
      harness.baseUrl,
      motion.id,
      who.proposerBY,
      { bytes: PNG, name: 'a.png' },
      null,
    );
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.errors?.map((e) => e.path)).toEqual(['body/title']);
    const longTitle = await upload(
      harness.baseUrl,
      motion.id,
      who.proposerBY,
      { bytes: PNG, name: 'a.png' },
      'x'.repeat(201),
    );
    expect(longTitle.status).toBe(400);
    const noFile = await upload(harness.baseUrl, motion.id, who.proposerBY, undefined);
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors?.map((e) => e.path)).toEqual(['body/file']);

    expect((await upload(harness.baseUrl, motion.id, who.viewer, { bytes: PNG, name: 'a.png' })).status).toBe(
      403,
    );
    expect(
      (await upload(harness.baseUrl, motion.id, who.cabinetBY, { bytes: PNG, name: 'a.png' })).status,
    ).toBe(403);
    const outsider = who.reviewerHE;
    expect((await upload(harness.baseUrl, motion.id, outsider, { bytes: PNG, name: 'a.png' })).status).toBe(
      404,
    );
    for (const path of ['attachments', 'attachments/1'])
      expect((await harness.get(`/v1/initiatives/${motion.id}/${path}`, outsider)).status).toBe(404);

    await flow.post(motion.id, '/withdrawal', who.proposerBY, { reason: 'Erledigt.' });
    const closed = await upload(harness.baseUrl, motion.id, who.proposerBY, { bytes: PNG, name: 'a.png' });
    expect(closed.status).toBe(409);
    expect(await staged()).toBe(0);
  });

  describe('with ATTACHMENT_MAX_BYTES = 64 KiB', () => {
    let small: ExtraApp;
    beforeAll(async () => {
      small = await startExtraApp(
        harness,
        createAuthenticator({ mode: 'development', secret: TEST_SECRET }),
        {
          attachmentMaxBytes: 64 * 1024,
        },
      );
    });
    afterAll(() => small.close());

    it('a file over the limit is 413, decided from the declared length or as soon as the limit is passed', async () => {
      const motion = await flow.motion();
      const big = Buffer.alloc(200 * 1024, 'a');
      // Declared (FormData has a length): refused from the headers, before the body is read.
      const declared = await upload(small.baseUrl, motion.id, who.proposerBY, { bytes: big, name: 'a.txt' });
      expect(declared.status).toBe(413);
      expect(declared.type).toContain('application/problem+json');
      // Streamed without a length (chunked), just over the limit: refused when the limit is passed.
      const boundary = 'x-boundary-x';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nGroß\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(head);
          controller.enqueue(Buffer.alloc(64 * 1024 + 1, 'b'));
          controller.enqueue(tail);
          controller.close();
        },
      });
      const streamed = await fetch(`${small.baseUrl}/v1/initiatives/${motion.id}/attachments`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${who.proposerBY}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
        duplex: 'half',
      });
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as Problem).detail).toContain('65536 bytes');
      const exact = await upload(small.baseUrl, motion.id, who.proposerBY, {
        bytes: Buffer.alloc(64 * 1024, 'c'),
        name: 'a.txt',
      });
      expect(exact.status).toBe(201);
      expect((await flow.get(motion.id)).attachments?.map((a) => a.size)).toEqual([64 * 1024]);
      expect(await staged()).toBe(0);
    });
  });
});
