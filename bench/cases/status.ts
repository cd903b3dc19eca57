/**
 * Case 1, status polling: GET /v1/initiatives/{id} (authenticated, ids drawn at random from the seeded
 * initiatives) with autocannon -c 100 -p 10, against a bare Fastify route answering a body like it (a
 * seeded initiative) in the same process layout. Then the conditional GET (If-None-Match with the current
 * tag), which the API answers 304. Each run follows a warm-up run whose figures are discarded.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon, { type Request, type Result } from 'autocannon';
import type { BenchContext } from '../context.js';
import { seededEtag, seededId, seededInitiative } from '../seed.js';
import { cpuMeter, startChild, type Child, type CpuShares } from '../services.js';

export interface ThroughputRun {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  total: number;
  statusCodes: Record<string, number>;
  errors: number;
  /** Cores used on average by the server process, PostgreSQL and the load generator. */
  cpu: CpuShares;
}

export interface StatusResult {
  initiatives: number;
  connections: number;
  pipelining: number;
  durationSeconds: number;
  bodyBytes: number;
  baseline: ThroughputRun;
  api: ThroughputRun;
  api304: ThroughputRun;
  baseline304: ThroughputRun;
}

function summary(result: Result, cpu: CpuShares): ThroughputRun {
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
    ),
    errors: result.errors + result.timeouts,
    cpu,
  };
}

export async function runStatus(
  context: BenchContext,
  api: Child,
  initiatives: number,
): Promise<StatusResult> {
  const { status } = context.config;
  const { model } = context;
  // The bare route's body: a seeded initiative of median size among the first few hundred.
  const samples = Array.from({ length: 301 }, (_, i) => seededInitiative(model, i)).sort(
    (a, b) => JSON.stringify(a).length - JSON.stringify(b).length,
  );
  const sample = samples[150];
  if (!sample) throw new Error('no sample');
  const sampleFile = join(context.scratch, 'sample-initiative.json');
  writeFileSync(sampleFile, JSON.stringify(sample));
  const bare = await startChild('bare', 'bare.ts', { env: { BENCH_SAMPLE_FILE: sampleFile } });

  const paths = Array.from({ length: initiatives }, (_, i) => `/v1/initiatives/${seededId(model, i)}`);
  const etags = Array.from({ length: initiatives }, (_, i) => seededEtag(model, i));
  const authorization = `Bearer ${context.tokens.reviewerBY}`;

  async function load(port: number, conditional: 'none' | 'per-id' | 'sample', seconds: number) {
    const setupRequest = (request: Request): Request => {
      const i = Math.floor(Math.random() * initiatives);
      const headers: Record<string, string> = { authorization };
      if (conditional === 'per-id') headers['if-none-match'] = etags[i] as string;
      if (conditional === 'sample') headers['if-none-match'] = `"${sample?.version}"`;
      return { ...request, method: 'GET', path: paths[i], headers };
    };
    return autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: status.connections,
      pipelining: status.pipelining,
      duration: seconds,
      requests: [{ setupRequest }],
    });
  }
  async function measure(label: string, server: Child, conditional: 'none' | 'per-id' | 'sample') {
    const port = server.port ?? 0;
    context.log(`  status: ${label} (warm-up ${status.warmupSeconds} s, then ${status.durationSeconds} s)`);
    await load(port, conditional, status.warmupSeconds);
    const meter = cpuMeter({ [server.name]: server.pid });
    const result = await load(port, conditional, status.durationSeconds);
    const run = summary(result, meter());
    const expected = conditional === 'none' ? '200' : '304';
    const wrong = Object.entries(run.statusCodes).filter(([code]) => code !== expected);
    if (wrong.length > 0 || run.errors > 0)
      throw new Error(
        `${label}: expected only ${expected}, got ${JSON.stringify(run.statusCodes)}, ${run.errors} errors`,
      );
    return run;
  }

  try {
    const baseline = await measure('bare Fastify route, 200', bare, 'none');
    const apiRun = await measure('API GET, 200', api, 'none');
    const api304 = await measure('API conditional GET, 304', api, 'per-id');
    const baseline304 = await measure('bare Fastify route, 304', bare, 'sample');
    return {
      initiatives,
      connections: status.connections,
      pipelining: status.pipelining,
      durationSeconds: status.durationSeconds,
      bodyBytes: Buffer.byteLength(JSON.stringify(sample)),
      baseline,
      api: apiRun,
      api304,
      baseline304,
    };
  } finally {
    await bare.stop();
  }
}
