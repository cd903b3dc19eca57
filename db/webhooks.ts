/**
 * Webhook subscriptions and their delivery log (the outbox rows persistChange writes). Secrets are stored
 * sealed (AES-256-GCM under WEBHOOK_SECRET_KEY, bound to the subscription's id), never in plain text.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNotNull, sql, type AnyColumn } from 'drizzle-orm';
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

/** WEBHOOK_SECRET_KEY's length: AES-256 takes a 32-byte key. */
export const SECRET_KEY_BYTES = 32;
const SEALED = /^v1\.([\w-]{16})\.([\w-]*)\.([\w-]{22})$/;
const boundTo = (webhookId: string) => Buffer.from(`dd-webhook-secret:${webhookId}`);

/**
 * A webhook secret sealed with AES-256-GCM (`v1.<iv>.<ciphertext>.<tag>`, base64url), bound to its
 * subscription's id as associated data, so that a sealed secret copied onto another row does not open.
 */
export function sealSecret(key: Buffer, webhookId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(boundTo(webhookId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, sealed, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The secret a sealed value holds; throws when the key or the row is not the one it was sealed with. */
export function openSecret(key: Buffer, webhookId: string, sealed: string): string {
  const [, iv, data, tag] = SEALED.exec(sealed) ?? [];
  if (iv === undefined || data === undefined || tag === undefined)
    throw new Error(`the secret of webhook ${webhookId} is not sealed in a known form`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    .setAAD(boundTo(webhookId))
    .setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new Error(
      `the secret of webhook ${webhookId} does not open with WEBHOOK_SECRET_KEY (another key?)`,
    );
  }
}

/** A subscription row's secret: sealed, or (a row from before sealing, not yet sealed) as it was stored. */
export function secretOf(
  key: Buffer,
  row: { id: string; secret: string | null; secretSealed: string | null },
): string {
  if (row.secretSealed !== null) return openSecret(key, row.id, row.secretSealed);
  if (row.secret !== null) return row.secret;
  throw new Error(`webhook ${row.id} has no secret`);
}

/**
 * Seals the secrets still stored in plain text (rows from before migration `hardening_webhook_secrets`);
 * every process that opens the database with WEBHOOK_SECRET_KEY runs it. Returns how many it sealed.
 */
export async function sealPlaintextSecrets(db: Database, key: Buffer): Promise<number> {
  const rows = await db
    .select({ id: webhooks.id, secret: webhooks.secret })
    .from(webhooks)
    .where(isNotNull(webhooks.secret));
  let sealed = 0;
  for (const { id, secret } of rows) {
    if (secret === null) continue;
    const updated = await db
      .update(webhooks)
      .set({ secretSealed: sealSecret(key, id, secret), secret: null })
      .where(and(eq(webhooks.id, id), eq(webhooks.secret, secret)))
      .returning({ id: webhooks.id });
    sealed += updated.length;
  }
  return sealed;
}

export function createWebhookRepository(db: Database, secretKey?: Buffer) {
  return {
    /** Stores a subscription with its secret sealed (needs the repository's key). */
    async create({ secret, ...webhook }: NewWebhook): Promise<Webhook> {
      if (!secretKey) throw new Error('createWebhookRepository needs WEBHOOK_SECRET_KEY to store a secret');
      const id = randomUUID();
      const [row] = await db
        .insert(webhooks)
        .values({ ...webhook, id, secretSealed: sealSecret(secretKey, id, secret) })
        .returning(shown);
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
