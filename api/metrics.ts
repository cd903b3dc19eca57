/**
 * Prometheus metrics of the API: request latency by route pattern, initiatives by phase (read from the
 * database at scrape time) and the process's own figures. Each app has its own registry, so that several
 * apps in one process (tests) do not share counters.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import { lastEventId } from '../db/events.js';
import { countByPhase } from '../db/stats.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` keeps a route out of the latency histogram (the event stream lasts as long as a client). */
    latencyHistogram?: boolean;
  }
}

/**
 * The Temporal Runtime is one per process, and so is the Prometheus endpoint it serves for its workers:
 * the process that installed it (`npm start`) links it here, and every /metrics of that process
 * appends what it serves. Separate worker processes are scraped on their own address.
 */
let workerMetricsUrl: string | undefined;
export function includeWorkerMetrics(url: string | undefined): void {
  workerMetricsUrl = url;
}

async function workerMetrics(): Promise<string> {
  if (!workerMetricsUrl) return '';
  try {
    const response = await fetch(workerMetricsUrl, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    return text.endsWith('\n') ? text : `${text}\n`;
  } catch (error) {
    return `# Temporal worker metrics unavailable (${workerMetricsUrl}): ${String(error).replace(/\s+/g, ' ')}\n`;
  }
}

export function createMetrics(db: Database, onCollectError: (error: unknown) => void) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status, from arrival to the last byte sent',
    labelNames: ['route', 'method', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'dd_initiatives',
    help: 'Initiatives by phase, read from the database at scrape time',
    labelNames: ['phase'],
    registers: [registry],
    async collect() {
      try {
        const counts = await countByPhase(db);
        for (const [phase, count] of Object.entries(counts)) this.set({ phase }, count);
      } catch (error) {
        // Without the database the gauge is left out, and the scrape still answers.
        this.reset();
        onCollectError(error);
      }
    },
  });
  new Gauge({
    name: 'dd_event_log_last_id',
    help: 'The highest id issued by the event log (GET /v1/events)',
    registers: [registry],
    async collect() {
      try {
        this.set(await lastEventId(db));
      } catch (error) {
        this.reset();
        onCollectError(error);
      }
    },
  });

  return {
    contentType: registry.contentType,

    observe(request: FastifyRequest, reply: FastifyReply): void {
      if (request.routeOptions.config.latencyHistogram === false) return;
      latency.observe(
        {
          // The pattern, never the raw URL: ids would make a series per initiative.
          route: request.routeOptions.url ?? 'unmatched',
          method: request.method,
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    },

    async render(): Promise<string> {
      const [own, worker] = await Promise.all([registry.metrics(), workerMetrics()]);
      return own + worker;
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
