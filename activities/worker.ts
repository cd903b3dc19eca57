/**
 * Builds the Temporal worker for the initiative task queue. Workflow code comes from the prebuilt bundle
 * when one is given (production: no webpack at start-up), else it is bundled from source.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Database } from '../db/client.js';
import { createActivities } from './index.js';

export interface WorkerSettings {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  webhookAllowedHosts: readonly string[];
  /** The key webhook secrets are sealed with (WEBHOOK_SECRET_KEY). */
  webhookSecretKey: Buffer;
  /** Webhook URLs must be https (NODE_ENV=production). */
  webhookHttpsOnly?: boolean;
  /** Path of a bundle made by `npm run build`; bundles from workflows/ when absent. */
  workflowBundlePath?: string | undefined;
  tuning?: Pick<
    WorkerOptions,
    | 'maxCachedWorkflows'
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'shutdownGraceTime'
  >;
}

/** The workflows' entry, as source under tsx or compiled under dist/. */
export function workflowsPath(): string {
  const workflows = join(dirname(fileURLToPath(import.meta.url)), '..', 'workflows');
  const source = join(workflows, 'index.ts');
  return existsSync(source) ? source : join(workflows, 'index.js');
}

export async function createWorker(settings: WorkerSettings): Promise<Worker> {
  return Worker.create({
    connection: settings.connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    activities: createActivities({
      db: settings.db,
      webhookAllowedHosts: settings.webhookAllowedHosts,
      webhookSecretKey: settings.webhookSecretKey,
      webhookHttpsOnly: settings.webhookHttpsOnly ?? false,
    }),
    ...(settings.workflowBundlePath
      ? { workflowBundle: { codePath: settings.workflowBundlePath } }
      : { workflowsPath: workflowsPath() }),
    ...settings.tuning,
  });
}
