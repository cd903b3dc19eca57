/**
 * /v1/webhooks: subscriptions to lifecycle events (admin only) and their delivery log. Deliveries are
 * written as an outbox with each audit event and sent by the worker (activities/notifications.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { urlRefusal } from '../../lib/url-allow-list.js';
import type { Database } from '../../db/client.js';
import { targetRefusal, UnresolvableHost } from '../../db/webhook-targets.js';
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
  /** The key secrets are sealed with (WEBHOOK_SECRET_KEY). */
  secretKey: Buffer;
  /** Only https URLs (NODE_ENV=production). */
  httpsOnly: boolean;
}

const noSuchWebhook = () => new HttpProblem(404, 'No such webhook.');

/**
 * Why a subscription URL is refused, if it is: its form, the allow-list (host and port), then the addresses
 * its host resolves to. A DNS outage is not the subscriber's fault: it surfaces as 503.
 */
async function urlErrors(
  url: string,
  { webhookAllowedHosts, httpsOnly }: WebhooksRouteOptions,
): Promise<FieldError[]> {
  const refusal = urlRefusal(url, webhookAllowedHosts, { httpsOnly });
  if (refusal) return [{ path: 'body/url', message: refusal }];
  try {
    const target = await targetRefusal(url, webhookAllowedHosts);
    return target ? [{ path: 'body/url', message: `host ${new URL(url).hostname} ${target}` }] : [];
  } catch (error) {
    if (error instanceof UnresolvableHost) return [{ path: 'body/url', message: error.message }];
    throw new HttpProblem(503, `The webhook host could not be resolved: ${(error as Error).message}`);
  }
}

export const webhooksRoutes: FastifyPluginAsyncTypebox<WebhooksRouteOptions> = async (app, options) => {
  const webhooks = createWebhookRepository(options.db, options.secretKey);

  app.post(
    '/webhooks',
    {
      schema: {
        summary: 'Subscribe a URL to lifecycle events (admin)',
        description:
          'Each delivery is a JSON POST signed in the Standard Webhooks form: `webhook-id` (the delivery id, ' +
          'the same on every retry: deduplicate on it), `webhook-timestamp` (Unix seconds of this attempt) and ' +
          '`webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>" with the secret>`; ' +
          'refuse a timestamp more than 5 minutes off. `X-DD-Event` names the event. The URL must be on ' +
          'WEBHOOK_ALLOWED_HOSTS (host and port), https in production, and its host must not resolve to a ' +
          'loopback or private address the list does not name. Failed deliveries are retried with ' +
          'exponential backoff.',
        tags: ['webhooks'],
        body: CreateWebhookBody,
        response: { 201: WebhookSchema, ...problemResponses(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const { url, events, secret } = request.body;
      const errors = await urlErrors(url, options);
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
