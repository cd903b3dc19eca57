/**
 * A fresh database against kept Temporal state (or two deployments in one namespace): references the
 * database hands out may already name workflows in Temporal. A create then moves past them, never 500
 * (docs/hardening.md#workflow-ids).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { loadConfig } from '../runtime/config.js';
import { claimTaskQueue, databaseIdentity } from '../runtime/services.js';
import type { Initiative } from '../workflows/contracts.js';
import { newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

/** Workflows another deployment started under the next `count` references; nobody polls their queue. */
async function takeInTemporal(after: string, count: number): Promise<string[]> {
  const match = /^DD-(\d{4})-(\d{4,})$/.exec(after);
  if (!match) throw new Error(`not a reference: ${after}`);
  const taken = Array.from(
    { length: count },
    (_, i) => `DD-${match[1]}-${String(Number(match[2]) + 1 + i).padStart(4, '0')}`,
  );
  for (const id of taken)
    await harness.client.workflow.start('initiativeWorkflow', {
      workflowId: id,
      taskQueue: `elsewhere-${randomUUID()}`,
      args: [],
    });
  return taken;
}

const next = (reference: string, by: number) =>
  reference.replace(/(\d{4,})$/, (n) => String(Number(n) + by).padStart(4, '0'));

describe('references Temporal holds already', () => {
  it('a create moves past them: 201 with the next free reference, not 500', async () => {
    const first = await harness.post<Initiative>('/v1/initiatives', who.proposerBY, newInitiative());
    expect(first.status).toBe(201);
    await takeInTemporal(first.body.id, 2);
    const created = await harness.post<Initiative>('/v1/initiatives', who.proposerBY, newInitiative());
    expect(created.status).toBe(201);
    expect(created.body.id).toBe(next(first.body.id, 3));
    const read = await harness.get<Initiative>(`/v1/initiatives/${created.body.id}`, who.proposerBY);
    expect(read.status).toBe(200);
    // The counter stays past them: the next create needs no skipping.
    const after = await harness.post<Initiative>('/v1/initiatives', who.proposerBY, newInitiative());
    expect(after.body.id).toBe(next(first.body.id, 4));
  });

  it('with an Idempotency-Key the moved reference is kept: a retry answers the same initiative', async () => {
    const first = await harness.post<Initiative>('/v1/initiatives', who.proposerBY, newInitiative());
    await takeInTemporal(first.body.id, 1);
    const headers = { 'idempotency-key': randomUUID() };
    const body = newInitiative({ title: 'Nach vorn gerückt' });
    const created = await harness.post<Initiative>('/v1/initiatives', who.proposerBY, body, headers);
    expect(created.status).toBe(201);
    expect(created.body.id).toBe(next(first.body.id, 2));
    const retried = await harness.post<Initiative>('/v1/initiatives', who.proposerBY, body, headers);
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(created.body);
  });
});

describe('one task queue, one database', () => {
  it('a second deployment of another database is refused on the queue; the same database may share it', async () => {
    const queue = `claimed-${randomUUID()}`;
    await claimTaskQueue(harness.client, queue, 'postgres:cluster-a/dd');
    await claimTaskQueue(harness.client, queue, 'postgres:cluster-a/dd');
    await expect(claimTaskQueue(harness.client, queue, 'postgres:cluster-b/dd')).rejects.toThrow(
      new RegExp(`"${queue}" .* serves another database \\(postgres:cluster-a/dd; .*TEMPORAL_TASK_QUEUE`),
    );
    await claimTaskQueue(harness.client, `${queue}-own`, 'postgres:cluster-b/dd');
  });

  it('databases are told apart by cluster and name', async () => {
    const config = loadConfig({ DATABASE_URL: harness.databaseUrl });
    const database = await openDatabase({ url: harness.databaseUrl, embeddedDir: '', max: 1 });
    try {
      const identity = await databaseIdentity(config, database);
      expect(identity).toMatch(/^postgres:\d+\/dd_test_/);
      expect(identity.endsWith(new URL(harness.databaseUrl).pathname)).toBe(true);
    } finally {
      await database.close();
    }
  });
});
