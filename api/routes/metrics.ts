/**
 * GET /metrics in the Prometheus text format. It carries counts and latencies, never an initiative's
 * content; with METRICS_TOKEN set it asks for that token (`Authorization: Bearer …`, as Prometheus's
 * `authorization` scrape setting sends it), without it it is open: keep it off public networks then.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../metrics.js';
import { HttpProblem } from '../problems.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics; token?: string | undefined }> = async (
  app,
  { metrics, token },
) => {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  if (expected)
    app.addHook('onRequest', async (request) => {
      // Compared as digests in constant time: the answer's timing says nothing about the token.
      if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected))
        throw new HttpProblem(401, 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.');
    });
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        tags: ['operations'],
        security: token === undefined ? [] : [{ bearer: [] }],
        response: {
          200: {
            description: 'The Prometheus text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()),
  );
};
