/**
 * Sizes and settings of `npm run bench`, from the environment. `BENCH_SCALE=small` is a quick run (about
 * two minutes); the default takes about ten minutes on a 2-core machine. Every size can be set on its own.
 */
import { randomBytes } from 'node:crypto';

export const CASES = [
  'status',
  'lists',
  'lifecycle',
  'command',
  'memory',
  'practices',
  'attachments',
] as const;
export type CaseName = (typeof CASES)[number];

/** Worker tuning: passed explicitly to Worker.create, so that the report states what ran. */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
}

/** createWorker takes no local-activity setting: both workers run with the SDK's default. */
export const LOCAL_ACTIVITY_CONCURRENCY = 'SDK default (100)';

export interface BenchConfig {
  scale: 'default' | 'small';
  cases: ReadonlySet<CaseName>;
  /** PostgreSQL server on which the bench creates (and afterwards drops) its own database. */
  adminUrl: string;
  /** A running Temporal frontend to use instead of starting a dev server. */
  temporalAddress: string | undefined;
  runId: string;
  status: { connections: number; pipelining: number; warmupSeconds: number; durationSeconds: number };
  lists: {
    /** Initiatives in the database at the two measurements (status polling runs at the first). */
    sizes: [number, number];
    /** Open initiatives (the newest ones; all others are closed), the same at both sizes. */
    open: number;
    connections: number;
    warmupSeconds: number;
    durationSeconds: number;
  };
  /** `rounds` runs of `count` lifecycles each, baseline and API alternating; the median counts. */
  lifecycle: { count: number; warmup: number; rounds: number };
  command: { count: number; warmup: number };
  /** Case 7: the size of the attachment uploaded and downloaded, in MiB (BENCH_ATTACHMENT_MIB). */
  attachmentMib: number;
  memory: { open: [number, number]; createConcurrency: number; tuning: WorkerTuning };
  /** Worker settings of the lifecycle and command cases (real worker and minimal baseline alike). */
  worker: WorkerTuning;
  /** Runs the API and worker children with --cpu-prof into bench/profiles/. */
  cpuProfile: boolean;
  keepDatabase: boolean;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}=${raw} is not a whole number`);
  return value;
}

function pair(env: NodeJS.ProcessEnv, name: string, fallback: [number, number]): [number, number] {
  const raw = env[name];
  if (!raw) return fallback;
  const [a, b] = raw.split(',').map(Number);
  if (!Number.isInteger(a) || !Number.isInteger(b) || a === undefined || b === undefined || a <= 0 || b < a)
    throw new Error(`${name}=${raw} must be two whole numbers "small,large"`);
  return [a, b];
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const scale = env.BENCH_SCALE === 'small' ? 'small' : 'default';
  if (env.BENCH_SCALE && env.BENCH_SCALE !== 'small' && env.BENCH_SCALE !== 'default')
    throw new Error(`BENCH_SCALE=${env.BENCH_SCALE}: use small or default`);
  const small = scale === 'small';
  const selected = (env.BENCH_CASES ?? CASES.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of selected)
    if (!(CASES as readonly string[]).includes(name))
      throw new Error(`BENCH_CASES: unknown case ${name} (known: ${CASES.join(', ')})`);
  const sizes = pair(env, 'BENCH_LIST_SIZES', small ? [1_000, 10_000] : [10_000, 100_000]);
  const memoryOpen = pair(env, 'BENCH_MEMORY_SIZES', small ? [100, 1_000] : [1_000, 10_000]);
  const seconds = int(env, 'BENCH_DURATION', small ? 3 : 10);
  const worker: WorkerTuning = {
    maxCachedWorkflows: int(env, 'BENCH_WORKER_CACHE', 2_000),
    maxConcurrentWorkflowTaskExecutions: int(env, 'BENCH_WORKER_WFT', 40),
    maxConcurrentActivityTaskExecutions: int(env, 'BENCH_WORKER_ACTIVITIES', 100),
  };
  return {
    scale,
    cases: new Set(selected as CaseName[]),
    adminUrl: env.TEST_DATABASE_URL ?? 'postgres://dd:dd@127.0.0.1:5432/postgres',
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    runId: randomBytes(3).toString('hex'),
    status: {
      connections: int(env, 'BENCH_STATUS_CONNECTIONS', 100),
      // Fastify's own benchmarks: autocannon -c 100 -p 10.
      pipelining: int(env, 'BENCH_STATUS_PIPELINING', 10),
      warmupSeconds: small ? 2 : 3,
      durationSeconds: seconds,
    },
    lists: {
      sizes,
      open: Math.min(int(env, 'BENCH_OPEN', small ? 100 : 1_000), sizes[0]),
      connections: int(env, 'BENCH_LIST_CONNECTIONS', 1),
      warmupSeconds: 1,
      durationSeconds: int(env, 'BENCH_LIST_DURATION', small ? 2 : 5),
    },
    lifecycle: {
      count: int(env, 'BENCH_LIFECYCLES', small ? 50 : 200),
      warmup: small ? 10 : 20,
      rounds: Math.max(1, int(env, 'BENCH_LIFECYCLE_ROUNDS', 3)),
    },
    command: { count: int(env, 'BENCH_COMMANDS', small ? 50 : 200), warmup: small ? 5 : 20 },
    // The size the issue names at both scales: a smaller file would hide a buffered copy in the noise.
    attachmentMib: int(env, 'BENCH_ATTACHMENT_MIB', 20),
    memory: {
      open: memoryOpen,
      createConcurrency: int(env, 'BENCH_MEMORY_CONCURRENCY', 100),
      tuning: {
        ...worker,
        // Every open workflow stays cached: the measurement is of cached, waiting workflows.
        maxCachedWorkflows: int(env, 'BENCH_MEMORY_CACHE', Math.ceil((memoryOpen[1] * 1.1) / 1000) * 1000),
      },
    },
    worker,
    cpuProfile: env.BENCH_CPU_PROF === '1',
    keepDatabase: env.BENCH_KEEP_DB === '1',
  };
}
