/**
 * Personal calendar feeds (docs/calendar-feed.md): the secret URL's hash per person, and the feed's
 * entries as a list of sources. Each source answers the entries one person may see; a new kind of entry
 * (e.g. the formats of issue 18) is one more function in `CALENDAR_SOURCES`.
 */
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { PlenarySessionRef } from '../workflows/contracts.js';
import type { Land, Role } from '../workflows/domain.js';
import type { Database } from './client.js';
import { visibleTo, type Visibility } from './initiatives.js';
import { calendarFeeds, initiatives, people } from './schema.js';
import { tasksOf } from './tasks.js';

/** The owner of a feed, as the directory last saw them (the feed has no token to read claims from). */
export interface FeedPerson {
  iss: string;
  sub: string;
  name: string;
  land: Land;
  roles: Role[];
  ressort: string | null;
}

/** One calendar entry: an all-day entry on `date` (YYYY-MM-DD, Europe/Berlin). */
export interface CalendarEntry {
  /** Stable across requests, so calendar apps update rather than duplicate. */
  uid: string;
  date: string;
  summary: string;
  description: string;
  /** The dashboard route it links to, e.g. `#/initiatives/DD-2026-0001`. */
  route: string;
}

export type CalendarSource = (db: Database, person: FeedPerson) => Promise<CalendarEntry[]>;

const ACTIONS: Record<string, string> = {
  review: 'Prüfung',
  revise: 'Überarbeitung',
  respond: 'Antwort auf die Einladung',
  cabinet: 'Kabinettsbefassung',
  submit: 'Einbringung in den Bundesrat',
  refer: 'Überweisung im Bundesrat',
  decide: 'Entscheidung im Bundesrat',
  calendar: 'Plenarsitzungen eintragen',
};

const BERLIN_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The last day an action is in time: the Berlin date of the instant just before its due time. */
const lastDayOf = (dueAt: string) => BERLIN_DATE.format(new Date(Date.parse(dueAt) - 1));

const visibilityOf = (person: FeedPerson): Visibility =>
  person.roles.includes('viewer') || person.roles.includes('admin')
    ? { all: true }
    : { all: false, land: person.land };

/** The person's open actions that have a due date, on their last day (the inbox's rule). */
export const pendingActionEntries: CalendarSource = async (db, person) => {
  const tasks = await tasksOf(db, {
    sub: person.sub,
    land: person.land,
    roles: person.roles,
    ...(person.ressort === null ? {} : { ressort: person.ressort }),
  });
  return tasks.flatMap((task) =>
    task.dueAt === null
      ? []
      : [
          {
            uid: `action-${task.initiativeId}-${task.action}-${task.land}-${task.role}`,
            date: lastDayOf(task.dueAt),
            summary: `Frist: ${ACTIONS[task.action] ?? task.action} – ${task.title} (${task.initiativeId})`,
            description: `${ACTIONS[task.action] ?? task.action} für ${task.land} (${task.role}), fällig ${task.dueAt}.`,
            route: `#/initiatives/${encodeURIComponent(task.initiativeId)}`,
          },
        ],
  );
};

/** The booked Bundesrat plenary sessions of the initiatives the person may read. */
export const plenarySessionEntries: CalendarSource = async (db, person) => {
  const session = sql<PlenarySessionRef>`${initiatives.resource}->'bundesrat'->'plenarySession'`;
  const rows = await db
    .select({ id: initiatives.id, title: sql<string>`${initiatives.resource}->>'title'`, session })
    .from(initiatives)
    .where(and(visibleTo(visibilityOf(person)), isNotNull(sql`nullif(${session}, 'null'::jsonb)`)));
  return rows.map((row) => ({
    uid: `bundesrat-${row.id}-${row.session.number}`,
    date: row.session.date,
    summary: `Bundesrat, ${row.session.number}. Sitzung: ${row.title} (${row.id})`,
    description: `Die Initiative ${row.id} ist für die ${row.session.number}. Plenarsitzung des Bundesrates gebucht.`,
    route: `#/initiatives/${encodeURIComponent(row.id)}`,
  }));
};

/** Every source of the feed, in order. Issue 18's formats join as one more source. */
export const CALENDAR_SOURCES: CalendarSource[] = [pendingActionEntries, plenarySessionEntries];

export async function calendarEntriesOf(
  db: Database,
  person: FeedPerson,
  sources: readonly CalendarSource[] = CALENDAR_SOURCES,
): Promise<CalendarEntry[]> {
  return (await Promise.all(sources.map((source) => source(db, person)))).flat();
}

/** Gives the person a feed with this token hash, revoking their previous one. */
export async function issueFeed(db: Database, iss: string, sub: string, tokenHash: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(calendarFeeds).where(and(eq(calendarFeeds.iss, iss), eq(calendarFeeds.sub, sub)));
    await tx.insert(calendarFeeds).values({ tokenHash, iss, sub });
  });
}

/** Revokes the person's feed; answers whether there was one. */
export async function revokeFeed(db: Database, iss: string, sub: string): Promise<boolean> {
  const gone = await db
    .delete(calendarFeeds)
    .where(and(eq(calendarFeeds.iss, iss), eq(calendarFeeds.sub, sub)))
    .returning({ sub: calendarFeeds.sub });
  return gone.length > 0;
}

/** The owner of the feed with this token hash, as the directory knows them; undefined: no such feed. */
export async function feedOwner(db: Database, tokenHash: string): Promise<FeedPerson | undefined> {
  const [row] = await db
    .select({
      iss: people.iss,
      sub: people.sub,
      name: people.name,
      land: people.land,
      roles: people.roles,
      ressort: people.ressort,
    })
    .from(calendarFeeds)
    .innerJoin(people, and(eq(people.iss, calendarFeeds.iss), eq(people.sub, calendarFeeds.sub)))
    .where(eq(calendarFeeds.tokenHash, tokenHash));
  return row ? { ...row, land: row.land as Land, roles: row.roles as Role[] } : undefined;
}
