/**
 * The worker containers' health check (docker-compose.yml): healthy while a worker of this host polls the
 * initiative task queue. A worker has no HTTP port to probe, and a live process alone says nothing about
 * whether it still reaches Temporal. The SDK names each worker `<pid>@<hostname>` and every container has
 * its own hostname, so one replica's check never passes on another replica's poller.
 *
 *   node dist/scripts/worker-health.js   # exit 0 healthy, 1 not polling, 2 Temporal unreachable
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { loadConfig } from '../runtime/config.js';

/** Temporal lists a poller for minutes after its last poll; a long poll is renewed at least every ~70 s. */
const POLL_MAX_AGE_MS = 120_000;
const TASK_QUEUE_TYPE_WORKFLOW = 1;

export async function hostPollsTaskQueue(
  connection: Connection,
  target: { namespace: string; taskQueue: string; host: string },
  now = Date.now(),
): Promise<boolean> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: target.namespace,
    taskQueue: { name: target.taskQueue },
    taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
  });
  return pollers.some(
    (poller) =>
      poller.identity?.endsWith(`@${target.host}`) === true &&
      now - tsToMs(poller.lastAccessTime) < POLL_MAX_AGE_MS,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  const address = config.temporal.address ?? '127.0.0.1:7233';
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 3000 });
  } catch (error) {
    console.error(`Temporal at ${address} is unreachable: ${(error as Error).message}`);
    process.exit(2);
  }
  const target = { ...config.temporal, host: hostname() };
  const polling = await hostPollsTaskQueue(connection, target);
  await connection.close();
  console.log(
    polling
      ? `a worker of ${target.host} polls ${target.taskQueue}`
      : `no worker of ${target.host} polls ${target.taskQueue} in ${target.namespace}`,
  );
  process.exit(polling ? 0 : 1);
}
