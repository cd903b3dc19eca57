/**
 * Shutdown of the production entries (main/api.ts, main/worker.ts): the first SIGTERM drains
 * — the API stops accepting connections and answers the requests in flight, the worker finishes its
 * running tasks — and the process exits 0; a second SIGTERM, or SHUTDOWN_TIMEOUT_MS passing, ends it with
 * 1. Nothing is left half-written: an interrupted command, retried with its key, takes effect once, and an
 * interrupted delivery is sent again under the same delivery id.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Initiative } from '../../workflows/contracts.js';
import { eventually, type HistoryItem, newInitiative } from '../kit/index.js';
import { isAcknowledged, type Actor } from './client.js';
import { useFaultRun } from './run.js';

const run = useFaultRun({
  name: 'shutdown',
  apis: 2,
  workers: 1,
});

const DRAINING = 'SIGTERM: draining';

async function create(): Promise<Initiative> {
  const created = await run.client.command<Initiative>(
    'create',
    run.who.proposerBY,
    '/v1/initiatives',
    newInitiative(),
  );
  if (!isAcknowledged(created)) throw new Error(`create: ${created.statuses.join(', ')}`);
  return created.body;
}

/** A review sent to one API process with the given key, not retried: the caller watches what happens. */
function review(api: number, actor: Actor, id: string, key: string) {
  const answer = fetch(`${run.cluster.apiUrl(api)}/v1/initiatives/${id}/reviews`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${actor.token}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify({ decision: 'approve' }),
  });
  // Awaited later; until then a broken connection must not count as an unhandled rejection.
  answer.catch(() => undefined);
  return answer;
}

/** Resolves once some API process has claimed a command's key and not answered it yet. */
const claimed = () =>
  eventually(
    () => run.cluster.sql<{ count: number }[]>`
      select count(*)::int as count from idempotency_keys where response_status is null`,
    ([row]) => (row?.count ?? 0) > 0,
    { timeoutMs: 30_000, intervalMs: 20, what: 'a command accepted and not yet answered' },
  );

async function reviewsBy(id: string, sub: string): Promise<number> {
  const history = await run.client.get<{ items: HistoryItem[] }>(
    run.who.viewer,
    `/v1/initiatives/${id}/history`,
  );
  return history.body.items.filter((event) => event.type === 'review_decided' && event.actor.sub === sub)
    .length;
}

async function deliveriesOf(id: string) {
  return run.cluster.sql<{ delivery_id: string; status: string; attempts: number }[]>`
    select delivery_id, status, attempts from webhook_deliveries where initiative_id = ${id}`;
}

it('drains on SIGTERM: the API answers the command in flight, the worker finishes its delivery', async () => {
  const { cluster, receiver, who } = run;
  const [api] = cluster.apis;
  const [worker] = cluster.workers;
  if (!api || !worker) throw new Error('cluster incomplete');

  // API: a command waits for its Workflow Update while no worker runs; SIGTERM arrives meanwhile.
  const initiative = await create();
  expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  const inFlight = review(0, who.reviewerNW, initiative.id, randomUUID());
  await claimed();
  api.signal('SIGTERM');
  await api.printed(DRAINING);
  // It no longer accepts connections, but it is still there, holding the request.
  await expect(fetch(`${cluster.apiUrl(0)}/healthz`)).rejects.toThrow();
  expect(api.running).toBe(true);
  await worker.start();
  const answer = await inFlight;
  expect(answer.status).toBe(200);
  const body = (await answer.json()) as Initiative;
  expect(body.reviews.find((r) => r.land === 'NW')?.status).toBe('approved');
  expect(await api.exited()).toEqual({ code: 0, signal: null });
  await api.start();

  // Worker: a webhook delivery is in flight (the receiver holds its answer) when SIGTERM arrives.
  receiver.hold();
  const notified = await create();
  const held = await receiver.holding(notified.id);
  worker.signal('SIGTERM');
  await worker.printed(DRAINING);
  expect(worker.running).toBe(true);
  receiver.release();
  expect(await worker.exited()).toEqual({ code: 0, signal: null });
  // The delivery that was in flight was completed and recorded by the draining worker: sent once.
  const [row] = (await deliveriesOf(notified.id)).filter((r) => r.delivery_id === held.deliveryId);
  expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
  expect(receiver.deliveries.filter((d) => d.deliveryId === held.deliveryId)).toHaveLength(1);
  await worker.start();
});

it('a second SIGTERM or the shutdown timeout ends a process at once; retries finish its work once', async () => {
  const { cluster, receiver, who } = run;
  const [api] = cluster.apis;
  const [worker] = cluster.workers;
  if (!api || !worker) throw new Error('cluster incomplete');

  const initiative = await create();
  // Worker with a 2 s deadline, stuck in a delivery the receiver never answers: it exits 1 after 2 s.
  await worker.stop('SIGTERM');
  await worker.start({ env: { SHUTDOWN_TIMEOUT_MS: '2000' } });
  receiver.hold();
  const notified = await create();
  const stuck = await receiver.holding(notified.id);
  const signalled = Date.now();
  worker.signal('SIGTERM');
  expect(await worker.exited()).toEqual({ code: 1, signal: null });
  expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);

  // API: with no worker, a command hangs; SIGTERM starts the drain, the second one ends it at once.
  const key = randomUUID();
  const inFlight = review(0, who.reviewerBY, initiative.id, key);
  await claimed();
  api.signal('SIGTERM');
  await api.printed(DRAINING);
  api.signal('SIGTERM');
  expect(await api.exited()).toEqual({ code: 1, signal: null });
  await expect(inFlight).rejects.toThrow();

  // Back to normal: the command retried with its key on the other API takes effect exactly once, and the
  // interrupted delivery is sent again under its delivery id and recorded once.
  await Promise.all([api.start(), worker.start()]);
  receiver.release();
  const retried = await eventually(
    () => review(1, who.reviewerBY, initiative.id, key),
    (response) => response.status !== 409 && response.status !== 503,
    { timeoutMs: 120_000, intervalMs: 1000, what: 'the retried command' },
  );
  expect(retried.status).toBe(200);
  expect(await reviewsBy(initiative.id, 'r-by')).toBe(1);
  const redelivered = await eventually(
    () => deliveriesOf(notified.id),
    (rows) => rows.length > 0 && rows.every((row) => row.status === 'delivered'),
    { timeoutMs: 120_000, intervalMs: 1000, what: 'the interrupted deliveries' },
  );
  expect(redelivered.map((row) => row.delivery_id)).toContain(stuck.deliveryId);
  const received = receiver.deliveries.filter((delivery) => delivery.initiativeId === notified.id);
  // Every delivery arrived, the interrupted one possibly twice — but always under its own id.
  expect(new Set(received.map((delivery) => delivery.deliveryId))).toEqual(
    new Set(redelivered.map((row) => row.delivery_id)),
  );
  const audit = await run.client.get<{ ok: boolean }>(run.who.admin, '/v1/audit/verify');
  expect(audit.body.ok).toBe(true);
  expect(cluster.crashes()).toEqual({});
});
