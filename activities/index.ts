/**
 * Activities are built by a factory over their dependencies, so that tests and the worker entry wire
 * real ones. The workflow imports only the *type* of what this returns.
 */
import { and, eq, sql } from 'drizzle-orm';
import { auditHash, GENESIS_HASH } from '../db/audit.js';
import type { Database } from '../db/client.js';
import { appendEvents } from '../db/events.js';
import { INITIATIVE_CHANGED, initiativeRow, pendingActionRows } from '../db/read-model.js';
import { auditEvents, initiatives, pendingActions } from '../db/schema.js';
import { createNotificationActivities, recordDeliveries } from './notifications.js';
import type { AuditEventDraft, DeadlineRequest, Initiative } from '../workflows/contracts.js';
import type { ComputedDeadline } from '../workflows/lifecycle/frame.js';
import { deadlineAfter, instantBefore } from './deadlines.js';

export interface ActivityDependencies {
  db: Database;
  /** Hosts webhooks may be sent to (WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: readonly string[];
}

export interface PersistChangeInput {
  initiative: Initiative;
  events: AuditEventDraft[];
}

export function createActivities({ db, webhookAllowedHosts }: ActivityDependencies) {
  return {
    ...createNotificationActivities({ db, allowedHosts: webhookAllowedHosts }),

    /** Due dates for periods that start now, by domain.md's deadline rule for the Land that has to act. */
    computeDeadlines({
      from,
      requests,
    }: {
      from: string;
      requests: DeadlineRequest[];
    }): Promise<ComputedDeadline[]> {
      return Promise.resolve(
        requests.map((request) => {
          const dueAt = deadlineAfter(request.from ?? from, request.period, request.land);
          const result: ComputedDeadline = { dueAt };
          if (request.reminderBefore) result.remindAt = instantBefore(dueAt, request.reminderBefore);
          if (request.escalationGrace)
            result.expireAt = deadlineAfter(dueAt, request.escalationGrace, request.land);
          return result;
        }),
      );
    },

    /**
     * Writes one change in one transaction: the read model (only ever forward, guarded by version) and the
     * audit events (hash-chained, keyed by sequence). A retry after a lost acknowledgement writes nothing
     * twice: the upsert's guard and the audit key absorb it. The inbox rows, the webhook outbox and the
     * event log (`GET /v1/events`: the audit events this attempt wrote) are in the same transaction.
     * Answers how many webhook deliveries of this change are pending.
     */
    async persistChange({ initiative, events }: PersistChangeInput): Promise<number> {
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
        if (applied.length > 0) {
          await tx.delete(pendingActions).where(eq(pendingActions.initiativeId, initiative.id));
          const actions = pendingActionRows(initiative);
          if (actions.length > 0) await tx.insert(pendingActions).values(actions);
          // Delivered on commit: API processes drop their cached copy of this initiative.
          await tx.execute(sql`select pg_notify(${INITIATIVE_CHANGED}, ${initiative.id})`);
        }
        const [first] = events;
        if (!first) return 0;
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
        // Last: it serialises every change's commit (see db/events.ts), so it should hold its lock briefly.
        await appendEvents(tx, initiative, written);
        return pending;
      });
    },
  };
}
