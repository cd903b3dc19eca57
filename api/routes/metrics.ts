/**
 * GET /metrics in the Prometheus text format. No token, as docs/api.md fixes and scrapers expect: it carries
 * counts and latencies, never an initiative's content. Keep it off public networks (see api/README.md).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../metrics.js';

export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics }> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        tags: ['operations'],
        security: [],
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
