/**
 * What the bench runs on: its own PostgreSQL database (created and dropped here), a Temporal dev server
 * (or TEMPORAL_ADDRESS), the two workflow bundles, and the child processes (API, bare baseline, workers)
 * that it starts with `node --import tsx`, talks to over IPC and stops with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { projectRoot } from '../runtime/config.js';
import { startDevServer, type DevServer } from '../runtime/temporal-dev-server.js';
import { writeWorkflowBundle } from '../scripts/bundle-workflows.js';

export const benchDir = join(projectRoot, 'bench');

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface BenchDatabase {
  name: string;
  url: string;
  handle: DatabaseHandle;
  serverVersion: string;
  drop(): Promise<void>;
}

/** A fresh database on the admin server, migrated with the project's migrations. */
export async function createDatabase(adminUrl: string, name: string): Promise<BenchDatabase> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  let serverVersion: string;
  try {
    const [row] = await admin<{ server_version: string }[]>`show server_version`;
    serverVersion = row?.server_version ?? 'unknown';
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `PostgreSQL is not usable at ${adminUrl} (${(error as Error).message}). ` +
        'Start it with `sudo scripts/test-postgres.sh` or set TEST_DATABASE_URL.',
    );
  }
  const url = databaseUrl(adminUrl, name);
  const handle = await openDatabase({ url, embeddedDir: '', max: 4 });
  await handle.migrate();
  return {
    name,
    url,
    handle,
    serverVersion,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface BenchTemporal {
  address: string;
  namespace: string;
  devServer: DevServer | undefined;
  stop(): Promise<void>;
}

/** TEMPORAL_ADDRESS if given, else a headless in-memory dev server; a namespace of this run's own. */
export async function startTemporal(address: string | undefined, namespace: string): Promise<BenchTemporal> {
  const devServer = address ? undefined : await startDevServer({ headless: true });
  const target = address ?? devServer?.address;
  if (!target) throw new Error('no Temporal address');
  const connection = await Connection.connect({ address: target });
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  for (const deadline = Date.now() + 30_000; ;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await connection.close();
  return {
    address: target,
    namespace,
    devServer,
    async stop() {
      await devServer?.stop();
    },
  };
}

/** The project's workflow bundle and the minimal baseline's, built once per run. */
export async function buildBundles(dir: string): Promise<{ real: string; baseline: string }> {
  const baselinePath = join(dir, 'baseline-bundle.js');
  const [real, { code }] = await Promise.all([
    writeWorkflowBundle(join(dir, 'workflow-bundle.js')),
    bundleWorkflowCode({
      workflowsPath: join(benchDir, 'baseline', 'workflow.ts'),
      logger: new DefaultLogger('WARN'),
    }),
  ]);
  writeFileSync(baselinePath, code);
  return { real, baseline: baselinePath };
}

/** Messages the children send over IPC. */
export type ChildMessage =
  | { type: 'ready'; port?: number }
  | { type: 'memory'; usage: NodeJS.MemoryUsage }
  | { type: 'error'; message: string };

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  port: number | undefined;
  /** Asks the child for process.memoryUsage() after a full GC. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Resident set size from /proc/<pid>/status (VmRSS), in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

export interface ChildOptions {
  env: Record<string, string>;
  cpuProfileDir?: string | undefined;
  nodeArgs?: string[];
}

/** Starts `bench/children/<script>` with node --import tsx and waits until it reports ready. */
export async function startChild(name: string, script: string, options: ChildOptions): Promise<Child> {
  const args = [
    ...(options.nodeArgs ?? []),
    '--expose-gc',
    ...(options.cpuProfileDir
      ? // A directory per child: Node names each thread's profile itself (main, tsx loader, workflow threads).
        ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfileDir, `${name}-${Date.now()}`)}`]
      : []),
    '--import',
    'tsx',
    join(benchDir, 'children', script),
  ];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    // The children's output (e.g. the SDK's Rust logs) goes to stderr: stdout carries only the table.
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ port?: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s`)), 120_000);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`${name}: ${message.message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name} has no pid`);
  return {
    name,
    process: child,
    pid,
    port: ready.port,
    memory() {
      return new Promise((resolve) => {
        const listener = (message: ChildMessage) => {
          if (message.type !== 'memory') return;
          child.off('message', listener);
          resolve(message.usage);
        };
        child.on('message', listener);
        child.send({ type: 'memory' });
      });
    },
    rss() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      if (!match?.[1]) throw new Error(`no VmRSS for ${name} (${pid})`);
      return Number(match[1]) * 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** Clock ticks per second of /proc/<pid>/stat times (getconf CLK_TCK; 100 on Linux). */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system, all threads) a process has used so far; 0 once it is gone. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** All PostgreSQL server processes on this machine (backends of other databases included). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        total += processCpuSeconds(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Cores used on average (CPU seconds / wall seconds) per process, between start and the call of the result. */
export type CpuShares = Record<string, number>;

/**
 * Starts measuring the CPU use of the given processes, of all PostgreSQL processes and of the bench process
 * itself (the load generator); the returned function ends the measurement.
 */
export function cpuMeter(processes: Record<string, number | undefined>): () => CpuShares {
  const snapshot = () => {
    const values: Record<string, number> = {};
    for (const [name, pid] of Object.entries(processes))
      if (pid !== undefined) values[name] = processCpuSeconds(pid);
    values.postgres = postgresCpuSeconds();
    const own = process.cpuUsage();
    values['bench (load generator)'] = (own.user + own.system) / 1e6;
    return values;
  };
  const before = snapshot();
  const started = performance.now();
  return () => {
    const after = snapshot();
    const seconds = (performance.now() - started) / 1000;
    return Object.fromEntries(
      Object.entries(after).map(([name, value]) => [
        name,
        Math.round(((value - (before[name] ?? 0)) / seconds) * 100) / 100,
      ]),
    );
  };
}
