/** The conferences of the Länder, their session calendars and the Königsteiner Schlüssel (admin data). */
import { and, asc, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Database } from './client.js';
import { auditEvents, conferenceSessions, conferences, initiatives, koenigsteinShares } from './schema.js';
import type { ConferenceCalendar } from '../workflows/commands/define.js';
import type { ConferenceSessionRef } from '../workflows/conference-stage.js';
import type { Conference, KoenigsteinTable, VotingRule } from '../workflows/conferences.js';
import type { Land } from '../workflows/domain.js';

export interface ConferenceSession {
  date: string;
  number: number | null;
  place: string | null;
  provisional: boolean;
  source: string;
}

type ConferenceRow = typeof conferences.$inferSelect;
type KoenigsteinRow = typeof koenigsteinShares.$inferSelect;

const toConference = (row: ConferenceRow): Conference => ({
  key: row.key,
  name: row.name,
  members: row.members as Land[],
  bund: row.bund,
  votingRules: row.votingRules as { decision: VotingRule; recommendation?: VotingRule },
  registrationLeadDays: row.registrationLeadDays,
  source: row.source,
  provisional: row.provisional,
});

const toTable = (row: KoenigsteinRow): KoenigsteinTable => ({
  year: row.year,
  shares: row.shares,
  source: row.source,
  provisional: row.provisional,
});

const sessionColumns = {
  date: conferenceSessions.date,
  number: conferenceSessions.number,
  place: conferenceSessions.place,
  provisional: conferenceSessions.provisional,
  source: conferenceSessions.source,
};

/** A session an open initiative is booked on. */
export interface ConferenceBooking {
  initiativeId: string;
  date: string;
  number?: number;
}

const ref = (row: { date: string; number: number | null } | undefined): ConferenceSessionRef | undefined =>
  row ? { date: row.date, ...(row.number === null ? {} : { number: row.number }) } : undefined;

/** Open initiatives of conference `key` in phase `conference` with their booked sessions. */
async function bookings(db: Database, key: string): Promise<ConferenceBooking[]> {
  const rows = await db
    .select({
      initiativeId: initiatives.id,
      session: sql<ConferenceSessionRef | null>`${initiatives.resource}->'conference'->'session'`,
    })
    .from(initiatives)
    .where(
      and(eq(initiatives.phase, 'conference'), sql`${initiatives.resource}->'conference'->>'key' = ${key}`),
    );
  return rows.flatMap((row) => (row.session ? [{ initiativeId: row.initiativeId, ...row.session }] : []));
}

export function createConferenceRepository(db: Database) {
  const sessionWhere = (key: string, date: SQL) => and(eq(conferenceSessions.conferenceKey, key), date);
  const firstSession = async (where: SQL | undefined) => {
    const [row] = await db
      .select({ date: conferenceSessions.date, number: conferenceSessions.number })
      .from(conferenceSessions)
      .where(where)
      .orderBy(asc(conferenceSessions.date))
      .limit(1);
    return ref(row);
  };
  const calendar: ConferenceCalendar = {
    firstSessionFrom: (key, date) => firstSession(sessionWhere(key, gte(conferenceSessions.date, date))),
    sessionOn: (key, date) => firstSession(sessionWhere(key, eq(conferenceSessions.date, date))),
    sessionAfter: (key, date) => firstSession(sessionWhere(key, gt(conferenceSessions.date, date))),
    koenigstein: (year) => repository.koenigstein(year),
  };
  const repository = {
    /** What the catalogue's commands consult (workflows/commands/conference.ts). */
    calendar,

    async list(): Promise<Conference[]> {
      const rows = await db.select().from(conferences).orderBy(asc(conferences.key));
      return rows.map(toConference);
    },

    async get(key: string): Promise<Conference | undefined> {
      const [row] = await db.select().from(conferences).where(eq(conferences.key, key));
      return row ? toConference(row) : undefined;
    },

    /** Creates or replaces a conference; its calendar stays. */
    async put(conference: Conference): Promise<Conference> {
      const { name, members, bund, votingRules, registrationLeadDays, source, provisional } = conference;
      await db.insert(conferences).values(conference).onConflictDoUpdate({
        target: conferences.key,
        set: { name, members, bund, votingRules, registrationLeadDays, source, provisional },
      });
      return conference;
    },

    /** The conference's calendar, ascending; undefined when there is no such conference. */
    async sessions(key: string): Promise<ConferenceSession[] | undefined> {
      return db.transaction(async (tx) => {
        const [known] = await tx
          .select({ key: conferences.key })
          .from(conferences)
          .where(eq(conferences.key, key));
        if (!known) return undefined;
        return tx
          .select(sessionColumns)
          .from(conferenceSessions)
          .where(eq(conferenceSessions.conferenceKey, key))
          .orderBy(asc(conferenceSessions.date));
      });
    },

    /**
     * Replaces a conference's whole calendar in one transaction, unless it would move or drop a session an
     * open initiative is booked on: then nothing changes and those bookings come back. `known` is false
     * when there is no such conference.
     */
    async replaceSessions(
      key: string,
      sessions: ConferenceSession[],
    ): Promise<{ known: boolean; broken: ConferenceBooking[] }> {
      return db.transaction(async (tx) => {
        const [known] = await tx
          .select({ key: conferences.key })
          .from(conferences)
          .where(eq(conferences.key, key))
          .for('update');
        if (!known) return { known: false, broken: [] };
        const broken = (await bookings(tx, key)).filter(
          (booking) =>
            !sessions.some((s) => s.date === booking.date && (s.number ?? undefined) === booking.number),
        );
        if (broken.length > 0) return { known: true, broken };
        await tx.delete(conferenceSessions).where(eq(conferenceSessions.conferenceKey, key));
        if (sessions.length > 0)
          await tx.insert(conferenceSessions).values(sessions.map((s) => ({ ...s, conferenceKey: key })));
        return { known: true, broken };
      });
    },

    /**
     * Registered initiatives of conference `key` that fell past its calendar's end, with the date their next
     * session must follow (the session that postponed them, else that decision's date).
     */
    async unbooked(key: string): Promise<{ id: string; postponedAfter: string | null }[]> {
      return db
        .select({
          id: initiatives.id,
          postponedAfter: sql<string | null>`(
            select coalesce(${auditEvents.data}->'from'->>'date', ${auditEvents.data}->>'decidedOn')
            from ${auditEvents}
            where ${auditEvents.initiativeId} = ${initiatives.id}
              and ${auditEvents.type} = 'conference_decided'
              and ${auditEvents.data}->>'decision' = 'postponed'
            order by ${auditEvents.seq} desc
            limit 1
          )`,
        })
        .from(initiatives)
        .where(
          and(
            eq(initiatives.phase, 'conference'),
            sql`${initiatives.resource}->'conference'->>'key' = ${key}`,
            sql`${initiatives.resource}->'conference'->>'status' = 'registered'`,
            sql`${initiatives.resource}->'conference'->'session' = 'null'::jsonb`,
          ),
        );
    },

    /** The table of that year, else the newest earlier one; without a year the newest of all. */
    async koenigstein(year?: number): Promise<KoenigsteinTable | undefined> {
      const query = db.select().from(koenigsteinShares);
      const [row] = await (year === undefined ? query : query.where(lte(koenigsteinShares.year, year)))
        .orderBy(desc(koenigsteinShares.year))
        .limit(1);
      return row ? toTable(row) : undefined;
    },

    /** Creates or replaces the table of its year. */
    async putKoenigstein(table: KoenigsteinTable): Promise<KoenigsteinTable> {
      const { shares, source, provisional } = table;
      await db
        .insert(koenigsteinShares)
        .values(table)
        .onConflictDoUpdate({ target: koenigsteinShares.year, set: { shares, source, provisional } });
      return table;
    },
  };
  return repository;
}
export type ConferenceRepository = ReturnType<typeof createConferenceRepository>;
