/**
 * The persisting activity: `persistChange` hands each change a workflow step made to `db/changes.ts`, which
 * writes it in one transaction.
 */
import { log } from '@temporalio/activity';
import { writeChange, type Change } from '../db/changes.js';
import type { Database } from '../db/client.js';

export type PersistChangeInput = Change;

export function createPersistenceActivities({ db }: { db: Database }) {
  return {
    /**
     * Writes one change (read model, inbox, audit events, webhook outbox, event log) idempotently: a retry
     * after a lost acknowledgement writes nothing twice. Answers how many webhook deliveries of this change
     * are pending, which tells the workflow whether to start a notification run.
     */
    async persistChange(change: PersistChangeInput): Promise<number> {
      const pending = await writeChange(db, change);
      // Written inside the activity's span when tracing is on: the line carries traceId and spanId.
      log.debug('change persisted', {
        version: change.initiative.version,
        events: change.events.length,
        webhookDeliveries: pending,
      });
      return pending;
    },
  };
}
