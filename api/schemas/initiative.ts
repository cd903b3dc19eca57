/** The initiative resource and the requests about initiatives: create, list, read, history. */
import { Type, type Static } from 'typebox';
import { PENDING_ACTION_KINDS } from '../../workflows/contracts.js';
import { RESSORTS } from '../../workflows/ressorts.js';
import { ConferenceKey, ConferenceStageSchema, MotionKindSchema } from './conferences.js';
import {
  ChannelSchema,
  InitiativeId,
  InstrumentSchema,
  LandSchema,
  MotionText,
  PartnerSchema,
  PhaseSchema,
  RoleSchema,
  Text,
  TopicSchema,
  oneOf,
} from '../../workflows/schemas.js';

export const Timestamp = Type.String({ format: 'date-time' });
const Period = Type.String({
  pattern: '^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+([.,]\\d+)?S)?)?$',
  description: 'ISO 8601 duration in weeks, days, hours, minutes, seconds (e.g. P14D, PT30S)',
  examples: ['P14D'],
});
export const PersonSchema = Type.Object({ sub: Type.String(), name: Type.String() });

/** One Ressort of one Land (GET /v1/ressorts lists them). */
export const RessortRefSchema = Type.Object({
  land: LandSchema,
  key: Type.String({ examples: ['StMD'] }),
});

export const PeriodsSchema = Type.Object({
  review: Period,
  reminderBefore: Period,
  escalationGrace: Period,
  revision: Period,
  invitation: Period,
  bundesratDecisionReminder: Type.Optional(Period),
  conferenceDecisionReminder: Type.Optional(Period),
});

/** A supporting document as the resource and `GET …/attachments` list it (docs/texts.md). */
export const AttachmentSchema = Type.Object({
  id: Type.Integer({ minimum: 1, description: '1, 2, … in the order they were added' }),
  title: Type.String(),
  filename: Type.String({ description: 'as uploaded, without any path' }),
  mediaType: Type.String({ description: 'decided from the content (magic bytes)' }),
  size: Type.Integer({ description: 'bytes' }),
  sha256: Type.String({ description: 'lowercase sha256 hex of the bytes; the download ETag' }),
  by: Type.Object({ sub: Type.String(), name: Type.String(), land: LandSchema }),
  at: Timestamp,
  withdrawn: Type.Boolean(),
  withdrawal: Type.Optional(Type.Object({ at: Timestamp, reason: Type.Optional(Type.String()) })),
});

export const InitiativeSchema = Type.Object(
  {
    id: Type.String({ examples: ['DD-2026-0042'] }),
    title: Type.String(),
    summary: Type.String(),
    topic: TopicSchema,
    channel: ChannelSchema,
    instrument: Type.Union([InstrumentSchema, Type.Null()]),
    ressort: Type.Union([Type.String(), Type.Null()]),
    leadRessort: Type.Optional(
      Type.Union([RessortRefSchema, Type.Null()], {
        description:
          'the Ressort that owns the initiative (its proposers revise and withdraw); null: the proposer in ' +
          'person; absent on initiatives created before Ressorts (docs/ressorts.md)',
      }),
    ),
    authors: Type.Optional(
      Type.Array(PersonSchema, { description: 'who authored a version: the proposer, then each reviser' }),
    ),
    originFormat: Type.Optional(
      Type.String({ description: 'the format it was started from (docs/formats.md); absent when none' }),
    ),
    basedOn: Type.Optional(
      Type.Array(Type.String(), { description: 'the practices it is based on; absent when none' }),
    ),
    leadLand: PartnerSchema,
    proposer: Type.Object({ sub: Type.String(), name: Type.String(), land: PartnerSchema }),
    phase: PhaseSchema,
    revision: Type.Integer(),
    overdue: Type.Boolean(),
    reviews: Type.Array(
      Type.Object({
        land: PartnerSchema,
        status: oneOf(['pending', 'approved', 'changes_requested', 'rejected'] as const),
        by: Type.Optional(PersonSchema),
        at: Type.Optional(Timestamp),
        comment: Type.Optional(Type.String()),
        dueAt: Type.Optional(Timestamp),
        textVersion: Type.Optional(Type.Integer({ description: 'the text version decided on' })),
        textHash: Type.Optional(Type.String({ description: 'its sha256' })),
        remarks: Type.Optional(Type.Array(Type.Object({ paragraph: Type.Integer(), text: Type.String() }))),
      }),
    ),
    invitations: Type.Array(
      Type.Object({
        land: LandSchema,
        status: oneOf(['pending', 'joined', 'declined', 'no_response'] as const),
        dueAt: Type.Optional(Timestamp),
        invitedAt: Timestamp,
        answeredAt: Type.Optional(Timestamp),
      }),
    ),
    participants: Type.Array(
      Type.Object({
        land: LandSchema,
        role: oneOf(['partner', 'invited', 'joined', 'declined', 'no_response'] as const),
      }),
    ),
    cabinetDecisions: Type.Array(
      Type.Object({
        land: LandSchema,
        status: oneOf(['pending', 'approved', 'declined'] as const),
        decidedOn: Type.Optional(Type.String({ format: 'date' })),
        by: Type.Optional(PersonSchema),
      }),
    ),
    bundesrat: Type.Union([
      Type.Object({
        applicants: Type.Array(LandSchema),
        status: oneOf(['preparing', 'submitted', 'referred', 'decided'] as const),
        drucksache: Type.Optional(Type.String()),
        procedure: Type.Optional(oneOf(['committee', 'immediate'] as const)),
        submittedOn: Type.Optional(Type.String({ format: 'date' })),
        plenarySession: Type.Union([
          Type.Object({ number: Type.Integer(), date: Type.String({ format: 'date' }) }),
          Type.Null(),
        ]),
        postponements: Type.Integer(),
        committees: Type.Optional(Type.Array(Type.String())),
        leadCommittee: Type.Optional(Type.String()),
        decision: Type.Optional(oneOf(['adopted', 'rejected'] as const)),
        decidedOn: Type.Optional(Type.String({ format: 'date' })),
        forwardingDueOn: Type.Optional(
          Type.String({
            format: 'date',
            description:
              'Art. 76(3) GG: when the Federal Government must forward the adopted bill to the Bundestag (see forwarding)',
          }),
        ),
        decisionNumber: Type.Optional(Type.String({ description: 'N/YY(B)' })),
        sessionChosen: Type.Optional(Type.Boolean({ description: 'the submission named its session' })),
        recommendations: Type.Optional(
          Type.Array(
            Type.Object({
              recommendation: oneOf(['adopt', 'adopt_with_changes', 'reject', 'adjourned'] as const),
              drucksache: Type.String({ description: 'N/1/YY' }),
              on: Type.String({ format: 'date' }),
            }),
          ),
        ),
        adjournments: Type.Optional(
          Type.Integer({ description: 'adjournments by the committees (not plenary postponements)' }),
        ),
        withChanges: Type.Optional(Type.Boolean({ description: 'adopted with changes (nach Maßgabe)' })),
        urgent: Type.Optional(Type.Boolean({ description: 'marked exceptionally urgent (Art. 76(3) GG)' })),
        constitutional: Type.Optional(
          Type.Boolean({
            description: 'amends the Grundgesetz or transfers sovereign rights (Art. 23/24 GG)',
          }),
        ),
        followUp: Type.Optional(
          Type.Object({
            receivedOn: Type.Optional(Type.String({ format: 'date' })),
            extended: Type.Optional(Type.Boolean()),
            forwardedOn: Type.Optional(Type.String({ format: 'date' })),
            bundestagDrucksache: Type.Optional(Type.String()),
          }),
        ),
        forwarding: Type.Optional(
          Type.Object(
            {
              rule: Type.String({ examples: ['Art. 76(3) sentence 1 GG'] }),
              weeks: Type.Integer(),
              basis: oneOf(
                ['decision', 'receipt'] as const,
                'decision: an estimate until the receipt is recorded',
              ),
              from: Type.String({ format: 'date' }),
            },
            { description: 'the rule that produced forwardingDueOn' },
          ),
        ),
        enteredAt: Type.Optional(Timestamp),
      }),
      Type.Null(),
    ]),
    conference: Type.Optional(ConferenceStageSchema),
    pendingActions: Type.Array(
      Type.Object({
        action: oneOf(PENDING_ACTION_KINDS),
        land: LandSchema,
        role: RoleSchema,
        dueAt: Type.Optional(Timestamp),
      }),
    ),
    outcome: Type.Union([
      Type.Object({
        result: oneOf(['adopted', 'rejected', 'withdrawn', 'expired'] as const),
        reason: Type.String(),
        at: Timestamp,
      }),
      Type.Null(),
    ]),
    periods: PeriodsSchema,
    text: Type.Optional(
      Type.Union([
        Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            hash: Type.String({ description: 'lowercase sha256 hex of the UTF-8 bytes' }),
            length: Type.Integer({ description: 'Unicode code points' }),
            paragraphs: Type.Integer({ description: 'top-level blocks, the numbering of remarks' }),
            updatedAt: Timestamp,
          },
          { description: 'the current motion text (GET …/texts/{version} serves it)' },
        ),
        Type.Null(),
      ]),
    ),
    attachments: Type.Optional(
      Type.Array(AttachmentSchema, {
        description: 'supporting documents, oldest first; absent until the first',
      }),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: Type.Integer({ description: 'increases with every change; the ETag' }),
  },
  { $id: 'Initiative', description: 'A joint initiative and where it stands' },
);

export const CreateInitiativeBody = Type.Object(
  {
    title: Text(300),
    summary: Text(20_000),
    topic: TopicSchema,
    channel: ChannelSchema,
    instrument: Type.Optional(InstrumentSchema),
    ressort: Type.Optional(
      Text(
        40,
        "the lead Ressort, a key of the caller's Land (GET /v1/ressorts), e.g. StMD; a token's own " +
          '`ressort` claim takes precedence',
      ),
    ),
    invite: Type.Optional(Type.Array(LandSchema, { maxItems: 14, uniqueItems: true })),
    periods: Type.Optional(Type.Partial(PeriodsSchema, { additionalProperties: false })),
    text: Type.Optional(MotionText),
    conference: Type.Optional({
      ...ConferenceKey,
      description: 'channel laenderkreis: the conference (GET /v1/conferences), required there',
    }),
    motionKind: Type.Optional(MotionKindSchema),
    originFormat: Type.Optional(
      Type.String({ format: 'uuid', description: 'the format it is started from (GET /v1/formats)' }),
    ),
    basedOn: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), {
        maxItems: 20,
        uniqueItems: true,
        description: 'practices of the catalogue it is based on (GET /v1/practices)',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        title: 'Gemeinsame KI-Testumgebung für die Verwaltung',
        summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung.',
        topic: 'ai_supercomputing',
        channel: 'joint',
        ressort: 'StMD',
      },
      {
        title: 'Bundesweites Once-Only-Register',
        summary: 'Gesetzesantrag für ein Register, das Nachweise nur einmal erhebt.',
        topic: 'egovernment',
        channel: 'bundesrat',
        instrument: 'gesetzesantrag',
        invite: ['HE'],
        text: '# Entwurf eines Gesetzes\n\nDer Bundesrat möge beschließen, den Entwurf einzubringen.',
      },
    ],
    // Cross-field rules live in the schema, so that the OpenAPI document (and the forms that read it) has them.
    if: { properties: { channel: { enum: ['bundesrat'] } }, required: ['channel'] },
    then: { required: ['instrument'] },
  },
);
export type CreateInitiativeBody = Static<typeof CreateInitiativeBody>;

export const InitiativeParams = Type.Object({ id: InitiativeId });

/** Commands about one Land's part, e.g. its invitation. */
export const InvitationParams = Type.Object({ id: InitiativeId, land: LandSchema });

/** A filter by lead Ressort: the key of any shipped Ressort (GET /v1/ressorts); keys are unique across Länder. */
export const RessortKeyQuery = oneOf(
  [...new Set(RESSORTS.map((r) => r.key))],
  'the key of a Ressort (GET /v1/ressorts): initiatives it leads',
);
const booleanQuery = Type.Unsafe<'true' | 'false'>({ type: 'string', enum: ['true', 'false'] });
export const ListQuery = Type.Object(
  {
    phase: Type.Optional(PhaseSchema),
    topic: Type.Optional(TopicSchema),
    channel: Type.Optional(ChannelSchema),
    land: Type.Optional(LandSchema),
    overdue: Type.Optional(booleanQuery),
    ressort: Type.Optional(RessortKeyQuery),
    conference: Type.Optional({ ...ConferenceKey, description: 'initiatives going to that conference' }),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const InitiativeList = Type.Object({
  items: Type.Array(Type.Ref('Initiative')),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const HistorySchema = Type.Object({
  items: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      at: Timestamp,
      type: Type.String(),
      actor: Type.Object({
        sub: Type.String(),
        name: Type.String(),
        land: Type.Union([LandSchema, Type.Null()]),
        role: Type.String(),
        ressort: Type.Optional(
          Type.String({ description: "the actor's Ressort, when their token named one" }),
        ),
      }),
      data: Type.Object({}, { additionalProperties: true }),
      hash: Type.String(),
      prevHash: Type.String(),
    }),
  ),
});
