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
 * hashed as UTF-8. The practices of the catalogue (db/practices.ts) keep chains of the same form, keyed by
 * practiceId: verifyAudit checks them after the initiatives', and the export carries their heads and
 * digest beside (`practiceHeads`, `practiceDigest`); the formats (db/formats.ts) likewise, last
 * (`formatHeads`, `formatDigest`). For the ASCII values it holds, `jq -jcS .heads heads.json | sha256sum` recomputes it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../workflows/contracts.js';
import { auditHash, canonicalJson, formatAuditHash, GENESIS_HASH, practiceAuditHash } from './audit.js';
import type { Database } from './client.js';
import { auditEvents, formatAuditEvents, practiceAuditEvents } from './schema.js';

/** The first broken event: of an initiative's chain, or of a practice's (the catalogue's). */
export type BrokenEvent =
  | {
      initiativeId: string;
      seq: number;
      /** What failed: the seq continuity, the link to the previous hash, or the event's own hash. */
      reason: string;
    }
  | { practiceId: string; seq: number; reason: string }
  | { formatId: string; seq: number; reason: string };

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

export interface PracticeHead {
  practiceId: string;
  seq: number;
  hash: string;
}

export interface FormatHead {
  formatId: string;
  seq: number;
  hash: string;
}

export interface AuditHeads {
  /** When the export was taken (ISO 8601 UTC). */
  at: string;
  heads: AuditHead[];
  /** sha256_hex(JCS(heads)), see the module comment. */
  digest: string;
  /** The last event of every practice of the catalogue, sorted by practiceId. */
  practiceHeads: PracticeHead[];
  /** sha256_hex(JCS(practiceHeads)), computed as `digest` is. */
  practiceDigest: string;
  /** The last event of every format (db/formats.ts), sorted by formatId. */
  formatHeads: FormatHead[];
  /** sha256_hex(JCS(formatHeads)), computed as `digest` is. */
  formatDigest: string;
  /** With AUDIT_ANCHOR_KEY: the export's anchor (`anchorOf`), which no one without the key can recompute. */
  anchor?: string;
}

export const DEFAULT_VERIFY_BATCH = 1000;

export async function verifyAudit(
  db: Database,
  options: { batchSize?: number } = {},
): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? DEFAULT_VERIFY_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be >= 1');
  const initiativesChecked = await verifyChain(db, batchSize, {
    table: auditEvents,
    subject: auditEvents.initiativeId,
    what: 'initiative',
    hash: (prevHash, row) => auditHash(prevHash, { ...row, initiativeId: row.subjectId }),
    broken: (subjectId, seq, reason) => ({ initiativeId: subjectId, seq, reason }),
  });
  if (!initiativesChecked.ok) return initiativesChecked;
  // The catalogue's practices keep chains of the same form (db/practices.ts), checked after the initiatives'.
  const practicesChecked = await verifyChain(db, batchSize, {
    table: practiceAuditEvents,
    subject: practiceAuditEvents.practiceId,
    what: 'practice',
    hash: (prevHash, row) => practiceAuditHash(prevHash, { ...row, practiceId: row.subjectId }),
    broken: (subjectId, seq, reason) => ({ practiceId: subjectId, seq, reason }),
  });
  if (!practicesChecked.ok)
    return { ...practicesChecked, checked: initiativesChecked.checked + practicesChecked.checked };
  // And the formats' (db/formats.ts), last.
  const formatsChecked = await verifyChain(db, batchSize, {
    table: formatAuditEvents,
    subject: formatAuditEvents.formatId,
    what: 'format',
    hash: (prevHash, row) => formatAuditHash(prevHash, { ...row, formatId: row.subjectId }),
    broken: (subjectId, seq, reason) => ({ formatId: subjectId, seq, reason }),
  });
  return {
    ...formatsChecked,
    checked: initiativesChecked.checked + practicesChecked.checked + formatsChecked.checked,
  };
}

interface ChainRow {
  subjectId: string;
  seq: number;
  at: string;
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
}

/** One chained table walked in (subject, seq) order, a batch at a time; stops at the first broken row. */
async function verifyChain(
  db: Database,
  batchSize: number,
  chain: {
    table: typeof auditEvents | typeof practiceAuditEvents | typeof formatAuditEvents;
    subject: AnyPgColumn;
    what: string;
    hash: (prevHash: string, row: ChainRow) => string;
    broken: (subjectId: string, seq: number, reason: string) => BrokenEvent;
  },
): Promise<AuditVerification> {
  const { table, subject } = chain;
  let checked = 0;
  // The last row seen: the cursor of the next batch and the predecessor of the next row.
  let previous: { subjectId: string; seq: number; hash: string } | undefined;
  for (;;) {
    const after = previous;
    const rows = await db
      .select({
        subjectId: sql<string>`${subject}::text`,
        seq: table.seq,
        at: table.at,
        type: table.type,
        actor: table.actor,
        data: table.data,
        prevHash: table.prevHash,
        hash: table.hash,
      })
      .from(table)
      .where(after ? sql`(${subject}, ${table.seq}) > (${after.subjectId}, ${after.seq})` : undefined)
      .orderBy(asc(subject), asc(table.seq))
      .limit(batchSize);
    for (const row of rows) {
      checked++;
      const sameSubject = previous?.subjectId === row.subjectId;
      const expectedSeq = sameSubject && previous ? previous.seq + 1 : 1;
      const expectedPrev = sameSubject && previous ? previous.hash : GENESIS_HASH;
      const broken = (reason: string): AuditVerification => ({
        ok: false,
        checked,
        firstBroken: chain.broken(row.subjectId, row.seq, reason),
      });
      if (row.seq !== expectedSeq)
        return broken(
          expectedSeq === 1
            ? `the ${chain.what}'s first event has seq ${row.seq}, expected 1`
            : `seq ${row.seq} follows seq ${expectedSeq - 1} (events missing or out of order)`,
        );
      if (row.prevHash !== expectedPrev)
        return broken(
          expectedSeq === 1
            ? 'prev_hash is not the genesis hash'
            : `prev_hash does not match the hash of seq ${expectedSeq - 1}`,
        );
      const recomputed = chain.hash(row.prevHash, row);
      if (row.hash !== recomputed)
        return broken(`hash does not match the recomputed hash (${row.hash} != ${recomputed})`);
      previous = { subjectId: row.subjectId, seq: row.seq, hash: row.hash };
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
  const practiceRows = await db
    .selectDistinctOn([practiceAuditEvents.practiceId], {
      practiceId: sql<string>`${practiceAuditEvents.practiceId}::text`,
      seq: practiceAuditEvents.seq,
      hash: practiceAuditEvents.hash,
    })
    .from(practiceAuditEvents)
    .orderBy(asc(practiceAuditEvents.practiceId), sql`${practiceAuditEvents.seq} desc`);
  const practiceHeads = practiceRows
    .map(({ practiceId, seq, hash }) => ({ practiceId, seq, hash }))
    .sort((a, b) => (a.practiceId < b.practiceId ? -1 : a.practiceId > b.practiceId ? 1 : 0));
  const formatRows = await db
    .selectDistinctOn([formatAuditEvents.formatId], {
      formatId: sql<string>`${formatAuditEvents.formatId}::text`,
      seq: formatAuditEvents.seq,
      hash: formatAuditEvents.hash,
    })
    .from(formatAuditEvents)
    .orderBy(asc(formatAuditEvents.formatId), sql`${formatAuditEvents.seq} desc`);
  const formatHeads = formatRows
    .map(({ formatId, seq, hash }) => ({ formatId, seq, hash }))
    .sort((a, b) => (a.formatId < b.formatId ? -1 : a.formatId > b.formatId ? 1 : 0));
  return {
    at,
    heads,
    digest: headsDigest(heads),
    practiceHeads,
    practiceDigest: createHash('sha256').update(canonicalJson(practiceHeads), 'utf8').digest('hex'),
    formatHeads,
    formatDigest: createHash('sha256').update(canonicalJson(formatHeads), 'utf8').digest('hex'),
  };
}

/**
 * The anchor of a heads export: hex HMAC-SHA256 under AUDIT_ANCHOR_KEY (a key kept outside the database,
 * which API and workers never hold) over JCS({at, digest, practiceDigest}). Whoever can write the database
 * can re-hash a chain consistently, and could then write a matching export too; an anchored export they
 * cannot forge.
 */
export function anchorOf(
  key: string,
  heads: Pick<AuditHeads, 'at' | 'digest' | 'practiceDigest' | 'formatDigest'>,
): string {
  const { at, digest, practiceDigest, formatDigest } = heads;
  return createHmac('sha256', key)
    .update(canonicalJson({ at, digest, practiceDigest, formatDigest }), 'utf8')
    .digest('hex');
}

/** What differs between a saved heads export and the database today. */
export interface HeadsComparison {
  ok: boolean;
  /** Heads the export holds: all of them are still there, unchanged, when ok. */
  compared: number;
  /** One line per finding: an export altered or anchored under another key, a head gone or rewritten. */
  problems: string[];
}

const sameHex = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Compares a saved export with today: its digests must recompute, its anchor must be the key's, and every
 * head it saved must still be in the database with the same hash. A removed tail shows as a head that is
 * gone; an inserted or edited event with the chain re-hashed after it, as a head with another hash. Events
 * appended after the export are not covered by it: the next anchored export covers them.
 */
export async function compareHeads(db: Database, saved: AuditHeads, key: string): Promise<HeadsComparison> {
  const problems: string[] = [];
  if (headsDigest(saved.heads) !== saved.digest) problems.push("the export's heads do not match its digest");
  const practiceDigest = createHash('sha256')
    .update(canonicalJson(saved.practiceHeads), 'utf8')
    .digest('hex');
  if (practiceDigest !== saved.practiceDigest)
    problems.push("the export's practice heads do not match its practiceDigest");
  const formatDigest = createHash('sha256').update(canonicalJson(saved.formatHeads), 'utf8').digest('hex');
  if (formatDigest !== saved.formatDigest)
    problems.push("the export's format heads do not match its formatDigest");
  if (saved.anchor === undefined)
    problems.push('the export carries no anchor (taken without AUDIT_ANCHOR_KEY)');
  else if (!sameHex(saved.anchor, anchorOf(key, saved)))
    problems.push(
      "the export's anchor does not match AUDIT_ANCHOR_KEY: altered, or anchored under another key",
    );
  for (const head of saved.heads) {
    const [row] = await db
      .select({ hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(eq(auditEvents.initiativeId, head.initiativeId), eq(auditEvents.seq, head.seq)));
    problems.push(...headProblem(`initiative ${head.initiativeId}`, head, row));
  }
  for (const head of saved.practiceHeads) {
    const [row] = await db
      .select({ hash: practiceAuditEvents.hash })
      .from(practiceAuditEvents)
      .where(
        and(
          sql`${practiceAuditEvents.practiceId}::text = ${head.practiceId}`,
          eq(practiceAuditEvents.seq, head.seq),
        ),
      );
    problems.push(...headProblem(`practice ${head.practiceId}`, head, row));
  }
  for (const head of saved.formatHeads) {
    const [row] = await db
      .select({ hash: formatAuditEvents.hash })
      .from(formatAuditEvents)
      .where(
        and(sql`${formatAuditEvents.formatId}::text = ${head.formatId}`, eq(formatAuditEvents.seq, head.seq)),
      );
    problems.push(...headProblem(`format ${head.formatId}`, head, row));
  }
  const compared = saved.heads.length + saved.practiceHeads.length + saved.formatHeads.length;
  return { ok: problems.length === 0, compared, problems };
}

function headProblem(
  what: string,
  head: { seq: number; hash: string },
  row: { hash: string } | undefined,
): string[] {
  if (!row) return [`${what}: seq ${head.seq} is gone (a removed tail)`];
  if (row.hash !== head.hash)
    return [`${what}: seq ${head.seq} has another hash than the export's (rewritten and re-hashed)`];
  return [];
}
