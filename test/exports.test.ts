/**
 * Exports (docs/texts.md, Exports): the PDF opened by a real PDF parser (pdf.js) and the Markdown, with the
 * title, the numbered text, the reviews with their text version and remarks, the attachments and the last
 * audit hash; the same state gives the same bytes; the read rule applies.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { Flow } from './kit/flow.js';
import { historyOf, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;
const flow = new Flow(harness, who);

const TEXT = [
  '# Entwurf eines Gesetzes zur Förderung offener Schnittstellen',
  'Der Bundesrat möge **beschließen**, den _Entwurf_ einzubringen.',
  '- Artikel 1: Änderung des Onlinezugangsgesetzes',
  '- Artikel 2: Inkrafttreten',
  '<script>alert("x")</script>',
].join('\n\n');

async function download(path: string, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${harness.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Every page's text as pdf.js extracts it, and whether the document has a structure tree. */
async function readPdf(bytes: Buffer) {
  const document = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const pages: string[] = [];
  let tagged = false;
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    if (await page.getStructTree()) tagged = true;
  }
  const metadata = await document.getMetadata();
  await document.destroy();
  return {
    text: pages.join('\n').replace(/\s+/g, ' '),
    tagged,
    info: metadata.info as Record<string, unknown>,
  };
}

describe('exports', () => {
  it('the PDF holds the title, the numbered text, reviews, attachments and the last audit hash; the same state, the same bytes', async () => {
    const motion = await flow.motion({ title: 'Offene Schnittstellen für Länderportale', text: TEXT });
    await flow.post(motion.id, '/reviews', who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte präzisieren.',
      textVersion: 1,
      remarks: [{ paragraph: 2, text: 'Welche Behörde ist zuständig?' }],
    });
    const form = new FormData();
    form.append('title', 'Stellungnahme Bayern');
    form.append('file', new Blob([Buffer.from('Zustimmung.\n')]), 'stellungnahme.txt');
    const attached = await fetch(`${harness.baseUrl}/v1/initiatives/${motion.id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.proposerBY}` },
      body: form,
    });
    expect(attached.status).toBe(201);
    const { sha256 } = (await attached.json()) as { sha256: string };
    const history = await historyOf(harness, motion.id, who.viewer);
    const last = history.at(-1) as unknown as { hash: string; seq: number };

    const first = await download(`/v1/initiatives/${motion.id}/export.pdf`, who.reviewerBY);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('content-type')).toBe('application/pdf');
    expect(first.response.headers.get('content-disposition')).toBe(`attachment; filename="${motion.id}.pdf"`);
    expect(first.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await readPdf(first.bytes);
    expect(pdf.tagged).toBe(true);
    expect(pdf.info.Title).toBe(`${motion.id}: Offene Schnittstellen für Länderportale`);
    for (const expected of [
      'Offene Schnittstellen für Länderportale',
      `Aktenzeichen: ${motion.id}`,
      'Instrument: Gesetzesantrag',
      'Entwurf eines Gesetzes zur Förderung offener Schnittstellen',
      'beschließen',
      'Artikel 2: Inkrafttreten',
      '<script>alert("x")</script>',
      'NW: Änderungen erbeten',
      'zu Textfassung 1',
      'Absatz 2: Welche Behörde ist zuständig?',
      'Stellungnahme Bayern',
      sha256,
      last.hash,
    ])
      expect(pdf.text, expected).toContain(expected);

    // The same state gives the same bytes (and the same ETag, so a conditional GET is a 304).
    const again = await download(`/v1/initiatives/${motion.id}/export.pdf`, who.viewer);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    const etag = first.response.headers.get('etag') ?? '';
    const unchanged = await download(`/v1/initiatives/${motion.id}/export.pdf`, who.viewer, {
      'if-none-match': etag,
    });
    expect(unchanged.response.status).toBe(304);

    // A change makes another document.
    await flow.post(motion.id, '/reviews', who.reviewerBY, { decision: 'approve', textVersion: 1 });
    const changed = await download(`/v1/initiatives/${motion.id}/export.pdf`, who.viewer);
    expect(changed.bytes.equals(first.bytes)).toBe(false);
  });

  it('the Markdown export carries the same content, raw HTML as text', async () => {
    const motion = await flow.motion({ title: 'Offene Schnittstellen', text: TEXT });
    await flow.post(motion.id, '/reviews', who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte präzisieren.',
      textVersion: 1,
      remarks: [{ paragraph: 3, text: 'Welches Gesetz genau?' }],
    });
    const history = await historyOf(harness, motion.id, who.viewer);
    const last = history.at(-1) as unknown as { hash: string };
    const { response, bytes } = await download(`/v1/initiatives/${motion.id}/export.md`, who.reviewerNW);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const markdown = bytes.toString('utf8');
    expect(markdown.startsWith('# Offene Schnittstellen\n')).toBe(true);
    for (const expected of [
      `- **Aktenzeichen:** ${motion.id}`,
      '## Antragstext, Fassung 1',
      '### \\[1] Entwurf eines Gesetzes zur Förderung offener Schnittstellen',
      '\\[2] Der Bundesrat möge **beschließen**, den _Entwurf_ einzubringen.',
      '\\[4] Artikel 2: Inkrafttreten',
      '\\[5] \\<script>',
      'zu Textfassung 1',
      '- Absatz 3: Welches Gesetz genau?',
      `Hash ${last.hash}`,
    ])
      expect(markdown, expected).toContain(expected);
    expect(markdown).not.toContain('\n<script>');
    const again = await download(`/v1/initiatives/${motion.id}/export.md`, who.viewer);
    expect(again.bytes.equals(bytes)).toBe(true);
  });

  it('exports of an initiative the caller may not read → 404', async () => {
    const motion = await flow.motion();
    for (const path of ['export.pdf', 'export.md']) {
      const { response } = await download(`/v1/initiatives/${motion.id}/${path}`, who.reviewerHE);
      expect(response.status).toBe(404);
    }
  });
});
