/**
 * The fault tests' process harness: the whole service as separate processes on this machine, each of
 * which can be killed and started again —
 *   - a private PostgreSQL cluster (own data directory and port; never the shared one on 5432),
 *   - a Temporal dev server (the pinned CLI, Updates on) persisted in a SQLite file, so it survives restarts,
 *   - N API processes (`main/api.ts`) on fixed ports and M workers (`main/worker.ts`),
 * configured by environment exactly as in production. Logs go to test/artifacts/faults/<name>/.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.js';
import { projectRoot } from '../../runtime/config.js';
import { freePort, startDevServer, type DevServer } from '../../runtime/temporal-dev-server.js';
import { TEST_SECRET } from '../kit/tokens.js';
import { childEnv } from '../helpers/spawn.js';
import { PrivatePostgres } from '../kit/private-postgres.js';
import { ServiceProcess, type Crash } from './service-process.js';

export const artifactsDir = join(projectRoot, 'test', 'artifacts');

export interface ClusterOptions {
  /** Names the log directory. */
  name: string;
  apis: number;
  workers: number;
  workflowBundlePath: string;
  /** Extra environment for every API and worker (e.g. SHUTDOWN_TIMEOUT_MS, WEBHOOK_ALLOWED_HOSTS). */
  env?: Record<string, string>;
}

/** The Temporal dev server on a fixed port and a SQLite file, so that a restart finds everything again. */
class PersistedTemporal {
  private server: DevServer | undefined;

  constructor(
    readonly port: number,
    private readonly dbFile: string,
    private readonly log: (line: string) => void,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    this.server = await startDevServer({
      dbFile: this.dbFile,
      // WAL with NORMAL sync keeps every commit across a killed process (not across a power cut), and is
      // several times faster than the default rollback journal on this machine's disk.
      sqlitePragmas: ['journal_mode=wal', 'synchronous=normal'],
      port: this.port,
      headless: true,
      log: this.log,
    });
  }

  /** SIGKILL: a crash, not a clean stop; what it acknowledged must be in the SQLite file already. */
  async kill(): Promise<void> {
    const child = this.server?.process;
    this.server = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

export class Cluster {
  readonly apis: ServiceProcess[] = [];
  readonly workers: ServiceProcess[] = [];

  private constructor(
    private readonly scratch: string,
    readonly logDir: string,
    readonly postgres: PrivatePostgres,
    readonly temporal: PersistedTemporal,
    readonly databaseUrl: string,
    /** Observes the database from outside (verification, the API-kill fault); reconnects after restarts. */
    readonly sql: postgres.Sql,
    readonly apiPorts: number[],
  ) {}

  static async start(options: ClusterOptions): Promise<Cluster> {
    const scratch = mkdtempSync(join(tmpdir(), 'dd-faults-'));
    const logDir = join(artifactsDir, 'faults', options.name);
    rmSync(logDir, { recursive: true, force: true });
    mkdirSync(logDir, { recursive: true });
    const temporalLog = join(logDir, 'temporal.log');
    const [pgPort, temporalPort, ...apiPorts] = await Promise.all(
      Array.from({ length: options.apis + 2 }, () => freePort()),
    );
    if (pgPort === undefined || temporalPort === undefined) throw new Error('no free ports');
    const pg = await PrivatePostgres.create(scratch, pgPort);
    const admin = postgres(pg.url(), { max: 1, onnotice: () => undefined });
    await admin.unsafe('create database dd');
    await admin.end();
    const databaseUrl = pg.url('dd');
    // Migrated once here, so that the processes' own migrations at start find nothing to do.
    const migrator = await openDatabase({ url: databaseUrl, embeddedDir: '', max: 1 });
    await migrator.migrate();
    await migrator.close();

    const temporal = new PersistedTemporal(temporalPort, join(scratch, 'temporal.db'), (line) =>
      appendFileSync(temporalLog, line),
    );
    await temporal.start();

    const sql = postgres(databaseUrl, { max: 2, onnotice: () => undefined, connect_timeout: 2 });
    const cluster = new Cluster(scratch, logDir, pg, temporal, databaseUrl, sql, apiPorts);
    const common = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      AUTH_JWT_SECRET: TEST_SECRET,
      WORKFLOW_BUNDLE_PATH: options.workflowBundlePath,
      DATA_DIR: join(scratch, 'data'),
      LOG_LEVEL: 'warn',
      ...options.env,
    };
    apiPorts.forEach((port, i) =>
      cluster.apis.push(
        new ServiceProcess(
          `api-${i + 1}`,
          'main/api.ts',
          childEnv({ ...common, PORT: String(port), HOST: '127.0.0.1' }),
          { kind: 'http', url: `http://127.0.0.1:${port}` },
          join(logDir, `api-${i + 1}.log`),
        ),
      ),
    );
    for (let i = 0; i < options.workers; i++)
      cluster.workers.push(
        new ServiceProcess(
          `worker-${i + 1}`,
          'main/worker.ts',
          // Its readiness is its `info` line "worker running on task queue" (pino drops it below info).
          childEnv({ ...common, LOG_LEVEL: 'info' }),
          { kind: 'line', text: 'worker running on task queue' },
          join(logDir, `worker-${i + 1}.log`),
        ),
      );
    await Promise.all([...cluster.apis, ...cluster.workers].map((service) => service.start()));
    return cluster;
  }

  apiUrl(index: number): string {
    return `http://127.0.0.1:${this.apiPorts[index]}`;
  }

  get apiUrls(): string[] {
    return this.apiPorts.map((_, i) => this.apiUrl(i));
  }

  /** Processes that exited without being asked to (and were started again), by name. */
  crashes(): Record<string, Crash[]> {
    return Object.fromEntries(
      [...this.apis, ...this.workers]
        .filter((service) => service.crashes.length > 0)
        .map((service) => [service.name, service.crashes]),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map((service) => service.retire()));
    await this.sql.end({ timeout: 1 }).catch(() => undefined);
    await this.temporal.kill();
    await this.postgres.destroy();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
