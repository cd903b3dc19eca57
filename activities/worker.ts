/**
 * Builds the Temporal worker for the initiative task queue. Workflow code comes from the prebuilt bundle
 * when one is given (production: no webpack at start-up), else it is bundled from source.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Tracer } from '@opentelemetry/api';
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
  /** Tracing (runtime/tracing.ts): spans for activities, and the workflow sandbox's spans exported. */
  tracing?: { tracer: Tracer; spanProcessor: SpanProcessor; resource: Resource } | undefined;
}

/** The workflows' entry, as source under tsx or compiled under dist/. */
export function workflowsPath(): string {
  const workflows = join(dirname(fileURLToPath(import.meta.url)), '..', 'workflows');
  const source = join(workflows, 'index.ts');
  return existsSync(source) ? source : join(workflows, 'index.js');
}

/** The workflow interceptors (workflows/interceptors.ts), as source under tsx or compiled under dist/. */
export function workflowInterceptorsPath(): string {
  return workflowsPath().replace(/index\.(ts|js)$/, 'interceptors.$1');
}

/** Activity spans (children of the span that scheduled them) and the exporter of workflow spans. */
function tracingOptions(tracing: NonNullable<WorkerSettings['tracing']>) {
  const options = { tracer: tracing.tracer };
  return {
    interceptors: {
      activity: [
        (ctx: Parameters<typeof createActivityInterceptors>[0]) => createActivityInterceptors(ctx, options),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}

function createActivityInterceptors(
  ctx: ConstructorParameters<typeof OpenTelemetryActivityInboundInterceptor>[0],
  options: { tracer: Tracer },
) {
  return {
    inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options),
    outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
  };
}

export async function createWorker(settings: WorkerSettings): Promise<Worker> {
  const tracing = settings.tracing ? tracingOptions(settings.tracing) : undefined;
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
    ...(tracing ? { sinks: tracing.sinks } : {}),
    interceptors: {
      ...tracing?.interceptors,
      // Bundled from source: the workflow interceptors join the bundle here (prebuilt: they are in it).
      ...(settings.workflowBundlePath ? {} : { workflowModules: [workflowInterceptorsPath()] }),
    },
  });
}
