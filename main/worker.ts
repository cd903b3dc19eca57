/** `npm run start:worker`: a worker process alone (any number of them may run). */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DatabaseHandle } from '../db/client.js';
import { loadConfig, webhookSecretKey, type Config } from '../runtime/config.js';
import { openConfiguredDatabase, resolveTemporal } from '../runtime/services.js';
import { installTemporalRuntime } from '../runtime/telemetry.js';
import { createLogger } from '../runtime/logging.js';
import { startTracing, type Tracing } from '../runtime/tracing.js';
import { exitOnSignals, exitWhenFailed } from '../runtime/shutdown.js';
import { createWorker } from '../activities/worker.js';
import { createMailer, type Mailer } from '../activities/mailer.js';

export async function startWorker(
  config: Config,
  database: DatabaseHandle,
  address: string,
  tracing?: Tracing,
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
    tracing,
  });
}

/**
 * The mailer of this process (docs/notifications.md): SMTP through SMTP_URL, else .eml files under
 * $DATA_DIR/mail/, which it says at start.
 */
export function startMailer(
  config: Config,
  database: DatabaseHandle,
  log: { info(line: string): void; warn(line: string): void },
): Mailer {
  const directory = join(config.dataDir, 'mail');
  const mailer = createMailer({
    db: database.db,
    target: config.mail.smtpUrl ? { smtpUrl: config.mail.smtpUrl } : { directory },
    from: config.mail.from,
    publicUrl: config.mail.publicUrl,
    log,
  });
  mailer.start();
  log.info(
    config.mail.smtpUrl
      ? `mails are sent through SMTP as ${config.mail.from}`
      : `SMTP_URL is not set: mails are written as .eml files under ${directory}`,
  );
  return mailer;
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
  tracing?: Tracing,
  mailer?: Mailer,
): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await mailer?.stop();
  await running;
  await database.close();
  await temporal.devServer?.stop();
  // The spans of the last tasks are sent before the process ends.
  await tracing?.shutdown();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  const log = createLogger('worker', config.logLevel);
  const info = (line: string) => log.info(line);
  // Signals are handled below, so that the drain has a deadline and a second SIGTERM ends it at once.
  installTemporalRuntime(config.workerMetricsAddress, log);
  const tracing = startTracing('worker');
  const database = await openConfiguredDatabase(config, 'separate', tracing);
  const temporal = await resolveTemporal(config, info);
  const worker = await startWorker(config, database, temporal.address, tracing);
  const running = worker.run();
  const mailer = startMailer(config, database, { info, warn: (line) => log.warn(line) });
  log.info(`worker running on task queue ${config.temporal.taskQueue} at ${temporal.address}`);
  exitOnSignals(() => stopWorker(worker, running, database, temporal, tracing, mailer), {
    timeoutMs: config.shutdownTimeoutMs,
    log: (line) => log.warn(line),
  });
  exitWhenFailed(running, 'the worker');
}
