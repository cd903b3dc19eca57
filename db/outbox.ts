/**
 * The webhook outbox: which lifecycle events an audit event stands for, and the delivery rows written with
 * it, in the transaction of the change (`changes.ts`). The worker's notification activity sends them.
 */
import { and, between, eq, sql } from 'drizzle-orm';
import type { AuditEventDraft, Initiative, WebhookEvent } from '../workflows/contracts.js';
import { isTerminal, type Phase } from '../workflows/domain.js';
import type { Database } from './client.js';
import { webhookDeliveries, webhooks } from './schema.js';

export function webhookEventsOf(event: AuditEventDraft): WebhookEvent[] {
  switch (event.type) {
    case 'initiative_created':
      return ['created', 'review_requested'];
    case 'revision_submitted':
      return ['review_requested'];
    case 'review_reminder':
    case 'bundesrat_decision_reminder':
    case 'conference_decision_reminder':
      return ['reminder'];
    case 'review_escalated':
      return ['escalation'];
    case 'expired':
      return ['expiry'];
    case 'invited':
    case 'invitation_answered':
    case 'invitation_no_response':
      return ['invitation'];
    case 'deadline_extended':
      return ['extension'];
    case 'corrected':
      return ['correction'];
    case 'phase_changed':
      return isTerminal(event.data.to as Phase) ? ['phase_changed', 'outcome'] : ['phase_changed'];
    default:
      return [];
  }
}

/**
 * Writes the outbox rows for `events` (in the caller's transaction) and answers how many of the change's
 * deliveries are still pending, which tells the workflow whether to start a notification run. Counting
 * pending rows rather than inserted ones keeps the answer right when a retried activity inserts nothing.
 */
export async function recordDeliveries(tx: Database, initiative: Initiative, events: AuditEventDraft[]) {
  const wanted = events.flatMap((event) => webhookEventsOf(event).map((type) => ({ event, type })));
  const [first] = events;
  const last = events.at(-1);
  if (wanted.length === 0 || !first || !last) return 0;
  const subscriptions = await tx.select({ id: webhooks.id, events: webhooks.events }).from(webhooks);
  const rows = wanted.flatMap(({ event, type }) =>
    subscriptions
      .filter((subscription) => subscription.events.includes(type))
      .map((subscription) => ({
        webhookId: subscription.id,
        initiativeId: initiative.id,
        seq: event.seq,
        event: type,
        payload: {
          event: type,
          initiativeId: initiative.id,
          seq: event.seq,
          at: event.at,
          auditType: event.type,
          actor: event.actor,
          data: event.data,
          phase: initiative.phase,
          version: initiative.version,
        },
      })),
  );
  if (rows.length === 0) return 0;
  await tx.insert(webhookDeliveries).values(rows).onConflictDoNothing();
  const [pending] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.initiativeId, initiative.id),
        between(webhookDeliveries.seq, first.seq, last.seq),
        eq(webhookDeliveries.status, 'pending'),
      ),
    );
  return pending?.count ?? 0;
}
