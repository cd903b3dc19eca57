/**
 * The read model, the audit trail and the API's bookkeeping. Workflow state lives in Temporal; these
 * tables are what every read is served from. Row types stay here: workflow payloads use contracts.ts.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Actor, Initiative } from '../workflows/contracts.js';
import type { StoredFormat } from './formats.js';
import type { Practice } from './practices.js';

const utc = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const initiatives = pgTable(
  'initiatives',
  {
    id: text('id').primaryKey(),
    version: integer('version').notNull(),
    phase: text('phase').notNull(),
    topic: text('topic').notNull(),
    channel: text('channel').notNull(),
    leadLand: text('lead_land').notNull(),
    proposerSub: text('proposer_sub').notNull(),
    overdue: boolean('overdue').notNull(),
    /** Länder that take part (partners and every invited Land): who may read it before the Bundesrat. */
    lands: text('lands').array().notNull(),
    /** From entry into the bundesrat phase on, every principal may read it (docs/domain.md). */
    public: boolean('public').notNull(),
    /** Lower-cased title and summary for the `q` filter. */
    searchText: text('search_text').notNull(),
    /** The lead Ressort's key (null: none) for the `ressort` filter. */
    leadRessort: text('lead_ressort'),
    createdAt: utc('created_at').notNull(),
    updatedAt: utc('updated_at').notNull(),
    resource: jsonb('resource').$type<Initiative>().notNull(),
  },
  (t) => [
    index('initiatives_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('initiatives_phase_created_idx').on(t.phase, t.createdAt.desc(), t.id.desc()),
    index('initiatives_lands_idx').using('gin', t.lands),
    // Filters that match few rows would otherwise walk the whole newest-first index to fill a page.
    index('initiatives_topic_created_idx').on(t.topic, t.createdAt.desc(), t.id.desc()),
    index('initiatives_lead_ressort_created_idx').on(t.leadRessort, t.createdAt.desc(), t.id.desc()),
    index('initiatives_overdue_created_idx')
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`${t.overdue}`),
    // `q` is a substring search: trigrams let it use an index instead of reading every row.
    index('initiatives_search_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    // A format lists the initiatives started from it (db/formats.ts); few initiatives name one.
    index('initiatives_origin_format_idx')
      .on(sql`(${t.resource}->>'originFormat')`)
      .where(sql`(${t.resource}->>'originFormat') is not null`),
    // A practice lists the initiatives based on it (db/practices.ts): `?|` over this GIN index.
    index('initiatives_based_on_idx').using('gin', sql`(${t.resource}->'basedOn')`),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    initiativeId: text('initiative_id').notNull(),
    seq: integer('seq').notNull(),
    /** ISO 8601 exactly as hashed: stored as text so that the hash stays recomputable byte for byte. */
    at: text('at').notNull(),
    type: text('type').notNull(),
    actor: jsonb('actor').$type<Actor>().notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.initiativeId, t.seq] })],
);

/** Answers to commands sent with an `Idempotency-Key`, kept at least 24 hours. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  /** sha256 of sub, method, path and key. */
  scope: text('scope').primaryKey(),
  requestHash: text('request_hash').notNull(),
  /** The initiative a create allocated, so that a retry starts the same workflow. */
  initiativeId: text('initiative_id'),
  responseStatus: integer('response_status'),
  responseBody: jsonb('response_body'),
  /** While a first request runs, a retry gets 409 until this passes (then it may take over). */
  lockedUntil: utc('locked_until').notNull(),
  createdAt: utc('created_at')
    .notNull()
    .default(sql`now()`),
});

/** Per-year sequence for the human-readable reference `DD-<year>-<seq>`. */
export const referenceCounters = pgTable('reference_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/** The Bundesrat's plenary calendar: data an admin maintains, shipped with a provisional default. */
export const plenarySessions = pgTable('plenary_sessions', {
  number: integer('number').primaryKey(),
  date: date('date', { mode: 'string' }).notNull().unique(),
  provisional: boolean('provisional').notNull(),
  /** Where the date comes from (a publication, or why it is an estimate). */
  source: text('source').notNull(),
});

/** Drucksache numbers are unique across initiatives; a submission reserves its number here first. */
export const drucksachen = pgTable('drucksachen', {
  drucksache: text('drucksache').primaryKey(),
  initiativeId: text('initiative_id').notNull(),
  reservedAt: utc('reserved_at')
    .notNull()
    .default(sql`now()`),
});

/**
 * Who must act next, one row per open action of every initiative (the inbox). Rewritten with the read
 * model in the same transaction, so that `GET /v1/tasks` is an indexed query, never a workflow query.
 */
export const pendingActions = pgTable(
  'pending_actions',
  {
    initiativeId: text('initiative_id').notNull(),
    action: text('action').notNull(),
    land: text('land').notNull(),
    role: text('role').notNull(),
    dueAt: utc('due_at'),
    title: text('title').notNull(),
    proposerSub: text('proposer_sub').notNull(),
    /** Everyone who authored a version (four-eyes keeps them from its reviews). */
    authorSubs: text('author_subs')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The key of the lead Ressort, whose proposers may revise besides the proposer in person. */
    leadRessort: text('lead_ressort'),
    /** The initiative's overdue flag (an escalated review round). */
    overdue: boolean('overdue').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.initiativeId, t.action, t.land, t.role] }),
    index('pending_actions_inbox_idx').on(t.land, t.role, t.dueAt),
    // Admins see every `calendar` action whatever its Land: the inbox ORs this partial index in.
    index('pending_actions_calendar_idx')
      .on(t.dueAt)
      .where(sql`${t.action} = 'calendar'`),
  ],
);

/** Webhook subscriptions, managed by admins. */
export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  events: text('events').array().notNull(),
  /** Only in rows from before secrets were sealed, until a process with WEBHOOK_SECRET_KEY seals them. */
  secret: text('secret'),
  /** The secret sealed with AES-256-GCM under WEBHOOK_SECRET_KEY (db/webhooks.ts `sealSecret`). */
  secretSealed: text('secret_sealed'),
  createdBy: text('created_by').notNull(),
  createdAt: utc('created_at')
    .notNull()
    .default(sql`now()`),
});

/**
 * One row per (subscription, audit event): written with the audit event (an outbox), sent by a Temporal
 * activity, marked delivered once the receiver acknowledged it so that a retry never sends it again.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    deliveryId: uuid('delivery_id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    initiativeId: text('initiative_id').notNull(),
    seq: integer('seq').notNull(),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: utc('created_at')
      .notNull()
      .default(sql`now()`),
    deliveredAt: utc('delivered_at'),
  },
  (t) => [
    unique('webhook_deliveries_event_unique').on(t.webhookId, t.initiativeId, t.seq, t.event),
    index('webhook_deliveries_event_idx').on(t.initiativeId, t.seq),
    index('webhook_deliveries_log_idx').on(t.webhookId, t.createdAt.desc()),
  ],
);

/**
 * The change feed behind `GET /v1/events`: one row per audit event, numbered by a global `id` that is
 * issued in commit order (db/events.ts serialises the append), so a reader resuming after an id never
 * misses a row that commits later. `phase` and `version` are the initiative's after the change; `lands`
 * and `public` who could read the initiative then (the visibility rules of the read model).
 */
export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    initiativeId: text('initiative_id').notNull(),
    /** The audit event's `seq` within its initiative. */
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    phase: text('phase').notNull(),
    /** Null for events backfilled from the audit trail: their version was not recorded. */
    version: integer('version'),
    at: text('at').notNull(),
    lands: text('lands').array().notNull(),
    public: boolean('public').notNull(),
  },
  (t) => [unique('events_audit_event_unique').on(t.initiativeId, t.seq)],
);

/**
 * The conferences of the Länder (channel `laenderkreis`): data an admin maintains, shipped by a migration
 * with the source of every fact (docs/laenderkreis.md).
 */
export const conferences = pgTable('conferences', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  /** The Länder with a vote (codes of workflows/domain.ts). */
  members: jsonb('members').$type<string[]>().notNull(),
  /** Whether the Bund is a voting member. */
  bund: boolean('bund').notNull(),
  /** `{decision: VotingRule, recommendation?: VotingRule}` (workflows/conferences.ts). */
  votingRules: jsonb('voting_rules').notNull(),
  registrationLeadDays: integer('registration_lead_days').notNull(),
  source: text('source').notNull(),
  provisional: boolean('provisional').notNull(),
});

/** The session calendar of each conference. */
export const conferenceSessions = pgTable(
  'conference_sessions',
  {
    conferenceKey: text('conference_key')
      .notNull()
      .references(() => conferences.key, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    number: integer('number'),
    place: text('place'),
    provisional: boolean('provisional').notNull(),
    source: text('source').notNull(),
  },
  (table) => [primaryKey({ columns: [table.conferenceKey, table.date] })],
);

/** The Königsteiner Schlüssel, one table of the 16 Länder's shares per year. */
export const koenigsteinShares = pgTable('koenigstein_shares', {
  year: integer('year').primaryKey(),
  shares: jsonb('shares').$type<Record<string, number>>().notNull(),
  source: text('source').notNull(),
  provisional: boolean('provisional').notNull(),
});

/** PostgreSQL's full-text document type; drizzle has no column builder of its own for it. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The topics (Themenfelder) as data: what a practice's (and a format's) `topic` must name. Shipped by the
 * migration `formats_topics_seed` with the eight topics of docs/domain.md; keys match workflows/domain.ts.
 */
export const topics = pgTable('topics', {
  key: text('key').primaryKey(),
  nameDe: text('name_de').notNull(),
  nameEn: text('name_en').notNull(),
  source: text('source').notNull(),
  provisional: boolean('provisional').notNull(),
});

/**
 * The best-practice catalogue (docs/practices.md). `search` is the German full-text document, generated by
 * PostgreSQL from the title (weight A), the tags (B) and the summary (C), so that a title hit ranks above
 * a summary hit; a GIN index serves the `@@` match.
 */
export const practices = pgTable(
  'practices',
  {
    id: uuid('id').primaryKey(),
    version: integer('version').notNull(),
    land: text('land').notNull(),
    topic: text('topic')
      .notNull()
      .references(() => topics.key),
    /** A Ressort key of the practice's Land (checked by the API, docs/practices.md); older rows may hold free text. */
    ressort: text('ressort'),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /** The tags joined by spaces, the document's third part. */
    tagsText: text('tags_text').notNull(),
    createdAt: utc('created_at').notNull(),
    updatedAt: utc('updated_at').notNull(),
    resource: jsonb('resource').$type<Practice>().notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('german'::regconfig, "title"), 'A') || setweight(to_tsvector('german'::regconfig, "tags_text"), 'B') || setweight(to_tsvector('german'::regconfig, "summary"), 'C')`,
      ),
  },
  (t) => [
    index('practices_search_idx').using('gin', t.search),
    index('practices_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('practices_topic_created_idx').on(t.topic, t.createdAt.desc(), t.id.desc()),
    index('practices_land_created_idx').on(t.land, t.createdAt.desc(), t.id.desc()),
  ],
);

/** One row per Land that declared interest in a practice: the key makes a second declaration a conflict. */
export const practiceInterest = pgTable(
  'practice_interest',
  {
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    land: text('land').notNull(),
    at: text('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.practiceId, t.land] })],
);

/**
 * The audit chain of each practice, in the form of audit_events: hash = sha256_hex(prevHash +
 * JCS({practiceId, seq, at, type, actor, data})), a practice's first event chaining to 64 zeros.
 * Append-only (migration `formats_practice_audit_append_only`).
 */
export const practiceAuditEvents = pgTable(
  'practice_audit_events',
  {
    practiceId: uuid('practice_id').notNull(),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
    type: text('type').notNull(),
    actor: jsonb('actor').$type<Actor>().notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.practiceId, t.seq] })],
);

/**
 * Formats where the Ressorts meet (docs/formats.md): Fachdialog, workshop, jour fixe, joint cabinet session.
 * `lands` are the Länder that may read it (BY, NW and every Land whose Ressorts are listed); `resource` is
 * the format as the API serves it, without `initiatives` (derived from the initiatives' `originFormat`).
 */
export const formats = pgTable(
  'formats',
  {
    id: uuid('id').primaryKey(),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    /** YYYY-MM-DD (Europe/Berlin); text sorts as the calendar does. */
    date: text('date').notNull(),
    /** HH:MM, or '' when the format has no time (sorts first on its day). */
    time: text('time').notNull(),
    /** The creator's Land: its proposers and cabinet edit the format and record the minutes. */
    land: text('land').notNull(),
    lands: text('lands').array().notNull(),
    topics: text('topics').array().notNull(),
    createdAt: utc('created_at').notNull(),
    updatedAt: utc('updated_at').notNull(),
    resource: jsonb('resource').$type<StoredFormat>().notNull(),
  },
  (t) => [
    index('formats_date_idx').on(t.date, t.time, t.id),
    index('formats_lands_idx').using('gin', t.lands),
  ],
);

/** The audit chain of each format, in the form of practice_audit_events (append-only by trigger). */
export const formatAuditEvents = pgTable(
  'format_audit_events',
  {
    formatId: uuid('format_id').notNull(),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
    type: text('type').notNull(),
    actor: jsonb('actor').$type<Actor>().notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.formatId, t.seq] })],
);

/**
 * Motion texts, content-addressed: the Markdown of every text version ever submitted, keyed by the sha256
 * of its UTF-8 bytes. The workflow carries only the hash (docs/texts.md); which initiative has which
 * version is in its audit trail. Nothing is ever deleted.
 */
export const textBlobs = pgTable('text_blobs', {
  hash: text('hash').primaryKey(),
  body: text('body').notNull(),
  /** Unicode code points. */
  length: integer('length').notNull(),
  /** Top-level Markdown blocks (docs/texts.md#paragraphs). */
  paragraphs: integer('paragraphs').notNull(),
  createdAt: utc('created_at').notNull().defaultNow(),
});

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Attachments' bytes, content-addressed (docs/texts.md, Attachments): one row per distinct file, keyed by
 * the lowercase sha256 hex of its bytes. Which initiative has which attachment is in its resource and
 * audit trail. Nothing is ever deleted.
 */
export const attachmentBlobs = pgTable('attachment_blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  /** Decided from the content when first stored. */
  mediaType: text('media_type').notNull(),
  createdAt: utc('created_at').notNull().defaultNow(),
});

/**
 * The bytes in pieces of at most 32 KiB (db/attachments.ts), so that neither an upload nor a download holds a file in memory.
 * An upload writes under `upload:<uuid>` until its hash is known, then renames its pieces to the hash (or
 * drops them if those bytes are stored already).
 */
export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    key: text('key').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (table) => [primaryKey({ columns: [table.key, table.seq] })],
);

/**
 * The directory of people (issue 17): every principal the API has seen, keyed by issuer and subject,
 * updated from their tokens, with their e-mail preferences (`/v1/me/notifications`). Nothing is mailed to
 * a person without an `email`.
 */
export const people = pgTable(
  'people',
  {
    iss: text('iss').notNull(),
    sub: text('sub').notNull(),
    name: text('name').notNull(),
    land: text('land').notNull(),
    roles: text('roles').array().notNull(),
    ressort: text('ressort'),
    lastSeenAt: utc('last_seen_at').notNull().defaultNow(),
    email: text('email'),
    /** Which mails the person wants: task, reminder, escalation, decided. */
    events: text('events')
      .array()
      .notNull()
      .default(sql`'{task,reminder,escalation,decided}'::text[]`),
    /** `immediate` (one mail per event) or `daily` (the 07:00 Europe/Berlin digest). */
    digest: text('digest').notNull().default('immediate'),
  },
  (t) => [primaryKey({ columns: [t.iss, t.sub] }), index('people_land_idx').on(t.land)],
);

/**
 * The mail outbox: one row per (event, recipient), written in the transaction of the change that caused
 * it (`unique` makes a retried write a no-op), sent by the mailer (activities/mailer.ts) and marked `sent`.
 * `held` rows wait for the recipient's daily digest, which marks them `digested`.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventKey: text('event_key').notNull(),
    iss: text('iss').notNull(),
    sub: text('sub').notNull(),
    toAddress: text('to_address').notNull(),
    /** task | reminder | escalation | decided | digest */
    kind: text('kind').notNull(),
    initiativeId: text('initiative_id'),
    /** What the mail says (rendered in German when it is sent). */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** pending | sending | sent | held | digested */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: utc('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: utc('created_at').notNull().defaultNow(),
    sentAt: utc('sent_at'),
  },
  (t) => [
    unique('mail_outbox_event_recipient').on(t.eventKey, t.iss, t.sub),
    index('mail_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('mail_outbox_held_idx')
      .on(t.iss, t.sub)
      .where(sql`${t.status} = 'held'`),
  ],
);

/** One row per day whose 07:00 Europe/Berlin digest has been built (so it is built exactly once). */
export const mailDigests = pgTable('mail_digests', {
  day: date('day', { mode: 'string' }).primaryKey(),
  createdAt: utc('created_at').notNull().defaultNow(),
});

/**
 * Personal calendar feeds (docs/calendar-feed.md): one per person, found by the sha256 of its secret URL
 * token (the token itself is never stored). Deleting the row revokes the URL; a new one replaces it.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    tokenHash: text('token_hash').primaryKey(),
    iss: text('iss').notNull(),
    sub: text('sub').notNull(),
    createdAt: utc('created_at').notNull().defaultNow(),
  },
  (t) => [unique('calendar_feeds_person').on(t.iss, t.sub)],
);
