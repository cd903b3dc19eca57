/**
 * The event log behind `GET /v1/events`: a global sequence over all audit events, issued in commit order.
 *
 * A plain sequence is not enough: two transactions can take ids 7 and 8 and commit 8 first, and a reader
 * resuming after 8 would never see 7. So every append takes one transaction-scoped advisory lock and only
 * then reads the highest id: the previous holder has committed by the time the lock is granted, and the
 * lock is held until this transaction commits, so ids are gap-free and become visible in order.
 */
import { and, asc, gt, lte, sql } from 'drizzle-orm';
import type { Initiative } from '../workflows/contracts.js';
import type { Database } from './client.js';
import { readingLands } from './read-model.js';
import { visibleTo, type Visibility } from './initiatives.js';
import { events } from './schema.js';

/** Arbitrary constant naming the event log's advisory lock (distinct from the migration lock). */
const EVENT_LOG_LOCK = 4_270_202;

/** One entry of the stream, as `GET /v1/events` sends it. */
export interface ChangeEvent {
  id: number;
  type: string;
  initiativeId: string;
  /** The audit event's sequence number in `GET /v1/initiatives/{id}/history`. */
  seq: number;
  phase: string;
  version: number | null;
  at: string;
}

/**
 * Appends the change's newly written audit events. Call it last in the transaction that wrote them (here
 * the lock is taken, and it is held until commit: everything after it would lengthen the queue).
 */
export async function appendEvents(
  tx: Database,
  initiative: Initiative,
  written: readonly { seq: number; type: string; at: string }[],
): Promise<void> {
  if (written.length === 0) return;
  const inOrder = [...written].sort((a, b) => a.seq - b.seq);
  // A statement of its own: the insert below must take its snapshot after the lock was granted.
  await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`);
  const lands = readingLands(initiative);
  const readableByAll = initiative.bundesrat?.enteredAt !== undefined;
  await tx.insert(events).values(
    inOrder.map((event, index) => ({
      id: sql<number>`(select coalesce(max(${events.id}), 0) from ${events}) + ${index + 1}`,
      initiativeId: initiative.id,
      seq: event.seq,
      type: event.type,
      phase: initiative.phase,
      version: initiative.version,
      at: event.at,
      lands,
      public: readableByAll,
    })),
  );
}

/** The events in (`after`, `upTo`] the caller may read, oldest first. */
export async function eventsBetween(
  db: Database,
  visibility: Visibility,
  after: number,
  upTo: number,
  limit: number,
): Promise<ChangeEvent[]> {
  return db
    .select({
      id: events.id,
      type: events.type,
      initiativeId: events.initiativeId,
      seq: events.seq,
      phase: events.phase,
      version: events.version,
      at: events.at,
    })
    .from(events)
    .where(and(gt(events.id, after), lte(events.id, upTo), visibleTo(visibility, events)))
    .orderBy(asc(events.id))
    .limit(limit);
}

/** The highest id issued so far (0 when the log is empty). */
export async function lastEventId(db: Database): Promise<number> {
  const [row] = await db.select({ id: sql<string | null>`max(${events.id})` }).from(events);
  return Number(row?.id ?? 0);
}

/**
 * The highest id among the events the caller may read (0 when none): where a stream without a cursor
 * starts, so that its first `id:` does not tell the caller how many events there are in all.
 */
export async function lastVisibleEventId(db: Database, visibility: Visibility): Promise<number> {
  const [row] = await db
    .select({ id: sql<string | null>`max(${events.id})` })
    .from(events)
    .where(visibleTo(visibility, events));
  return Number(row?.id ?? 0);
}
