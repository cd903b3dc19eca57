/**
 * Durability: a worker killed with SIGKILL while an initiative waits for review loses nothing. Reads keep
 * working from PostgreSQL meanwhile, and after a new worker starts the same initiative continues.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, expect, inject, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { newInitiative, useHarness } from './kit/index.js';

const harness = useHarness({ worker: false });
const { who } = harness;
const children: ChildProcess[] = [];

/** The production worker entry as its own process, on this test's database and task queue. */
function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/worker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: harness.databaseUrl,
      TEMPORAL_ADDRESS: harness.temporalAddress,
      TEMPORAL_NAMESPACE: harness.namespace,
      TEMPORAL_TASK_QUEUE: harness.taskQueue,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function running(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The SDK's `Worker state changed` line, as a pino JSON line (runtime/logging.ts).
      if (output.includes('"state":"RUNNING"')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before running:\n${output}`)));
  });
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
});

it('continues an initiative after its worker was killed mid-review', async () => {
  const first = spawnWorker();
  await running(first);
  const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
  expect(created.status).toBe(201);
  const { id } = created.body;
  const approved = await harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerNW, {
    decision: 'approve',
  });
  expect(approved.status).toBe(200);

  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));

  // With no worker at all, reads are still served from the read model.
  const whileDown = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
  expect(whileDown.status).toBe(200);
  expect(whileDown.body.version).toBe(approved.body.version);
  expect(whileDown.body.reviews.find((r) => r.land === 'NW')?.status).toBe('approved');

  const second = spawnWorker();
  await running(second);
  const completed = await harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerBY, {
    decision: 'approve',
  });
  expect(completed.status).toBe(200);
  expect(completed.body.phase).toBe('adopted');

  const history = await harness.get<{ items: { type: string }[] }>(
    `/v1/initiatives/${id}/history`,
    who.viewer,
  );
  expect(history.body.items.map((e) => e.type)).toEqual([
    'initiative_created',
    'review_decided',
    'review_decided',
    'phase_changed',
  ]);
});
