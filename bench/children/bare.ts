/**
 * The status-polling baseline: a bare Fastify route in the same process layout as the API (one child
 * process, same Fastify version, logging off) that answers with a body like the API's, read once from
 * BENCH_SAMPLE_FILE. No authentication, no database, no response schema; ETag and If-None-Match as the
 * API handles them.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { fail, ready, required, serve } from './common.js';

try {
  const sample = JSON.parse(readFileSync(required('BENCH_SAMPLE_FILE'), 'utf8')) as { version: number };
  const etag = `"${sample.version}"`;
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/v1/initiatives/:id', (request, reply) => {
    void reply.header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return { ...sample, id: request.params.id };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  serve(() => app.close());
  ready(address.port);
} catch (error) {
  fail(error);
}
