/**
 * The diff between two text versions (docs/texts.md#diffs): paragraphs aligned by jsdiff's `diffArrays`
 * (Myers' LCS over the paragraphs' Markdown sources); a run of deleted paragraphs directly followed by a
 * run of inserted ones is paired up as `change`s, each with a word-level diff (`diffWordsWithSpace`).
 */
import { diffArrays, diffWordsWithSpace } from 'diff';
import type { Paragraph } from './markdown.js';

export interface Side {
  n: number;
  text: string;
}
export interface WordOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}
export interface ParagraphOp {
  op: 'equal' | 'insert' | 'delete' | 'change';
  from?: Side;
  to?: Side;
  words?: WordOp[];
}

const side = (p: Paragraph): Side => ({ n: p.n, text: p.source });

function wordDiff(from: string, to: string): WordOp[] {
  return diffWordsWithSpace(from, to).map((part) => ({
    op: part.added ? 'insert' : part.removed ? 'delete' : 'equal',
    text: part.value,
  }));
}

export function diffParagraphs(from: Paragraph[], to: Paragraph[]): ParagraphOp[] {
  const ops: ParagraphOp[] = [];
  let i = 0;
  let j = 0;
  const parts = diffArrays(
    from.map((p) => p.source),
    to.map((p) => p.source),
  );
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (!part) continue;
    const next = parts[k + 1];
    if (part.removed && next?.added) {
      // A deletion directly followed by an insertion at the same place: changes, pairwise.
      const deleted = from.slice(i, i + part.count);
      const inserted = to.slice(j, j + next.count);
      const paired = Math.min(deleted.length, inserted.length);
      for (let m = 0; m < paired; m++) {
        const a = deleted[m] as Paragraph;
        const b = inserted[m] as Paragraph;
        ops.push({ op: 'change', from: side(a), to: side(b), words: wordDiff(a.source, b.source) });
      }
      for (const a of deleted.slice(paired)) ops.push({ op: 'delete', from: side(a) });
      for (const b of inserted.slice(paired)) ops.push({ op: 'insert', to: side(b) });
      i += part.count;
      j += next.count;
      k += 1;
    } else if (part.removed) {
      for (const a of from.slice(i, i + part.count)) ops.push({ op: 'delete', from: side(a) });
      i += part.count;
    } else if (part.added) {
      for (const b of to.slice(j, j + part.count)) ops.push({ op: 'insert', to: side(b) });
      j += part.count;
    } else {
      for (let m = 0; m < part.count; m++)
        ops.push({ op: 'equal', from: side(from[i + m] as Paragraph), to: side(to[j + m] as Paragraph) });
      i += part.count;
      j += part.count;
    }
  }
  return ops;
}
