/** `npm run start:worker`: a worker process alone (any number of them may run). */
import { fileURLToPath } from 'node:url';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DatabaseHandle } from '../db/client.js';
import { loadConfig, webhookSecretKey, type Config } from '../runtime/config.js';
import { openConfiguredDatabase, resolveTemporal } from '../runtime/services.js';
import { installTemporalRuntime } from '../runtime/telemetry.js';
import { createLogger } from '../runtime/logging.js';
import { exitOnSignals, exitWhenFailed } from '../runtime/shutdown.js';
import { createWorker } from '../activities/worker.js';

export async function startWorker(
  config: Config,
  database: DatabaseHandle,
  address: string,
): Promise<Worker> {
  const connection = await NativeConnection.connect({ address });
  return createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db: database.db,
    webhookAllowedHosts: config.webhookAllowedHosts,
    webhookSecretKey: webhookSecretKey(config),
    webhookHttpsOnly: config.production,
    workflowBundlePath: config.workflowBundlePath,
    // Activities in flight when shutdown begins are not cancelled; the process's own deadline bounds them.
    tuning: { shutdownGraceTime: config.shutdownTimeoutMs },
  });
}

/**
 * Ends a worker and what it ran on, after whatever else must drain first: stops polling, waits for the
 * workflow and activity tasks in flight, then closes the database and a dev server this process started.
 */
export async function stopWorker(
  worker: Worker,
  running: Promise<void>,
  database: DatabaseHandle,
  temporal: { devServer?: { stop(): Promise<void> } | undefined },
): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
  await database.close();
  await temporal.devServer?.stop();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  const log = createLogger('worker', config.logLevel);
  const info = (line: string) => log.info(line);
  // Signals are handled below, so that the drain has a deadline and a second SIGTERM ends it at once.
  installTemporalRuntime(config.workerMetricsAddress, log);
  const database = await openConfiguredDatabase(config, 'separate');
  const temporal = await resolveTemporal(config, info);
  const worker = await startWorker(config, database, temporal.address);
  const running = worker.run();
  log.info(`worker running on task queue ${config.temporal.taskQueue} at ${temporal.address}`);
  exitOnSignals(() => stopWorker(worker, running, database, temporal), {
    timeoutMs: config.shutdownTimeoutMs,
    log: (line) => log.warn(line),
  });
  exitWhenFailed(running, 'the worker');
}
