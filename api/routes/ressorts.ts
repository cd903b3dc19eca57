/** GET /v1/ressorts: the Ressorts of the Länder, as shipped data (workflows/ressorts.ts). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RESSORTS, ressortsOf } from '../../workflows/ressorts.js';
import { RessortList, RessortQuery } from '../schemas/ressorts.js';
import { NotModified, problemResponses } from './shared.js';

export const ressortRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/ressorts',
    {
      schema: {
        summary: "The Länder's Ressorts (state chancelleries and ministries), with their sources",
        description:
          'Every authenticated principal. Shipped: the Ressorts of BY and NW; other Länder have none yet. ' +
          "A token's `ressort` claim must be a key of its Land's list.",
        tags: ['ressorts'],
        querystring: RessortQuery,
        response: { 200: RessortList, 304: NotModified, ...problemResponses(400, 401) },
      },
    },
    (request) => ({ items: request.query.land ? ressortsOf(request.query.land) : [...RESSORTS] }),
  );
};
