/**
 * The API client of tests, scripts and benchmarks: real HTTP over `fetch`, a bearer token, a JSON body and
 * headers in; status, headers and the parsed body out. No production module is imported here.
 */
import type { Initiative } from '../../workflows/contracts.js';
import type { Land } from '../../workflows/domain.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

export class ApiClient {
  /** Set once the API listens (a harness fills it in when it starts). */
  constructor(public baseUrl = '') {}

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  get<T = unknown>(path: string, tokenValue?: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, { token: tokenValue, ...(headers ? { headers } : {}) });
  }

  post<T = Initiative>(
    path: string,
    tokenValue: string | undefined,
    body: unknown,
    headers?: Record<string, string>,
  ) {
    return this.request<T>('POST', path, { token: tokenValue, body, ...(headers ? { headers } : {}) });
  }

  /** A request that must answer `status`: its body, or an error with the whole answer. */
  async expect<T = Initiative>(
    status: number,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    return expectStatus(await this.request<T>(method, path, options), status, `${method} ${path}`);
  }
}

/** The body, after checking the status (failing with the whole answer otherwise). */
export function expectStatus<T>(response: { status: number; body: T }, status: number, what = 'request'): T {
  if (response.status !== status)
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Polls `probe` until `accept` holds (or the timeout passes, then fails with the last value seen). */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 200, what = 'the condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls GET /v1/initiatives/{id} until `accept` holds for the initiative. */
export async function waitForInitiative(
  api: ApiClient,
  id: string,
  tokenValue: string,
  accept: (initiative: Initiative) => boolean,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<Initiative> {
  const response = await eventually(
    () => api.get<Initiative>(`/v1/initiatives/${id}`, tokenValue),
    (r) => r.status === 200 && accept(r.body),
    { what: `initiative ${id}: ${options.what ?? 'condition'}`, ...options },
  );
  return response.body;
}

export interface HistoryItem {
  seq: number;
  at: string;
  type: string;
  actor: { sub: string; name: string; land: Land | null; role: string };
  data: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

/** GET /v1/initiatives/{id}/history, failing unless it answers 200. */
export async function historyOf(api: ApiClient, id: string, tokenValue: string): Promise<HistoryItem[]> {
  const response = await api.get<{ items: HistoryItem[] }>(`/v1/initiatives/${id}/history`, tokenValue);
  if (response.status !== 200) throw new Error(`history of ${id}: ${response.status}`);
  return response.body.items;
}
