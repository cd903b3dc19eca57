/**
 * Liveness and readiness for orchestrators: /readyz (commands: the database and Temporal) names the
 * dependency that is missing; /readyz/reads asks only for what reads need (the database), so that a load
 * balancer keeps sending reads to a replica while Temporal is away (docs/operations.md).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { DatabaseHandle } from '../../db/client.js';
import type { WorkflowGateway } from '../temporal.js';

export interface HealthOptions {
  database: DatabaseHandle;
  workflows: WorkflowGateway;
  temporalUiUrl?: string | undefined;
}

const Check = Type.Unsafe<'ok' | 'unavailable'>({ type: 'string', enum: ['ok', 'unavailable'] });
const Readiness = Type.Object({
  status: Type.Unsafe<'ready' | 'unavailable'>({ type: 'string', enum: ['ready', 'unavailable'] }),
  checks: Type.Object({ database: Check, temporal: Check }),
  temporalUi: Type.Optional(Type.String({ description: 'the Temporal Web UI, when known' })),
});
const ReadReadiness = Type.Object({
  status: Type.Unsafe<'ready' | 'unavailable'>({ type: 'string', enum: ['ready', 'unavailable'] }),
  checks: Type.Object({ database: Check }),
});

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
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    () => ({ status: 'ok' }),
  );
  const readiness = { tags: ['operations'], security: [], response: { 200: Readiness, 503: Readiness } };
  app.get('/readyz', { schema: readiness }, async (_request, reply) => {
    const [db, temporal] = await Promise.all([check(() => database.ping()), check(() => workflows.ping())]);
    const ready = db === 'ok' && temporal === 'ok';
    if (!ready) void reply.code(503).header('retry-after', '5');
    return {
      status: ready ? 'ready' : 'unavailable',
      checks: { database: db, temporal },
      ...(temporalUiUrl ? { temporalUi: temporalUiUrl } : {}),
    };
  });
  const readReadiness = {
    tags: ['operations'],
    security: [],
    response: { 200: ReadReadiness, 503: ReadReadiness },
  };
  app.get('/readyz/reads', { schema: readReadiness }, async (_request, reply) => {
    const db = await check(() => database.ping());
    if (db !== 'ok') void reply.code(503).header('retry-after', '5');
    return { status: db === 'ok' ? 'ready' : 'unavailable', checks: { database: db } };
  });
};
