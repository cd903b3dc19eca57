/** Formats where the Ressorts meet: the resource, its create/edit body, minutes, the list, the joint session. */
import { Type, type Static } from 'typebox';
import { CalendarDate, InitiativeId, LandSchema, oneOf, Text } from '../../workflows/schemas.js';
import { FORMAT_KINDS } from '../../db/formats.js';
import { Timestamp } from './initiative.js';

const ActorSchema = Type.Object({
  sub: Type.String(),
  name: Type.String(),
  land: Type.Union([LandSchema, Type.Null()]),
  role: Type.String(),
});

export const FormatIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const TopicKey = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,63}$',
  description: 'a key of GET /v1/topics',
  examples: ['egovernment'],
});
const Kind = oneOf(FORMAT_KINDS);
const Time = Type.String({
  pattern: '^([01]\\d|2[0-3]):[0-5]\\d$',
  description: 'HH:MM, Europe/Berlin',
  examples: ['10:00'],
});
const RessortKey = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^\\S+$',
  description: 'a key of GET /v1/ressorts?land=…',
});
const FormatRessort = Type.Object(
  {
    land: LandSchema,
    key: Type.Optional(RessortKey),
  },
  {
    additionalProperties: false,
    description: 'a Ressort of a Land; a Land without Ressorts on record is listed without a key',
  },
);
const AgendaItem = Type.Object(
  {
    title: Text(300),
    initiativeId: Type.Optional(InitiativeId),
    practiceId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
const CabinetDecisionValue = oneOf(['approve', 'decline'] as const);
const Outcome = Type.Object(
  {
    text: Text(2_000),
    initiativeId: Type.Optional(InitiativeId),
    cabinetDecision: Type.Optional(CabinetDecisionValue),
  },
  { additionalProperties: false },
);

export const FormatBody = Type.Object(
  {
    title: Text(300),
    kind: Kind,
    date: CalendarDate,
    time: Type.Optional(Time),
    place: Type.Optional(Text(300)),
    topics: Type.Array(TopicKey, { maxItems: 8, uniqueItems: true }),
    ressorts: Type.Array(FormatRessort, { maxItems: 60 }),
    agenda: Type.Array(AgendaItem, { maxItems: 50 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        title: 'Fachdialog Verwaltungsdigitalisierung',
        kind: 'fachdialog',
        date: '2027-02-10',
        time: '10:00',
        place: 'München',
        topics: ['egovernment'],
        ressorts: [
          { land: 'BY', key: 'StMD' },
          { land: 'NW', key: 'MHKBD' },
        ],
        agenda: [{ title: 'Stand der Portale' }],
      },
    ],
  },
);
export type FormatBody = Static<typeof FormatBody>;

export const MinutesBody = Type.Object(
  {
    text: Text(50_000),
    outcomes: Type.Array(Outcome, { maxItems: 100 }),
    reason: Type.Optional(Text(2_000, 'required when minutes exist already: why they are corrected')),
  },
  {
    additionalProperties: false,
    examples: [
      {
        text: 'Beide Länder stellen ihre Portale vor.',
        outcomes: [{ text: 'Gemeinsame Initiative prüfen.' }],
      },
    ],
  },
);
export type MinutesBody = Static<typeof MinutesBody>;

export const EmptyBody = Type.Object({}, { additionalProperties: false });

export const FormatSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    version: Type.Integer({ minimum: 1 }),
    kind: Kind,
    title: Type.String(),
    date: Type.String(),
    time: Type.Union([Type.String(), Type.Null()]),
    place: Type.Union([Type.String(), Type.Null()]),
    topics: Type.Array(Type.String()),
    ressorts: Type.Array(Type.Object({ land: LandSchema, key: Type.Optional(Type.String()) })),
    agenda: Type.Array(
      Type.Object({
        title: Type.String(),
        initiativeId: Type.Optional(Type.String()),
        practiceId: Type.Optional(Type.String()),
      }),
    ),
    minutes: Type.Union([
      Type.Object({
        version: Type.Integer({ minimum: 1 }),
        text: Type.String(),
        outcomes: Type.Array(
          Type.Object({
            text: Type.String(),
            initiativeId: Type.Optional(Type.String()),
            cabinetDecision: Type.Optional(Type.String()),
          }),
        ),
        by: Type.Object({ sub: Type.String(), name: Type.String(), land: LandSchema }),
        at: Timestamp,
        reason: Type.Optional(Type.String()),
      }),
      Type.Null(),
    ]),
    land: LandSchema,
    initiatives: Type.Array(Type.String(), { description: 'initiatives started from it (originFormat)' }),
    createdBy: Type.Object({ sub: Type.String(), name: Type.String() }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Format' },
);

export const FormatListQuery = Type.Object({
  from: Type.Optional(CalendarDate),
  to: Type.Optional(CalendarDate),
  topic: Type.Optional(TopicKey),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});

export const FormatListSchema = Type.Object({
  items: Type.Array(Type.Ref('Format')),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const FormatHistorySchema = Type.Object({
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

export const JointCabinetResults = Type.Object({
  results: Type.Array(
    Type.Object({
      initiativeId: Type.String(),
      status: Type.Integer({ description: 'the status a single POST …/cabinet-decisions would have had' }),
      problem: Type.Optional(Type.Ref('Problem')),
    }),
  ),
});

export const FormatHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      pattern: '^\\s*(W/)?"\\d+"\\s*$',
      description: 'the version the change expects, as "<version>"',
      examples: ['"1"'],
    }),
  ),
});
