/**
 * Tracing (runtime/tracing.ts) on real parts, with an in-memory exporter in place of OTLP: one command is
 * one trace, from the HTTP request through the Temporal Update, the workflow's Update handler and the
 * activity it schedules down to the activity's SQL; the request id is on the server span, and the log
 * lines of the API and of the activity carry the trace's ids.
 */
import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Runtime } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, temporalLogging } from '../runtime/logging.js';
import { installTracing } from '../runtime/tracing.js';
import { useHarness } from './kit/index.js';

const lines: Record<string, unknown>[] = [];
const stream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const exporter = new InMemorySpanExporter();
const tracing = installTracing('test', new SimpleSpanProcessor(exporter));
// The process's Temporal Runtime logs through pino, as in main/worker.ts (before the harness's worker).
const { logger, logging } = temporalLogging(createLogger('worker', 'debug', stream));
Runtime.install({ logger, shutdownSignals: [], telemetryOptions: { logging } });
const harness = useHarness({ tracing, logger: createLogger('api', 'info', stream) });
const { who, flow } = harness;
afterAll(() => tracing.shutdown());

const spans = () => exporter.getFinishedSpans();
const childrenOf = (parent: ReadableSpan) =>
  spans().filter(
    (span) =>
      span.parentSpanId === parent.spanContext().spanId &&
      span.spanContext().traceId === parent.spanContext().traceId,
  );
/** The one child of `parent` whose name matches. */
function child(parent: ReadableSpan, name: RegExp): ReadableSpan {
  const found = childrenOf(parent).filter((span) => name.test(span.name));
  expect(
    found.map((span) => span.name),
    `children of ${parent.name} named ${name}`,
  ).toHaveLength(1);
  return found[0]!;
}

describe('a command is one trace', () => {
  it('HTTP request → Temporal Update → Update handler → activity → SQL', async () => {
    const created = await flow.create();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const requestId = 'trace-test-approve-1';
    const answer = await flow.post(
      created.id,
      '/reviews',
      who.reviewerNW,
      { decision: 'approve' },
      { 'x-request-id': requestId, traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    );
    expect(answer.status).toBe(200);

    // The server span ends when the answer is sent, the activity's when the worker is done.
    await expect
      .poll(() =>
        spans().some(
          (span) => span.name === 'RunActivity:persistChange' && span.spanContext().traceId === traceId,
        ),
      )
      .toBe(true);
    await expect
      .poll(() => spans().some((span) => span.attributes['http.request.id'] === requestId))
      .toBe(true);
    const server = spans().find((span) => span.attributes['http.request.id'] === requestId)!;
    expect(server.spanContext().traceId).toBe(traceId);
    // The caller's traceparent is the parent: the trace continues one the caller started.
    expect(server.parentSpanId).toBe('b7ad6b7169203331');
    expect(server.name).toBe('POST /v1/initiatives/:id/reviews');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/initiatives/:id/reviews',
      'http.response.status_code': 200,
    });

    // The API's own reads (the initiative before the command) are SQL spans of the request.
    expect(childrenOf(server).some((span) => span.attributes['db.system'] === 'postgresql')).toBe(true);
    // API → Temporal: the Update, its context in the headers.
    const update = child(server, /^StartWorkflowUpdate:review$/);
    expect(update.attributes.temporalWorkflowId).toBe(created.id);
    // The workflow (in the sandbox, exported through the worker's sink): validator and handler.
    child(update, /^ValidateUpdate:review$/);
    const handler = child(update, /^HandleUpdate:review$/);
    // The handler schedules the persisting activity, which the worker runs.
    const schedule = child(handler, /^StartActivity:persistChange$/);
    const activity = child(schedule, /^RunActivity:persistChange$/);
    // …whose statements are spans of their own, with the SQL text (parameters travel apart).
    const statements = childrenOf(activity);
    expect(statements.length).toBeGreaterThan(1);
    for (const statement of statements)
      expect(statement.attributes).toMatchObject({
        'db.system': 'postgresql',
        'db.operation.name': expect.stringMatching(/^[A-Z]+$/) as unknown,
        'db.query.text': expect.any(String) as unknown,
      });
    expect(statements.map((span) => span.attributes['db.operation.name'])).toEqual(
      expect.arrayContaining(['INSERT', 'SELECT']),
    );
    // Spans end after their children began.
    expect(statements.every((span) => span.startTime[0] >= activity.startTime[0])).toBe(true);

    // The log lines lead to the trace: the API's for this request, the activity's lines of the worker.
    const requestLines = lines.filter((line) => line.requestId === requestId);
    expect(requestLines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    for (const line of requestLines) expect(line).toMatchObject({ service: 'api', traceId });
    // The activity's own line (debug) is written in its span; the SDK's `Activity started/completed`
    // lines are written around the interceptors, outside the span.
    await expect
      .poll(() =>
        lines.find(
          (line) =>
            line.initiativeId === created.id &&
            line.msg === 'change persisted' &&
            line.spanId === activity.spanContext().spanId,
        ),
      )
      .toMatchObject({ service: 'worker', traceId });
  });

  it('a request without traceparent starts a trace of its own', async () => {
    const created = await flow.create();
    const requestId = 'trace-test-create-2';
    const answer = await flow.post(
      created.id,
      '/reviews',
      who.reviewerBY,
      { decision: 'approve' },
      {
        'x-request-id': requestId,
      },
    );
    expect(answer.status).toBe(200);
    await expect
      .poll(() => spans().some((span) => span.attributes['http.request.id'] === requestId))
      .toBe(true);
    const server = spans().find((span) => span.attributes['http.request.id'] === requestId)!;
    expect(server.parentSpanId).toBeUndefined();
    expect(child(server, /^StartWorkflowUpdate:review$/).spanContext().traceId).toBe(
      server.spanContext().traceId,
    );
  });
});
