/**
 * Writing one change of an initiative, as the workflow's `persistChange` activity hands it over: the read
 * model, the inbox, the audit events, the webhook and mail outboxes and the event log, in one transaction.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { AuditEventDraft, Initiative } from '../workflows/contracts.js';
import { auditHash, GENESIS_HASH } from './audit.js';
import type { Database } from './client.js';
import { appendEvents } from './events.js';
import { openActionsOf, recordMails, type ActionKey } from './mail.js';
import { recordDeliveries } from './outbox.js';
import { INITIATIVE_CHANGED, initiativeRow, pendingActionRows } from './read-model.js';
import { auditEvents, initiatives, pendingActions } from './schema.js';

/** An initiative as a workflow step left it, with the audit events that step drafted. */
export interface Change {
  initiative: Initiative;
  events: AuditEventDraft[];
}

/**
 * Writes one change in one transaction: the read model (only ever forward, guarded by version) and the
 * audit events (hash-chained, keyed by sequence). A retry after a lost acknowledgement writes nothing
 * twice: the upsert's guard and the audit key absorb it. The inbox rows, the webhook outbox and the
 * event log (`GET /v1/events`: the audit events this attempt wrote) are in the same transaction.
 * Answers how many webhook deliveries of this change are pending.
 */
export async function writeChange(db: Database, { initiative, events }: Change): Promise<number> {
  const row = initiativeRow(initiative);
  return db.transaction(async (tx) => {
    // The upsert takes the row lock even when its guard skips the update, serialising audit appends.
    const applied = await tx
      .insert(initiatives)
      .values(row)
      .onConflictDoUpdate({
        target: initiatives.id,
        set: { ...row, id: undefined },
        setWhere: sql`${initiatives.version} < excluded.version`,
      })
      .returning({ version: initiatives.version });
    // The inbox before this change: the mail outbox mails only the actions that are new.
    let before: ActionKey[] | undefined;
    if (applied.length > 0) {
      before = await openActionsOf(tx, initiative.id);
      await tx.delete(pendingActions).where(eq(pendingActions.initiativeId, initiative.id));
      const actions = pendingActionRows(initiative);
      if (actions.length > 0) await tx.insert(pendingActions).values(actions);
      // Delivered on commit: API processes drop their cached copy of this initiative.
      await tx.execute(sql`select pg_notify(${INITIATIVE_CHANGED}, ${initiative.id})`);
    }
    const [first] = events;
    if (!first) {
      await recordMails(tx, initiative, before, []);
      return 0;
    }
    let prevHash = GENESIS_HASH;
    if (first.seq > 1) {
      const [previous] = await tx
        .select({ hash: auditEvents.hash })
        .from(auditEvents)
        .where(and(eq(auditEvents.initiativeId, initiative.id), eq(auditEvents.seq, first.seq - 1)));
      // Steps are persisted in order by the workflow; a gap means an earlier write has not landed yet.
      if (!previous) throw new Error(`audit event ${initiative.id}#${first.seq - 1} is missing`);
      prevHash = previous.hash;
    }
    const rows = events.map((event) => {
      const hash = auditHash(prevHash, { initiativeId: initiative.id, ...event });
      const auditRow = { initiativeId: initiative.id, ...event, prevHash, hash };
      prevHash = hash;
      return auditRow;
    });
    const written = await tx
      .insert(auditEvents)
      .values(rows)
      .onConflictDoNothing()
      .returning({ seq: auditEvents.seq, type: auditEvents.type, at: auditEvents.at });
    const pending = await recordDeliveries(tx, initiative, events);
    const wrote = new Set(written.map((event) => event.seq));
    await recordMails(
      tx,
      initiative,
      before,
      events.filter((event) => wrote.has(event.seq)),
    );
    // Last: it serialises every change's commit (see db/events.ts), so it should hold its lock briefly.
    await appendEvents(tx, initiative, written);
    return pending;
  });
}
