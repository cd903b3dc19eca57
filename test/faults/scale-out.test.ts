/**
 * Scale-out on this machine, on the fault suite's harness: two API processes and two workers against one
 * Temporal server and one PostgreSQL. A batch of lifecycles is spread over both APIs; mid-run one API is
 * killed while it holds a command and one worker is SIGKILLed, and neither comes back. Every lifecycle
 * must still complete, with nothing lost or duplicated. SCALE_OUT_BATCH scales it (default 40).
 */
import { Client, Connection } from '@temporalio/client';
import { expect, it } from 'vitest';
import { FaultInjector } from './faults.js';
import { batch, driveBatch, type Lifecycle } from './lifecycles.js';
import { note, Progress } from './progress.js';
import { expectNothingLostOrTwice, summarizeRun, useFaultRun } from './run.js';
import { report } from './summary.js';
import { verify } from './verify.js';

const BATCH = Number(process.env.SCALE_OUT_BATCH ?? 40);
const CLIENTS = 4;
/** The step during which one API and one worker are lost. */
const LOSS_STEP = 2;

const run = useFaultRun({
  name: 'scale-out',
  apis: 2,
  workers: 2,
});

/** Workflow and activity tasks per worker process, from the workflows' histories (identity `pid@host`). */
async function tasksByWorker(address: string, lifecycles: Lifecycle[]): Promise<Map<string, number>> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const counts = new Map<string, number>();
  try {
    for (const { id } of lifecycles) {
      if (!id) continue;
      const history = await client.workflow.getHandle(id).fetchHistory();
      for (const event of history.events ?? []) {
        const identity =
          event.workflowTaskCompletedEventAttributes?.identity ??
          event.activityTaskStartedEventAttributes?.identity;
        if (identity) counts.set(identity, (counts.get(identity) ?? 0) + 1);
      }
    }
  } finally {
    await connection.close();
  }
  return counts;
}

it('spreads lifecycles over two APIs and two workers and completes them after losing one of each', async () => {
  const started = Date.now();
  const { cluster, client, who, receiver } = run;
  const [lostApi, survivingApi] = cluster.apis;
  const [lostWorker, survivingWorker] = cluster.workers;
  const workerPids = new Map(cluster.workers.map((worker) => [worker.pid, worker.name]));
  const lifecycles = batch(BATCH);
  const injector = new FaultInjector(cluster, client, who, lifecycles);
  const begun = new Progress();
  const losses = (async () => {
    await begun.reach(LOSS_STEP + 1);
    note(`losing ${lostApi?.name} and ${lostWorker?.name} for good during step ${LOSS_STEP + 1}`);
    await Promise.all([injector.killApiMidCommand(false), injector.killWorker(false)]);
  })();
  await Promise.all([losses, driveBatch(client, who, lifecycles, CLIENTS, begun)]);
  await injector.settled();
  expect(lostApi?.running).toBe(false);
  expect(lostWorker?.running).toBe(false);
  expect(survivingApi?.running).toBe(true);
  expect(survivingWorker?.running).toBe(true);

  const verification = await verify(cluster, client, who, lifecycles, receiver);
  const tasks = await tasksByWorker(cluster.temporal.address, lifecycles);
  const byWorker = Object.fromEntries(
    [...tasks].map(([identity, count]) => [
      workerPids.get(Number(identity.split('@')[0])) ?? identity,
      count,
    ]),
  );
  const byApi = Object.fromEntries(
    cluster.apis.map((api, i) => [api.name, client.acknowledgedByApi[i] ?? 0]),
  );
  const summary = summarizeRun(run, 'scale-out', started, CLIENTS, injector.records, verification, {
    acknowledgedByApi: byApi,
    tasksByWorker: byWorker,
    faults: injector.records,
  });
  report(summary);
  note(
    `commands acknowledged by API: ${JSON.stringify(byApi)}; tasks by worker: ${JSON.stringify(byWorker)}`,
  );

  expectNothingLostOrTwice(run, summary, verification);
  expect(summary.initiatives).toBeGreaterThanOrEqual(BATCH);
  // No PostgreSQL restart here, so no driver defect either: nothing may crash.
  expect(summary.crashes).toEqual({});
  expect(summary.faults).toEqual({ 'API killed mid-command': 1, 'worker SIGKILL': 1 });
  // Both APIs and both workers carried the batch before the loss; the survivors finished it.
  for (const api of cluster.apis) expect(byApi[api.name]).toBeGreaterThan(0);
  for (const worker of cluster.workers) expect(byWorker[worker.name]).toBeGreaterThan(0);
  expect(Object.keys(byWorker).sort()).toEqual(cluster.workers.map((worker) => worker.name).sort());
});
