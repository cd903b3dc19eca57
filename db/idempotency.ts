/**
 * Idempotency-Key bookkeeping: the first request claims the key, a retry with the same body gets the
 * stored answer, a different body 422, a retry while the first still runs 409. A claim whose holder died
 * expires after a lease, so that the retry can take over (the command is deduplicated again by Temporal).
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { idempotencyKeys, referenceCounters } from './schema.js';

export const IDEMPOTENCY_RETENTION_HOURS = 24;

export type Claim =
  /** `resumed`: an earlier holder of the key died mid-request; this one takes over its work. */
  | { kind: 'claimed'; initiativeId: string | null; resumed: boolean }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

export function createIdempotencyStore(db: Database) {
  return {
    /**
     * Claims `scope` for a request with `requestHash`. `allocate` runs only for a fresh claim and names the
     * initiative a create will start (kept, so that a retry starts the same workflow).
     */
    async claim(
      scope: string,
      requestHash: string,
      leaseSeconds: number,
      allocate?: (tx: Database) => Promise<string>,
    ): Promise<Claim> {
      const lockedUntil = sql`now() + make_interval(secs => ${leaseSeconds})`;
      return db.transaction(async (tx) => {
        const inserted = await tx
          .insert(idempotencyKeys)
          .values({ scope, requestHash, lockedUntil })
          .onConflictDoNothing()
          .returning({ scope: idempotencyKeys.scope });
        if (inserted.length > 0) {
          if (!allocate) return { kind: 'claimed', initiativeId: null, resumed: false };
          const initiativeId = await allocate(tx);
          await tx.update(idempotencyKeys).set({ initiativeId }).where(eq(idempotencyKeys.scope, scope));
          return { kind: 'claimed', initiativeId, resumed: false };
        }
        const [row] = await tx
          .select()
          .from(idempotencyKeys)
          .where(eq(idempotencyKeys.scope, scope))
          .for('update');
        if (!row) return { kind: 'in_progress' };
        if (row.requestHash !== requestHash) return { kind: 'mismatch' };
        if (row.responseStatus !== null)
          return { kind: 'replay', status: row.responseStatus, body: row.responseBody };
        const takenOver = await tx
          .update(idempotencyKeys)
          .set({ lockedUntil })
          .where(and(eq(idempotencyKeys.scope, scope), lt(idempotencyKeys.lockedUntil, sql`now()`)))
          .returning({ scope: idempotencyKeys.scope });
        return takenOver.length > 0
          ? { kind: 'claimed', initiativeId: row.initiativeId, resumed: true }
          : { kind: 'in_progress' };
      });
    },

    async complete(scope: string, status: number, body: unknown): Promise<void> {
      await db
        .update(idempotencyKeys)
        .set({ responseStatus: status, responseBody: body })
        .where(eq(idempotencyKeys.scope, scope));
    },

    /** A create moved on to another reference (the allocated one was taken in Temporal): a retry starts that one. */
    async reassign(scope: string, initiativeId: string): Promise<void> {
      await db.update(idempotencyKeys).set({ initiativeId }).where(eq(idempotencyKeys.scope, scope));
    },

    /** The outcome is unknown (e.g. Temporal unreachable): let a retry take over at once. */
    async release(scope: string): Promise<void> {
      await db
        .update(idempotencyKeys)
        .set({ lockedUntil: sql`now()` })
        .where(eq(idempotencyKeys.scope, scope));
    },

    async purgeExpired(): Promise<number> {
      const deleted = await db
        .delete(idempotencyKeys)
        .where(
          lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`),
        )
        .returning({ scope: idempotencyKeys.scope });
      return deleted.length;
    },
  };
}

/** The next reference `DD-<year>-<nnnn>` for the given year (gap-free unless a transaction rolls back). */
export async function nextReference(db: Database, year: number): Promise<string> {
  const [row] = await db
    .insert(referenceCounters)
    .values({ year, last: 1 })
    .onConflictDoUpdate({ target: referenceCounters.year, set: { last: sql`${referenceCounters.last} + 1` } })
    .returning({ last: referenceCounters.last });
  if (!row) throw new Error('reference counter returned nothing');
  return `DD-${year}-${String(row.last).padStart(4, '0')}`;
}
export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
