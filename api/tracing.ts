/**
 * The HTTP server span of each request, when tracing is on (runtime/tracing.ts). The span is opened where
 * Node hands the request to Fastify (a server factory), so that everything Fastify does for the request
 * (hooks, authentication, the handler, its SQL and Temporal calls, its log lines) runs inside it; a hook
 * then names it after the route and adds the request id. An incoming W3C `traceparent` is its parent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';

/** The span attribute that holds the request id (api/request-id.ts), as in the X-Request-Id header. */
export const REQUEST_ID_ATTRIBUTE = 'http.request.id';

export function tracedServerFactory(tracer: Tracer): FastifyServerFactory {
  return (handler) =>
    createServer((request: IncomingMessage, response: ServerResponse) => {
      const parent = propagation.extract(ROOT_CONTEXT, request.headers);
      const method = request.method ?? 'GET';
      const span = tracer.startSpan(
        method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': method,
            // The path only: query strings can hold search terms.
            'url.path': (request.url ?? '/').split('?')[0],
          },
        },
        parent,
      );
      response.once('close', () => {
        span.setAttribute('http.response.status_code', response.statusCode);
        if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      context.with(trace.setSpan(parent, span), () => handler(request, response));
    });
}

/** Names the active server span after the route (`POST /v1/initiatives/:id/commands/approve`) and its request. */
export function nameRequestSpans(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const span = trace.getSpan(context.active());
    if (!span) return;
    span.setAttribute(REQUEST_ID_ATTRIBUTE, request.id);
    const route = request.routeOptions.url;
    if (route) {
      span.setAttribute('http.route', route);
      span.updateName(`${request.method} ${route}`);
    }
  });
}
