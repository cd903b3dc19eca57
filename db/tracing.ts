/**
 * A span per SQL statement for the `postgres` driver, which has no OpenTelemetry instrumentation of its
 * own. Installed only when tracing is on (runtime/tracing.ts): without it, the driver is untouched.
 *
 * postgres.js runs a query lazily: `unsafe()` returns a PendingQuery that executes once someone awaits it
 * (`then`/`catch`/`finally`) or calls `execute()`, all through its `handle()`; drizzle first picks
 * `.values()` on it. So the query object is left as it is, only its `handle` is wrapped: the span starts
 * when the statement is sent, in the context of whoever awaits it, and ends with its outcome.
 */
import { SpanKind, SpanStatusCode, context, trace, type Tracer } from '@opentelemetry/api';
import type { Sql } from 'postgres';

/** What every statement's span says about the database (OpenTelemetry's database conventions). */
export interface DatabaseAttributes {
  'db.system': 'postgresql';
  'db.namespace'?: string;
  'server.address'?: string;
  'server.port'?: number;
}

export function databaseAttributes(url: string): DatabaseAttributes {
  const parsed = new URL(url);
  return {
    'db.system': 'postgresql',
    'db.namespace': decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    'server.address': parsed.hostname,
    'server.port': Number(parsed.port || 5432),
  };
}

/** The statement's first keyword: SELECT, INSERT, UPDATE, DELETE, WITH, BEGIN… */
function operationOf(text: string): string {
  return /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
}

interface PendingQuery {
  handle(): Promise<void>;
  executed: boolean;
  then: Promise<unknown>['then'];
}

function traceQuery(tracer: Tracer, attributes: DatabaseAttributes, text: string, query: PendingQuery) {
  const handle = query.handle.bind(query);
  query.handle = () => {
    if (query.executed) return handle();
    const operation = operationOf(text);
    const span = tracer.startSpan(
      `${operation} ${attributes['db.namespace'] ?? ''}`.trim(),
      {
        kind: SpanKind.CLIENT,
        // Parameters travel separately ($1, $2…): the text holds no values.
        attributes: { ...attributes, 'db.operation.name': operation, 'db.query.text': text },
      },
      context.active(),
    );
    // Promise's own `then` (not the query's, which would run handle again) observes the outcome.
    void Promise.prototype.then.call(
      query,
      (result: unknown) => {
        const count = (result as { count?: unknown } | undefined)?.count;
        if (typeof count === 'number') span.setAttribute('db.response.returned_rows', count);
        span.end();
      },
      (error: unknown) => {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : '' });
        span.end();
      },
    );
    return handle();
  };
  return query;
}

/**
 * Wraps `sql.unsafe` (drizzle's only way in) on this connection pool, and on every transaction and
 * savepoint it opens, so that each statement gets its span.
 */
export function traceSql<T extends Sql>(sql: T, tracer: Tracer, attributes: DatabaseAttributes): T {
  const target = sql as unknown as Record<string, (...args: unknown[]) => unknown>;
  const unsafe = target.unsafe!.bind(sql);
  target.unsafe = (text: unknown, ...rest: unknown[]) =>
    traceQuery(tracer, attributes, String(text), unsafe(text, ...rest) as PendingQuery);
  for (const name of ['begin', 'savepoint'] as const) {
    const open = target[name];
    if (typeof open !== 'function') continue;
    const bound = open.bind(sql);
    target[name] = (...args: unknown[]) => {
      const last = args.length - 1;
      const body = args[last] as (inner: Sql) => unknown;
      args[last] = (inner: Sql) => body(traceSql(inner, tracer, attributes));
      return bound(...args);
    };
  }
  return sql;
}

/** The tracer db/ spans are made with, when tracing is on (runtime/tracing.ts installed a provider). */
export const databaseTracer = () => trace.getTracer('digital-dialog-db');
