/** `GET/PUT /v1/me/notifications`: the caller's e-mail preferences (docs/notifications.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/client.js';
import { preferencesOf, setPreferences } from '../../db/people.js';
import { issuerOf, seenOf } from '../people.js';
import { NotificationPreferences, NotificationPreferencesBody } from '../schemas/people.js';
import { NotModified, problemResponses } from './shared.js';

export const peopleRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/me/notifications',
    {
      schema: {
        summary: "The caller's e-mail preferences",
        description:
          'Every authenticated principal, for themselves (issuer and subject). Without an `email` nothing ' +
          'is mailed.',
        tags: ['people'],
        response: { 200: NotificationPreferences, 304: NotModified, ...problemResponses(401, 503) },
      },
    },
    (request) => preferencesOf(db, issuerOf(request.principal), request.principal.sub),
  );

  app.put(
    '/me/notifications',
    {
      schema: {
        summary: "Sets the caller's e-mail preferences",
        description:
          'Replaces them: an omitted `email` turns mail off. Mails go for each new action the caller may ' +
          'perform, for reminders and escalations of those, and when an initiative they took part in is ' +
          'decided, each at once or in the 07:00 Europe/Berlin digest.',
        tags: ['people'],
        body: NotificationPreferencesBody,
        response: { 200: NotificationPreferences, ...problemResponses(400, 401, 503) },
      },
    },
    (request) =>
      setPreferences(db, seenOf(request.principal), {
        email: request.body.email ?? null,
        events: request.body.events,
        digest: request.body.digest,
      }),
  );
};
