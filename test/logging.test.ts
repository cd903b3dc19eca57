/**
 * One log format: the worker's and the Temporal runtime's lines are pino JSON like the API's, with the
 * initiative id, workflow id and run id of the workflow or activity that wrote them.
 */
import { Writable } from 'node:stream';
import { Runtime } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger, temporalLogging } from '../runtime/logging.js';
import { anyString, newInitiative, useHarness } from './kit/index.js';

const anyNumber: unknown = expect.any(Number);

const lines: Record<string, unknown>[] = [];
beforeAll(() => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // Before the harness starts its worker: the Runtime is the process's one, as in main/worker.ts.
  const { logger, logging } = temporalLogging(createLogger('worker', 'debug', stream));
  Runtime.install({ logger, shutdownSignals: [], telemetryOptions: { logging } });
});
const harness = useHarness();
const { who } = harness;

describe('worker and Temporal runtime logs', () => {
  it('are pino JSON lines naming the initiative, its workflow and run', async () => {
    const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    expect(created.status).toBe(201);
    const id = created.body.id;
    await expect
      .poll(() => lines.filter((line) => line.initiativeId === id).map((line) => line.msg))
      .toEqual(expect.arrayContaining(['Workflow started', 'Activity started', 'Activity completed']));
    expect(lines.find((line) => line.initiativeId === id && line.msg === 'Activity completed')).toMatchObject(
      { activityType: anyString, durationMs: anyNumber },
    );
    for (const line of lines.filter((l) => l.initiativeId === id)) {
      expect(line).toMatchObject({ service: 'worker', workflowId: id, runId: anyString });
      expect(typeof line.level).toBe('number');
      expect(typeof line.time).toBe('number');
      expect(typeof line.msg).toBe('string');
      expect(line).not.toHaveProperty('taskToken');
    }
    // The worker's own lines (no workflow) come through the same logger.
    expect(lines.some((line) => line.component === 'worker' && line.taskQueue === harness.taskQueue)).toBe(
      true,
    );
  });
});
