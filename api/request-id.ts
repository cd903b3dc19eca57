/**
 * Request ids: a proxy's or client's own `X-Request-Id` is kept when it is sane (1–128 visible characters
 * from a safe set, so that it cannot forge log lines or headers), otherwise the request gets a random UUID.
 * The id is answered in `X-Request-Id`, carried by every problem body (`requestId`), logged as `requestId`
 * on every line of the request, and set on the request's trace span (docs/operations.md).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

/** Fastify's `genReqId`. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE.test(incoming) ? incoming : randomUUID();
}
