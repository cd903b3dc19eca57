/**
 * The workflow interceptors of the bundle (scripts/bundle-workflows.ts, activities/worker.ts): Temporal's
 * OpenTelemetry interceptors, but only for work that arrives with a trace. A start or an Update carries its
 * caller's span context in the `_tracer-data` header when the API traces (runtime/tracing.ts); then the
 * workflow run or Update handler gets its span, and the activities it schedules get theirs and the
 * context in their headers. Without that header everything passes straight through: untraced deployments
 * pay nothing, and histories recorded without tracing replay exactly as before (the headers are part of
 * the history, so what is traced is decided deterministically).
 */
import { context, trace } from '@opentelemetry/api';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type {
  ActivityInput,
  LocalActivityInput,
  GetLogAttributesInput,
  Next,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** Where the interceptors carry the span context (`TRACE_HEADER` of the package's instrumentation module). */
const TRACE_HEADER = '_tracer-data';
const traced = (headers: Record<string, unknown>) => headers[TRACE_HEADER] !== undefined;
/** A span is active: this code runs on behalf of a traced start or Update. */
const inTrace = () => trace.getSpan(context.active()) !== undefined;

class TracedInbound implements WorkflowInboundCallsInterceptor {
  private readonly otel = new OpenTelemetryInboundInterceptor();

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
    return traced(input.headers) ? this.otel.execute(input, next) : next(input);
  }
  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>) {
    return traced(input.headers) ? this.otel.handleUpdate(input, next) : next(input);
  }
  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>) {
    if (traced(input.headers)) this.otel.validateUpdate(input, next);
    else next(input);
  }
}

class TracedOutbound implements WorkflowOutboundCallsInterceptor {
  private readonly otel = new OpenTelemetryOutboundInterceptor();

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    return inTrace() ? this.otel.scheduleActivity(input, next) : next(input);
  }
  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ) {
    return inTrace() ? this.otel.scheduleLocalActivity(input, next) : next(input);
  }
  /** The workflow's log lines name the span they were written in (traceId/spanId, runtime/logging.ts). */
  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ) {
    return this.otel.getLogAttributes(input, next);
  }
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new TracedInbound()],
  outbound: [new TracedOutbound()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
