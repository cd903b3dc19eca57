/**
 * Case 3, lifecycle throughput: `count` initiatives at once, each create → NW approves → BY approves →
 * adopted through the API (API process + worker process). Baseline: the minimal workflow of bench/baseline
 * taking the same three Updates (awaitCreation, review, review) through the Temporal client directly, on
 * the same server, with a worker process of the same settings. Each run follows a smaller warm-up run.
 * Records the latency of each step under this load and the CPU each process used.
 */
import { Client, Connection } from '@temporalio/client';
import { baselineCreated, baselineReview } from '../baseline/workflow.js';
import { taskQueue, type BenchContext } from '../context.js';
import { summarize, type HttpClient, type LatencySummary } from '../http.js';
import { cpuMeter, type CpuShares } from '../services.js';
import type { Initiative } from '../../workflows/contracts.js';

export interface ThroughputMeasurement {
  count: number;
  seconds: number;
  lifecyclesPerSecond: number;
  /** Latency of each step under this load. */
  steps: Record<string, LatencySummary>;
  /** Cores used on average by each process during the run (2 = both cores of a 2-core machine). */
  cpu: CpuShares;
}

export const newInitiative = (n: number) => ({
  title: `Bench-Initiative ${n}`,
  summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung.',
  topic: 'ai_supercomputing',
  channel: 'joint',
});

type Recorder = (step: string, ms: number) => void;

async function timed(
  count: number,
  processes: Record<string, number | undefined>,
  lifecycle: (n: number, record: Recorder) => Promise<void>,
): Promise<ThroughputMeasurement> {
  const steps = new Map<string, number[]>();
  const record: Recorder = (step, ms) => {
    const list = steps.get(step) ?? [];
    list.push(ms);
    steps.set(step, list);
  };
  const meter = cpuMeter(processes);
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, (_, n) => lifecycle(n, record)));
  const seconds = (performance.now() - started) / 1000;
  return {
    count,
    seconds: Math.round(seconds * 100) / 100,
    lifecyclesPerSecond: Math.round((count / seconds) * 10) / 10,
    steps: Object.fromEntries([...steps].map(([step, values]) => [step, summarize(values)])),
    cpu: meter(),
  };
}

/** Through the API: POST /v1/initiatives, then two POST …/reviews. */
export function apiLifecycles(
  context: BenchContext,
  http: HttpClient,
  processes: Record<string, number | undefined>,
  count: number,
  offset: number,
) {
  const { tokens } = context;
  return timed(count, processes, async (n, record) => {
    const created = await http.post<Initiative>(
      '/v1/initiatives',
      tokens.proposerBY,
      newInitiative(offset + n),
    );
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    record('create', created.ms);
    const id = created.body.id;
    const first = await http.post<Initiative>(`/v1/initiatives/${id}/reviews`, tokens.reviewerNW, {
      decision: 'approve',
    });
    if (first.status !== 200) throw new Error(`NW review: ${first.status} ${JSON.stringify(first.body)}`);
    record('approve (NW)', first.ms);
    const second = await http.post<Initiative>(`/v1/initiatives/${id}/reviews`, tokens.reviewerBY, {
      decision: 'approve',
    });
    if (second.status !== 200 || second.body.phase !== 'adopted')
      throw new Error(`BY review: ${second.status} ${JSON.stringify(second.body)}`);
    record('approve (BY) → adopted', second.ms);
  });
}

/** A Temporal client of this run, closed by `use`'s end. */
export async function withClient<T>(context: BenchContext, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: context.temporal.address });
  try {
    return await use(new Client({ connection, namespace: context.temporal.namespace }));
  } finally {
    await connection.close();
  }
}

/** Starts a baseline workflow and waits for its awaitCreation Update, as the API's gateway does. */
export async function startBaseline(context: BenchContext, client: Client, workflowId: string) {
  const handle = await client.workflow.start('baselineWorkflow', {
    workflowId,
    taskQueue: taskQueue(context, 'baseline'),
    args: [workflowId],
  });
  await handle.executeUpdate(baselineCreated, { updateId: 'created' });
  return handle;
}

/** The baseline: start + the same three Updates on the minimal workflow through the client. */
export function baselineLifecycles(
  context: BenchContext,
  processes: Record<string, number | undefined>,
  count: number,
  offset: number,
) {
  const since = (t: number) => performance.now() - t;
  return withClient(context, (client) =>
    timed(count, processes, async (n, record) => {
      const workflowId = `baseline-${context.config.runId}-${offset + n}`;
      let t = performance.now();
      const handle = await startBaseline(context, client, workflowId);
      record('create', since(t));
      t = performance.now();
      await handle.executeUpdate(baselineReview, { args: [{ land: 'NW' }] });
      record('approve (NW)', since(t));
      t = performance.now();
      const last = await handle.executeUpdate(baselineReview, { args: [{ land: 'BY' }] });
      if (last.phase !== 'adopted') throw new Error(`baseline ${workflowId} ended in ${last.phase}`);
      record('approve (BY) → adopted', since(t));
    }),
  );
}
