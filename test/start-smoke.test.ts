/**
 * The embedded default: `npm start` as a real process on PGlite (no DATABASE_URL) in a data directory of
 * its own, spoken to over real HTTP. An initiative is created and approved, read, the process is stopped
 * (SIGTERM, as Ctrl-C or a service manager would) and started again on the same directory: the initiative
 * is still there, unchanged, and takes further commands. Temporal is the test run's dev server (the local
 * dev server `npm start` would otherwise start sits on fixed ports other runs may hold).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeLoopbackAddress } from '../runtime/telemetry.js';
import type { Initiative } from '../workflows/contracts.js';
import { childEnv } from './helpers/spawn.js';
import {
  ApiClient,
  eventually,
  newInitiative,
  principals,
  registerNamespace,
  TEST_SECRET,
} from './kit/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'dd-start-smoke-'));
const namespace = `start-smoke-${randomBytes(4).toString('hex')}`;
let address: string;
let running: { child: ChildProcess; output: () => string; exited: Promise<number | null> } | undefined;

/**
 * What `npm start` runs (`tsx main/start.ts`, here as node with tsx's loader, so that the signal reaches the
 * service itself and its exit code is the test's to see), with nothing set but the port, the data
 * directory, Temporal and a known token secret.
 */
async function npmStart() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/start.ts'], {
    env: childEnv({
      DATABASE_URL: undefined,
      NODE_ENV: undefined,
      HOST: '127.0.0.1',
      PORT: address.split(':')[1],
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: namespace,
      AUTH_JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  running = { child, output: () => output, exited };
  await eventually(
    () =>
      fetch(`http://${address}/readyz`).then(
        (response) => response.status,
        () => 0,
      ),
    (status) => status === 200 || child.exitCode !== null,
    { timeoutMs: 120_000, intervalMs: 500, what: 'npm start to be ready' },
  );
  if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
  return running;
}

async function stop(): Promise<number | null> {
  if (!running) return null;
  const { child, exited } = running;
  running = undefined;
  if (child.exitCode === null) child.kill('SIGTERM');
  return exited;
}

beforeAll(async () => {
  address = await freeLoopbackAddress();
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  await registerNamespace(connection, namespace);
  await connection.close();
});

afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on the embedded database', () => {
  it('creates, approves and reads; after a restart the initiative is still there and takes commands', async () => {
    const who = await principals();
    const first = await npmStart();
    expect(first.output()).toMatch(/Digital Dialog is up: API http:\/\/127\.0\.0\.1:\d+ .*database embedded/);
    const api = new ApiClient(`http://${address}`);

    const created = await api.post<Initiative>('/v1/initiatives', who.proposerBY, newInitiative());
    expect(created.status).toBe(201);
    const { id } = created.body;
    const approved = await api.post<Initiative>(`/v1/initiatives/${id}/reviews`, who.reviewerNW, {
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    const before = await api.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
    expect(before.status).toBe(200);
    expect(before.body.version).toBe(approved.body.version);

    // Stopped as a service manager stops it: drains and exits cleanly, the database closed.
    const output = first.output();
    expect(await stop(), output).toBe(0);
    expect(first.output()).toContain('SIGTERM: draining');
    expect(await fetch(`http://${address}/healthz`).catch(() => 'refused')).toBe('refused');

    await npmStart();
    const after = await api.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    const list = await api.get<{ items: { id: string }[] }>('/v1/initiatives', who.viewer);
    expect(list.body.items.map((item) => item.id)).toContain(id);
    // The workflow lives on in Temporal and the new process's worker serves it.
    const adopted = await api.post<Initiative>(`/v1/initiatives/${id}/reviews`, who.reviewerBY, {
      decision: 'approve',
    });
    expect(adopted.status).toBe(200);
    expect(adopted.body.phase).toBe('adopted');
    expect((await api.get<Initiative>(`/v1/initiatives/${id}`, who.viewer)).body.version).toBe(
      adopted.body.version,
    );
  }, 300_000);
});
