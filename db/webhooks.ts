/** Webhook subscriptions and their delivery log (the outbox rows persistChange writes). */
import { asc, desc, eq, sql, type AnyColumn } from 'drizzle-orm';
import type { WebhookEvent } from '../workflows/contracts.js';
import type { Database } from './client.js';
import { webhookDeliveries, webhooks } from './schema.js';

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
}

export interface NewWebhook {
  url: string;
  events: WebhookEvent[];
  secret: string;
  createdBy: string;
}

export interface Delivery {
  deliveryId: string;
  event: WebhookEvent;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError?: string;
  /** When the delivery was recorded (with its audit event). */
  at: string;
  initiativeId: string;
  deliveredAt?: string;
}

/** ISO 8601 UTC, whatever the driver's text form of timestamptz. */
const iso = <T extends string | null = string>(column: AnyColumn) =>
  sql<T>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns a subscription is shown with: never the secret. */
const shown = {
  id: webhooks.id,
  url: webhooks.url,
  events: sql<WebhookEvent[]>`${webhooks.events}`,
  createdAt: iso<string>(webhooks.createdAt),
};

export function createWebhookRepository(db: Database) {
  return {
    async create(webhook: NewWebhook): Promise<Webhook> {
      const [row] = await db.insert(webhooks).values(webhook).returning(shown);
      if (!row) throw new Error('the webhook insert returned no row');
      return row;
    },

    list(): Promise<Webhook[]> {
      return db.select(shown).from(webhooks).orderBy(asc(webhooks.createdAt), asc(webhooks.id));
    },

    async exists(id: string): Promise<boolean> {
      const [row] = await db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, id));
      return row !== undefined;
    },

    /** Removes a subscription with its delivery log (pending deliveries are then never sent); false if unknown. */
    async remove(id: string): Promise<boolean> {
      const rows = await db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id });
      return rows.length > 0;
    },

    /** The subscription's delivery log, newest first. */
    async deliveries(id: string, limit: number): Promise<Delivery[]> {
      const rows = await db
        .select({
          deliveryId: webhookDeliveries.deliveryId,
          event: sql<WebhookEvent>`${webhookDeliveries.event}`,
          status: webhookDeliveries.status,
          attempts: webhookDeliveries.attempts,
          lastError: webhookDeliveries.lastError,
          at: iso<string>(webhookDeliveries.createdAt),
          initiativeId: webhookDeliveries.initiativeId,
          deliveredAt: iso<string | null>(webhookDeliveries.deliveredAt),
        })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, id))
        .orderBy(
          desc(webhookDeliveries.createdAt),
          desc(webhookDeliveries.seq),
          desc(webhookDeliveries.event),
          asc(webhookDeliveries.initiativeId),
        )
        .limit(limit);
      return rows.map(({ lastError, deliveredAt, ...row }) => ({
        ...row,
        ...(lastError === null ? {} : { lastError }),
        ...(deliveredAt === null ? {} : { deliveredAt }),
      }));
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
