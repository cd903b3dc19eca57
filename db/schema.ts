/**
 * The read model, the audit trail and the API's bookkeeping. Workflow state lives in Temporal; these
 * tables are what every read is served from. Row types stay here: workflow payloads use contracts.ts.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { Actor, Initiative } from '../workflows/contracts.js';

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
    /** From entry into the bundesrat phase on, every principal may read it (domain.md). */
    public: boolean('public').notNull(),
    /** Lower-cased title and summary for the `q` filter. */
    searchText: text('search_text').notNull(),
    createdAt: utc('created_at').notNull(),
    updatedAt: utc('updated_at').notNull(),
    resource: jsonb('resource').$type<Initiative>().notNull(),
  },
  (t) => [
    index('initiatives_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('initiatives_phase_created_idx').on(t.phase, t.createdAt.desc(), t.id.desc()),
    index('initiatives_lands_idx').using('gin', t.lands),
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
