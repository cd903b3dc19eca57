/** The plenary calendar and the Drucksache register. */
import { and, asc, eq, gt, gte, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { auditEvents, drucksachen, initiatives, plenarySessions } from './schema.js';

export interface PlenarySession {
  number: number;
  date: string;
  provisional: boolean;
  source: string;
}

export interface Booking {
  initiativeId: string;
  number: number;
  date: string;
}

export function createBundesratRepository(db: Database) {
  const sessionColumns = {
    number: plenarySessions.number,
    date: plenarySessions.date,
    provisional: plenarySessions.provisional,
    source: plenarySessions.source,
  };
  return {
    sessions(): Promise<PlenarySession[]> {
      return db.select(sessionColumns).from(plenarySessions).orderBy(asc(plenarySessions.date));
    },

    /** The first session on or after `date` (YYYY-MM-DD), if the calendar has one. */
    async firstSessionFrom(date: string): Promise<PlenarySession | undefined> {
      const [session] = await db
        .select(sessionColumns)
        .from(plenarySessions)
        .where(gte(plenarySessions.date, date))
        .orderBy(asc(plenarySessions.date))
        .limit(1);
      return session;
    },

    /** The session with this number, if the calendar has it. */
    async sessionNumbered(number: number): Promise<PlenarySession | undefined> {
      const [session] = await db
        .select(sessionColumns)
        .from(plenarySessions)
        .where(eq(plenarySessions.number, number))
        .limit(1);
      return session;
    },

    /** The session after the one dated `date`, if any. */
    async sessionAfter(date: string): Promise<PlenarySession | undefined> {
      const [session] = await db
        .select(sessionColumns)
        .from(plenarySessions)
        .where(gt(plenarySessions.date, date))
        .orderBy(asc(plenarySessions.date))
        .limit(1);
      return session;
    },

    /**
     * Replaces the whole calendar in one transaction, unless it would move or drop a session an open
     * initiative is booked on: then nothing changes and those bookings come back.
     */
    async replace(sessions: PlenarySession[]): Promise<{ replaced: boolean; broken: Booking[] }> {
      return db.transaction(async (tx) => {
        const rows = await tx
          .select({
            initiativeId: initiatives.id,
            session: sql<{
              number: number;
              date: string;
            } | null>`${initiatives.resource}->'bundesrat'->'plenarySession'`,
          })
          .from(initiatives)
          .where(eq(initiatives.phase, 'bundesrat'));
        const broken = rows
          .flatMap((row) => (row.session ? [{ initiativeId: row.initiativeId, ...row.session }] : []))
          .filter((booking) => !sessions.some((s) => s.number === booking.number && s.date === booking.date));
        if (broken.length > 0) return { replaced: false, broken };
        await tx.delete(plenarySessions);
        if (sessions.length > 0) await tx.insert(plenarySessions).values(sessions);
        return { replaced: true, broken };
      });
    },

    /** Reserves a Drucksache for an initiative; false when another initiative holds it. */
    async reserveDrucksache(drucksache: string, initiativeId: string): Promise<boolean> {
      await db.insert(drucksachen).values({ drucksache, initiativeId }).onConflictDoNothing();
      const [holder] = await db
        .select({ initiativeId: drucksachen.initiativeId })
        .from(drucksachen)
        .where(eq(drucksachen.drucksache, drucksache));
      return holder?.initiativeId === initiativeId;
    },

    /** Gives a reservation back when the submission it was made for did not happen. */
    async releaseDrucksache(drucksache: string, initiativeId: string): Promise<void> {
      await db
        .delete(drucksachen)
        .where(and(eq(drucksachen.drucksache, drucksache), eq(drucksachen.initiativeId, initiativeId)));
    },
  };
}
export type BundesratRepository = ReturnType<typeof createBundesratRepository>;

/** An open initiative that fell past the calendar's end, and the date its next session must follow. */
export interface UnbookedInitiative {
  id: string;
  /**
   * The session it was last postponed from (or, when it was unbooked already, that decision's date):
   * re-booking must take a session after this one, never the one that postponed it.
   */
  postponedAfter: string | null;
}

/** Open initiatives whose postponement ran past the calendar's end (plenarySession null after submission). */
export async function unbookedInitiatives(db: Database): Promise<UnbookedInitiative[]> {
  const rows = await db
    .select({
      id: initiatives.id,
      postponedAfter: sql<string | null>`(
        select coalesce(${auditEvents.data}->'from'->>'date', ${auditEvents.data}->>'decidedOn')
        from ${auditEvents}
        where ${auditEvents.initiativeId} = ${initiatives.id}
          and ${auditEvents.type} = 'plenary_decided'
          and ${auditEvents.data}->>'decision' = 'postponed'
        order by ${auditEvents.seq} desc
        limit 1
      )`,
    })
    .from(initiatives)
    .where(
      and(
        eq(initiatives.phase, 'bundesrat'),
        sql`${initiatives.resource}->'bundesrat'->>'status' in ('submitted', 'referred')`,
        sql`${initiatives.resource}->'bundesrat'->'plenarySession' = 'null'::jsonb`,
      ),
    );
  return rows;
}
