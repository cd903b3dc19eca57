/**
 * Conditional GETs for every JSON read: a route may set its own `ETag` (an initiative's is its version);
 * otherwise a weak tag is derived from the body. A matching `If-None-Match` turns the answer into a 304
 * without a body, whichever route produced it.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** `If-None-Match` may list several tags, weak or strong, or `*` (weak comparison, RFC 9110 13.1.2). */
export function matchesAny(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === opaque;
  });
}

export const weakTagOf = (body: string | Buffer) =>
  `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

export function conditionalGets(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // Fastify's own HEAD handling runs after this hook and needs a payload to measure.
    const nothing = request.method === 'HEAD' ? '' : null;
    if (reply.statusCode === 304) {
      // A 304 carries no body (RFC 9110 15.4.5), whatever the route handed over.
      void reply.removeHeader('content-type').removeHeader('content-length');
      return nothing;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
    if (reply.statusCode !== 200 || !/json/.test(String(reply.getHeader('content-type') ?? '')))
      return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    let etag = reply.getHeader('etag');
    if (typeof etag !== 'string') {
      etag = weakTagOf(payload);
      void reply.header('etag', etag);
    }
    if (!matchesAny(request.headers['if-none-match'], etag)) return payload;
    void reply.code(304).removeHeader('content-type').removeHeader('content-length');
    return nothing;
  });
}
