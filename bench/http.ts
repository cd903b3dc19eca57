/**
 * A lean HTTP client for the latency cases (keep-alive sockets, high-resolution timing), closed-loop load
 * and percentiles. autocannon (throughput case) records latencies in whole milliseconds only.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { RequestOptions } from '../test/kit/client.js';

export interface Response<T = unknown> {
  status: number;
  body: T;
  /** Milliseconds from sending to the last byte of the answer. */
  ms: number;
}

export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });
  constructor(private readonly baseUrl: string) {}

  request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<Response<T>> {
    const url = new URL(path, this.baseUrl);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            if (text && res.headers['content-type']?.includes('json')) body = JSON.parse(text);
            resolve({ status: res.statusCode ?? 0, body: body as T, ms });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T = unknown>(path: string, token: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = unknown>(path: string, token: string, body: unknown) {
    return this.request<T>('POST', path, { token, body });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `connections` loops of `send` for `seconds`; answers every request's latency in ms. */
export async function closedLoop(
  connections: number,
  seconds: number,
  send: () => Promise<Response>,
  expectStatus = 200,
): Promise<number[]> {
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const response = await send();
        if (response.status !== expectStatus)
          throw new Error(
            `expected ${expectStatus}, got ${response.status}: ${JSON.stringify(response.body)}`,
          );
        latencies.push(response.ms);
      }
    }),
  );
  return latencies;
}

/** Nearest-rank percentile of ascending `sorted` values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index] as T);
      }
    }),
  );
  return results;
}
