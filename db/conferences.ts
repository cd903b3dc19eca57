/** The conferences of the Länder, their session calendars and the Königsteiner Schlüssel (admin data). */
import { asc, desc, eq, lte } from 'drizzle-orm';
import type { Database } from './client.js';
import { conferenceSessions, conferences, koenigsteinShares } from './schema.js';
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

export function createConferenceRepository(db: Database) {
  return {
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

    /** Replaces a conference's whole calendar in one transaction; false when there is no such conference. */
    async replaceSessions(key: string, sessions: ConferenceSession[]): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [known] = await tx
          .select({ key: conferences.key })
          .from(conferences)
          .where(eq(conferences.key, key))
          .for('update');
        if (!known) return false;
        await tx.delete(conferenceSessions).where(eq(conferenceSessions.conferenceKey, key));
        if (sessions.length > 0)
          await tx.insert(conferenceSessions).values(sessions.map((s) => ({ ...s, conferenceKey: key })));
        return true;
      });
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
}
export type ConferenceRepository = ReturnType<typeof createConferenceRepository>;
