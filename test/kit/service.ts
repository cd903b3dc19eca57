/**
 * A whole service on real parts, for one test file or one script run: a PostgreSQL database, a Temporal
 * namespace, an in-process worker on a task queue of its own, and the API listening on a free loopback
 * port, spoken to over real HTTP with development tokens (it is an ApiClient). The kit's only file that
 * imports production modules (apart from types).
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { createWorker } from '../../activities/worker.js';
import { buildApp, type AppDependencies } from '../../api/app.js';
import { createAuthenticator, type Authenticator } from '../../api/auth.js';
import type { HardeningSettings } from '../../api/hardening.js';
import { createWorkflowGateway } from '../../api/temporal.js';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';
import { temporalClientInterceptors, type Tracing } from '../../runtime/tracing.js';
import { ApiClient, eventually } from './client.js';
import { Flow } from './flow.js';
import { DEFAULT_PERIODS } from './initiatives.js';
import { principals, type People } from './principals.js';
import { TEST_SECRET } from './tokens.js';

/**
 * Test receivers listen on loopback at ports of their own: `127.0.0.1:*` lets a URL name 127.0.0.1 on any
 * port and (an address entry) lets it be connected to. `localhost:*` is on the list too, but localhost
 * resolves to loopback addresses no entry names, which tests the refusal of private addresses.
 */
export const WEBHOOK_ALLOWED_HOSTS = ['127.0.0.1:*', 'localhost:*'];

/** The key the harness seals webhook secrets with (WEBHOOK_SECRET_KEY). */
export const WEBHOOK_SECRET_KEY = randomBytes(32);

/** Rate limiting on, as in production, but far above what any test sends; CORS off. */
export const TEST_HARDENING: HardeningSettings = { rateLimitPerMinute: 1_000_000, corsOrigins: [] };

export interface HarnessOptions {
  /** Start the in-process worker (default true); `startWorker()` starts it later. */
  worker?: boolean;
  hardening?: HardeningSettings;
  /** Tracing as in production (runtime/tracing.ts): API, Temporal client, worker and SQL make spans. */
  tracing?: Tracing;
  /** The API's logger (default: none). */
  logger?: AppDependencies['logger'];
}

/** Where a harness runs: the parts it does not own. */
export interface HarnessSite {
  temporalAddress: string;
  workflowBundlePath: string;
  /** A database the harness may use alone (migrated, unless `migrate` asks the harness to); `drop` runs on close. */
  database: { url: string; drop(): Promise<void> };
  migrate?: boolean;
  /** An existing namespace; without one the harness registers a fresh namespace. */
  namespace?: string;
}

interface Parts {
  taskQueue: string;
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  database: DatabaseHandle;
  client: Client;
  app: FastifyInstance;
  workflowBundlePath: string;
  dropDatabase: () => Promise<void>;
  tracing: Tracing | undefined;
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

/**
 * The service. It exists before it starts, so that a test file can hold it (and `who`, the cast's
 * tokens, filled in on start) from its first line; its parts are there once `start` resolved.
 */
export class Harness extends ApiClient {
  /** A token for every member of the cast (principals.ts), signed on start. */
  readonly who = {} as People;
  /** The kit's steps over this API, acting as the cast. */
  readonly flow = new Flow(this, this.who);
  private started: Parts | undefined;
  private worker: { worker: Worker; running: Promise<void> } | undefined;

  private get parts(): Parts {
    if (!this.started) throw new Error('the harness has not started (use it inside tests and hooks)');
    return this.started;
  }
  get taskQueue() {
    return this.parts.taskQueue;
  }
  get temporalAddress() {
    return this.parts.temporalAddress;
  }
  /** A namespace per harness: references (= workflow ids) restart at 0001 in every test database. */
  get namespace() {
    return this.parts.namespace;
  }
  get databaseUrl() {
    return this.parts.databaseUrl;
  }
  get database() {
    return this.parts.database;
  }
  get client() {
    return this.parts.client;
  }

  async start(site: HarnessSite, options: HarnessOptions = {}): Promise<this> {
    // A test file may have installed its own Runtime (e.g. to capture the SDK's log lines) first.
    if (!runtimeInstalled && Runtime._instance === undefined) {
      // Keep the SDK's own logging to warnings so that output stays readable.
      Runtime.install({ logger: new DefaultLogger('WARN') });
      runtimeInstalled = true;
    }
    const taskQueue = `test-${randomBytes(4).toString('hex')}`;
    const [database, connection] = await Promise.all([
      openDatabase({ url: site.database.url, embeddedDir: '', max: 10, tracer: options.tracing?.tracer }),
      Connection.connect({ address: site.temporalAddress }),
      principals().then((who) => Object.assign(this.who, who)),
    ]);
    if (site.migrate) await database.migrate();
    const namespace = site.namespace ?? taskQueue;
    if (site.namespace === undefined) await registerNamespace(connection, namespace);
    const client = new Client({
      connection,
      namespace,
      interceptors: temporalClientInterceptors(options.tracing),
    });
    const app = await buildApp({
      ...appDependencies(database, client, taskQueue, { hardening: options.hardening }),
      tracer: options.tracing?.tracer,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.baseUrl = await listen(app);
    this.started = {
      taskQueue,
      temporalAddress: site.temporalAddress,
      namespace,
      databaseUrl: site.database.url,
      database,
      client,
      app,
      workflowBundlePath: site.workflowBundlePath,
      dropDatabase: () => site.database.drop(),
      tracing: options.tracing,
    };
    if (options.worker !== false) await this.startWorker();
    return this;
  }

  async startWorker(): Promise<void> {
    const worker = await createWorker({
      connection: await NativeConnection.connect({ address: this.temporalAddress }),
      namespace: this.namespace,
      taskQueue: this.taskQueue,
      db: this.database.db,
      webhookAllowedHosts: WEBHOOK_ALLOWED_HOSTS,
      webhookSecretKey: WEBHOOK_SECRET_KEY,
      workflowBundlePath: this.parts.workflowBundlePath,
      tracing: this.parts.tracing,
    });
    this.worker = { worker, running: worker.run() };
  }

  async stopWorker(): Promise<void> {
    if (!this.worker) return;
    this.worker.worker.shutdown();
    await this.worker.running;
    this.worker = undefined;
  }

  async close(): Promise<void> {
    const parts = this.started;
    if (!parts) return;
    this.started = undefined;
    await parts.app.close();
    await this.stopWorker();
    await parts.client.connection.close();
    await parts.database.close();
    await parts.dropDatabase();
  }
}

/** A second API, for the tests that need another authenticator or other settings. */
export interface ExtraApp extends ApiClient {
  close(): Promise<void>;
}

/**
 * A second API on a harness's database and task queue, with an authenticator of the test's choosing (e.g.
 * production-mode OIDC), listening on a free loopback port and spoken to over real HTTP.
 */
export async function startExtraApp(
  harness: Harness,
  authenticate: Authenticator,
  overrides: Partial<AppDependencies> = {},
): Promise<ExtraApp> {
  const app = await buildApp({
    ...appDependencies(harness.database, harness.client, harness.taskQueue, { authenticate }),
    ...overrides,
  });
  const api = new ApiClient(await listen(app)) as ExtraApp;
  api.close = () => app.close();
  return api;
}

/**
 * A second API in production mode (OIDC), for what a production deployment must not offer. Its JWKS
 * address leads nowhere: meant for requests that carry no token.
 */
export function startProductionModeApp(harness: Harness): Promise<ExtraApp> {
  return startExtraApp(
    harness,
    createAuthenticator({
      mode: 'production',
      issuer: 'https://login.example.org/realms/dd',
      audience: 'digital-dialog',
      jwksUrl: 'http://127.0.0.1:9/certs',
    }),
  );
}

function appDependencies(
  database: DatabaseHandle,
  client: Client,
  taskQueue: string,
  { authenticate, hardening }: { authenticate?: Authenticator; hardening?: HardeningSettings | undefined },
): AppDependencies {
  return {
    database,
    workflows: createWorkflowGateway(client, taskQueue),
    authenticate: authenticate ?? createAuthenticator({ mode: 'development', secret: TEST_SECRET }),
    periods: DEFAULT_PERIODS,
    bundesratLeadDays: 14,
    webhookAllowedHosts: WEBHOOK_ALLOWED_HOSTS,
    webhookSecretKey: WEBHOOK_SECRET_KEY,
    hardening: hardening ?? TEST_HARDENING,
  };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the API did not bind a port');
  return `http://127.0.0.1:${address.port}`;
}
