/**
 * A throwaway PostgreSQL cluster — own data directory, port and socket directory — from the machine's
 * PostgreSQL binaries: the tests' database when no server is configured or running (test/global-setup.ts),
 * and the fault suite's own, which it crashes and restarts without touching the one the other tests use. PostgreSQL refuses
 * to run as root, so its tools run as user `postgres` through runuser.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest installed server's binaries (PG_BIN_DIR overrides), as scripts/test-postgres.sh uses. */
function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (!newest) throw new Error('no PostgreSQL under /usr/lib/postgresql: run scripts/test-postgres.sh');
  return join('/usr/lib/postgresql', newest, 'bin');
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

async function asPostgres(tool: string, args: string[]): Promise<string> {
  const { stdout } = await run('runuser', ['-u', 'postgres', '--', join(binDir(), tool), ...args], {
    timeout: 120_000,
  });
  return stdout;
}

export class PrivatePostgres {
  private running = false;

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** initdb into `<dir>/pgdata` (trust authentication on loopback only) and start it on `port`. */
  static async create(dir: string, port: number): Promise<PrivatePostgres> {
    const { uid, gid } = await postgresIds();
    // The scratch directory is root's; postgres needs to reach its own subdirectory in it.
    chmodSync(dir, 0o755);
    for (const sub of ['pgdata', 'pgsocket']) {
      mkdirSync(join(dir, sub), { mode: 0o700 });
      chownSync(join(dir, sub), uid, gid);
    }
    const cluster = new PrivatePostgres(dir, port);
    await asPostgres('initdb', [
      '-D',
      cluster.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    await cluster.start();
    return cluster;
  }

  private get dataDir(): string {
    return join(this.dir, 'pgdata');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${join(this.dir, 'pgsocket')}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
      // Crash restarts replay the WAL; a quick checkpoint keeps that replay short.
      '-c checkpoint_timeout=30s',
    ].join(' ');
    await asPostgres('pg_ctl', [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      this.dataDir,
      '-l',
      join(this.dataDir, 'server.log'),
      '-o',
      options,
    ]);
    this.running = true;
  }

  /**
   * `immediate` is a crash: every backend is killed without a checkpoint and the next start recovers from
   * the WAL. `fast` rolls back open transactions and shuts down cleanly.
   */
  async stop(mode: 'immediate' | 'fast'): Promise<void> {
    this.running = false;
    await asPostgres('pg_ctl', ['stop', '-w', '-t', '60', '-m', mode, '-D', this.dataDir]);
  }

  async destroy(): Promise<void> {
    if (this.running) await this.stop('immediate').catch(() => undefined);
  }
}
