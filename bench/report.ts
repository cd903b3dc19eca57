/** bench/results.json and the Markdown table printed to stdout: every case, its target, met or not. */
import { LOCAL_ACTIVITY_CONCURRENCY, type BenchConfig, type WorkerTuning } from './config.js';
import type { LatencySummary } from './http.js';
import type { ThroughputMeasurement } from './cases/lifecycle.js';
import type { ListMeasurement } from './cases/lists.js';
import type { MemoryResult } from './cases/memory.js';
import type { AttachmentResult } from './cases/attachments.js';
import type { StatusResult } from './cases/status.js';

/**
 * Growth of a list's p99 from the small to the large size as an exponent k (p99 ∝ size^k): a linear scan
 * has k ≈ 1, an index descent (logarithmic) k ≈ 0.1 for 10 000 → 100 000. Below this counts as logarithmic.
 */
export const GROWTH_EXPONENT_LIMIT = 0.5;
export const growthExponent = (before: number, after: number, sizes: [number, number]) =>
  Math.round((Math.log(after / before) / Math.log(sizes[1] / sizes[0])) * 100) / 100;
export const LIST_P99_LIMIT_MS = 50;

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  temporal: string;
}

export interface Target {
  case: string;
  target: string;
  value: string;
  met: boolean;
}

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  scale: BenchConfig['scale'];
  machine: Machine;
  settings: {
    status: BenchConfig['status'];
    lists: BenchConfig['lists'];
    lifecycle: BenchConfig['lifecycle'];
    command: BenchConfig['command'];
    /** Worker of the lifecycle and command cases, real and baseline alike. */
    worker: WorkerTuning & { maxConcurrentLocalActivityExecutions: string };
    memory: { open: [number, number]; createConcurrency: number; worker: WorkerTuning; creation: string };
    api: string;
  };
  status?: StatusResult;
  lists?: { sizes: [number, number]; bySize: Record<string, ListMeasurement[]> };
  /** Case 6: the best-practice search, measured as the lists are. */
  practices?: { sizes: [number, number]; bySize: Record<string, ListMeasurement[]> };
  /** The median runs (by throughput) of the alternating rounds, and all rounds. */
  lifecycle?: {
    api: ThroughputMeasurement;
    baseline: ThroughputMeasurement;
    rounds: { api: ThroughputMeasurement[]; baseline: ThroughputMeasurement[] };
  };
  command?: { api: LatencySummary; baselineUpdate: LatencySummary };
  memory?: MemoryResult;
  /** Case 7: one upload and one download of an attachment. */
  attachments?: AttachmentResult;
  targets: Target[];
}

const n = (x: number) => Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const mib = (bytes: number) => `${n(bytes / 2 ** 20)} MiB`;
const kib = (bytes: number) => `${n(bytes / 1024)} KiB`;
const tick = (met: boolean) => (met ? '✅' : '❌');
const rates = (runs: { lifecyclesPerSecond: number }[]) => runs.map((r) => r.lifecyclesPerSecond).join(', ');

/** Fills `results.targets` from the measurements. */
export function evaluate(results: BenchResults): void {
  const targets: Target[] = [];
  const { status, lists, lifecycle, practices, attachments } = results;
  if (attachments)
    for (const way of ['upload', 'download'] as const) {
      const { small, large } = attachments;
      const slope = ratio(large[way].rssGrowthBytes - small[way].rssGrowthBytes, large.bytes - small.bytes);
      targets.push({
        case: `7 attachment ${way}`,
        target: 'API RSS growth rises by < 0.5 × the added file size (small → large file)',
        value: `${slope} ×`,
        met: slope < 0.5,
      });
    }
  if (status) {
    const r200 = ratio(status.api.requestsPerSecond, status.baseline.requestsPerSecond);
    const r304 = ratio(status.api304.requestsPerSecond, status.baseline.requestsPerSecond);
    targets.push(
      { case: '1 status GET 200', target: '≥ 0.5 × baseline req/s', value: `${r200} ×`, met: r200 >= 0.5 },
      { case: '1 status GET 304', target: '≥ 0.7 × baseline req/s', value: `${r304} ×`, met: r304 >= 0.7 },
    );
  }
  if (lists) {
    const [small, large] = lists.sizes;
    const atLarge = lists.bySize[large] ?? [];
    const atSmall = lists.bySize[small] ?? [];
    for (const query of atLarge) {
      const before = atSmall.find((q) => q.name === query.name);
      const k = before ? growthExponent(before.p99, query.p99, lists.sizes) : Number.NaN;
      targets.push({
        case: `2 ${query.name}`,
        target: `p99 < ${LIST_P99_LIMIT_MS} ms at ${n(large)}; growth from ${n(small)} logarithmic (k < ${GROWTH_EXPONENT_LIMIT})`,
        value: `${ms(query.p99)} ms, k = ${k}`,
        met: query.p99 < LIST_P99_LIMIT_MS && k < GROWTH_EXPONENT_LIMIT,
      });
    }
  }
  if (practices) {
    const [small, large] = practices.sizes;
    for (const query of practices.bySize[large] ?? []) {
      const before = (practices.bySize[small] ?? []).find((q) => q.name === query.name);
      const k = before ? growthExponent(before.p99, query.p99, practices.sizes) : Number.NaN;
      targets.push({
        case: `6 ${query.name}`,
        target: `p99 < ${LIST_P99_LIMIT_MS} ms at ${n(large)}; growth from ${n(small)} sub-linear (k < ${GROWTH_EXPONENT_LIMIT})`,
        value: `${ms(query.p99)} ms, k = ${k}`,
        met: query.p99 < LIST_P99_LIMIT_MS && k < GROWTH_EXPONENT_LIMIT,
      });
    }
  }
  if (lifecycle) {
    const r = ratio(lifecycle.api.lifecyclesPerSecond, lifecycle.baseline.lifecyclesPerSecond);
    targets.push({
      case: '3 lifecycle throughput',
      target: '≥ 0.5 × baseline',
      value: `${r} ×`,
      met: r >= 0.5,
    });
  }
  results.targets = targets;
}

export function markdown(results: BenchResults): string {
  const { status, lists, lifecycle, command, memory, settings, machine, practices } = results;
  const rows: string[][] = [];
  const met = (name: string) => {
    const target = results.targets.find((t) => t.case === name);
    return target ? `${target.value} ${tick(target.met)}` : '';
  };
  if (status) {
    const base = `${n(status.baseline.requestsPerSecond)} (bare Fastify route)`;
    const how = `req/s, -c ${status.connections} -p ${status.pipelining}, ${n(status.initiatives)} initiatives`;
    rows.push(
      [
        '1',
        'Status polling: GET /v1/initiatives/{id} → 200',
        how,
        n(status.api.requestsPerSecond),
        base,
        '≥ 0.5 ×',
        met('1 status GET 200'),
      ],
      [
        '1',
        'Status polling: conditional GET → 304',
        how,
        n(status.api304.requestsPerSecond),
        base,
        '≥ 0.7 ×',
        met('1 status GET 304'),
      ],
      [
        '1',
        '(reference) bare route answering 304',
        'req/s',
        n(status.baseline304.requestsPerSecond),
        '',
        '',
        '',
      ],
    );
  }
  if (lists) {
    const [small, large] = lists.sizes;
    for (const query of lists.bySize[large] ?? []) {
      const before = (lists.bySize[small] ?? []).find((q) => q.name === query.name);
      rows.push([
        '2',
        `${query.name} (${query.items} items)`,
        `p99 (p50) at ${n(small)} → ${n(large)}`,
        `${before ? `${ms(before.p99)} (${ms(before.p50)})` : '?'} → ${ms(query.p99)} (${ms(query.p50)}) ms`,
        '',
        `< ${LIST_P99_LIMIT_MS} ms, k < ${GROWTH_EXPONENT_LIMIT}`,
        met(`2 ${query.name}`),
      ]);
    }
  }
  if (practices) {
    const [small, large] = practices.sizes;
    for (const query of practices.bySize[large] ?? []) {
      const before = (practices.bySize[small] ?? []).find((q) => q.name === query.name);
      rows.push([
        '6',
        `${query.name} (${query.items} items)`,
        `p99 (p50) at ${n(small)} → ${n(large)} practices`,
        `${before ? `${ms(before.p99)} (${ms(before.p50)})` : '?'} → ${ms(query.p99)} (${ms(query.p50)}) ms`,
        '',
        `< ${LIST_P99_LIMIT_MS} ms, k < ${GROWTH_EXPONENT_LIMIT}`,
        met(`6 ${query.name}`),
      ]);
    }
  }
  if (lifecycle) {
    rows.push([
      '3',
      'Lifecycle: create → 2 approvals → adopted, via the API',
      `lifecycles/s, ${lifecycle.api.count} at once, median of ${lifecycle.rounds.api.length} rounds`,
      `${lifecycle.api.lifecyclesPerSecond} (${rates(lifecycle.rounds.api)})`,
      `${lifecycle.baseline.lifecyclesPerSecond} (${rates(lifecycle.rounds.baseline)}): minimal workflow, same 3 Updates via the client`,
      '≥ 0.5 ×',
      met('3 lifecycle throughput'),
    ]);
  }
  if (command) {
    const underLoad = lifecycle?.api.steps['approve (NW)'];
    rows.push([
      '4',
      'Command latency: review decision via the API',
      `p50 / p99, ${command.api.count} one at a time`,
      `${ms(command.api.p50)} / ${ms(command.api.p99)} ms`,
      `${ms(command.baselineUpdate.p50)} / ${ms(command.baselineUpdate.p99)} ms (minimal workflow's Update via the client)` +
        (underLoad ? `; under the lifecycle load ${ms(underLoad.p50)} / ${ms(underLoad.p99)} ms` : ''),
      'report',
      '',
    ]);
  }
  if (memory) {
    const [none, small, large] = memory.points;
    if (none && small && large)
      rows.push([
        '5',
        'Worker RSS, initiatives open and waiting',
        `${n(small.open)} / ${n(large.open)} open`,
        `${mib(small.rssBytes)} / ${mib(large.rssBytes)}`,
        `${mib(none.rssBytes)} with none open`,
        'report',
        `${kib(memory.perInitiativeBytes)} per initiative`,
      ]);
  }
  if (results.attachments) {
    const { small, large } = results.attachments;
    for (const way of ['upload', 'download'] as const)
      rows.push([
        '7',
        `Attachment ${way} via the API, ${mib(small.bytes)} then ${mib(large.bytes)}`,
        'MiB/s; API RSS growth (before → peak)',
        `${small[way].mibPerSecond} / ${large[way].mibPerSecond} MiB/s; ${mib(small[way].rssGrowthBytes)} / ${mib(large[way].rssGrowthBytes)} (${mib(large[way].rssBeforeBytes)} → ${mib(large[way].rssPeakBytes)})`,
        'growth of the small file',
        'rise < 0.5 × added size',
        met(`7 attachment ${way}`),
      ]);
  }
  const header = ['#', 'Case', 'Measured', 'Result', 'Baseline / reference', 'Target', 'Ratio / met'];
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
  const worker = settings.worker;
  const notes = [
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM, ${machine.os}; Node ${machine.node}; PostgreSQL ${machine.postgres}; ${machine.temporal}. Everything (database, Temporal, API, workers, load generator) on this one machine.`,
    `Scale \`${results.scale}\`, run ${results.startedAt}, ${Math.round(results.durationSeconds)} s in all. API: ${settings.api}.`,
    `Worker (cases 3, 4; real and baseline): maxCachedWorkflows ${worker.maxCachedWorkflows}, maxConcurrentWorkflowTaskExecutions ${worker.maxConcurrentWorkflowTaskExecutions}, maxConcurrentActivityTaskExecutions ${worker.maxConcurrentActivityTaskExecutions}, local activities ${worker.maxConcurrentLocalActivityExecutions}.`,
    `Memory worker (case 5): maxCachedWorkflows ${settings.memory.worker.maxCachedWorkflows}, otherwise the same, a process of its own; RSS after a main-thread GC and 3 s of quiet; initiatives ${settings.memory.creation}${memory ? ` (${memory.createdPerSecond}/s)` : ''}.`,
  ];
  const cpu = (shares: Record<string, number>) =>
    Object.entries(shares)
      .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
      .join(', ');
  if (status)
    notes.push(
      `Status: ids drawn at random per request, authenticated as a BY reviewer.`,
      `CPU in cores used during the status runs: API GET ${cpu(status.api.cpu)}; conditional GET ${cpu(status.api304.cpu)}; bare route ${cpu(status.baseline.cpu)}.`,
    );
  if (lifecycle)
    notes.push(
      `CPU in cores used during the lifecycle runs: via the API ${cpu(lifecycle.api.cpu)}; baseline ${cpu(lifecycle.baseline.cpu)}.`,
    );
  if (lists)
    notes.push(
      `Lists: ${settings.lists.connections} connection(s), ${settings.lists.durationSeconds} s per query after ${settings.lists.warmupSeconds} s warm-up; ${n(settings.lists.open)} open initiatives (the newest) at both sizes, the rest closed; seeded in SQL through db/schema.ts.`,
    );
  return `${table}\n\n${notes.map((line) => `- ${line}`).join('\n')}\n`;
}

export const workerSettings = (tuning: WorkerTuning) => ({
  ...tuning,
  maxConcurrentLocalActivityExecutions: LOCAL_ACTIVITY_CONCURRENCY,
});
