/**
 * Formats where the Ressorts meet (docs/formats.md): Fachdialog, workshop, jour fixe and joint cabinet
 * session, with agenda, minutes (versioned) and outcomes. Every change is one transaction: the row (its
 * version raised) and the next hash-chained event of the format's own audit chain. The initiatives started
 * from a format are not stored here: they carry `originFormat`, and `initiativesOf` reads them back.
 */
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../workflows/contracts.js';
import { PARTNERS, type Land } from '../workflows/domain.js';
import { formatAuditHash, GENESIS_HASH } from './audit.js';
import type { Database } from './client.js';
import { visibleTo, type Visibility } from './initiatives.js';
import { formatAuditEvents, formats, initiatives } from './schema.js';

export const FORMAT_KINDS = ['fachdialog', 'workshop', 'jour_fixe', 'joint_cabinet'] as const;
export type FormatKind = (typeof FORMAT_KINDS)[number];

/** A listed Ressort; a Land without Ressorts on record is listed as a whole (no key). */
export interface FormatRessort {
  land: Land;
  key?: string;
}

export interface AgendaItem {
  title: string;
  initiativeId?: string;
  practiceId?: string;
}

export interface Outcome {
  text: string;
  initiativeId?: string;
  /** Joint cabinet sessions only: the decision each attending cabinet applies for its own Land. */
  cabinetDecision?: 'approve' | 'decline';
}

export interface Minutes {
  /** 1 for the first minutes; each correction (with a reason) adds one. */
  version: number;
  text: string;
  outcomes: Outcome[];
  by: { sub: string; name: string; land: Land };
  at: string;
  reason?: string;
}

/** What the creator writes: the body of POST and PUT /v1/formats. */
export interface FormatInput {
  title: string;
  kind: FormatKind;
  date: string;
  time?: string | undefined;
  place?: string | undefined;
  topics: string[];
  ressorts: FormatRessort[];
  agenda: AgendaItem[];
}

/** The format as stored; the API adds `initiatives`. */
export interface StoredFormat {
  id: string;
  version: number;
  kind: FormatKind;
  title: string;
  date: string;
  time: string | null;
  place: string | null;
  topics: string[];
  ressorts: FormatRessort[];
  agenda: AgendaItem[];
  minutes: Minutes | null;
  land: Land;
  createdBy: { sub: string; name: string };
  createdAt: string;
  updatedAt: string;
}

export interface Format extends StoredFormat {
  initiatives: string[];
}

/** A calendar entry for a principal's invitations (the personal iCal feed). */
export interface FormatInvitation {
  id: string;
  kind: FormatKind;
  title: string;
  date: string;
  time: string | null;
  place: string | null;
}

export interface FormatFilter {
  from?: string | undefined;
  to?: string | undefined;
  topic?: string | undefined;
}

export interface FormatCursor {
  date: string;
  time: string;
  id: string;
}

export interface FormatHistoryItem {
  seq: number;
  at: string;
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type FormatRefusal = 'not_found' | 'stale' | 'has_minutes' | 'needs_reason';
export type FormatOutcome =
  { ok: true; format: StoredFormat } | { ok: false; refusal: FormatRefusal; version?: number };

/** Who may read a format: the partners, and every Land whose Ressorts it lists. */
export const readersOf = (ressorts: readonly FormatRessort[]): Land[] => [
  ...new Set<Land>([...PARTNERS, ...ressorts.map((r) => r.land)]),
];

/** Domain rule for a format already in memory (viewer and admin read all). */
export const mayRead = (format: StoredFormat, visibility: Visibility): boolean =>
  visibility.all || readersOf(format.ressorts).includes(visibility.land);

function fields(input: FormatInput) {
  return {
    title: input.title,
    kind: input.kind,
    date: input.date,
    time: input.time ?? null,
    place: input.place ?? null,
    topics: input.topics,
    ressorts: input.ressorts,
    agenda: input.agenda,
  };
}

function row(format: StoredFormat) {
  return {
    id: format.id,
    version: format.version,
    kind: format.kind,
    date: format.date,
    time: format.time ?? '',
    land: format.land,
    lands: readersOf(format.ressorts),
    topics: format.topics,
    createdAt: format.createdAt,
    updatedAt: format.updatedAt,
    resource: format,
  };
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Appends the next event of a format's chain; the caller holds the format's row lock. */
async function appendAudit(
  tx: Transaction,
  formatId: string,
  event: { at: string; type: string; actor: Actor; data: Record<string, unknown> },
) {
  const [last] = await tx
    .select({ seq: formatAuditEvents.seq, hash: formatAuditEvents.hash })
    .from(formatAuditEvents)
    .where(eq(formatAuditEvents.formatId, formatId))
    .orderBy(desc(formatAuditEvents.seq))
    .limit(1);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = formatAuditHash(prevHash, { formatId, seq, ...event });
  await tx.insert(formatAuditEvents).values({ formatId, seq, ...event, prevHash, hash });
}

/** JSON without the keys whose value is undefined (what jsonb would store, and the hash must see). */
const defined = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The formats `principal` is invited to, in date order: those listing a Ressort of the principal's Land
 * (its own Ressort when the token names one; a Land listed as a whole invites all of its principals).
 * For the personal calendar feed; `from`/`to` bound the dates (YYYY-MM-DD, inclusive).
 */
export async function formatsInvited(
  db: Database,
  principal: { land: Land; ressort?: string | undefined },
  range: { from?: string; to?: string } = {},
): Promise<FormatInvitation[]> {
  const rows = await db
    .select({ resource: formats.resource })
    .from(formats)
    .where(
      and(
        sql`${formats.lands} @> array[${principal.land}]::text[]`,
        range.from === undefined ? undefined : gte(formats.date, range.from),
        range.to === undefined ? undefined : lte(formats.date, range.to),
      ),
    )
    .orderBy(asc(formats.date), asc(formats.time), asc(formats.id));
  return rows
    .map((r) => r.resource)
    .filter((f) =>
      f.ressorts.some(
        (r) =>
          r.land === principal.land &&
          (r.key === undefined || principal.ressort === undefined || r.key === principal.ressort),
      ),
    )
    .map(({ id, kind, title, date, time, place }) => ({ id, kind, title, date, time, place }));
}

export function createFormatRepository(db: Database) {
  const locked = async (tx: Transaction, id: string) => {
    const [current] = await tx
      .select({ resource: formats.resource })
      .from(formats)
      .where(eq(formats.id, id))
      .for('update');
    return current?.resource;
  };

  return {
    async create(input: FormatInput, land: Land, actor: Actor & { sub: string; name: string }) {
      const at = new Date().toISOString();
      const format: StoredFormat = defined({
        id: crypto.randomUUID(),
        version: 1,
        ...fields(input),
        minutes: null,
        land,
        createdBy: { sub: actor.sub, name: actor.name },
        createdAt: at,
        updatedAt: at,
      });
      await db.transaction(async (tx) => {
        await tx.insert(formats).values(row(format));
        await appendAudit(tx, format.id, {
          at,
          type: 'format_created',
          actor,
          data: defined({ land, ...fields(input) }),
        });
      });
      return format;
    },

    async get(id: string): Promise<StoredFormat | undefined> {
      const [found] = await db.select({ resource: formats.resource }).from(formats).where(eq(formats.id, id));
      return found?.resource;
    },

    /** Per format, the initiatives started from it (their `originFormat`) that `visibility` may read. */
    async initiativesOf(ids: readonly string[], visibility: Visibility): Promise<Map<string, string[]>> {
      const found = new Map<string, string[]>(ids.map((id) => [id, []]));
      if (ids.length === 0) return found;
      const origin = sql<string>`${initiatives.resource}->>'originFormat'`;
      const rows = await db
        .select({ id: initiatives.id, origin })
        .from(initiatives)
        .where(and(inArray(origin, [...ids]), visibleTo(visibility)))
        .orderBy(asc(initiatives.createdAt), asc(initiatives.id));
      for (const r of rows) found.get(r.origin)?.push(r.id);
      return found;
    },

    /** Replaces the editable fields: only before minutes exist, and at `expectedVersion` when given. */
    async update(
      id: string,
      input: FormatInput,
      expectedVersion: number | undefined,
      actor: Actor,
    ): Promise<FormatOutcome> {
      return db.transaction(async (tx): Promise<FormatOutcome> => {
        const current = await locked(tx, id);
        if (!current) return { ok: false, refusal: 'not_found' };
        if (expectedVersion !== undefined && expectedVersion !== current.version)
          return { ok: false, refusal: 'stale', version: current.version };
        if (current.minutes) return { ok: false, refusal: 'has_minutes' };
        const at = new Date().toISOString();
        const format: StoredFormat = defined({
          ...current,
          ...fields(input),
          version: current.version + 1,
          updatedAt: at,
        });
        await tx.update(formats).set(row(format)).where(eq(formats.id, id));
        await appendAudit(tx, id, { at, type: 'format_revised', actor, data: defined(fields(input)) });
        return { ok: true, format };
      });
    },

    /**
     * Records the minutes: the first time freely, again only with a `reason` ('needs_reason' without),
     * which makes the next minutes version. The previous versions stay in the audit chain.
     */
    async recordMinutes(
      id: string,
      input: { text: string; outcomes: Outcome[]; reason?: string | undefined },
      expectedVersion: number | undefined,
      actor: Actor & { sub: string; name: string; land: Land },
    ): Promise<FormatOutcome> {
      return db.transaction(async (tx): Promise<FormatOutcome> => {
        const current = await locked(tx, id);
        if (!current) return { ok: false, refusal: 'not_found' };
        if (expectedVersion !== undefined && expectedVersion !== current.version)
          return { ok: false, refusal: 'stale', version: current.version };
        if (current.minutes && input.reason === undefined) return { ok: false, refusal: 'needs_reason' };
        const at = new Date().toISOString();
        const minutes: Minutes = defined({
          version: (current.minutes?.version ?? 0) + 1,
          text: input.text,
          outcomes: input.outcomes,
          by: { sub: actor.sub, name: actor.name, land: actor.land },
          at,
          reason: input.reason,
        });
        const format: StoredFormat = {
          ...current,
          minutes,
          version: current.version + 1,
          updatedAt: at,
        };
        await tx.update(formats).set(row(format)).where(eq(formats.id, id));
        // The whole minutes version (but `by` and `at`, which the event's actor and time are).
        await appendAudit(tx, id, {
          at,
          type: minutes.version === 1 ? 'minutes_recorded' : 'minutes_corrected',
          actor,
          data: defined({
            version: minutes.version,
            text: minutes.text,
            outcomes: minutes.outcomes,
            reason: minutes.reason,
          }),
        });
        return { ok: true, format };
      });
    },

    /** Formats `visibility` may read, by date and time (formats without a time first on their day). */
    async list(visibility: Visibility, filter: FormatFilter, limit: number, after?: FormatCursor) {
      const conditions: (SQL | undefined)[] = [
        visibility.all ? undefined : sql`${formats.lands} @> array[${visibility.land}]::text[]`,
        filter.from === undefined ? undefined : gte(formats.date, filter.from),
        filter.to === undefined ? undefined : lte(formats.date, filter.to),
        filter.topic === undefined ? undefined : sql`${formats.topics} @> array[${filter.topic}]::text[]`,
        after === undefined
          ? undefined
          : sql`(${formats.date}, ${formats.time}, ${formats.id}) > (${after.date}, ${after.time}, ${after.id}::uuid)`,
      ];
      const rows = await db
        .select({ resource: formats.resource, time: formats.time })
        .from(formats)
        .where(and(...conditions))
        .orderBy(asc(formats.date), asc(formats.time), asc(formats.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const next: FormatCursor | undefined =
        rows.length > limit && last
          ? { date: last.resource.date, time: last.time, id: last.resource.id }
          : undefined;
      return { items: page.map((r) => r.resource), next };
    },

    async history(id: string): Promise<FormatHistoryItem[]> {
      return db
        .select({
          seq: formatAuditEvents.seq,
          at: formatAuditEvents.at,
          type: formatAuditEvents.type,
          actor: formatAuditEvents.actor,
          data: formatAuditEvents.data,
          prevHash: formatAuditEvents.prevHash,
          hash: formatAuditEvents.hash,
        })
        .from(formatAuditEvents)
        .where(eq(formatAuditEvents.formatId, id))
        .orderBy(asc(formatAuditEvents.seq));
    },
  };
}

export type FormatRepository = ReturnType<typeof createFormatRepository>;
