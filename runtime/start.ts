/**
 * `npm start`: API and worker in one process on embedded defaults (PGlite and a local Temporal dev server
 * under .data/), or on DATABASE_URL / TEMPORAL_ADDRESS when set.
 */
import { startWorker } from '../activities/worker-main.js';
import { includeWorkerMetrics } from '../api/metrics.js';
import { authSettings, startServer } from '../api/server.js';
import { loadConfig } from './config.js';
import { openConfiguredDatabase, resolveTemporal } from './services.js';
import { freeLoopbackAddress, installWorkerTelemetry, scrapeUrlOf } from './telemetry.js';

const config = loadConfig();
// Checked before anything starts, so that a misconfigured production start changes nothing.
const auth = authSettings(config);
const database = await openConfiguredDatabase(config, 'all-in-one');
const temporal = await resolveTemporal(config, console.log);
// The worker's Temporal metrics join the API's /metrics of this process (on a port of their own too).
const workerMetricsAddress = config.workerMetricsAddress ?? (await freeLoopbackAddress());
installWorkerTelemetry(workerMetricsAddress);
includeWorkerMetrics(scrapeUrlOf(workerMetricsAddress));
const worker = await startWorker(config, database, temporal.address);
const running = worker.run();
const app = await startServer(config, auth, database, temporal);
console.log(
  `Digital Dialog is up: API http://${config.host}:${config.port} (docs at /docs), ` +
    `database ${database.kind}, Temporal ${temporal.address}${temporal.uiUrl ? ` (UI ${temporal.uiUrl})` : ''}, ` +
    `dashboard at /, metrics at /metrics`,
);

let stopping = false;
async function shutdown() {
  if (stopping) process.exit(1); // a second signal ends it at once
  stopping = true;
  await app.close(); // drains in-flight requests
  // The worker reacts to SIGINT/SIGTERM itself (it drains its tasks); only stop it if it has not begun.
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
  await database.close();
  await temporal.devServer?.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
