/** What every case gets: the configuration, the running services and the helpers to start children. */
import type { People } from '../test/kit/principals.js';
import type { BenchConfig, WorkerTuning } from './config.js';
import type { SeedModel } from './seed.js';
import { startChild, type BenchDatabase, type BenchTemporal, type Child } from './services.js';

export interface BenchContext {
  config: BenchConfig;
  database: BenchDatabase;
  temporal: BenchTemporal;
  bundles: { real: string; baseline: string };
  secret: string;
  tokens: People;
  model: SeedModel;
  /** Scratch directory of this run (bundles, the bare route's sample body). */
  scratch: string;
  /** Where children write --cpu-prof profiles, when profiling. */
  profileDir: string | undefined;
  log: (line: string) => void;
}

/** Task queues of this run: the real initiative workflows, the minimal baseline, the memory case. */
export const taskQueue = (context: BenchContext, kind: 'real' | 'baseline' | 'memory') =>
  `bench-${context.config.runId}-${kind}`;

export function startApi(context: BenchContext): Promise<Child> {
  return startChild('api', 'api.ts', {
    env: {
      BENCH_DATABASE_URL: context.database.url,
      BENCH_TEMPORAL_ADDRESS: context.temporal.address,
      BENCH_NAMESPACE: context.temporal.namespace,
      BENCH_TASK_QUEUE: taskQueue(context, 'real'),
      BENCH_JWT_SECRET: context.secret,
      // Case 7 uploads up to four times BENCH_ATTACHMENT_MIB.
      BENCH_ATTACHMENT_MAX_BYTES: String(4 * context.config.attachmentMib * 2 ** 20),
    },
    cpuProfileDir: context.profileDir,
  });
}

export function startWorker(
  context: BenchContext,
  kind: 'real' | 'baseline' | 'memory',
  tuning: WorkerTuning,
): Promise<Child> {
  return startChild(`worker-${kind}`, 'worker.ts', {
    env: {
      BENCH_WORKER: kind === 'baseline' ? 'baseline' : 'real',
      BENCH_DATABASE_URL: context.database.url,
      BENCH_TEMPORAL_ADDRESS: context.temporal.address,
      BENCH_NAMESPACE: context.temporal.namespace,
      BENCH_TASK_QUEUE: taskQueue(context, kind),
      BENCH_WORKFLOW_BUNDLE: kind === 'baseline' ? context.bundles.baseline : context.bundles.real,
      BENCH_WORKER_TUNING: JSON.stringify(tuning),
    },
    // No profile of the memory worker: profiling costs memory itself.
    cpuProfileDir: kind === 'memory' ? undefined : context.profileDir,
  });
}
