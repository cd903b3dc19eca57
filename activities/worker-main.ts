/** `npm run start:worker`: a worker process alone (any number of them may run). */
import { fileURLToPath } from 'node:url';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DatabaseHandle } from '../db/client.js';
import { loadConfig, type Config } from '../runtime/config.js';
import { openConfiguredDatabase, resolveTemporal } from '../runtime/services.js';
import { installWorkerTelemetry } from '../runtime/telemetry.js';
import { createWorker } from './worker.js';

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
    workflowBundlePath: config.workflowBundlePath,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  if (config.workerMetricsAddress) installWorkerTelemetry(config.workerMetricsAddress);
  const database = await openConfiguredDatabase(config, 'separate');
  const temporal = await resolveTemporal(config, console.log);
  const worker = await startWorker(config, database, temporal.address);
  // Worker.run() handles SIGINT/SIGTERM itself: it stops polling and lets running tasks finish.
  await worker.run();
  await database.close();
  await temporal.devServer?.stop();
}
