/**
 * The motion text's Markdown as the rest of the system sees it: paragraphs (the top-level blocks of the
 * CommonMark document, docs/texts.md#paragraphs), its hash and its length. Parsed by micromark through
 * `mdast-util-from-markdown`, a CommonMark-compliant parser; no HTML is ever produced here.
 */
import { createHash } from 'node:crypto';
import { fromMarkdown } from 'mdast-util-from-markdown';

type Root = ReturnType<typeof fromMarkdown>;
type RootContent = Root['children'][number];

export interface Paragraph {
  /** 1-based, in document order. */
  n: number;
  /** The block's node type: heading, paragraph, listItem, blockquote, code, html, thematicBreak, … */
  kind: string;
  /** The block's Markdown source, as written. */
  source: string;
}

/** Lowercase sha256 hex of the text's UTF-8 bytes. */
export const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Length in Unicode code points, the unit of the 200 000 limit. */
export const codePoints = (text: string): number => Array.from(text).length;

export const parseMarkdown = (text: string): Root => fromMarkdown(text);

/** The source slice of a node (every node the parser produces carries its offsets). */
const sourceOf = (text: string, node: RootContent): string =>
  text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);

/**
 * The top-level blocks, numbered from 1: a list counts as its items (each top-level item one paragraph);
 * link reference definitions are not content and count as none. Nested content belongs to its block.
 */
export function paragraphsOf(text: string): Paragraph[] {
  const blocks: { kind: string; node: RootContent }[] = [];
  for (const node of parseMarkdown(text).children) {
    if (node.type === 'definition') continue;
    if (node.type === 'list') for (const item of node.children) blocks.push({ kind: 'listItem', node: item });
    else blocks.push({ kind: node.type, node });
  }
  return blocks.map(({ kind, node }, index) => ({ n: index + 1, kind, source: sourceOf(text, node) }));
}
