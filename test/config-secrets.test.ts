/**
 * Secrets as files (`<NAME>_FILE`, the Docker/Compose secrets convention): the loader on real files in a
 * temporary directory, and the API entry started on a secret it reads from a file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, loadConfig, projectRoot, SECRET_SETTINGS } from '../runtime/config.js';
import { freePort } from '../runtime/temporal-dev-server.js';
import { createDatabase, type ScratchDatabase } from './helpers/database.js';
import { childEnv, runProcess } from './helpers/spawn.js';
import { eventually, principals } from './kit/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dd-secrets-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const JWT_SECRET = 'file-secret-for-development-tokens-7c1e5a';

describe('loadConfig with <NAME>_FILE', () => {
  it('reads every secret setting from its file, without the trailing newline', () => {
    const config = loadConfig({
      AUTH_JWT_SECRET_FILE: file('jwt', `${JWT_SECRET}\n`),
      DATABASE_URL_FILE: file('db', 'postgres://dd_service:p%40ss@db:5432/dd\r\n'),
      METRICS_TOKEN_FILE: file('metrics', 'scrape-token-a1'),
    });
    expect(config.jwtSecret).toBe(JWT_SECRET);
    expect(config.databaseUrl).toBe('postgres://dd_service:p%40ss@db:5432/dd');
    expect(config.metricsToken).toBe('scrape-token-a1');
    // only the one trailing newline goes; the rest of the content is the value
    expect(loadConfig({ METRICS_TOKEN_FILE: file('two-lines', ' a b \n\n') }).metricsToken).toBe(' a b \n');
  });

  it('still takes the plain variables, and leaves unset what neither gives', () => {
    const config = loadConfig({ AUTH_JWT_SECRET: JWT_SECRET, METRICS_TOKEN: 'plain' });
    expect([config.jwtSecret, config.metricsToken, config.databaseUrl]).toEqual([
      JWT_SECRET,
      'plain',
      undefined,
    ]);
  });

  it.each(SECRET_SETTINGS)('refuses %s and %s_FILE both set, naming both and neither value', (name) => {
    const path = file(`both-${name}`, 'value-in-the-file-0123456789abcdef0123');
    const attempt = () =>
      loadConfig({ [name]: 'value-in-the-env-0123456789abcdef0123', [`${name}_FILE`]: path });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`${name} and ${name}_FILE are both set`);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).not.toMatch(/value-in-the/);
  });

  it('refuses a missing, an unreadable and an empty file, naming variable and path', () => {
    const missing = join(dir, 'no-such-file');
    expect(() => loadConfig({ DATABASE_URL_FILE: missing })).toThrow(
      `DATABASE_URL_FILE=${missing} cannot be read (ENOENT).`,
    );
    // a directory cannot be read as a file, whoever runs the test (root reads files of mode 000)
    expect(() => loadConfig({ METRICS_TOKEN_FILE: dir })).toThrow(
      `METRICS_TOKEN_FILE=${dir} cannot be read (EISDIR).`,
    );
    const locked = file('locked', 'locked-secret-value');
    chmodSync(locked, 0o000);
    if (process.getuid?.() !== 0)
      expect(() => loadConfig({ METRICS_TOKEN_FILE: locked })).toThrow(
        /METRICS_TOKEN_FILE=.*locked cannot be read \(EACCES\)/,
      );
    const empty = file('empty', '\n');
    expect(() => loadConfig({ AUTH_JWT_SECRET_FILE: empty })).toThrow(
      `AUTH_JWT_SECRET_FILE=${empty} is empty.`,
    );
  });

  it('checks a secret from a file like one from the environment', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET_FILE: file('short', 'short-secret\n') })).toThrow(
      /AUTH_JWT_SECRET must be at least 32 bytes/,
    );
  });
});

describe('main/api.ts with AUTH_JWT_SECRET_FILE', () => {
  let database: ScratchDatabase | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null)
      await new Promise<void>((resolve) => {
        child?.once('exit', () => resolve());
        child?.kill('SIGTERM');
      });
    await database?.drop();
  });

  it('refuses to start with both set, naming both variables and not the secret', async () => {
    const refused = await runProcess(
      process.execPath,
      ['--import', 'tsx', 'main/api.ts'],
      childEnv({
        PORT: '0',
        AUTH_JWT_SECRET: 'the-plain-secret-0123456789abcdef0123',
        AUTH_JWT_SECRET_FILE: file('api-both', JWT_SECRET),
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x',
      }),
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('AUTH_JWT_SECRET and AUTH_JWT_SECRET_FILE are both set');
    expect(refused.stdout + refused.stderr).not.toContain('the-plain-secret');
    expect(refused.stdout + refused.stderr).not.toContain(JWT_SECRET);
  });

  it('starts, and accepts tokens signed with the secret from the file (only those)', async () => {
    database = await createDatabase('dd_secrets');
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'main/api.ts'], {
      cwd: projectRoot,
      env: childEnv({
        HOST: '127.0.0.1',
        PORT: String(port),
        AUTH_MODE: 'development',
        AUTH_JWT_SECRET: undefined,
        AUTH_JWT_SECRET_FILE: file('api-jwt', `${JWT_SECRET}\n`),
        DATABASE_URL: undefined,
        DATABASE_URL_FILE: file('api-db', `${database.url}\n`),
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        DATA_DIR: join(dir, 'data'),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const ready = await eventually(
      () =>
        fetch(`${baseUrl}/readyz/reads`).then(
          (response) => response.status,
          () => 0,
        ),
      (status) => status === 200 || child?.exitCode !== null,
      { timeoutMs: 60_000, intervalMs: 500, what: 'the API to be ready' },
    );
    expect(ready, output).toBe(200);
    const list = async (secret?: string) => {
      const { viewer } = await principals(secret === undefined ? {} : { secret });
      return (await fetch(`${baseUrl}/v1/initiatives`, { headers: { authorization: `Bearer ${viewer}` } }))
        .status;
    };
    expect(await list(JWT_SECRET)).toBe(200);
    // the trailing newline is not part of the key, and the harness's usual secret is not this API's
    expect(await list(`${JWT_SECRET}\n`)).toBe(401);
    expect(await list()).toBe(401);
    expect(output).not.toContain(JWT_SECRET);
  }, 90_000);
});
