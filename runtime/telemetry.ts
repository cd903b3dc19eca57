/**
 * The Temporal SDK's own metrics (workflow and activity task latencies, slots, polls, sticky cache…),
 * served by its Runtime in Prometheus format. The Runtime is one per process and must be installed before
 * the first worker or connection exists.
 */
import { createServer } from 'node:net';
import { Runtime } from '@temporalio/worker';
import { temporalLogging, type PinoLogger } from './logging.js';

/**
 * Installs the process's Temporal Runtime: without its own signal handling (runtime/shutdown.ts drains
 * first and bounds the drain), logging through the process's pino logger (runtime/logging.ts), and serving
 * the SDK's metrics on `metricsAddress` when one is given.
 */
export function installTemporalRuntime(metricsAddress: string | undefined, log: PinoLogger): void {
  const { logger, logging } = temporalLogging(log);
  Runtime.install({
    shutdownSignals: [],
    logger,
    telemetryOptions: {
      logging,
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
    },
  });
}

/** Where to scrape a bind address: a wildcard host is reached on loopback. */
export const scrapeUrlOf = (bindAddress: string) =>
  `http://${bindAddress.replace(/^(0\.0\.0\.0|\[::\]):/, '127.0.0.1:')}/metrics`;

/** A loopback port free right now, for an endpoint nobody needs to know in advance. */
export function freeLoopbackAddress(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(`127.0.0.1:${address.port}`)
          : reject(new Error('no port')),
      );
    });
  });
}
