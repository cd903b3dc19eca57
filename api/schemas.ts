/**
 * TypeBox schemas: they validate requests, serialise responses, type the handlers and generate the
 * OpenAPI document, so the contract is written once.
 */
import { Type, type Static } from 'typebox';
import { CHANNELS, INSTRUMENTS, LANDS, PARTNERS, PHASES, ROLES, TOPICS } from '../workflows/domain.js';
import { WEBHOOK_EVENTS } from '../workflows/contracts.js';
import { ACTIONS } from './allowed.js';

// Enums as `enum` keywords: compact in OpenAPI and fast to validate.
const oneOf = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const LandSchema = oneOf(LANDS, 'ISO 3166-2:DE code of a Land, without the DE- prefix');
export const PartnerSchema = oneOf(PARTNERS, 'a partner Land of the Digital Dialog');
export const PhaseSchema = oneOf(PHASES);
export const TopicSchema = oneOf(TOPICS);
export const ChannelSchema = oneOf(CHANNELS);
export const InstrumentSchema = oneOf(INSTRUMENTS);
export const RoleSchema = oneOf(ROLES);

const Timestamp = Type.String({ format: 'date-time' });
const Period = Type.String({
  pattern: '^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+([.,]\\d+)?S)?)?$',
  description: 'ISO 8601 duration in weeks, days, hours, minutes, seconds (e.g. P14D, PT30S)',
  examples: ['P14D'],
});
const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });

export const PersonSchema = Type.Object({ sub: Type.String(), name: Type.String() });

export const PeriodsSchema = Type.Object({
  review: Period,
  reminderBefore: Period,
  escalationGrace: Period,
  revision: Period,
  invitation: Period,
  bundesratDecisionReminder: Type.Optional(Period),
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
          Type.String({ format: 'date', description: 'decision date + 42 days (Art. 76(3) GG estimate)' }),
        ),
        enteredAt: Type.Optional(Timestamp),
      }),
      Type.Null(),
    ]),
    pendingActions: Type.Array(
      Type.Object({
        action: oneOf([
          'review',
          'revise',
          'respond',
          'cabinet',
          'submit',
          'refer',
          'decide',
          'calendar',
        ] as const),
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
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: Type.Integer({ description: 'increases with every change; the ETag' }),
  },
  { $id: 'Initiative', description: 'A joint initiative and where it stands' },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

export const CreateInitiativeBody = Type.Object(
  {
    title: Text(300),
    summary: Text(20_000),
    topic: TopicSchema,
    channel: ChannelSchema,
    instrument: Type.Optional(InstrumentSchema),
    ressort: Type.Optional(Text(100, 'the proposing ministry, e.g. StMD')),
    invite: Type.Optional(Type.Array(LandSchema, { maxItems: 14, uniqueItems: true })),
    periods: Type.Optional(Type.Partial(PeriodsSchema, { additionalProperties: false })),
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
      },
    ],
    // Cross-field rules live in the schema, so that the OpenAPI document (and the forms that read it) has them.
    if: { properties: { channel: { enum: ['bundesrat'] } }, required: ['channel'] },
    then: { required: ['instrument'] },
  },
);
export type CreateInitiativeBody = Static<typeof CreateInitiativeBody>;

export const ReviewBody = Type.Object(
  {
    decision: oneOf(['approve', 'request_changes', 'reject'] as const),
    comment: Type.Optional(Text(10_000)),
  },
  {
    additionalProperties: false,
    examples: [{ decision: 'approve' }, { decision: 'request_changes', comment: 'Bitte Kosten ergänzen.' }],
    description: 'A comment is required unless the decision is approve (domain.md).',
    if: { properties: { decision: { enum: ['request_changes', 'reject'] } }, required: ['decision'] },
    then: { required: ['comment'] },
  },
);
export type ReviewBody = Static<typeof ReviewBody>;

export const RevisionBody = Type.Object(
  { title: Type.Optional(Text(300)), summary: Type.Optional(Text(20_000)), comment: Text(10_000) },
  {
    additionalProperties: false,
    examples: [{ summary: 'Mit Kostenschätzung.', comment: 'Kosten ergänzt.' }],
  },
);
export type RevisionBody = Static<typeof RevisionBody>;

export const WithdrawalBody = Type.Object(
  { reason: Text(2_000) },
  { additionalProperties: false, examples: [{ reason: 'Vom Bund aufgegriffen.' }] },
);
export type WithdrawalBody = Static<typeof WithdrawalBody>;

export const InitiativeParams = Type.Object({
  id: Type.String({ pattern: '^DD-\\d{4}-\\d{4,}$', description: 'the reference DD-<year>-<sequence>' }),
});

const booleanQuery = Type.Unsafe<'true' | 'false'>({ type: 'string', enum: ['true', 'false'] });
export const ListQuery = Type.Object(
  {
    phase: Type.Optional(PhaseSchema),
    topic: Type.Optional(TopicSchema),
    channel: Type.Optional(ChannelSchema),
    land: Type.Optional(LandSchema),
    overdue: Type.Optional(booleanQuery),
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
      }),
      data: Type.Object({}, { additionalProperties: true }),
      hash: Type.String(),
      prevHash: Type.String(),
    }),
  ),
});

// Years 1900–2999: PostgreSQL has no year 0, and a period added to 9999-12-31 leaves ISO 8601's four digits.
const CalendarDate = Type.String({
  format: 'date',
  pattern: '^(19|2\\d)\\d\\d-',
  description: 'YYYY-MM-DD, years 1900 to 2999',
});
const Comment = Type.Optional(Text(10_000));

export const InvitationBody = Type.Object(
  { lands: Type.Array(LandSchema, { minItems: 1, maxItems: 14, uniqueItems: true }), comment: Comment },
  { additionalProperties: false, examples: [{ lands: ['HE'], comment: 'Hessen plant Ähnliches.' }] },
);
export type InvitationBody = Static<typeof InvitationBody>;

export const InvitationParams = Type.Object({ id: InitiativeParams.properties.id, land: LandSchema });

export const InvitationAnswerBody = Type.Object(
  { decision: oneOf(['join', 'decline'] as const), comment: Comment },
  { additionalProperties: false, examples: [{ decision: 'join' }] },
);
export type InvitationAnswerBody = Static<typeof InvitationAnswerBody>;

export const CabinetBody = Type.Object(
  { decision: oneOf(['approve', 'decline'] as const), decidedOn: CalendarDate },
  { additionalProperties: false, examples: [{ decision: 'approve', decidedOn: '2026-12-01' }] },
);
export type CabinetBody = Static<typeof CabinetBody>;

export const SubmissionBody = Type.Object(
  {
    drucksache: Type.String({
      pattern: '^[1-9]\\d{0,4}/\\d{2}$',
      description: 'Bundesrat printed paper number N/YY',
      examples: ['123/26'],
    }),
    submittedOn: CalendarDate,
    procedure: oneOf(['committee', 'immediate'] as const, 'committee referral or immediate decision'),
  },
  {
    additionalProperties: false,
    examples: [{ drucksache: '512/26', submittedOn: '2026-11-30', procedure: 'committee' }],
  },
);
export type SubmissionBody = Static<typeof SubmissionBody>;

const Committee = Type.String({
  minLength: 1,
  maxLength: 20,
  pattern: '^[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß -]*$',
  examples: ['In', 'R', 'Wi'],
});
export const ReferralBody = Type.Object(
  {
    committees: Type.Array(Committee, { minItems: 1, maxItems: 20, uniqueItems: true }),
    leadCommittee: Committee,
  },
  { additionalProperties: false, examples: [{ committees: ['In', 'R', 'Wi'], leadCommittee: 'In' }] },
);
export type ReferralBody = Static<typeof ReferralBody>;

export const PlenaryDecisionBody = Type.Object(
  { decision: oneOf(['adopted', 'rejected', 'postponed'] as const), decidedOn: CalendarDate },
  { additionalProperties: false, examples: [{ decision: 'adopted', decidedOn: '2026-12-18' }] },
);
export type PlenaryDecisionBody = Static<typeof PlenaryDecisionBody>;

export const AccessionBody = Type.Object({}, { additionalProperties: false });

export const PlenarySessionSchema = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  date: CalendarDate,
  provisional: Type.Boolean(),
  source: Type.String(),
});
export const CalendarBody = Type.Array(
  Type.Object(
    {
      number: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      date: CalendarDate,
      provisional: Type.Optional(Type.Boolean({ default: false })),
      source: Text(500, 'where the date comes from'),
    },
    { additionalProperties: false },
  ),
  {
    maxItems: 1000,
    examples: [
      [{ number: 1071, date: '2026-12-18', provisional: true, source: 'Plenarsitzungstermine 2026' }],
    ],
  },
);
export type CalendarBody = Static<typeof CalendarBody>;

// ---- audit ----

const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'lowercase sha256 hex' });

export const AuditVerificationSchema = Type.Object({
  ok: Type.Boolean({ description: 'every event chains and hashes as api.md defines' }),
  checked: Type.Integer({
    minimum: 0,
    description: 'events checked: all when ok, else up to and including the first broken one',
  }),
  firstBroken: Type.Optional(
    Type.Object({
      initiativeId: Type.String(),
      seq: Type.Integer(),
      reason: Type.String({ description: 'seq gap, prev_hash link or hash mismatch' }),
    }),
  ),
});

export const AuditHeadsSchema = Type.Object({
  at: Timestamp,
  heads: Type.Array(
    Type.Object({ initiativeId: Type.String(), seq: Type.Integer({ minimum: 1 }), hash: Sha256Hex }),
    { description: 'the last event of every initiative, sorted by initiativeId' },
  ),
  digest: Type.String({
    pattern: '^[0-9a-f]{64}$',
    description: 'sha256_hex(JCS(heads)): RFC 8785 canonical JSON of the heads array, hashed as UTF-8',
  }),
});

// ---- inbox ----

const PendingActionKindSchema = oneOf([
  'review',
  'revise',
  'respond',
  'cabinet',
  'submit',
  'refer',
  'decide',
  'calendar',
] as const);

export const TaskList = Type.Object({
  items: Type.Array(
    Type.Object({
      initiativeId: Type.String({ examples: ['DD-2026-0042'] }),
      title: Type.String(),
      action: PendingActionKindSchema,
      land: LandSchema,
      role: RoleSchema,
      dueAt: Type.Union([Timestamp, Type.Null()]),
      overdue: Type.Boolean({
        description: "the initiative is overdue, or the action's due time has passed",
      }),
    }),
    { description: 'soonest due first (undated last), then by initiative' },
  ),
});

// ---- webhooks ----

export const WebhookEventSchema = oneOf(WEBHOOK_EVENTS);

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'http(s) URL whose host is in WEBHOOK_ALLOWED_HOSTS',
      examples: ['https://hooks.example.org/digital-dialog'],
    }),
    events: Type.Array(WebhookEventSchema, {
      minItems: 1,
      maxItems: WEBHOOK_EVENTS.length,
      uniqueItems: true,
    }),
    secret: Type.String({
      minLength: 16,
      maxLength: 256,
      description: 'shared secret for the X-DD-Signature HMAC-SHA256; never returned',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        url: 'https://hooks.example.org/digital-dialog',
        events: ['created', 'outcome'],
        secret: 'at-least-16-characters',
      },
    ],
  },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const WebhookSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  events: Type.Array(WebhookEventSchema),
  createdAt: Timestamp,
});

export const WebhookList = Type.Object({ items: Type.Array(WebhookSchema) });

export const WebhookParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const DeliveriesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) },
  { additionalProperties: false },
);

export const DeliveryList = Type.Object({
  items: Type.Array(
    Type.Object({
      deliveryId: Type.String({
        format: 'uuid',
        description: 'sent as X-DD-Delivery; stable across retries',
      }),
      event: WebhookEventSchema,
      status: oneOf(['pending', 'delivered', 'failed'] as const),
      attempts: Type.Integer({ minimum: 0 }),
      lastError: Type.Optional(Type.String()),
      at: Timestamp,
      initiativeId: Type.String(),
      deliveredAt: Type.Optional(Timestamp),
    }),
    { description: 'newest first' },
  ),
});

// ---- session and allowed actions (front ends) ----

export const SessionInfoSchema = Type.Object({
  mode: oneOf(['development', 'production'] as const, 'how tokens are verified'),
  developmentTokens: Type.Boolean({ description: 'POST /v1/dev/token mints tokens (development mode only)' }),
});

export const DevTokenBody = Type.Object(
  {
    name: Text(100, 'the name shown in the audit trail'),
    land: LandSchema,
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 6, uniqueItems: true }),
    sub: Type.Optional(Text(100, 'the subject; defaults to "dev:<name>"')),
  },
  { additionalProperties: false },
);
export type DevTokenBody = Static<typeof DevTokenBody>;

const PrincipalProperties = {
  sub: Type.String(),
  name: Type.String(),
  land: LandSchema,
  roles: Type.Array(RoleSchema),
};

export const DevTokenSchema = Type.Object({
  token: Type.String({ description: 'a development JWT, valid for 8 hours' }),
  principal: Type.Object(PrincipalProperties),
});

export const AllowedActionSchema = Type.Object({
  action: oneOf(ACTIONS),
  method: oneOf(['POST'] as const),
  operation: Type.String({
    description: "the path template in this document; its request body's schema describes the command",
    examples: ['/v1/initiatives/{id}/reviews'],
  }),
  path: Type.String({ examples: ['/v1/initiatives/DD-2026-0042/reviews'] }),
  lands: Type.Optional(Type.Array(LandSchema, { description: 'create, invite: the Länder one can invite' })),
});

export const MeSchema = Type.Object({
  ...PrincipalProperties,
  actions: Type.Array(AllowedActionSchema, {
    description: 'commands that need no initiative (create), if the caller may send them',
  }),
});

export const AllowedActionsSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer({ description: 'the version these actions were computed for (send it as If-Match)' }),
  items: Type.Array(AllowedActionSchema),
});
