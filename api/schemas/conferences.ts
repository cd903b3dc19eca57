/** The conferences of the Länder, their calendars and the Königsteiner Schlüssel (docs/laenderkreis.md). */
import { Type, type Static } from 'typebox';
import { LANDS } from '../../workflows/domain.js';
import { CalendarDate, LandSchema, Text, oneOf } from '../../workflows/schemas.js';
import { MOTION_KINDS } from '../../workflows/conferences.js';

export const ConferenceKey = Type.String({
  pattern: '^[a-z][a-z0-9-]{1,31}$',
  description: 'the conference key (lower-case letters, digits, hyphens)',
});

export const VotingRuleSchema = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('unanimous') },
      { additionalProperties: false, description: 'every member that votes says yes; abstentions allowed' },
    ),
    Type.Object(
      { type: Type.Literal('min_laender'), laender: Type.Integer({ minimum: 1, maximum: 16 }) },
      { additionalProperties: false, description: 'at least that many Länder vote yes' },
    ),
    Type.Object(
      {
        type: Type.Literal('bund_and_min_laender'),
        laender: Type.Integer({ minimum: 1, maximum: 16 }),
        koenigsteinShare: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
      },
      {
        additionalProperties: false,
        description:
          'the Bund votes yes, at least that many Länder vote yes, and their Königsteiner shares add up to at least that part of all 16',
      },
    ),
    Type.Object(
      { type: Type.Literal('majority_of_members') },
      { additionalProperties: false, description: 'more than half of all voting members vote yes' },
    ),
  ],
  { description: 'a voting rule (docs/laenderkreis.md#voting-rules)' },
);

const conferenceFields = {
  name: Text(200),
  members: Type.Array(LandSchema, { minItems: 1, maxItems: 16, uniqueItems: true }),
  bund: Type.Boolean({ description: 'whether the Bund is a voting member (a guest without a vote is not)' }),
  votingRules: Type.Object(
    { decision: VotingRuleSchema, recommendation: Type.Optional(VotingRuleSchema) },
    { additionalProperties: false },
  ),
  registrationLeadDays: Type.Integer({ minimum: 0, maximum: 365 }),
  source: Text(2_000, 'where the facts come from'),
  provisional: Type.Boolean(),
};

export const ConferenceSchema = Type.Object({ key: ConferenceKey, ...conferenceFields });

export const ConferenceBody = Type.Object(conferenceFields, {
  additionalProperties: false,
  examples: [
    {
      name: 'Digitalministerkonferenz',
      members: [...LANDS],
      bund: false,
      votingRules: { decision: { type: 'unanimous' } },
      registrationLeadDays: 21,
      source: 'Geschäftsordnung der DMK',
      provisional: true,
    },
  ],
});
export type ConferenceBody = Static<typeof ConferenceBody>;

export const ConferenceSessionSchema = Type.Object({
  date: CalendarDate,
  number: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  place: Type.Union([Type.String(), Type.Null()]),
  provisional: Type.Boolean(),
  source: Type.String(),
});

export const ConferenceCalendarBody = Type.Array(
  Type.Object(
    {
      date: CalendarDate,
      number: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
      place: Type.Optional(Text(200)),
      provisional: Type.Optional(Type.Boolean({ default: false })),
      source: Text(2_000, 'where the date comes from'),
    },
    { additionalProperties: false },
  ),
  {
    maxItems: 1000,
    examples: [
      [{ date: '2026-03-18', number: 49, provisional: false, source: 'IT-Planungsrat, Sitzungstermine' }],
    ],
  },
);
export type ConferenceCalendarBody = Static<typeof ConferenceCalendarBody>;

const Share = Type.Number({ minimum: 0, maximum: 1 });
export const KoenigsteinSchema = Type.Object({
  year: Type.Integer({ minimum: 1949, maximum: 2999 }),
  shares: Type.Object(Object.fromEntries(LANDS.map((land) => [land, Share])), {
    description: 'the 16 Länder’s shares as fractions of 1',
  }),
  source: Type.String(),
  provisional: Type.Boolean(),
});

export const KoenigsteinBody = Type.Object(
  {
    year: Type.Integer({ minimum: 1949, maximum: 2999 }),
    // Any keys here: a missing or unknown Land is a 400 with a path per key (workflows/conferences.ts).
    shares: Type.Record(Type.String({ maxLength: 8 }), Share, { maxProperties: 32 }),
    source: Text(2_000, 'the publication (GWK, Bundesanzeiger)'),
    provisional: Type.Optional(Type.Boolean({ default: false })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        year: 2016,
        shares: {
          BW: 0.1296662,
          BY: 0.1553327,
          BE: 0.0508324,
          BB: 0.0303655,
          HB: 0.0095331,
          HH: 0.0255752,
          HE: 0.0739885,
          MV: 0.020124,
          NI: 0.0933138,
          NW: 0.2114424,
          RP: 0.0483089,
          SL: 0.0121111,
          SN: 0.0505577,
          ST: 0.0279941,
          SH: 0.0339074,
          TH: 0.026947,
        },
        source: 'GWK, Königsteiner Schlüssel 2016',
      },
    ],
  },
);
export type KoenigsteinBody = Static<typeof KoenigsteinBody>;

export const KoenigsteinQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: 1949, maximum: 2999 })) },
  { additionalProperties: false },
);

const Member = Type.Union([LandSchema, Type.Literal('BUND')], {
  description: 'a Land code, or BUND where the Bund votes',
});
const StageSession = Type.Object({ date: CalendarDate, number: Type.Optional(Type.Integer({ minimum: 1 })) });

/** The initiative's `conference` (channel `laenderkreis`, from phase `conference` on; null before). */
export const ConferenceStageSchema = Type.Union(
  [
    Type.Object({
      key: ConferenceKey,
      name: Type.String(),
      motionKind: Type.Union([Type.Literal('decision'), Type.Literal('recommendation')]),
      members: Type.Array(LandSchema, { description: 'the member Länder (they read the initiative)' }),
      bund: Type.Boolean({ description: 'whether the Bund votes' }),
      rule: VotingRuleSchema,
      registrationLeadDays: Type.Integer(),
      applicants: Type.Array(LandSchema),
      status: Type.Union([Type.Literal('preparing'), Type.Literal('registered'), Type.Literal('decided')]),
      registeredOn: Type.Optional(CalendarDate),
      top: Type.Optional(Type.String({ description: 'Tagesordnungspunkt' })),
      session: Type.Optional(Type.Union([StageSession, Type.Null()])),
      postponements: Type.Integer(),
      decision: Type.Optional(Type.Union([Type.Literal('adopted'), Type.Literal('rejected')])),
      decidedOn: Type.Optional(CalendarDate),
      votes: Type.Optional(
        Type.Object({ yes: Type.Array(Member), no: Type.Array(Member), abstain: Type.Array(Member) }),
      ),
      resolutionNumber: Type.Optional(Type.String()),
      protocolDeclarations: Type.Optional(Type.Array(Type.Object({ land: Member, text: Type.String() }))),
      enteredAt: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ],
  { description: 'the conference stage (docs/laenderkreis.md); absent for other channels' },
);

/** The motion kind of a laenderkreis initiative. */
export const MotionKindSchema = oneOf(
  MOTION_KINDS,
  'decision (default) or recommendation, for conferences with a recommendation rule',
);
