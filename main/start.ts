/**
 * `npm start`: API and worker in one process on embedded defaults (PGlite and a local Temporal dev server
 * under .data/), or on DATABASE_URL / TEMPORAL_ADDRESS when set.
 */
import { includeWorkerMetrics } from '../api/metrics.js';
import { loadConfig } from '../runtime/config.js';
import {
  claimTaskQueue,
  databaseIdentity,
  openConfiguredDatabase,
  resolveTemporal,
  temporalClient,
} from '../runtime/services.js';
import { freeLoopbackAddress, installTemporalRuntime, scrapeUrlOf } from '../runtime/telemetry.js';
import { exitOnSignals, exitWhenFailed } from '../runtime/shutdown.js';
import { createLogger } from '../runtime/logging.js';
import { startTracing } from '../runtime/tracing.js';
import { authSettings, drainHttp, startServer } from './api.js';
import { startMailer, startWorker, stopWorker } from './worker.js';

const config = loadConfig();
// Checked before anything starts, so that a misconfigured production start changes nothing.
const auth = authSettings(config);
// One logger for both halves of the process: API, worker and Temporal runtime lines share one format.
const log = createLogger('start', config.logLevel);
// OTEL_EXPORTER_OTLP_ENDPOINT set: spans over OTLP (runtime/tracing.ts); else none.
const tracing = startTracing('start');
const database = await openConfiguredDatabase(config, 'all-in-one', tracing);
const temporal = await resolveTemporal(config, (line) => log.info(line));
// Refused before anything is served when another database's deployment works this task queue already.
await claimTaskQueue(
  temporalClient(config, temporal.address),
  config.temporal.taskQueue,
  await databaseIdentity(config, database),
);
// The worker's Temporal metrics join the API's /metrics of this process (on a port of their own too).
const workerMetricsAddress = config.workerMetricsAddress ?? (await freeLoopbackAddress());
// Signals are handled by exitOnSignals below, not by the Temporal runtime, so that HTTP drains first.
installTemporalRuntime(workerMetricsAddress, log);
includeWorkerMetrics(scrapeUrlOf(workerMetricsAddress));
const worker = await startWorker(config, database, temporal.address, tracing);
const running = worker.run();
const app = await startServer(config, auth, database, temporal, log, tracing);
const mailer = startMailer(config, database, {
  info: (line) => log.info(line),
  warn: (line) => log.warn(line),
});
log.info(
  `Digital Dialog is up: API http://${config.host}:${config.port} (docs at /docs), ` +
    `database ${database.kind}, Temporal ${temporal.address}${temporal.uiUrl ? ` (UI ${temporal.uiUrl})` : ''}, ` +
    `dashboard at /, metrics at /metrics`,
);

exitOnSignals(
  async () => {
    // HTTP first, while the worker still runs: the commands in flight need it to finish.
    await drainHttp(app);
    await stopWorker(worker, running, database, temporal, tracing, mailer);
  },
  { timeoutMs: config.shutdownTimeoutMs, log: (line) => log.warn(line) },
);
exitWhenFailed(running, 'the worker');
