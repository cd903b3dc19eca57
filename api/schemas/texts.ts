/** The motion texts of an initiative (docs/texts.md): versions, one version's paragraphs. */
import { Type } from 'typebox';
import { InitiativeId } from '../../workflows/schemas.js';
import { PersonSchema, Timestamp } from './initiative.js';

export const TextVersionParams = Type.Object({
  id: InitiativeId,
  version: Type.Integer({ minimum: 1, description: 'the text version, from 1' }),
});

export const TextVersionsSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      version: Type.Integer(),
      hash: Type.String({ description: 'lowercase sha256 hex of the UTF-8 bytes' }),
      length: Type.Integer({ description: 'Unicode code points' }),
      at: Timestamp,
      by: PersonSchema,
      revision: Type.Integer({ description: 'the review round that brought this version' }),
    }),
  ),
});

export const MarkdownText = {
  description: 'the text as submitted; ETag is its sha256',
  content: { 'text/markdown': { schema: Type.String() } },
};

export const ParagraphsSchema = Type.Object({
  version: Type.Integer(),
  hash: Type.String(),
  items: Type.Array(
    Type.Object({
      n: Type.Integer({ description: 'the paragraph number remarks refer to' }),
      kind: Type.String({ description: 'the CommonMark block: heading, paragraph, listItem, code, …' }),
      source: Type.String({ description: 'the block as written (Markdown; raw HTML is text)' }),
    }),
  ),
});

export const TextDiffParams = Type.Object({
  id: InitiativeId,
  a: Type.Integer({ minimum: 1, description: 'the version diffed from' }),
  b: Type.Integer({ minimum: 1, description: 'the version diffed to' }),
});

const DiffSide = Type.Object({ n: Type.Integer(), text: Type.String() });
export const TextDiffSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  paragraphs: Type.Array(
    Type.Object({
      op: Type.Union([
        Type.Literal('equal'),
        Type.Literal('insert'),
        Type.Literal('delete'),
        Type.Literal('change'),
      ]),
      from: Type.Optional(DiffSide),
      to: Type.Optional(DiffSide),
      words: Type.Optional(
        Type.Array(
          Type.Object({
            op: Type.Union([Type.Literal('equal'), Type.Literal('insert'), Type.Literal('delete')]),
            text: Type.String(),
          }),
        ),
      ),
    }),
  ),
});
