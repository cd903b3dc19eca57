/**
 * One log format for every process: pino's JSON lines. The API logs through Fastify (which is pino); the
 * worker, the Temporal SDK's runtime (its own messages, those of workflow and activity code, and the core's
 * forwarded Rust logs) and the entry points log through the same logger, with the same field names:
 * `service`, `requestId` (API), `initiativeId`, `workflowId`, `runId`, `activityType`, `component`.
 */
import { makeTelemetryFilterString, type Logger, type LogLevel, type LogMetadata } from '@temporalio/worker';
import { context, trace } from '@opentelemetry/api';
import { pino, type Logger as PinoLogger } from 'pino';

export type { PinoLogger };

/**
 * `traceId` and `spanId` of the span a line is written in (runtime/tracing.ts), so that a log line leads
 * to its trace. Without tracing there is never an active span: the lookup finds nothing and adds nothing.
 */
export function traceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/** The process's logger; `service` says which entry point wrote a line (api, worker, start, migrate). */
export function createLogger(
  service: string,
  level: string,
  destination?: NodeJS.WritableStream,
): PinoLogger {
  const options = { level, base: { service }, mixin: traceFields };
  return destination ? pino(options, destination) : pino(options);
}

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
/**
 * The initiative a workflow serves: an initiative's workflow has the initiative's id as its id
 * (api/temporal.ts), its notification runs `<id>/notifications/<seq>` (workflows/initiative.ts).
 */
function initiativeOf(workflowType: unknown, workflowId: unknown): string | undefined {
  if (typeof workflowId !== 'string') return undefined;
  if (workflowType === 'initiativeWorkflow') return workflowId;
  if (workflowType === 'notificationWorkflow') return workflowId.split('/notifications/')[0];
  return undefined;
}

/** The Temporal SDK's metadata in our field names. */
function fieldsOf(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  // The task token is an opaque credential of the activity task: not for logs.
  // trace_id/span_id: the OpenTelemetry interceptors' names for the workflow's or activity's span.
  const {
    sdkComponent,
    error,
    workflowRunId,
    trace_id: traceId,
    span_id: spanId,
    ...rest
  } = meta as Record<string, unknown>;
  delete rest.trace_flags;
  const fields: Record<string, unknown> = { ...rest };
  // The task token is an opaque credential of the activity task: not for logs.
  delete fields.taskToken;
  fields.component = typeof sdkComponent === 'string' ? sdkComponent : 'temporal';
  if (workflowRunId !== undefined) fields.runId = workflowRunId;
  if (traceId !== undefined) fields.traceId = traceId;
  if (spanId !== undefined) fields.spanId = spanId;
  if (error !== undefined) fields.err = error;
  const initiativeId = initiativeOf(meta.workflowType, meta.workflowId);
  if (initiativeId !== undefined) fields.initiativeId = initiativeId;
  return fields;
}

/** The Temporal runtime's logger, writing through pino. */
export class TemporalPinoLogger implements Logger {
  constructor(private readonly pino: PinoLogger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.pino[PINO_LEVEL[level]](fieldsOf(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * The Runtime's logging options: everything through `logger`, the core's own (Rust) messages forwarded at
 * warnings and above, or at debug/trace when LOG_LEVEL asks for that much.
 */
export function temporalLogging(logger: PinoLogger) {
  const core = logger.level === 'trace' ? 'TRACE' : logger.level === 'debug' ? 'DEBUG' : 'WARN';
  return {
    logger: new TemporalPinoLogger(logger),
    logging: { forward: {}, filter: makeTelemetryFilterString({ core }) },
  };
}
