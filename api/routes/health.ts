/** Liveness and readiness for orchestrators: /readyz names the dependency that is missing. */
import type { FastifyPluginAsync } from 'fastify';
import type { DatabaseHandle } from '../../db/client.js';
import type { WorkflowGateway } from '../temporal.js';

export interface HealthOptions {
  database: DatabaseHandle;
  workflows: WorkflowGateway;
  temporalUiUrl?: string | undefined;
}

async function check(probe: () => Promise<void>): Promise<'ok' | 'unavailable'> {
  try {
    await probe();
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (
  app,
  { database, workflows, temporalUiUrl },
) => {
  app.get('/healthz', { schema: { tags: ['operations'], security: [] } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['operations'], security: [] } }, async (_request, reply) => {
    const [db, temporal] = await Promise.all([check(() => database.ping()), check(() => workflows.ping())]);
    const ready = db === 'ok' && temporal === 'ok';
    if (!ready) void reply.code(503).header('retry-after', '5');
    return {
      status: ready ? 'ready' : 'unavailable',
      checks: { database: db, temporal },
      ...(temporalUiUrl ? { temporalUi: temporalUiUrl } : {}),
    };
  });
};
