/**
 * OpenTelemetry tracing: one trace from the HTTP request through the Temporal Update, the workflow task
 * and its activities down to their SQL. On only when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: then spans go over OTLP (HTTP/protobuf) to that collector
 * (compose: Jaeger). Off, nothing is registered: no provider, no hooks, no interceptors, no query wrappers.
 *
 * The pieces that make the spans live where the work happens and take the `Tracing` this module builds:
 * api/tracing.ts (the HTTP server span), db/tracing.ts (a span per SQL statement), the Temporal client
 * interceptor (runtime/services.ts), the activity interceptors and the workflow span sink
 * (activities/worker.ts), and the workflow interceptors inside the workflow bundle (workflows/interceptors.ts).
 */
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

export interface Tracing {
  tracer: Tracer;
  /** Where finished spans go; the worker hands it the workflow sandbox's spans too. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

const TRACER_NAME = 'digital-dialog';

/** The collector's address when tracing is asked for (the variables the OTLP exporter itself reads). */
export function otlpEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
}

/**
 * Registers a tracer provider for the process (context over AsyncLocalStorage, W3C `traceparent`
 * propagation) with `spanProcessor` as its only processor. Tests pass an in-memory exporter's processor.
 */
export function installTracing(service: string, spanProcessor: SpanProcessor, version = '0.1.0'): Tracing {
  const resource = new Resource({
    [ATTR_SERVICE_NAME]: `digital-dialog-${service}`,
    [ATTR_SERVICE_VERSION]: version,
  });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new W3CTraceContextPropagator(),
  });
  return {
    tracer: provider.getTracer(TRACER_NAME, version),
    spanProcessor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** Tracing over OTLP when an endpoint is configured, else undefined (and nothing installed). */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!otlpEndpoint(env)) return undefined;
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT… itself.
  return installTracing(service, new BatchSpanProcessor(new OTLPTraceExporter()));
}

/** The Temporal client's interceptors: a span per start/update/query, its context sent in the headers. */
export function temporalClientInterceptors(tracing: Tracing | undefined) {
  return tracing
    ? { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] }
    : undefined;
}
