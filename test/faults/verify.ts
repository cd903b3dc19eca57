/**
 * What must hold after the faults, checked from outside as an auditor would: every initiative in its
 * expected phase with exactly the expected history (through the API), the hash chain intact
 * (GET /v1/audit/verify), no audit event or notification twice (SQL and the receiver), every notification
 * delivered, and every command acknowledged. Everything is counted for the summary.
 */
import type { AuditVerification } from '../../db/audit-verify.js';
import type { Initiative } from '../../workflows/contracts.js';
import { webhookEventsOf } from '../../db/outbox.js';
import { eventually, type HistoryItem } from '../kit/client.js';
import { isAcknowledged, type ResilientClient } from './client.js';
import type { Cluster } from './cluster.js';
import { expectedHistory, type Lifecycle, type People } from './lifecycles.js';
import type { WebhookReceiver } from '../kit/receiver.js';

export interface Verification {
  initiatives: number;
  /** Acknowledged commands or expected events missing from a history, plus notifications never delivered. */
  lost: { commands: number; notifications: number };
  /** Events in a history more often than commanded, equal audit rows, notifications under two ids. */
  duplicated: { events: number; auditRows: number; notifications: number };
  /** Commands that never got a 2xx. */
  unacknowledged: number;
  wrongPhase: number;
  audit: AuditVerification;
  notifications: { expected: number; delivered: number; received: number; redelivered: number };
  /** What went wrong, per initiative, for the failure message. */
  problems: string[];
}

/** Multiset difference: how many of `a` are not matched in `b`. */
function missingFrom(a: string[], b: string[]): number {
  const left = new Map<string, number>();
  for (const item of b) left.set(item, (left.get(item) ?? 0) + 1);
  let missing = 0;
  for (const item of a) {
    const count = left.get(item) ?? 0;
    if (count === 0) missing += 1;
    else left.set(item, count - 1);
  }
  return missing;
}

export async function verify(
  cluster: Cluster,
  client: ResilientClient,
  who: People & { admin: { token: string; sub: string } },
  lifecycles: Lifecycle[],
  receiver: WebhookReceiver,
): Promise<Verification> {
  const problems: string[] = [];
  const lost = { commands: 0, notifications: 0 };
  const duplicated = { events: 0, auditRows: 0, notifications: 0 };
  let unacknowledged = 0;
  let wrongPhase = 0;

  for (const lifecycle of lifecycles) {
    const refused = lifecycle.commands.filter((command) => !isAcknowledged(command));
    unacknowledged += refused.length;
    for (const command of refused)
      problems.push(`${lifecycle.id ?? '(not created)'} ${command.label}: ${command.statuses.join(' → ')}`);
    if (!lifecycle.id) continue;
    const initiative = await client.get<Initiative>(who.viewer, `/v1/initiatives/${lifecycle.id}`);
    if (initiative.body.phase !== lifecycle.scenario.phase) {
      wrongPhase += 1;
      problems.push(`${lifecycle.id}: phase ${initiative.body.phase}, expected ${lifecycle.scenario.phase}`);
    }
    const history = await client.get<{ items: HistoryItem[] }>(
      who.viewer,
      `/v1/initiatives/${lifecycle.id}/history`,
    );
    const actual = history.body.items.map((event) => `${event.type} by ${event.actor.sub}`);
    // Only the acknowledged steps are owed; the commanded ones must each appear once.
    const acknowledged = lifecycle.commands.filter(isAcknowledged);
    const owed = expectedHistory(
      { ...lifecycle.scenario, steps: lifecycle.scenario.steps.slice(0, acknowledged.length) },
      who,
    );
    const missing = missingFrom(owed, actual);
    const extra = missingFrom(actual, expectedHistory(lifecycle.scenario, who));
    // An acknowledged command is lost if any event it should have appended is missing.
    lost.commands += lifecycle.scenario.steps
      .slice(0, acknowledged.length)
      .filter(
        (step) => missingFrom(expectedHistory({ ...lifecycle.scenario, steps: [step] }, who), actual) > 0,
      ).length;
    duplicated.events += extra;
    if (missing > 0 || extra > 0)
      problems.push(`${lifecycle.id}: history ${actual.join(', ')}; expected ${owed.join(', ')}`);
  }

  const audit = (await client.get<AuditVerification>(who.admin, '/v1/audit/verify')).body;
  if (!audit.ok) problems.push(`audit chain broken at ${JSON.stringify(audit.firstBroken)}`);

  const [{ count: twins } = { count: 0 }] = await cluster.sql<{ count: number }[]>`
    select coalesce(sum(n - 1), 0)::int as count from (
      select count(*) as n from audit_events group by initiative_id, type, actor, data having count(*) > 1
    ) as twins`;
  duplicated.auditRows = twins;

  // Every audit event's notifications, as the worker derives them; all must end delivered.
  const events = await cluster.sql<{ initiative_id: string; seq: number; type: string; data: unknown }[]>`
    select initiative_id, seq, type, data from audit_events`;
  const expected = new Set(
    events.flatMap((event) =>
      webhookEventsOf({ type: event.type, data: event.data } as Parameters<typeof webhookEventsOf>[0]).map(
        (type) => `${event.initiative_id}#${event.seq}#${type}`,
      ),
    ),
  );
  const deliveries = () =>
    cluster.sql<{ key: string; delivery_id: string; status: string }[]>`
      select initiative_id || '#' || seq || '#' || event as key, delivery_id, status from webhook_deliveries`;
  // Deliveries retry with backoff after the faults; give them time, then count what is still missing.
  const delivered = await eventually(
    deliveries,
    (rows) => rows.length >= expected.size && rows.every((row) => row.status === 'delivered'),
    { timeoutMs: 180_000, intervalMs: 1000, what: 'every notification delivered' },
  ).catch(deliveries);
  const deliveredKeys = new Set(delivered.filter((row) => row.status === 'delivered').map((row) => row.key));
  lost.notifications = [...expected].filter((key) => !deliveredKeys.has(key)).length;
  const received = new Map<string, Set<string>>();
  for (const delivery of receiver.deliveries) {
    const key = `${delivery.initiativeId}#${delivery.seq}#${delivery.event}`;
    received.set(key, (received.get(key) ?? new Set()).add(delivery.deliveryId));
  }
  const receivedIds = new Set(receiver.deliveries.map((delivery) => delivery.deliveryId));
  lost.notifications += delivered.filter(
    (row) => row.status === 'delivered' && !receivedIds.has(row.delivery_id),
  ).length;
  duplicated.notifications = [...received.values()].reduce((sum, ids) => sum + ids.size - 1, 0);
  if (lost.notifications > 0) problems.push(`${lost.notifications} notifications not delivered`);

  return {
    initiatives: lifecycles.filter((lifecycle) => lifecycle.id).length,
    lost,
    duplicated,
    unacknowledged,
    wrongPhase,
    audit,
    notifications: {
      expected: expected.size,
      delivered: deliveredKeys.size,
      received: receivedIds.size,
      redelivered: receiver.deliveries.length - receivedIds.size,
    },
    problems,
  };
}

export const totalLost = (v: Verification) => v.lost.commands + v.lost.notifications;
export const totalDuplicated = (v: Verification) =>
  v.duplicated.events + v.duplicated.auditRows + v.duplicated.notifications;
