/**
 * The best-practice catalogue (docs/practices.md): practices per Land and topic, German full-text search,
 * interest declared by other Länder, and each practice's own audit chain. Every change is one transaction:
 * the row (its version raised), the interest row if any, and the next hash-chained audit event.
 */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../workflows/contracts.js';
import type { Land } from '../workflows/domain.js';
import { practiceAuditHash, GENESIS_HASH } from './audit.js';
import type { Database } from './client.js';
import { visibleTo, type Visibility } from './initiatives.js';
import { initiatives, practiceAuditEvents, practiceInterest, practices, topics } from './schema.js';

export interface Contact {
  name: string;
  email: string;
}

export interface Interest {
  land: Land;
  at: string;
  comment?: string;
}

/** The practice resource as the API serves it. */
export interface Practice {
  id: string;
  version: number;
  land: Land;
  topic: string;
  ressort: string | null;
  title: string;
  summary: string;
  url: string | null;
  contact: Contact | null;
  tags: string[];
  createdBy: { sub: string; name: string };
  createdAt: string;
  updatedAt: string;
  interest: Interest[];
}

/** What a proposer or reviewer writes: the body of POST and PUT /v1/practices. */
export interface PracticeInput {
  title: string;
  summary: string;
  topic: string;
  ressort?: string | undefined;
  url?: string | undefined;
  contact?: Contact | undefined;
  tags?: string[] | undefined;
}

export interface Topic {
  key: string;
  name: { de: string; en: string };
  source: string;
  provisional: boolean;
}

export interface PracticeFilter {
  topic?: string | undefined;
  land?: Land | undefined;
  q?: string | undefined;
}

/** Where a page ends: the rank (searches only), then newest first. */
export interface PracticeCursor {
  rank?: number;
  createdAt: string;
  id: string;
}

export interface PracticeHistoryItem {
  seq: number;
  at: string;
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type Refusal = 'not_found' | 'stale' | 'duplicate';
export type Outcome = { ok: true; practice: Practice } | { ok: false; refusal: Refusal; version?: number };

const query = (q: string) => sql`websearch_to_tsquery('german'::regconfig, ${q})`;

function fields(input: PracticeInput) {
  return {
    ressort: input.ressort ?? null,
    title: input.title,
    summary: input.summary,
    topic: input.topic,
    url: input.url ?? null,
    contact: input.contact ?? null,
    tags: input.tags ?? [],
  };
}

function row(practice: Practice) {
  return {
    id: practice.id,
    version: practice.version,
    land: practice.land,
    topic: practice.topic,
    ressort: practice.ressort,
    title: practice.title,
    summary: practice.summary,
    tagsText: practice.tags.join(' '),
    createdAt: practice.createdAt,
    updatedAt: practice.updatedAt,
    resource: practice,
  };
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Appends the next event of a practice's chain; the caller holds the practice's row lock. */
async function appendAudit(
  tx: Transaction,
  practiceId: string,
  event: { at: string; type: string; actor: Actor; data: Record<string, unknown> },
) {
  const [last] = await tx
    .select({ seq: practiceAuditEvents.seq, hash: practiceAuditEvents.hash })
    .from(practiceAuditEvents)
    .where(eq(practiceAuditEvents.practiceId, practiceId))
    .orderBy(desc(practiceAuditEvents.seq))
    .limit(1);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = practiceAuditHash(prevHash, { practiceId, seq, ...event });
  await tx.insert(practiceAuditEvents).values({ practiceId, seq, ...event, prevHash, hash });
}

export function createPracticeRepository(db: Database) {
  /** The practice under a row lock, for a change in `tx`. */
  const locked = async (tx: Transaction, id: string) => {
    const [current] = await tx
      .select({ resource: practices.resource })
      .from(practices)
      .where(eq(practices.id, id))
      .for('update');
    return current?.resource;
  };

  return {
    async topics(): Promise<Topic[]> {
      const rows = await db.select().from(topics).orderBy(asc(topics.key));
      return rows.map((t) => ({
        key: t.key,
        name: { de: t.nameDe, en: t.nameEn },
        source: t.source,
        provisional: t.provisional,
      }));
    },

    async topicExists(key: string): Promise<boolean> {
      const [found] = await db.select({ key: topics.key }).from(topics).where(eq(topics.key, key));
      return found !== undefined;
    },

    async create(input: PracticeInput, land: Land, actor: Actor & { sub: string; name: string }) {
      const at = new Date().toISOString();
      const practice: Practice = {
        id: crypto.randomUUID(),
        version: 1,
        land,
        ...fields(input),
        createdBy: { sub: actor.sub, name: actor.name },
        createdAt: at,
        updatedAt: at,
        interest: [],
      };
      await db.transaction(async (tx) => {
        await tx.insert(practices).values(row(practice));
        await appendAudit(tx, practice.id, {
          at,
          type: 'practice_created',
          actor,
          data: { land, ...fields(input) },
        });
      });
      return practice;
    },

    async get(id: string): Promise<Practice | undefined> {
      const [found] = await db
        .select({ resource: practices.resource })
        .from(practices)
        .where(eq(practices.id, id));
      return found?.resource;
    },

    /** Replaces the editable fields, if the practice is still at `expectedVersion` (when given). */
    async update(
      id: string,
      input: PracticeInput,
      expectedVersion: number | undefined,
      actor: Actor,
    ): Promise<Outcome> {
      return db.transaction(async (tx): Promise<Outcome> => {
        const current = await locked(tx, id);
        if (!current) return { ok: false, refusal: 'not_found' };
        if (expectedVersion !== undefined && expectedVersion !== current.version)
          return { ok: false, refusal: 'stale', version: current.version };
        const at = new Date().toISOString();
        const practice: Practice = {
          ...current,
          ...fields(input),
          version: current.version + 1,
          updatedAt: at,
        };
        await tx.update(practices).set(row(practice)).where(eq(practices.id, id));
        await appendAudit(tx, id, { at, type: 'practice_revised', actor, data: fields(input) });
        return { ok: true, practice };
      });
    },

    /** A Land's interest in adopting the practice: once per Land ('duplicate' the second time). */
    async declareInterest(
      id: string,
      land: Land,
      comment: string | undefined,
      actor: Actor,
    ): Promise<Outcome> {
      return db.transaction(async (tx): Promise<Outcome> => {
        const current = await locked(tx, id);
        if (!current) return { ok: false, refusal: 'not_found' };
        const at = new Date().toISOString();
        const inserted = await tx
          .insert(practiceInterest)
          .values({ practiceId: id, land, at })
          .onConflictDoNothing()
          .returning({ land: practiceInterest.land });
        if (inserted.length === 0) return { ok: false, refusal: 'duplicate' };
        const interest: Interest = comment === undefined ? { land, at } : { land, at, comment };
        const practice: Practice = {
          ...current,
          interest: [...current.interest, interest],
          version: current.version + 1,
          updatedAt: at,
        };
        await tx.update(practices).set(row(practice)).where(eq(practices.id, id));
        await appendAudit(tx, id, {
          at,
          type: 'interest_declared',
          actor,
          data: comment === undefined ? { land } : { land, comment },
        });
        return { ok: true, practice };
      });
    },

    /**
     * A page of practices, newest first; with `q` those matching the German full-text query, ranked by
     * ts_rank (title above tags above summary) and then newest first. One row more than `limit` tells the
     * caller whether another page follows.
     */
    async list(filter: PracticeFilter, limit: number, after?: PracticeCursor) {
      const conditions: (SQL | undefined)[] = [
        filter.topic === undefined ? undefined : eq(practices.topic, filter.topic),
        filter.land === undefined ? undefined : eq(practices.land, filter.land),
      ];
      const q = filter.q?.trim() ? filter.q : undefined;
      const rank = q === undefined ? undefined : sql<number>`ts_rank(${practices.search}, ${query(q)})`;
      if (q !== undefined) conditions.push(sql`${practices.search} @@ ${query(q)}`);
      if (after)
        conditions.push(
          rank !== undefined
            ? sql`(${rank}, ${practices.createdAt}, ${practices.id}) < (${after.rank ?? 0}::real, ${after.createdAt}::timestamptz, ${after.id}::uuid)`
            : sql`(${practices.createdAt}, ${practices.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
        );
      const rows = await db
        .select({ resource: practices.resource, rank: rank ?? sql<number>`0::real` })
        .from(practices)
        .where(and(...conditions))
        // `nulls last` as the indexes are built (drizzle's .desc()); otherwise PostgreSQL cannot walk them.
        .orderBy(
          ...(rank ? [sql`${rank} desc`] : []),
          sql`${practices.createdAt} desc nulls last, ${practices.id} desc nulls last`,
        )
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const next: PracticeCursor | undefined =
        rows.length > limit && last
          ? {
              ...(rank ? { rank: Number(last.rank) } : {}),
              createdAt: last.resource.createdAt,
              id: last.resource.id,
            }
          : undefined;
      return { items: page.map((r) => r.resource), next };
    },

    /** Per practice, the initiatives based on it (their `basedOn`) that `visibility` may read. */
    async initiativesOf(ids: readonly string[], visibility: Visibility): Promise<Map<string, string[]>> {
      const found = new Map<string, string[]>(ids.map((id) => [id, []]));
      if (ids.length === 0) return found;
      const basedOn = sql`${initiatives.resource}->'basedOn'`;
      const rows = await db
        .select({ id: initiatives.id, basedOn: sql<string[]>`${basedOn}` })
        .from(initiatives)
        .where(
          and(
            sql`${basedOn} ?| array[${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )}]::text[]`,
            visibleTo(visibility),
          ),
        )
        .orderBy(asc(initiatives.createdAt), asc(initiatives.id));
      for (const row of rows) for (const practiceId of row.basedOn) found.get(practiceId)?.push(row.id);
      return found;
    },

    async history(id: string): Promise<PracticeHistoryItem[]> {
      return db
        .select({
          seq: practiceAuditEvents.seq,
          at: practiceAuditEvents.at,
          type: practiceAuditEvents.type,
          actor: practiceAuditEvents.actor,
          data: practiceAuditEvents.data,
          prevHash: practiceAuditEvents.prevHash,
          hash: practiceAuditEvents.hash,
        })
        .from(practiceAuditEvents)
        .where(eq(practiceAuditEvents.practiceId, id))
        .orderBy(asc(practiceAuditEvents.seq));
    },
  };
}

export type PracticeRepository = ReturnType<typeof createPracticeRepository>;
