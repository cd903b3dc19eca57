/**
 * `npm run bench`: starts what it needs (its own PostgreSQL database on TEST_DATABASE_URL's server, a
 * Temporal dev server unless TEMPORAL_ADDRESS is set, the API and workers as child processes), seeds data,
 * runs the cases (each after a warm-up), writes bench/results.json and prints a Markdown table to stdout.
 * Progress goes to stderr. See bench/README.md for the cases and the settings.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { TEMPORAL_CLI_VERSION } from '../runtime/temporal-cli.js';
import { principals } from '../test/kit/principals.js';
import { baselineCommand, runCommand } from './cases/command.js';
import { apiLifecycles, baselineLifecycles, type ThroughputMeasurement } from './cases/lifecycle.js';
import { runLists } from './cases/lists.js';
import { runPracticeSearch, seedPractices } from './cases/practices.js';
import { runMemory } from './cases/memory.js';
import { runAttachments } from './cases/attachments.js';
import { runStatus } from './cases/status.js';
import { loadBenchConfig } from './config.js';
import { startApi, startWorker, type BenchContext } from './context.js';
import { HttpClient } from './http.js';
import { summarizeProfiles } from './profile.js';
import { evaluate, markdown, workerSettings, type BenchResults } from './report.js';
import { seed } from './seed.js';
import { benchDir, buildBundles, createDatabase, startTemporal, type Child } from './services.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const config = loadBenchConfig();
const started = Date.now();
const has = (name: Parameters<typeof config.cases.has>[0]) => config.cases.has(name);
log(`bench: scale ${config.scale}, cases ${[...config.cases].join(', ')}, run ${config.runId}`);

const scratch = mkdtempSync(join(tmpdir(), 'dd-bench-'));
// Profiles stay outside the project (they are large); the path is printed with their summary.
const profileDir = config.cpuProfile ? mkdtempSync(join(tmpdir(), 'dd-bench-profiles-')) : undefined;

log('bench: creating the database, starting Temporal, bundling the workflows');
const database = await createDatabase(config.adminUrl, `dd_bench_${config.runId}`);
const [temporal, bundles] = await Promise.all([
  startTemporal(config.temporalAddress, `bench-${config.runId}`),
  buildBundles(scratch),
]);
const secret = randomBytes(24).toString('hex');
const context: BenchContext = {
  config,
  database,
  temporal,
  bundles,
  secret,
  tokens: await principals({ secret, expiresIn: '2h' }),
  model: { anchorMs: started, open: config.lists.open },
  scratch,
  profileDir,
  log,
};

const results: BenchResults = {
  startedAt: new Date(started).toISOString(),
  durationSeconds: 0,
  scale: config.scale,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.versions.node,
    postgres: database.serverVersion,
    temporal: temporal.devServer
      ? `Temporal CLI ${TEMPORAL_CLI_VERSION} dev server (in memory)`
      : `Temporal at ${temporal.address}`,
  },
  settings: {
    status: config.status,
    lists: config.lists,
    lifecycle: config.lifecycle,
    command: config.command,
    worker: workerSettings(config.worker),
    memory: {
      open: config.memory.open,
      createConcurrency: config.memory.createConcurrency,
      worker: config.memory.tuning,
      creation: `started through the Temporal client, not the API, with the input the API would give (at most ${config.memory.createConcurrency} not yet in the read model)`,
    },
    api: 'buildApp + listen in a child process, PostgreSQL pool 10, HS256 development tokens, request logging off',
  },
  targets: [],
};

/** The run with the median throughput. */
function median(runs: ThroughputMeasurement[]): ThroughputMeasurement {
  const sorted = [...runs].sort((a, b) => a.lifecyclesPerSecond - b.lifecyclesPerSecond);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no lifecycle runs');
  return middle;
}

let seeded = 0;
async function seedTo(size: number): Promise<void> {
  if (size <= seeded) return;
  log(`bench: seeding initiatives ${seeded}…${size} in SQL`);
  const t = Date.now();
  await seed(database.handle.db, context.model, seeded, size);
  seeded = size;
  log(`bench: seeded ${size} initiatives in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const children: Child[] = [];
async function stop(child: Child | undefined): Promise<void> {
  if (!child) return;
  children.splice(children.indexOf(child), 1);
  await child.stop();
}

let failed = false;
let http: HttpClient | undefined;
try {
  const api = await startApi(context);
  children.push(api);
  http = new HttpClient(`http://127.0.0.1:${api.port}`);
  const [small, large] = config.lists.sizes;

  if (has('status')) {
    await seedTo(small);
    log(`bench: case 1, status polling (${small} initiatives)`);
    results.status = await runStatus(context, api, small);
  }
  if (has('lists')) {
    log('bench: case 2, lists');
    const bySize: Record<string, Awaited<ReturnType<typeof runLists>>> = {};
    for (const size of [small, large]) {
      await seedTo(size);
      bySize[size] = await runLists(context, http, size);
    }
    results.lists = { sizes: [small, large], bySize };
  }
  if (has('practices')) {
    log('bench: case 6, best-practice search');
    const bySize: Record<string, Awaited<ReturnType<typeof runPracticeSearch>>> = {};
    let practices = 0;
    for (const size of [small, large]) {
      const t = Date.now();
      await seedPractices(database.handle.db, practices, size);
      practices = size;
      log(`bench: seeded ${size} practices in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      bySize[size] = await runPracticeSearch(context, http, size);
    }
    results.practices = { sizes: [small, large], bySize };
  }
  if (has('lifecycle') || has('command') || has('attachments')) {
    const { count, warmup, rounds } = config.lifecycle;
    const temporalPid = temporal.devServer?.process.pid;
    // Both workers run throughout (each on its own task queue; the idle one only polls).
    const baselineWorker = await startWorker(context, 'baseline', config.worker);
    children.push(baselineWorker);
    const worker = await startWorker(context, 'real', config.worker);
    children.push(worker);
    if (has('lifecycle')) {
      const baselineProcesses = {
        'worker (baseline)': baselineWorker.pid,
        'Temporal dev server': temporalPid,
      };
      const processes = { API: api.pid, worker: worker.pid, 'Temporal dev server': temporalPid };
      log(
        `bench: case 3, lifecycle throughput: ${rounds} rounds of ${count} at once, baseline and API alternating`,
      );
      await baselineLifecycles(context, baselineProcesses, warmup, 0);
      await apiLifecycles(context, http, processes, warmup, 0);
      const baselineRuns: ThroughputMeasurement[] = [];
      const apiRuns: ThroughputMeasurement[] = [];
      for (let round = 0; round < rounds; round++) {
        const offset = warmup + round * count;
        baselineRuns.push(await baselineLifecycles(context, baselineProcesses, count, offset));
        apiRuns.push(await apiLifecycles(context, http, processes, count, offset));
        log(
          `bench: round ${round + 1}: baseline ${baselineRuns.at(-1)?.lifecyclesPerSecond}, API ${apiRuns.at(-1)?.lifecyclesPerSecond} lifecycles/s`,
        );
      }
      results.lifecycle = {
        api: median(apiRuns),
        baseline: median(baselineRuns),
        rounds: { api: apiRuns, baseline: baselineRuns },
      };
    }
    if (has('command')) {
      log(`bench: case 4, command latency (${config.command.count} review decisions one at a time)`);
      const baselineUpdate = await baselineCommand(context);
      results.command = { api: await runCommand(context, http), baselineUpdate };
    }
    if (has('attachments')) {
      log(`bench: case 7, attachments (${config.attachmentMib} MiB up and down)`);
      results.attachments = await runAttachments(context, api, http, config.attachmentMib);
    }
    await stop(worker);
    await stop(baselineWorker);
  }
  if (has('memory')) {
    log(`bench: case 5, worker memory (${config.memory.open.join(' and ')} open initiatives)`);
    results.memory = await runMemory(context);
  }
} catch (error) {
  failed = true;
  log(`bench: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  http?.close();
  for (const child of [...children].reverse()) await stop(child);
  await temporal.stop();
  if (config.keepDatabase) {
    await database.handle.close();
    log(`bench: kept database ${database.url}`);
  } else await database.drop();
  rmSync(scratch, { recursive: true, force: true });
}

results.durationSeconds = (Date.now() - started) / 1000;
evaluate(results);
if (!failed) {
  // Formatted as the project formats JSON, so that `prettier --check` passes on the written file.
  const path = join(benchDir, 'results.json');
  const options = await resolveConfig(path);
  writeFileSync(path, await format(JSON.stringify(results), { ...options, parser: 'json' }));
  log('bench: wrote bench/results.json');
}
process.stdout.write(markdown(results));
if (profileDir)
  process.stdout.write(`\nCPU profiles in ${profileDir}:\n\n${summarizeProfiles([profileDir])}`);
process.exit(failed ? 1 : 0);
