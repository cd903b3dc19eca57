/** The best-practice catalogue: the practice resource, its create/edit body, the list, interest, topics. */
import { Type, type Static } from 'typebox';
import { LandSchema, Text } from '../../workflows/schemas.js';
import { Timestamp } from './initiative.js';

const ActorSchema = Type.Object({
  sub: Type.String(),
  name: Type.String(),
  land: Type.Union([LandSchema, Type.Null()]),
  role: Type.String(),
});

export const PracticeIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const TopicKey = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,63}$',
  description: 'a key of GET /v1/topics',
  examples: ['egovernment'],
});
const Contact = Type.Object(
  {
    name: Text(200),
    email: Type.String({ format: 'email', maxLength: 320 }),
  },
  { additionalProperties: false },
);

export const PracticeBody = Type.Object(
  {
    title: Text(300),
    summary: Text(10_000),
    topic: TopicKey,
    ressort: Type.Optional(
      Text(200, "the Ressort that runs it, a key of the practice's Land (GET /v1/ressorts), e.g. StMD"),
    ),
    url: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2_000 })),
    contact: Type.Optional(Contact),
    tags: Type.Optional(Type.Array(Text(60), { maxItems: 20, uniqueItems: true })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        title: 'Verwaltungsportal für Unternehmen',
        summary: 'Ein Portal, über das Unternehmen Anträge digital stellen und verfolgen.',
        topic: 'egovernment',
        tags: ['Onlinezugang'],
      },
    ],
  },
);
export type PracticeBody = Static<typeof PracticeBody>;

export const InterestBody = Type.Object(
  { comment: Type.Optional(Text(2_000)) },
  { additionalProperties: false, examples: [{ comment: 'Wir prüfen die Übernahme für 2027.' }] },
);

export const PracticeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    version: Type.Integer({ minimum: 1 }),
    land: LandSchema,
    topic: Type.String(),
    ressort: Type.Union([Type.String(), Type.Null()]),
    title: Type.String(),
    summary: Type.String(),
    url: Type.Union([Type.String(), Type.Null()]),
    contact: Type.Union([Type.Object({ name: Type.String(), email: Type.String() }), Type.Null()]),
    tags: Type.Array(Type.String()),
    createdBy: Type.Object({ sub: Type.String(), name: Type.String() }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    interest: Type.Array(
      Type.Object({ land: LandSchema, at: Timestamp, comment: Type.Optional(Type.String()) }),
    ),
    initiatives: Type.Array(Type.String(), {
      description: 'initiatives based on it (their basedOn) that the caller may read',
    }),
  },
  { $id: 'Practice' },
);

export const PracticeListQuery = Type.Object({
  topic: Type.Optional(TopicKey),
  land: Type.Optional(LandSchema),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'German full-text search' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});

export const PracticeListSchema = Type.Object({
  items: Type.Array(Type.Ref('Practice')),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const PracticeHistorySchema = Type.Object({
  items: Type.Array(
    Type.Object({
      seq: Type.Integer({ minimum: 1 }),
      at: Timestamp,
      type: Type.String(),
      actor: ActorSchema,
      data: Type.Record(Type.String(), Type.Unknown()),
      prevHash: Type.String(),
      hash: Type.String(),
    }),
  ),
});

export const TopicListSchema = Type.Array(
  Type.Object({
    key: Type.String(),
    name: Type.Object({ de: Type.String(), en: Type.String() }),
    source: Type.String(),
    provisional: Type.Boolean(),
  }),
);

export const PracticeHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      pattern: '^\\s*(W/)?"\\d+"\\s*$',
      description: 'the version the edit expects, as "<version>"',
      examples: ['"1"'],
    }),
  ),
});
