/**
 * What every fault test starts with: a cluster, a webhook receiver subscribed to every event (so that
 * notifications are checked too), the principals, and a retrying client over all API processes.
 */
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { WEBHOOK_EVENTS } from '../../workflows/contracts.js';
import { WebhookReceiver } from '../kit/receiver.js';
import { isAcknowledged, newCounters, ResilientClient } from './client.js';
import { Cluster, type ClusterOptions } from './cluster.js';
import type { FaultRecord } from './faults.js';
import { people } from './lifecycles.js';
import { summarize, type FaultSummary } from './summary.js';
import type { Verification } from './verify.js';

export interface FaultRun {
  cluster: Cluster;
  receiver: WebhookReceiver;
  client: ResilientClient;
  who: Awaited<ReturnType<typeof people>>;
  close(): Promise<void>;
}

export async function startFaultRun(
  options: Omit<ClusterOptions, 'env'> & { env?: Record<string, string> },
): Promise<FaultRun> {
  const receiver = await WebhookReceiver.start();
  const cluster = await Cluster.start({
    ...options,
    env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:*', ...options.env },
  });
  const who = await people();
  const client = new ResilientClient(() => cluster.apiUrls);
  const subscribed = await client.command('subscribe', who.admin, '/v1/webhooks', {
    url: receiver.rule('/hooks', () => 204),
    events: [...WEBHOOK_EVENTS],
    secret: 'fault-suite-webhook-secret',
  });
  if (!isAcknowledged(subscribed)) throw new Error(`webhook subscription: ${subscribed.statuses.join(', ')}`);
  // The figures count the run's commands only.
  Object.assign(client.counters, newCounters());
  client.acknowledgedByApi.length = 0;
  return {
    cluster,
    receiver,
    client,
    who,
    async close() {
      await cluster.close();
      await receiver.close();
    },
  };
}

/**
 * The test file's fault run: started before its first test (on the run's workflow bundle), closed after
 * its last. The handle is filled in once `beforeAll` ran.
 */
export function useFaultRun(
  options: Omit<ClusterOptions, 'env' | 'workflowBundlePath'> & { env?: Record<string, string> },
): FaultRun {
  const run = {} as FaultRun;
  beforeAll(async () => {
    Object.assign(run, await startFaultRun({ ...options, workflowBundlePath: inject('workflowBundlePath') }));
  });
  afterAll(() => run.close?.());
  return run;
}

/** The run's summary: its processes, `clients`, the faults injected, the commands' figures and crashes. */
export function summarizeRun(
  run: FaultRun,
  name: string,
  started: number,
  clients: number,
  faults: FaultRecord[],
  verification: Verification,
  extra: Record<string, unknown>,
): FaultSummary {
  const { cluster, client } = run;
  const processes = { apis: cluster.apis.length, workers: cluster.workers.length, clients };
  return summarize(name, started, processes, faults, client.counters, verification, cluster.crashes(), extra);
}

/** Nothing acknowledged lost, nothing twice, the audit chain intact, every lifecycle in its phase, no 5xx. */
export function expectNothingLostOrTwice(run: FaultRun, summary: FaultSummary, verification: Verification) {
  expect(verification.problems).toEqual([]);
  expect(summary.lost).toBe(0);
  expect(summary.duplicated).toBe(0);
  expect(verification.audit.ok).toBe(true);
  expect(verification.unacknowledged).toBe(0);
  expect(verification.wrongPhase).toBe(0);
  expect(run.client.counters.serverErrors).toBe(0);
}
