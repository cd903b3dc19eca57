/** /v1/tasks: the caller's inbox, served from the `pending_actions` table (never from Temporal). */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';
import { tasksOf } from '../../db/tasks.js';
import { TaskList } from '../schemas.js';
import { problemResponses } from './shared.js';

export interface TasksRouteOptions {
  db: Database;
  webhookAllowedHosts: readonly string[];
}

const NotModified = Type.Null({ description: 'Not modified: the If-None-Match tag is current' });

export const tasksRoutes: FastifyPluginAsyncTypebox<TasksRouteOptions> = async (app, { db }) => {
  app.get(
    '/tasks',
    {
      schema: {
        summary: "The caller's open actions across all initiatives, soonest due first",
        description:
          "Actions of the caller's Land for the caller's roles (admins: also every calendar action), " +
          'leaving out what the caller would be refused: the review of an initiative they proposed ' +
          "(four-eyes) and someone else's revision. `overdue`: the initiative is overdue or the action's " +
          'due time has passed.',
        tags: ['inbox'],
        response: { 200: TaskList, 304: NotModified, ...problemResponses(401, 503) },
      },
    },
    async (request, reply) => {
      const { sub, land, roles } = request.principal;
      const body = { items: await tasksOf(db, { sub, land, roles }) };
      const etag = `W/"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
      void reply.header('etag', etag);
      const tags = (request.headers['if-none-match'] ?? '')
        .split(',')
        .map((t) => t.trim().replace(/^W\//, ''));
      if (tags.includes('*') || tags.includes(etag.replace(/^W\//, ''))) return reply.code(304).send(null);
      return body;
    },
  );
};
