/**
 * /metrics: Prometheus text without a token, request latency labelled by route pattern, initiatives by
 * phase from the database, and the Temporal worker's metrics, both on the worker's own endpoint and
 * inside /metrics of the all-in-one process (`npm start`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeLoopbackAddress } from '../runtime/telemetry.js';
import type { Initiative } from '../workflows/contracts.js';
import { eventually, newInitiative, TEST_SECRET, useHarness } from './kit/index.js';
import { childEnv } from './helpers/spawn.js';

const harness = useHarness({ worker: false });
const { who } = harness;
let child: ChildProcess | undefined;
let dataDir: string;
let allInOne: string;
let workerEndpoint: string;

const scrape = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

/** The value of one sample line, e.g. `dd_initiatives{phase="review"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  // The all-in-one process runs the only worker on this test's task queue.
  dataDir = mkdtempSync(join(tmpdir(), 'dd-metrics-'));
  const [api, worker] = await Promise.all([freeLoopbackAddress(), freeLoopbackAddress()]);
  allInOne = `http://${api}`;
  workerEndpoint = `http://${worker}/metrics`;
  child = spawn(process.execPath, ['--import', 'tsx', 'main/start.ts'], {
    env: childEnv({
      HOST: '127.0.0.1',
      PORT: api.split(':')[1],
      DATA_DIR: dataDir,
      DATABASE_URL: harness.databaseUrl,
      TEMPORAL_ADDRESS: harness.temporalAddress,
      TEMPORAL_NAMESPACE: harness.namespace,
      TEMPORAL_TASK_QUEUE: harness.taskQueue,
      TEMPORAL_UI_URL: 'http://temporal-ui.example:8080',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      AUTH_JWT_SECRET: TEST_SECRET,
      WORKER_METRICS_ADDRESS: worker,
      LOG_LEVEL: 'warn',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(
    () =>
      fetch(`${allInOne}/healthz`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200 || child?.exitCode !== null,
    { timeoutMs: 90_000, what: 'npm start to listen' },
  );
  if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('/metrics of the API', () => {
  it('needs no token, speaks the Prometheus text format, labels latency by route pattern', async () => {
    const created = await fetch(`${allInOne}/v1/initiatives`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.proposerBY}`, 'content-type': 'application/json' },
      body: JSON.stringify(newInitiative()),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as Initiative;
    for (let i = 0; i < 3; i++)
      expect((await harness.get(`/v1/initiatives/${id}`, who.viewer)).status).toBe(200);
    expect((await harness.get(`/v1/initiatives/DD-2000-9999`, who.viewer)).status).toBe(404);

    const { status, type, text } = await scrape(`${harness.baseUrl}/metrics`);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const read =
      'http_request_duration_seconds_count{route="/v1/initiatives/:id",method="GET",status_code="200"}';
    expect(sample(text, read)).toBe(3);
    expect(
      sample(
        text,
        'http_request_duration_seconds_count{route="/v1/initiatives/:id",method="GET",status_code="404"}',
      ),
    ).toBe(1);
    // the pattern, never an id: one series per route, not per initiative
    expect(text).not.toContain(id);
    expect(text).not.toContain('DD-2000-9999');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('counts initiatives by phase from the database, and the event log head', async () => {
    const { text } = await scrape(`${harness.baseUrl}/metrics`);
    expect(sample(text, 'dd_initiatives{phase="review"}')).toBe(1);
    expect(sample(text, 'dd_initiatives{phase="adopted"}')).toBe(0);
    expect(sample(text, 'dd_event_log_last_id')).toBeGreaterThanOrEqual(1);
  });
});

describe('Temporal worker metrics', () => {
  it("the worker serves the SDK's metrics on its own address", async () => {
    const { status, text } = await eventually(
      () => scrape(workerEndpoint),
      (r) => r.status === 200 && r.text.includes('temporal_workflow_task'),
      { timeoutMs: 30_000, what: 'workflow task metrics' },
    );
    expect(status).toBe(200);
    expect(text).toMatch(new RegExp(`task_queue="${harness.taskQueue}"`));
  });

  it('/metrics of the all-in-one process includes them', async () => {
    const { text } = await scrape(`${allInOne}/metrics`);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('temporal_workflow_task');
    expect(sample(text, 'dd_initiatives{phase="review"}')).toBe(1);
  });

  it('the all-in-one process links the configured Temporal Web UI on /readyz', async () => {
    const ready = (await (await fetch(`${allInOne}/readyz`)).json()) as { temporalUi?: string };
    expect(ready.temporalUi).toBe('http://temporal-ui.example:8080');
  });
});
