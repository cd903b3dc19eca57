/** Diffs between text versions (docs/texts.md#diffs): known inputs, through the parser and the diff library. */
import { describe, expect, it } from 'vitest';
import { paragraphsOf } from '../api/markdown.js';
import { diffParagraphs } from '../api/text-diff.js';

const doc = (...blocks: string[]) => paragraphsOf(blocks.join('\n\n'));
const ops = (a: string[], b: string[]) => diffParagraphs(doc(...a), doc(...b));
const shape = (a: string[], b: string[]) => ops(a, b).map((p) => [p.op, p.from?.n ?? null, p.to?.n ?? null]);

describe('paragraphs', () => {
  it('are the top-level blocks, list items one each, nested content in its block, HTML as text', () => {
    const paragraphs = paragraphsOf(
      [
        '# Titel',
        'Ein Absatz mit *Betonung* und [Link](https://example.org).',
        '- eins\n  - verschachtelt\n- zwei',
        '> Zitat\n>\n> zweiter Absatz im Zitat',
        '```\ncode\n```',
        '<script>alert(1)</script>',
        '[ref]: https://example.org',
      ].join('\n\n'),
    );
    expect(paragraphs.map((p) => [p.n, p.kind])).toEqual([
      [1, 'heading'],
      [2, 'paragraph'],
      [3, 'listItem'],
      [4, 'listItem'],
      [5, 'blockquote'],
      [6, 'code'],
      [7, 'html'],
    ]);
    expect(paragraphs[2]?.source).toBe('- eins\n  - verschachtelt');
    expect(paragraphs[6]?.source).toBe('<script>alert(1)</script>');
  });
});

describe('the diff between two versions', () => {
  const A = 'Erster Absatz.';
  const B = 'Zweiter Absatz.';
  const C = 'Dritter Absatz.';

  it('equal texts: every paragraph equal', () => {
    expect(shape([A, B], [A, B])).toEqual([
      ['equal', 1, 1],
      ['equal', 2, 2],
    ]);
  });

  it('a paragraph inserted', () => {
    expect(shape([A, C], [A, B, C])).toEqual([
      ['equal', 1, 1],
      ['insert', null, 2],
      ['equal', 2, 3],
    ]);
  });

  it('a paragraph deleted', () => {
    expect(shape([A, B, C], [A, C])).toEqual([
      ['equal', 1, 1],
      ['delete', 2, null],
      ['equal', 3, 2],
    ]);
  });

  it('a paragraph changed, with the words that changed', () => {
    const diff = ops(
      [A, 'Die Länder tragen die Kosten.', C],
      [A, 'Die Länder tragen die Kosten hälftig.', C],
    );
    expect(diff.map((p) => p.op)).toEqual(['equal', 'change', 'equal']);
    expect(diff[1]?.from).toEqual({ n: 2, text: 'Die Länder tragen die Kosten.' });
    expect(diff[1]?.to).toEqual({ n: 2, text: 'Die Länder tragen die Kosten hälftig.' });
    const words = diff[1]?.words ?? [];
    // Punctuation is a token of its own: only the new word is inserted.
    expect(words.filter((w) => w.op !== 'equal')).toEqual([{ op: 'insert', text: ' hälftig' }]);
    const reworded = ops(['Die Länder tragen die Kosten.'], ['Der Bund trägt die Kosten.'])[0]?.words;
    expect(reworded?.filter((w) => w.op === 'delete').map((w) => w.text.trim())).toEqual([
      'Die',
      'Länder',
      'tragen',
    ]);
    expect(reworded?.filter((w) => w.op === 'insert').map((w) => w.text.trim())).toEqual([
      'Der',
      'Bund',
      'trägt',
    ]);
    // The word diff rebuilds both sides.
    expect(
      words
        .filter((w) => w.op !== 'insert')
        .map((w) => w.text)
        .join(''),
    ).toBe('Die Länder tragen die Kosten.');
    expect(
      words
        .filter((w) => w.op !== 'delete')
        .map((w) => w.text)
        .join(''),
    ).toBe('Die Länder tragen die Kosten hälftig.');
  });

  it('paragraphs reordered: one moved paragraph is deleted at its old place and inserted at its new one', () => {
    expect(shape([A, B, C], [B, C, A])).toEqual([
      ['delete', 1, null],
      ['equal', 2, 1],
      ['equal', 3, 2],
      ['insert', null, 3],
    ]);
  });

  it('more deleted than inserted at one place: pairs become changes, the rest deletions', () => {
    expect(shape([A, B, C], ['Neu.'])).toEqual([
      ['change', 1, 1],
      ['delete', 2, null],
      ['delete', 3, null],
    ]);
  });
});
