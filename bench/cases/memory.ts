/**
 * Case 5, memory: a worker process of its own (the project's createWorker, maxCachedWorkflows above the
 * number of open workflows so that all of them stay cached) and its RSS from /proc/<pid>/status with none,
 * the first and the second number of initiatives open and waiting on their review timers. The initiatives
 * are started directly through the Temporal client with the input the API would give them (without the API's
 * awaitCreation Update, to save time); an initiative counts as open once its first state is in the read model.
 */
import { Client, Connection } from '@temporalio/client';
import { startWorker, taskQueue, type BenchContext } from '../context.js';
import { count, like } from 'drizzle-orm';
import { initiatives } from '../../db/schema.js';
import { SEED_PERIODS } from '../seed.js';
import type { InitiativeInput } from '../../workflows/contracts.js';

export interface MemoryPoint {
  open: number;
  rssBytes: number;
}

export interface MemoryResult {
  maxCachedWorkflows: number;
  points: MemoryPoint[];
  /** (RSS at the larger count − RSS at the smaller) / difference in open initiatives. */
  perInitiativeBytes: number;
  createdPerSecond: number;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 3_000));

export async function runMemory(context: BenchContext): Promise<MemoryResult> {
  const { open: sizes, createConcurrency, tuning } = context.config.memory;
  const worker = await startWorker(context, 'memory', tuning);
  const connection = await Connection.connect({ address: context.temporal.address });
  const client = new Client({ connection, namespace: context.temporal.namespace });
  const queue = taskQueue(context, 'memory');
  const points: MemoryPoint[] = [];
  const sample = async (open: number) => {
    await settle();
    // A full GC of the main thread first (workflows run in the SDK's workflow thread, which RSS includes).
    await worker.memory();
    const point = { open, rssBytes: worker.rss() };
    context.log(`  memory: ${open} open → RSS ${(point.rssBytes / 2 ** 20).toFixed(0)} MiB`);
    points.push(point);
  };
  // Open initiatives are those whose first state is in the read model (persisted by the workflow, which
  // then waits on its review timers). At most `createConcurrency` are started and not yet persisted.
  const prefix = `MEM-${context.config.runId}-`;
  const persisted = async () => {
    const [row] = await context.database.handle.db
      .select({ n: count() })
      .from(initiatives)
      .where(like(initiatives.id, `${prefix}%`));
    return row?.n ?? 0;
  };
  let created = 0;
  let creatingSeconds = 0;
  const openUpTo = async (target: number) => {
    const started = performance.now();
    let done = await persisted();
    while (done < target) {
      const batch = Math.min(target - created, createConcurrency - (created - done));
      await Promise.all(
        Array.from({ length: Math.max(0, batch) }, (_, k) => {
          const n = created + k;
          const id = `${prefix}${String(n).padStart(6, '0')}`;
          const input: InitiativeInput = {
            id,
            title: `Offene Initiative ${n}`,
            summary: 'Wartet auf die Prüfung durch beide Partner.',
            topic: 'egovernment',
            channel: 'joint',
            instrument: null,
            ressort: null,
            proposer: { sub: 'bench-p-by', name: 'A. Huber', land: 'BY' },
            invite: [],
            periods: SEED_PERIODS,
          };
          return client.workflow.start('initiativeWorkflow', {
            workflowId: id,
            taskQueue: queue,
            args: [input],
          });
        }),
      );
      created += Math.max(0, batch);
      await new Promise((resolve) => setTimeout(resolve, 200));
      done = await persisted();
    }
    creatingSeconds += (performance.now() - started) / 1000;
  };
  try {
    await sample(0);
    for (const size of sizes) {
      context.log(`  memory: opening ${size - created} more initiatives`);
      await openUpTo(size);
      await sample(size);
    }
  } finally {
    await connection.close();
    await worker.stop();
  }
  const [, small, large] = points;
  if (!small || !large) throw new Error('memory points missing');
  return {
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    points,
    perInitiativeBytes: Math.round((large.rssBytes - small.rssBytes) / (large.open - small.open)),
    createdPerSecond: Math.round((created / creatingSeconds) * 10) / 10,
  };
}
