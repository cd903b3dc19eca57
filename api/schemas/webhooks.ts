/** Webhook subscriptions and their delivery log. */
import { Type, type Static } from 'typebox';
import { WEBHOOK_EVENTS } from '../../workflows/contracts.js';
import { oneOf } from '../../workflows/schemas.js';
import { Timestamp } from './initiative.js';

export const WebhookEventSchema = oneOf(WEBHOOK_EVENTS);

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'http(s) URL whose host is in WEBHOOK_ALLOWED_HOSTS',
      examples: ['https://hooks.example.org/digital-dialog'],
    }),
    events: Type.Array(WebhookEventSchema, {
      minItems: 1,
      maxItems: WEBHOOK_EVENTS.length,
      uniqueItems: true,
    }),
    secret: Type.String({
      minLength: 16,
      maxLength: 256,
      description: 'shared secret for the X-DD-Signature HMAC-SHA256; never returned',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        url: 'https://hooks.example.org/digital-dialog',
        events: ['created', 'outcome'],
        secret: 'at-least-16-characters',
      },
    ],
  },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const WebhookSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  events: Type.Array(WebhookEventSchema),
  createdAt: Timestamp,
});

export const WebhookList = Type.Object({ items: Type.Array(WebhookSchema) });

export const WebhookParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const DeliveriesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) },
  { additionalProperties: false },
);

export const DeliveryList = Type.Object({
  items: Type.Array(
    Type.Object({
      deliveryId: Type.String({
        format: 'uuid',
        description: 'sent as X-DD-Delivery; stable across retries',
      }),
      event: WebhookEventSchema,
      status: oneOf(['pending', 'delivered', 'failed'] as const),
      attempts: Type.Integer({ minimum: 0 }),
      lastError: Type.Optional(Type.String()),
      at: Timestamp,
      initiativeId: Type.String(),
      deliveredAt: Type.Optional(Timestamp),
    }),
    { description: 'newest first' },
  ),
});
