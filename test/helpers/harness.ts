/**
 * A whole service for one test file, on real parts: a cloned PostgreSQL database, the shared Temporal dev
 * server, an in-process worker on a task queue of its own, and the API listening on a free port. Tests
 * talk to it over real HTTP with development tokens.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { inject } from 'vitest';
import { createWorker } from '../../activities/worker.js';
import { buildApp } from '../../api/app.js';
import { createAuthenticator } from '../../api/auth.js';
import type { HardeningSettings } from '../../api/hardening.js';
import { createWorkflowGateway } from '../../api/temporal.js';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';
import type { Initiative, Periods } from '../../workflows/contracts.js';
import type { Land, Role } from '../../workflows/domain.js';
import { cloneTemplate } from './database.js';

/** Test receivers listen on loopback; `localhost` stays off the list to test refusals. */
export const WEBHOOK_ALLOWED_HOSTS = ['127.0.0.1'];

export const TEST_SECRET = 'test-secret-for-development-mode-tokens';

/** Rate limiting on, as in production, but far above what any test sends; CORS off. */
export const TEST_HARDENING: HardeningSettings = { rateLimitPerMinute: 1_000_000, corsOrigins: [] };

export const DEFAULT_PERIODS: Required<Periods> = {
  review: 'P14D',
  reminderBefore: 'P3D',
  escalationGrace: 'P7D',
  revision: 'P30D',
  invitation: 'P14D',
  bundesratDecisionReminder: 'P3D',
};

export interface PrincipalClaims {
  sub: string;
  name?: string;
  land: Land;
  roles: Role[];
}

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

let runtimeInstalled = false;

/**
 * Test files run in parallel against one dev server, and each file's database hands out references from
 * DD-<year>-0001: in a shared namespace their workflow ids would collide. Registers a namespace of its
 * own and waits until the frontend knows it.
 */
export async function registerNamespace(connection: Connection, namespace: string): Promise<void> {
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  await eventually(
    () =>
      connection.workflowService.describeNamespace({ namespace }).then(
        () => true,
        () => false,
      ),
    (known) => known,
    { timeoutMs: 30_000, intervalMs: 100, what: `namespace ${namespace}` },
  );
}

export async function token(claims: PrincipalClaims, expiresIn: string | number = '1h'): Promise<string> {
  return new SignJWT({ name: claims.name ?? `Test ${claims.sub}`, land: claims.land, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(TEST_SECRET));
}

export class Harness {
  private constructor(
    readonly baseUrl: string,
    readonly taskQueue: string,
    readonly temporalAddress: string,
    /** A namespace per harness: references (= workflow ids) restart at 0001 in every test database. */
    readonly namespace: string,
    readonly databaseUrl: string,
    readonly database: DatabaseHandle,
    readonly client: Client,
    private readonly app: FastifyInstance,
    private worker: { worker: Worker; running: Promise<void> } | undefined,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async start(options: { worker?: boolean; hardening?: HardeningSettings } = {}): Promise<Harness> {
    if (!runtimeInstalled) {
      // Keep the SDK's own logging to warnings so that test output stays readable.
      Runtime.install({ logger: new (await import('@temporalio/worker')).DefaultLogger('WARN') });
      runtimeInstalled = true;
    }
    const temporalAddress = inject('temporalAddress');
    const taskQueue = `test-${randomBytes(4).toString('hex')}`;
    const namespace = taskQueue;
    const clone = await cloneTemplate(inject('templateDatabase'));
    const database = await openDatabase({ url: clone.url, embeddedDir: '', max: 10 });
    const connection = await Connection.connect({ address: temporalAddress });
    await registerNamespace(connection, namespace);
    const client = new Client({ connection, namespace });
    const app = await buildApp({
      database,
      workflows: createWorkflowGateway(client, taskQueue),
      authenticate: createAuthenticator({ mode: 'development', secret: TEST_SECRET }),
      periods: DEFAULT_PERIODS,
      bundesratLeadDays: 14,
      webhookAllowedHosts: WEBHOOK_ALLOWED_HOSTS,
      hardening: options.hardening ?? TEST_HARDENING,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('the API did not bind a port');
    const harness = new Harness(
      `http://127.0.0.1:${address.port}`,
      taskQueue,
      temporalAddress,
      namespace,
      clone.url,
      database,
      client,
      app,
      undefined,
      clone.drop,
    );
    if (options.worker !== false) await harness.startWorker();
    return harness;
  }

  async startWorker(): Promise<void> {
    const worker = await createWorker({
      connection: await NativeConnection.connect({ address: this.temporalAddress }),
      namespace: this.namespace,
      taskQueue: this.taskQueue,
      db: this.database.db,
      webhookAllowedHosts: WEBHOOK_ALLOWED_HOSTS,
      workflowBundlePath: inject('workflowBundlePath'),
    });
    this.worker = { worker, running: worker.run() };
  }

  async stopWorker(): Promise<void> {
    if (!this.worker) return;
    this.worker.worker.shutdown();
    await this.worker.running;
    this.worker = undefined;
  }

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

  async close(): Promise<void> {
    await this.app.close();
    await this.stopWorker();
    await this.client.connection.close();
    await this.database.close();
    await this.dropDatabase();
  }
}

/** Everyday principals of the two partners. */
export async function principals() {
  return {
    proposerBY: await token({ sub: 'p-by', name: 'A. Huber', land: 'BY', roles: ['proposer'] }),
    proposerNW: await token({ sub: 'p-nw', name: 'K. Becker', land: 'NW', roles: ['proposer'] }),
    reviewerBY: await token({ sub: 'r-by', name: 'C. Maier', land: 'BY', roles: ['reviewer'] }),
    reviewerNW: await token({ sub: 'r-nw', name: 'B. Schmidt', land: 'NW', roles: ['reviewer'] }),
    viewer: await token({ sub: 'v-1', name: 'Dashboard', land: 'BE', roles: ['viewer'] }),
    reviewerHE: await token({ sub: 'r-he', name: 'H. Hesse', land: 'HE', roles: ['reviewer'] }),
  };
}

export const newInitiative = (overrides: Record<string, unknown> = {}) => ({
  title: 'Gemeinsame KI-Testumgebung für die Verwaltung',
  summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung.',
  topic: 'ai_supercomputing',
  channel: 'joint',
  ...overrides,
});

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
  harness: Harness,
  id: string,
  tokenValue: string,
  accept: (initiative: Initiative) => boolean,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<Initiative> {
  const response = await eventually(
    () => harness.get<Initiative>(`/v1/initiatives/${id}`, tokenValue),
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
export async function historyOf(harness: Harness, id: string, tokenValue: string): Promise<HistoryItem[]> {
  const response = await harness.get<{ items: HistoryItem[] }>(`/v1/initiatives/${id}/history`, tokenValue);
  if (response.status !== 200) throw new Error(`history of ${id}: ${response.status}`);
  return response.body.items;
}
