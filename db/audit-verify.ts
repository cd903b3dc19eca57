/**
 * Checking the audit trail as a whole (GET /v1/audit/verify, `npm run audit:verify`) and exporting its
 * heads for safekeeping outside the database (GET /v1/audit/heads, `npm run audit:verify -- --heads f`).
 *
 * verifyAudit walks every row of audit_events in (initiative_id, seq) order, a batch at a time with a
 * keyset cursor (memory stays flat however long the trail grows), and per initiative checks that
 *   1. seq runs 1, 2, 3, … without gaps (a deleted event shows as a gap at the next one),
 *   2. prev_hash is GENESIS_HASH for seq 1, else the previous row's stored hash,
 *   3. hash = sha256_hex(prev_hash + JCS({initiativeId, seq, at, type, actor, data})) (docs/api.md).
 * It stops at the first row that fails one of them. What the chain alone cannot reveal, the heads can: a
 * removed or rewritten *tail* of an initiative (or a whole initiative) that was re-hashed consistently.
 * Compare the current heads with an export kept elsewhere: every saved head must still be there with the
 * same hash (or be an ancestor of the current head).
 *
 * The heads digest is sha256_hex(JCS(heads)): `heads` is the array exactly as exported, one
 * {initiativeId, seq, hash} per initiative sorted by initiativeId (UTF-16 code units, i.e. plain string
 * comparison), serialised with RFC 8785 (members sorted: hash, initiativeId, seq; no whitespace) and
 * hashed as UTF-8. For the ASCII values it holds, `jq -jcS .heads heads.json | sha256sum` recomputes it.
 */
import { createHash } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { auditHash, canonicalJson, GENESIS_HASH } from './audit.js';
import type { Database } from './client.js';
import { auditEvents } from './schema.js';

export interface BrokenEvent {
  initiativeId: string;
  seq: number;
  /** What failed: the seq continuity, the link to the previous hash, or the event's own hash. */
  reason: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Events checked: all of them when ok, else those up to and including the first broken one. */
  checked: number;
  firstBroken?: BrokenEvent;
}

export interface AuditHead {
  initiativeId: string;
  seq: number;
  hash: string;
}

export interface AuditHeads {
  /** When the export was taken (ISO 8601 UTC). */
  at: string;
  heads: AuditHead[];
  /** sha256_hex(JCS(heads)), see the module comment. */
  digest: string;
}

export const DEFAULT_VERIFY_BATCH = 1000;

export async function verifyAudit(
  db: Database,
  options: { batchSize?: number } = {},
): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? DEFAULT_VERIFY_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be >= 1');
  let checked = 0;
  // The last row seen: the cursor of the next batch and the predecessor of the next row.
  let previous: { initiativeId: string; seq: number; hash: string } | undefined;
  for (;;) {
    const after = previous;
    const rows = await db
      .select({
        initiativeId: auditEvents.initiativeId,
        seq: auditEvents.seq,
        at: auditEvents.at,
        type: auditEvents.type,
        actor: auditEvents.actor,
        data: auditEvents.data,
        prevHash: auditEvents.prevHash,
        hash: auditEvents.hash,
      })
      .from(auditEvents)
      .where(
        after
          ? sql`(${auditEvents.initiativeId}, ${auditEvents.seq}) > (${after.initiativeId}, ${after.seq})`
          : undefined,
      )
      .orderBy(asc(auditEvents.initiativeId), asc(auditEvents.seq))
      .limit(batchSize);
    for (const row of rows) {
      checked++;
      const sameInitiative = previous?.initiativeId === row.initiativeId;
      const expectedSeq = sameInitiative && previous ? previous.seq + 1 : 1;
      const expectedPrev = sameInitiative && previous ? previous.hash : GENESIS_HASH;
      const broken = (reason: string): AuditVerification => ({
        ok: false,
        checked,
        firstBroken: { initiativeId: row.initiativeId, seq: row.seq, reason },
      });
      if (row.seq !== expectedSeq)
        return broken(
          expectedSeq === 1
            ? `the initiative's first event has seq ${row.seq}, expected 1`
            : `seq ${row.seq} follows seq ${expectedSeq - 1} (events missing or out of order)`,
        );
      if (row.prevHash !== expectedPrev)
        return broken(
          expectedSeq === 1
            ? 'prev_hash is not the genesis hash'
            : `prev_hash does not match the hash of seq ${expectedSeq - 1}`,
        );
      const recomputed = auditHash(row.prevHash, row);
      if (row.hash !== recomputed)
        return broken(`hash does not match the recomputed hash (${row.hash} != ${recomputed})`);
      previous = { initiativeId: row.initiativeId, seq: row.seq, hash: row.hash };
    }
    if (rows.length < batchSize) return { ok: true, checked };
  }
}

/** sha256_hex(JCS(heads)), the digest an export carries (and anyone can recompute from its heads). */
export function headsDigest(heads: readonly AuditHead[]): string {
  const canonical = canonicalJson(heads.map(({ initiativeId, seq, hash }) => ({ initiativeId, seq, hash })));
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The last event of every initiative, for safekeeping outside the database. */
export async function auditHeads(db: Database): Promise<AuditHeads> {
  const at = new Date().toISOString();
  // The primary key (initiative_id, seq) serves DISTINCT ON … ORDER BY seq DESC as one index scan.
  const rows = await db
    .selectDistinctOn([auditEvents.initiativeId], {
      initiativeId: auditEvents.initiativeId,
      seq: auditEvents.seq,
      hash: auditEvents.hash,
    })
    .from(auditEvents)
    .orderBy(asc(auditEvents.initiativeId), sql`${auditEvents.seq} desc`);
  // Sorted again by code units, so that the digest does not depend on the database's collation.
  const heads = rows
    .map(({ initiativeId, seq, hash }) => ({ initiativeId, seq, hash }))
    .sort((a, b) => (a.initiativeId < b.initiativeId ? -1 : a.initiativeId > b.initiativeId ? 1 : 0));
  return { at, heads, digest: headsDigest(heads) };
}
