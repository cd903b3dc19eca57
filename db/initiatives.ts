/** Read-model queries: everything the API serves comes from here, never from Temporal. */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Initiative } from '../workflows/contracts.js';
import type { Channel, Land, Phase, Topic } from '../workflows/domain.js';
import type { Database } from './client.js';
import { auditEvents, initiatives } from './schema.js';

/** Who is asking: all-seeing roles, or a Land that sees what it takes part in plus public initiatives. */
export type Visibility = { all: true } | { all: false; land: Land };

export interface ListFilter {
  phase?: Phase | undefined;
  topic?: Topic | undefined;
  channel?: Channel | undefined;
  land?: Land | undefined;
  overdue?: boolean | undefined;
  /** A Ressort key: initiatives it leads. */
  ressort?: string | undefined;
  /** A conference key: laenderkreis initiatives going to it. */
  conference?: string | undefined;
  q?: string | undefined;
}

export interface Cursor {
  createdAt: string;
  id: string;
}

/** Domain.md's reading rule on a table that records the Länder taking part and whether it is public. */
export function visibleTo(
  visibility: Visibility,
  table: { lands: AnyPgColumn; public: AnyPgColumn } = initiatives,
): SQL | undefined {
  if (visibility.all) return undefined;
  return sql`(${table.lands} @> array[${visibility.land}]::text[] or ${table.public})`;
}

/** The same rule as `visibleTo`, for a row already in memory. */
export function isVisible(row: { lands: readonly string[]; public: boolean }, visibility: Visibility) {
  return visibility.all || row.public || row.lands.includes(visibility.land);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createInitiativeRepository(db: Database) {
  return {
    async get(id: string, visibility: Visibility): Promise<Initiative | undefined> {
      const [row] = await db
        .select({ resource: initiatives.resource })
        .from(initiatives)
        .where(and(eq(initiatives.id, id), visibleTo(visibility)));
      return row?.resource;
    },

    /** The resource with what decides who may read it, whoever asks (for caches that check in memory). */
    async getWithAccess(id: string) {
      const [row] = await db
        .select({ lands: initiatives.lands, public: initiatives.public, resource: initiatives.resource })
        .from(initiatives)
        .where(eq(initiatives.id, id));
      return row;
    },

    /** Newest first, keyset-paginated on (createdAt, id); fetches one extra row to know if more follow. */
    async list(visibility: Visibility, filter: ListFilter, limit: number, after?: Cursor) {
      const conditions = [
        visibleTo(visibility),
        filter.phase && eq(initiatives.phase, filter.phase),
        filter.topic && eq(initiatives.topic, filter.topic),
        filter.channel && eq(initiatives.channel, filter.channel),
        filter.land && sql`${initiatives.lands} @> array[${filter.land}]::text[]`,
        filter.overdue !== undefined && eq(initiatives.overdue, filter.overdue),
        filter.ressort && eq(initiatives.leadRessort, filter.ressort),
        // The resource names its conference from phase `conference` on; the creation event from the start.
        filter.conference &&
          sql`${initiatives.channel} = 'laenderkreis' and exists (select 1 from ${auditEvents}
            where ${auditEvents.initiativeId} = ${initiatives.id} and ${auditEvents.seq} = 1
              and ${auditEvents.data}->>'conference' = ${filter.conference})`,
        filter.q && sql`${initiatives.searchText} like ${`%${escapeLike(filter.q.toLowerCase())}%`}`,
        after &&
          sql`(${initiatives.createdAt}, ${initiatives.id}) < (${after.createdAt}::timestamptz, ${after.id})`,
      ].filter((c): c is SQL => c !== undefined && c !== false && c !== '');
      const rows = await db
        .select({ resource: initiatives.resource })
        .from(initiatives)
        .where(and(...conditions))
        // `nulls last` as the indexes are built (drizzle's .desc()); otherwise PostgreSQL cannot walk them.
        .orderBy(sql`${initiatives.createdAt} desc nulls last, ${initiatives.id} desc nulls last`)
        .limit(limit + 1);
      const items = rows.slice(0, limit).map((row) => row.resource);
      const last = items.at(-1);
      return {
        items,
        next:
          rows.length > limit && last
            ? ({ createdAt: last.createdAt, id: last.id } satisfies Cursor)
            : undefined,
      };
    },

    history(id: string) {
      return db
        .select({
          seq: auditEvents.seq,
          at: auditEvents.at,
          type: auditEvents.type,
          actor: auditEvents.actor,
          data: auditEvents.data,
          hash: auditEvents.hash,
          prevHash: auditEvents.prevHash,
        })
        .from(auditEvents)
        .where(eq(auditEvents.initiativeId, id))
        .orderBy(asc(auditEvents.seq));
    },
  };
}
export type InitiativeRepository = ReturnType<typeof createInitiativeRepository>;
