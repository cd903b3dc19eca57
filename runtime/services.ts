/**
 * Wires the process to its dependencies on the configured or embedded defaults: PostgreSQL or PGlite
 * (migrated unless MIGRATE_ON_START=false), and a Temporal cluster or a local dev server persisted
 * under .data/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { sealPlaintextSecrets } from '../db/webhooks.js';
import { ConfigError, webhookSecretKey, type Config } from './config.js';
import { startDevServer, type DevServer } from './temporal-dev-server.js';
import { temporalClientInterceptors, type Tracing } from './tracing.js';

/** Where `npm start` runs its own dev server, so that a second local process finds and shares it. */
const LOCAL_TEMPORAL = { port: 7233, uiPort: 8233 };

export async function openConfiguredDatabase(
  config: Config,
  role: 'all-in-one' | 'separate',
  tracing?: Tracing,
): Promise<DatabaseHandle> {
  if (!config.databaseUrl && role === 'separate')
    throw new ConfigError(
      'Separate API and worker processes share one database: set DATABASE_URL (the embedded database serves `npm start` only).',
    );
  const database = await openDatabase({
    url: config.databaseUrl,
    embeddedDir: join(config.dataDir, 'pglite'),
    tracer: tracing?.tracer,
  });
  if (config.migrateOnStart) await database.migrate();
  // Rows from before migration hardening_webhook_secrets: sealed by the first process holding the key.
  await sealPlaintextSecrets(database.db, webhookSecretKey(config));
  return database;
}

async function reachable(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

export interface TemporalTarget {
  address: string;
  uiUrl: string | undefined;
  devServer: DevServer | undefined;
}

/** TEMPORAL_ADDRESS if set (nothing is started); else the local dev server, started if not yet running. */
export async function resolveTemporal(
  config: Config,
  log: (line: string) => void,
  local: { port: number; uiPort: number } = LOCAL_TEMPORAL,
): Promise<TemporalTarget> {
  if (config.temporal.address)
    return { address: config.temporal.address, uiUrl: config.temporal.uiUrl, devServer: undefined };
  const address = `127.0.0.1:${local.port}`;
  const uiUrl = config.temporal.uiUrl ?? `http://127.0.0.1:${local.uiPort}`;
  if (await reachable(address)) return { address, uiUrl, devServer: undefined };
  // Nothing else may have needed the data directory yet (DATABASE_URL set): the dev server needs it for its file.
  mkdirSync(config.dataDir, { recursive: true });
  log(`starting the Temporal dev server on ${address} (state in ${config.dataDir}/temporal.db, UI ${uiUrl})`);
  const devServer = await startDevServer({
    dbFile: join(config.dataDir, 'temporal.db'),
    port: local.port,
    uiPort: local.uiPort,
  });
  return { address, uiUrl, devServer };
}

export function temporalClient(config: Config, address: string, tracing?: Tracing): Client {
  // Lazy: the API starts (and serves reads) even while Temporal is still unreachable.
  return new Client({
    connection: Connection.lazy({ address }),
    namespace: config.temporal.namespace,
    interceptors: temporalClientInterceptors(tracing),
  });
}

/**
 * Which database this process serves, for `claimTaskQueue`: the cluster's system identifier and the
 * database's name (the connection string's host, port and name where the role may not read the former),
 * or the embedded database's directory.
 */
export async function databaseIdentity(config: Config, database: DatabaseHandle): Promise<string> {
  if (database.kind === 'embedded') return `pglite:${join(config.dataDir, 'pglite')}`;
  try {
    const rows: unknown = await database.db.execute(
      sql`select (select system_identifier::text from pg_control_system()) || '/' || current_database() as id`,
    );
    const id = (rows as { id?: string }[])[0]?.id;
    if (id) return `postgres:${id}`;
  } catch {
    // The role may not read the control data: the address it connects to names the database well enough.
  }
  const url = new URL(config.databaseUrl ?? '');
  return `postgres:${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

const CLAIMS_QUEUE = 'dd-task-queue-claims';

/**
 * Two deployments (two `npm start`s sharing one local dev server) must not serve one task queue from
 * different databases: each worker would run the other's workflows against its own tables. The first
 * process records its database in a claim workflow named after the queue (it never runs: nobody polls
 * its own queue); a process of another database is refused at start, before it serves anything.
 */
export async function claimTaskQueue(client: Client, taskQueue: string, database: string): Promise<void> {
  const workflowId = `dd-task-queue-claim:${taskQueue}`;
  try {
    await client.workflow.start('taskQueueClaim', {
      workflowId,
      taskQueue: CLAIMS_QUEUE,
      memo: { database },
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return;
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  const claim = await client.workflow.getHandle(workflowId).describe();
  const owner = claim.memo?.database;
  if (owner !== database)
    throw new ConfigError(
      `Temporal task queue "${taskQueue}" in namespace ${client.options.namespace} serves another database ` +
        `(${String(owner)}; this process: ${database}). Give this deployment its own TEMPORAL_TASK_QUEUE ` +
        '(or its own Temporal via TEMPORAL_ADDRESS), or use the database the queue serves.',
    );
}
