/** GET /v1/stats: counts and phase durations over the initiatives the caller may read. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Database } from '../../db/client.js';
import { statsFor } from '../../db/stats.js';
import { LANDS, PHASES, TOPICS } from '../../workflows/domain.js';
import { visibilityOf } from '../access.js';
import { problemResponses } from './shared.js';

const keyed = (keys: readonly string[], value: TSchema) =>
  Type.Object(Object.fromEntries(keys.map((key) => [key, value])), { additionalProperties: false });

const StatsSchema = Type.Object({
  total: Type.Integer(),
  byPhase: keyed(PHASES, Type.Integer()),
  byTopic: keyed(TOPICS, Type.Integer()),
  byLand: keyed(LANDS, Type.Integer({ description: 'initiatives the Land takes part in' })),
  overdue: Type.Integer(),
  medianDaysInPhase: keyed(
    PHASES,
    Type.Union([Type.Number(), Type.Null()], {
      description: 'median of the completed stays in the phase, in days; null when none is completed',
    }),
  ),
});

export const statsRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/stats',
    {
      schema: {
        summary: 'Counts by phase, topic and Land, overdue initiatives and median days per phase',
        description:
          'Over the initiatives the caller may read. `byLand` counts the initiatives each Land takes ' +
          'part in. `medianDaysInPhase` covers stays that ended (a phase left again); stays still going ' +
          'on and terminal phases give null. Answers `If-None-Match` with 304.',
        tags: ['dashboards'],
        response: {
          200: StatsSchema,
          304: Type.Null({ description: 'Not modified' }),
          ...problemResponses(401, 503),
        },
      },
    },
    (request) => statsFor(db, visibilityOf(request.principal)),
  );
};
