/**
 * A Temporal worker in a process of its own, so that its RSS can be read from /proc/<pid>/status.
 * BENCH_WORKER=real: activities/worker.ts createWorker with the project's bundle and activities on
 * PostgreSQL. BENCH_WORKER=baseline: the minimal workflow of bench/baseline (no activities). The tuning
 * (cache size, concurrency) comes explicitly from BENCH_WORKER_TUNING.
 */
import { randomBytes } from 'node:crypto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createWorker } from '../../activities/worker.js';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';
import type { WorkerTuning } from '../config.js';
import { fail, ready, required, serve } from './common.js';

try {
  // The child handles SIGTERM itself (serve below), so that it can exit and write its CPU profile.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const tuning = JSON.parse(required('BENCH_WORKER_TUNING')) as WorkerTuning;
  const connection = await NativeConnection.connect({ address: required('BENCH_TEMPORAL_ADDRESS') });
  const namespace = required('BENCH_NAMESPACE');
  const taskQueue = required('BENCH_TASK_QUEUE');
  let database: DatabaseHandle | undefined;
  let worker: Worker;
  if (required('BENCH_WORKER') === 'real') {
    database = await openDatabase({ url: required('BENCH_DATABASE_URL'), embeddedDir: '' });
    worker = await createWorker({
      connection,
      namespace,
      taskQueue,
      db: database.db,
      webhookAllowedHosts: [],
      webhookSecretKey: randomBytes(32),
      workflowBundlePath: required('BENCH_WORKFLOW_BUNDLE'),
      tuning: {
        maxCachedWorkflows: tuning.maxCachedWorkflows,
        maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
        maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
      },
    });
  } else {
    worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      workflowBundle: { codePath: required('BENCH_WORKFLOW_BUNDLE') },
      maxCachedWorkflows: tuning.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
      maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
    });
  }
  const running = worker.run();
  serve(async () => {
    worker.shutdown();
    await running;
    await connection.close();
    await database?.close();
  });
  ready();
} catch (error) {
  fail(error);
}
