/**
 * /v1/webhooks: subscriptions to lifecycle events (admin only) and their delivery log. Deliveries are
 * written as an outbox with each audit event and sent by the worker (activities/notifications.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { isAllowedUrl } from '../../lib/url-allow-list.js';
import type { Database } from '../../db/client.js';
import { createWebhookRepository } from '../../db/webhooks.js';
import { authoriseAdmin } from '../access.js';
import { badRequest, HttpProblem, type FieldError } from '../problems.js';
import {
  CreateWebhookBody,
  DeliveriesQuery,
  DeliveryList,
  WebhookList,
  WebhookParams,
  WebhookSchema,
} from '../schemas/webhooks.js';
import { problemResponses } from './shared.js';

export interface WebhooksRouteOptions {
  db: Database;
  webhookAllowedHosts: readonly string[];
}

const noSuchWebhook = () => new HttpProblem(404, 'No such webhook.');

/** Why a subscription URL is refused, if it is. */
function urlErrors(url: string, allowedHosts: readonly string[]): FieldError[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ path: 'body/url', message: 'is not an absolute URL' }];
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return [{ path: 'body/url', message: 'must be an http or https URL' }];
  if (parsed.username !== '' || parsed.password !== '')
    return [{ path: 'body/url', message: 'must not carry credentials (the secret signs every delivery)' }];
  if (!isAllowedUrl(url, allowedHosts))
    return [{ path: 'body/url', message: `host ${parsed.host} is not in WEBHOOK_ALLOWED_HOSTS` }];
  return [];
}

export const webhooksRoutes: FastifyPluginAsyncTypebox<WebhooksRouteOptions> = async (app, options) => {
  const webhooks = createWebhookRepository(options.db);

  app.post(
    '/webhooks',
    {
      schema: {
        summary: 'Subscribe a URL to lifecycle events (admin)',
        description:
          'Each delivery is a JSON POST with `X-DD-Event`, a stable `X-DD-Delivery` id (the same on every ' +
          'retry: deduplicate on it) and `X-DD-Signature: sha256=<hex HMAC-SHA256 of the raw body with the ' +
          'secret>`. Failed deliveries are retried with exponential backoff.',
        tags: ['webhooks'],
        body: CreateWebhookBody,
        response: { 201: WebhookSchema, ...problemResponses(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const { url, events, secret } = request.body;
      const errors = urlErrors(url, options.webhookAllowedHosts);
      if (errors.length > 0) throw badRequest('Webhooks are sent only to allow-listed hosts.', errors);
      // After the input checks: docs/api.md ranks 400 before 403.
      authoriseAdmin(request.principal, 'manages webhooks');
      const webhook = await webhooks.create({ url, events, secret, createdBy: request.principal.sub });
      void reply.header('location', `${request.url.replace(/\/$/, '')}/${webhook.id}`);
      return reply.code(201).send(webhook);
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        summary: 'The webhook subscriptions (admin)',
        tags: ['webhooks'],
        response: { 200: WebhookList, ...problemResponses(401, 403, 503) },
      },
    },
    async (request) => {
      authoriseAdmin(request.principal, 'manages webhooks');
      return { items: await webhooks.list() };
    },
  );

  app.delete(
    '/webhooks/:id',
    {
      schema: {
        summary: 'Remove a subscription with its delivery log; pending deliveries are not sent (admin)',
        tags: ['webhooks'],
        params: WebhookParams,
        response: {
          204: Type.Null({ description: 'Removed' }),
          ...problemResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      authoriseAdmin(request.principal, 'manages webhooks');
      if (!(await webhooks.remove(request.params.id))) throw noSuchWebhook();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        summary: "A subscription's delivery log, newest first (admin)",
        tags: ['webhooks'],
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryList, ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      authoriseAdmin(request.principal, 'reads the delivery log');
      const { id } = request.params;
      if (!(await webhooks.exists(id))) throw noSuchWebhook();
      return { items: await webhooks.deliveries(id, request.query.limit ?? 100) };
    },
  );
};
