/**
 * Exports of an initiative as it stands (docs/texts.md, Exports): one model, rendered as Markdown by
 * `mdast-util-to-markdown` and as a tagged PDF by pdfkit with embedded Noto Sans (German glyphs). Both are
 * deterministic: nothing in them depends on the clock or on chance, so the same state gives the same bytes.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Heading, List, ListItem, PhrasingContent, Root, RootContent } from 'mdast';
import { toMarkdown } from 'mdast-util-to-markdown';
import PDFDocument from 'pdfkit';
import type { Attachment, Initiative, Review } from '../workflows/contracts.js';
import { parseMarkdown } from './markdown.js';

export interface ExportModel {
  initiative: Initiative;
  /** The current text version's Markdown, if the initiative has one. */
  text: string | undefined;
  /** The initiative's last audit event: its sequence number and hash. */
  lastAudit: { seq: number; hash: string } | undefined;
}

const CHANNEL: Record<string, string> = { joint: 'Gemeinsames Vorhaben', bundesrat: 'Bundesrat' };
const INSTRUMENT: Record<string, string> = {
  gesetzesantrag: 'Gesetzesantrag',
  entschliessungsantrag: 'Entschließungsantrag',
};
const REVIEW: Record<Review['status'], string> = {
  pending: 'ausstehend',
  approved: 'zugestimmt',
  changes_requested: 'Änderungen erbeten',
  rejected: 'abgelehnt',
};
const PHASE: Record<string, string> = {
  review: 'Prüfung',
  revision: 'Überarbeitung',
  consultation: 'Beteiligung',
  cabinet: 'Kabinett',
  bundesrat: 'Bundesrat',
  adopted: 'angenommen',
  rejected: 'abgelehnt',
  withdrawn: 'zurückgezogen',
  expired: 'abgelaufen',
};

const VERIFY =
  'Prüfen: GET /v1/initiatives/{id}/history liefert die Kette; jeder Hash ist sha256_hex(prevHash + JCS(Ereignis)), ' +
  'der letzte muss dem hier genannten gleichen (npm run audit:verify prüft alle Ketten).';

/** The facts of the header, as label and value, in the order both exports show them. */
function facts(model: ExportModel): [string, string][] {
  const { initiative: i } = model;
  const rows: [string, string][] = [
    ['Aktenzeichen', i.id],
    ['Weg', CHANNEL[i.channel] ?? i.channel],
  ];
  if (i.instrument) rows.push(['Instrument', INSTRUMENT[i.instrument] ?? i.instrument]);
  rows.push(['Federführendes Land', i.leadLand]);
  const ressort = i.leadRessort ? `${i.leadRessort.land} ${i.leadRessort.key}` : i.ressort;
  if (ressort) rows.push(['Ressort', ressort]);
  const applicants =
    i.bundesrat?.applicants ??
    i.participants
      .filter((p) => p.role !== 'declined' && p.role !== 'no_response' && p.role !== 'invited')
      .map((p) => p.land);
  rows.push(['Antragsteller', applicants.join(', ')]);
  if (i.bundesrat?.drucksache) rows.push(['Drucksache', i.bundesrat.drucksache]);
  if (i.bundesrat?.plenarySession)
    rows.push([
      'Plenarsitzung',
      `${i.bundesrat.plenarySession.number}. Sitzung am ${i.bundesrat.plenarySession.date}`,
    ]);
  rows.push(['Phase', PHASE[i.phase] ?? i.phase], ['Stand', `Version ${i.version}, ${i.updatedAt}`]);
  if (i.text) rows.push(['Textfassung', `${i.text.version} (sha256 ${i.text.hash})`]);
  return rows;
}

function reviewLine(review: Review): string {
  const parts = [`${review.land}: ${REVIEW[review.status]}`];
  if (review.by) parts.push(`von ${review.by.name}`);
  if (review.at) parts.push(`am ${review.at}`);
  if (review.textVersion !== undefined)
    parts.push(`zu Textfassung ${review.textVersion} (sha256 ${review.textHash ?? ''})`);
  return parts.join(', ');
}

const attachmentLine = (a: Attachment) =>
  `${a.id}. ${a.title} (${a.filename}, ${a.mediaType}, ${a.size} Bytes), sha256 ${a.sha256}${a.withdrawn ? ' — zurückgezogen' : ''}`;

/** The text's top-level blocks as numbered paragraphs (a list counts as its items), headings shifted down. */
function numberedBlocks(text: string): { n: number; node: RootContent; ordered?: number }[] {
  const blocks: { n: number; node: RootContent; ordered?: number }[] = [];
  for (const node of parseMarkdown(text).children) {
    if (node.type === 'definition') continue;
    if (node.type === 'list')
      node.children.forEach((item, index) =>
        blocks.push({
          n: blocks.length + 1,
          node: item,
          ...(node.ordered ? { ordered: (node.start ?? 1) + index } : {}),
        }),
      );
    else blocks.push({ n: blocks.length + 1, node });
  }
  return blocks;
}

// ---- Markdown ----

const txt = (value: string): PhrasingContent => ({ type: 'text', value });
const para = (...children: PhrasingContent[]): RootContent => ({ type: 'paragraph', children });
const heading = (depth: Heading['depth'], value: string): RootContent => ({
  type: 'heading',
  depth,
  children: [txt(value)],
});
const list = (items: RootContent[][]): List => ({
  type: 'list',
  ordered: false,
  spread: false,
  children: items.map((children) => ({ type: 'listItem', spread: false, children }) as ListItem),
});

/** Raw HTML becomes text: the export shows it as written, never as markup (docs/texts.md). */
function withoutHtml<T extends RootContent | ListItem>(node: T): T {
  if (node.type === 'html') return { type: 'text', value: node.value } as unknown as T;
  if ('children' in node)
    return { ...node, children: (node.children as RootContent[]).map((child) => withoutHtml(child)) };
  return node;
}

/** The text's block with its paragraph number in front (`[n]`), headings two levels down. */
function numbered(n: number, raw: RootContent, ordered: number | undefined): RootContent[] {
  const node = raw.type === 'html' ? para(txt(raw.value)) : withoutHtml(raw);
  const mark = txt(`[${n}] ${ordered === undefined ? '' : `${ordered}. `}`);
  if (node.type === 'heading')
    return [
      { ...node, depth: Math.min(6, node.depth + 2) as Heading['depth'], children: [mark, ...node.children] },
    ];
  if (node.type === 'paragraph') return [{ ...node, children: [mark, ...node.children] }];
  if (node.type === 'listItem') {
    const [first, ...rest] = node.children;
    if (first?.type === 'paragraph') return [{ ...first, children: [mark, ...first.children] }, ...rest];
    return [para(mark), ...node.children];
  }
  return [para(mark), node];
}

export function exportMarkdown(model: ExportModel): string {
  const { initiative: i } = model;
  const children: RootContent[] = [
    heading(1, i.title),
    list(
      facts(model).map(([label, value]) => [
        para({ type: 'strong', children: [txt(`${label}:`)] }, txt(` ${value}`)),
      ]),
    ),
  ];
  children.push(heading(2, 'Zusammenfassung'), para(txt(i.summary)));
  children.push(
    heading(
      2,
      model.text === undefined ? 'Antragstext (keiner)' : `Antragstext, Fassung ${i.text?.version ?? ''}`,
    ),
  );
  if (model.text !== undefined)
    for (const { n, node, ordered } of numberedBlocks(model.text))
      children.push(...numbered(n, node, ordered));
  children.push(heading(2, `Voten (Runde ${i.revision})`));
  children.push(
    list(
      i.reviews.map((review) => [
        para(txt(reviewLine(review))),
        ...(review.comment ? [para(txt(`Kommentar: ${review.comment}`))] : []),
        ...(review.remarks?.length
          ? [list(review.remarks.map((remark) => [para(txt(`Absatz ${remark.paragraph}: ${remark.text}`))]))]
          : []),
      ]),
    ),
  );
  children.push(heading(2, 'Anlagen'));
  const attachments = i.attachments ?? [];
  children.push(
    attachments.length ? list(attachments.map((a) => [para(txt(attachmentLine(a)))])) : para(txt('Keine.')),
  );
  children.push(heading(2, 'Prüfkette'));
  children.push(
    para(
      txt(
        model.lastAudit
          ? `Letztes Ereignis ${model.lastAudit.seq}, Hash ${model.lastAudit.hash}.`
          : 'Noch kein Ereignis aufgezeichnet.',
      ),
    ),
    para(txt(VERIFY.replace('{id}', i.id))),
  );
  const root: Root = { type: 'root', children };
  return toMarkdown(root, { bullet: '-', emphasis: '_', strong: '*', rule: '-' });
}

// ---- PDF ----

const require = createRequire(import.meta.url);
const font = (file: string) => readFileSync(require.resolve(`@fontsource/noto-sans/files/${file}`));
let fonts: Record<'regular' | 'bold' | 'italic' | 'boldItalic', Buffer> | undefined;
function loadFonts() {
  fonts ??= {
    regular: font('noto-sans-latin-400-normal.woff'),
    bold: font('noto-sans-latin-700-normal.woff'),
    italic: font('noto-sans-latin-400-italic.woff'),
    boldItalic: font('noto-sans-latin-700-italic.woff'),
  };
  return fonts;
}

interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
  link?: string;
}

/** Inline Markdown as runs of text with their emphasis; images and HTML as their text. */
function runsOf(nodes: readonly PhrasingContent[], bold = false, italic = false, link?: string): Run[] {
  const runs: Run[] = [];
  for (const node of nodes) {
    const at = (text: string) => runs.push({ text, bold, italic, ...(link ? { link } : {}) });
    switch (node.type) {
      case 'text':
      case 'inlineCode':
      case 'html':
        at(node.value);
        break;
      case 'break':
        at('\n');
        break;
      case 'strong':
        runs.push(...runsOf(node.children, true, italic, link));
        break;
      case 'emphasis':
        runs.push(...runsOf(node.children, bold, true, link));
        break;
      case 'link':
        runs.push(...runsOf(node.children, bold, italic, node.url));
        break;
      case 'image':
        at(node.alt ?? '');
        break;
      default:
        if ('children' in node) runs.push(...runsOf(node.children, bold, italic, link));
        else if ('value' in node && typeof node.value === 'string') at(node.value);
    }
  }
  return runs;
}

const blockRuns = (node: RootContent | ListItem): Run[] => {
  if (node.type === 'heading' || node.type === 'paragraph') return runsOf(node.children);
  if (node.type === 'code' || node.type === 'html') return [{ text: node.value, bold: false, italic: false }];
  if (node.type === 'thematicBreak') return [{ text: '———', bold: false, italic: false }];
  if ('children' in node) {
    const runs: Run[] = [];
    for (const child of node.children as (RootContent | ListItem)[]) {
      if (runs.length) runs.push({ text: '\n', bold: false, italic: false });
      runs.push(...blockRuns(child));
    }
    return runs;
  }
  return [];
};

/** The PDF of `model`; resolves once the document is complete. */
export function exportPdf(model: ExportModel): Promise<Buffer> {
  const { initiative: i } = model;
  const at = new Date(i.updatedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 72, right: 56 },
    tagged: true,
    lang: 'de-DE',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: `${i.id}: ${i.title}`,
      Author: 'Digital Dialog',
      Subject: i.id,
      CreationDate: at,
      ModDate: at,
    },
  });
  const { regular, bold, italic, boldItalic } = loadFonts();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  doc.registerFont('italic', italic);
  doc.registerFont('boldItalic', boldItalic);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const block = (type: string, draw: () => void) => root.add(doc.struct(type, {}, draw));
  const write = (runs: Run[], size: number, options: PDFKit.Mixins.TextOptions = {}) => {
    const kept = runs.filter((r) => r.text.length > 0);
    if (kept.length === 0) return;
    kept.forEach((run, index) => {
      doc
        .font(run.bold ? (run.italic ? 'boldItalic' : 'bold') : run.italic ? 'italic' : 'regular')
        .fontSize(size)
        .text(run.text, {
          ...options,
          continued: index < kept.length - 1,
          ...(run.link ? { link: run.link, underline: true } : { link: null, underline: false }),
        });
    });
  };
  const plain = (text: string, isBold = false): Run[] => [{ text, bold: isBold, italic: false }];

  block('H1', () => write(plain(i.title, true), 18, { paragraphGap: 8 }));
  for (const [label, value] of facts(model))
    block('P', () =>
      write(
        [
          { text: `${label}: `, bold: true, italic: false },
          { text: value, bold: false, italic: false },
        ],
        10,
      ),
    );
  doc.moveDown();
  block('H2', () => write(plain('Zusammenfassung', true), 14, { paragraphGap: 4 }));
  block('P', () => write(plain(i.summary), 11, { paragraphGap: 6 }));

  block('H2', () =>
    write(
      plain(
        model.text === undefined ? 'Antragstext (keiner)' : `Antragstext, Fassung ${i.text?.version ?? ''}`,
        true,
      ),
      14,
      { paragraphGap: 4 },
    ),
  );
  if (model.text !== undefined)
    for (const { n, node, ordered } of numberedBlocks(model.text)) {
      const y = doc.y;
      const isHeading = node.type === 'heading';
      const prefix = node.type === 'listItem' ? (ordered === undefined ? '• ' : `${ordered}. `) : '';
      block(isHeading ? `H${Math.min(6, node.depth + 2)}` : node.type === 'listItem' ? 'LI' : 'P', () => {
        doc
          .font('regular')
          .fontSize(8)
          .text(`${n}`, 40, y + 2, { width: 24, align: 'right', lineBreak: false });
        doc.x = doc.page.margins.left;
        doc.y = y;
        const runs = blockRuns(node);
        write(prefix ? [{ text: prefix, bold: false, italic: false }, ...runs] : runs, isHeading ? 13 : 11, {
          paragraphGap: 6,
          indent: 0,
          ...(node.type === 'listItem' ? {} : {}),
        });
      });
    }

  block('H2', () => write(plain(`Voten (Runde ${i.revision})`, true), 14, { paragraphGap: 4 }));
  for (const review of i.reviews) {
    block('P', () => write(plain(reviewLine(review)), 10, { paragraphGap: 2 }));
    if (review.comment)
      block('P', () => write(plain(`Kommentar: ${review.comment ?? ''}`), 10, { paragraphGap: 2 }));
    for (const remark of review.remarks ?? [])
      block('P', () =>
        write(plain(`Absatz ${remark.paragraph}: ${remark.text}`), 10, { paragraphGap: 2, indent: 12 }),
      );
  }
  doc.moveDown();
  block('H2', () => write(plain('Anlagen', true), 14, { paragraphGap: 4 }));
  const attachments = i.attachments ?? [];
  if (attachments.length === 0) block('P', () => write(plain('Keine.'), 10));
  for (const a of attachments) block('P', () => write(plain(attachmentLine(a)), 10, { paragraphGap: 2 }));
  doc.moveDown();
  block('H2', () => write(plain('Prüfkette', true), 14, { paragraphGap: 4 }));
  block('P', () =>
    write(
      plain(
        model.lastAudit
          ? `Letztes Ereignis ${model.lastAudit.seq}, Hash ${model.lastAudit.hash}.`
          : 'Noch kein Ereignis aufgezeichnet.',
      ),
      10,
      { paragraphGap: 2 },
    ),
  );
  block('P', () => write(plain(VERIFY.replace('{id}', i.id)), 9));
  root.end();
  doc.end();
  return done;
}
