/** /v1/tasks: the caller's inbox, served from the `pending_actions` table (never from Temporal). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/client.js';
import { tasksOf } from '../../db/tasks.js';
import { TaskList, TaskQuery } from '../schemas/tasks.js';
import { NotModified, problemResponses } from './shared.js';

export interface TasksRouteOptions {
  db: Database;
  webhookAllowedHosts: readonly string[];
}

export const tasksRoutes: FastifyPluginAsyncTypebox<TasksRouteOptions> = async (app, { db }) => {
  app.get(
    '/tasks',
    {
      schema: {
        summary: "The caller's open actions across all initiatives, soonest due first",
        description:
          "Actions of the caller's Land for the caller's roles (admins: also every calendar action), " +
          'leaving out what the caller would be refused: the review of an initiative they proposed or ' +
          'whose versions they authored (four-eyes) and a revision that is neither theirs nor their lead ' +
          "Ressort's. `overdue`: the initiative is overdue or the action's " +
          'due time has passed. `ressort`: only actions on initiatives that Ressort leads.',
        tags: ['inbox'],
        querystring: TaskQuery,
        response: { 200: TaskList, 304: NotModified, ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => {
      const { sub, land, roles, ressort } = request.principal;
      // Its ETag is derived from the body; conditional.ts answers If-None-Match.
      return {
        items: await tasksOf(
          db,
          { sub, land, roles, ...(ressort === undefined ? {} : { ressort }) },
          request.query.ressort,
        ),
      };
    },
  );
};
