/**
 * Storing a motion text before it is referred to: the API parses it (paragraphs), hashes it and stores it
 * content-addressed, and hands the workflow only the reference (docs/texts.md).
 */
import type { TextRepository } from '../db/texts.js';
import type { TextStore } from '../workflows/commands/define.js';
import type { TextRef } from '../workflows/contracts.js';
import { codePoints, paragraphsOf, textHash } from './markdown.js';

export function createTextStore(texts: TextRepository): TextStore {
  return {
    async store(body: string): Promise<TextRef> {
      const ref = { hash: textHash(body), length: codePoints(body), paragraphs: paragraphsOf(body).length };
      await texts.store({ ...ref, body });
      return ref;
    },
  };
}
