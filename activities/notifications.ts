/**
 * Webhook notifications: the delivery activity over the outbox rows that `db/outbox.ts` writes with each
 * change. Deliveries are signed in the Standard Webhooks form (id, timestamp and body), carry a stable
 * delivery id, go only to allow-listed hosts on addresses that pass db/webhook-targets.ts at connection
 * time, and are marked delivered once acknowledged, so a retry never sends them again.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, asc, between, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { webhookDeliveries, webhooks } from '../db/schema.js';
import { guardedLookup } from '../db/webhook-targets.js';
import { secretOf } from '../db/webhooks.js';
import { urlRefusal } from '../lib/url-allow-list.js';
import { WEBHOOK_EVENTS, type NotificationBatch } from '../workflows/contracts.js';

/**
 * The HMAC key of a subscription secret, as the Standard Webhooks libraries take it: `whsec_<base64>` is
 * the base64-decoded bytes; any other secret its UTF-8 bytes (the libraries' `raw` format).
 */
export const signingKey = (secret: string) =>
  secret.startsWith('whsec_')
    ? Buffer.from(secret.slice('whsec_'.length), 'base64')
    : Buffer.from(secret, 'utf8');

/**
 * `webhook-signature` (Standard Webhooks): `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. The
 * receiver recomputes it and refuses a timestamp outside its replay window (5 minutes).
 */
export const signatureOf = (secret: string, id: string, timestamp: number, body: string) =>
  `v1,${createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

/** A request refused before it left: the address its host resolved to is not allowed. */
const REFUSED = 'EREFUSEDADDRESS';

/** POSTs `body` and resolves with the status; connects only to addresses `allowedHosts` allows. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  allowedHosts: readonly string[],
): Promise<number> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(allowedHosts),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      },
      (response) => {
        // Nothing is read from the answer; dropping its body frees the connection. Redirects are not followed.
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const DELIVERY_TIMEOUT_MS = 10_000;
/** Room left in an attempt's start-to-close timeout for the last database writes. */
const ATTEMPT_MARGIN_MS = 5_000;

/** Deliveries of one audit event in the order WEBHOOK_EVENTS lists them (phase_changed before outcome). */
const eventOrder = sql`array_position(array[${sql.join(
  WEBHOOK_EVENTS.map((event) => sql`${event}`),
  sql`, `,
)}]::text[], ${webhookDeliveries.event})`;

export function createNotificationActivities({
  db,
  allowedHosts,
  secretKey,
  httpsOnly,
}: {
  db: Database;
  allowedHosts: readonly string[];
  /** WEBHOOK_SECRET_KEY, which opens the sealed secrets. */
  secretKey: Buffer;
  /** Only https URLs (NODE_ENV=production). */
  httpsOnly: boolean;
}) {
  return {
    /**
     * Sends the pending deliveries of one change, one after another in audit order. Failures are recorded
     * on their rows and make the activity fail, so Temporal retries it with backoff; rows already
     * acknowledged are not sent again.
     *
     * Each send first claims its row (attempts + 1, only if no one else counted an attempt since this run
     * read it), so that an attempt that outlived its timeout and the retry that replaced it never both
     * send the same delivery. An attempt also stops starting sends before its start-to-close timeout
     * would pass, leaving the rest to the next attempt, so that attempts do not overlap in the first place.
     */
    async deliverNotifications({
      initiativeId,
      fromSeq,
      toSeq,
    }: NotificationBatch): Promise<{ delivered: number }> {
      const { startToCloseTimeoutMs } = Context.current().info;
      const sendBefore = Date.now() + startToCloseTimeoutMs - DELIVERY_TIMEOUT_MS - ATTEMPT_MARGIN_MS;
      const pending = await db
        .select({
          deliveryId: webhookDeliveries.deliveryId,
          event: webhookDeliveries.event,
          payload: webhookDeliveries.payload,
          attempts: webhookDeliveries.attempts,
          url: webhooks.url,
          webhookId: webhooks.id,
          secret: webhooks.secret,
          secretSealed: webhooks.secretSealed,
        })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .where(
          and(
            eq(webhookDeliveries.initiativeId, initiativeId),
            between(webhookDeliveries.seq, fromSeq, toSeq),
            eq(webhookDeliveries.status, 'pending'),
          ),
        )
        .orderBy(asc(webhookDeliveries.seq), asc(eventOrder), asc(webhookDeliveries.createdAt));
      const failures: string[] = [];
      /** Rows another attempt claimed meanwhile, or left for the next attempt: done only once delivered. */
      const unsettled: string[] = [];
      let delivered = 0;
      for (const delivery of pending) {
        // Lets Temporal notice a worker that died mid-batch within the heartbeat timeout, not after two minutes.
        Context.current().heartbeat();
        const row = eq(webhookDeliveries.deliveryId, delivery.deliveryId);
        const refusal = urlRefusal(delivery.url, allowedHosts, { httpsOnly });
        if (refusal) {
          // The allow-list (or NODE_ENV) changed since the subscription: never send, never retry.
          await db
            .update(webhookDeliveries)
            .set({
              status: 'failed',
              lastError: `url ${refusal}`,
              attempts: sql`${webhookDeliveries.attempts} + 1`,
            })
            .where(and(row, eq(webhookDeliveries.status, 'pending')));
          continue;
        }
        if (Date.now() > sendBefore) {
          unsettled.push(delivery.deliveryId);
          continue;
        }
        const claimed = await db
          .update(webhookDeliveries)
          .set({ attempts: sql`${webhookDeliveries.attempts} + 1` })
          .where(
            and(
              row,
              eq(webhookDeliveries.status, 'pending'),
              eq(webhookDeliveries.attempts, delivery.attempts),
            ),
          )
          .returning({ deliveryId: webhookDeliveries.deliveryId });
        if (claimed.length === 0) {
          unsettled.push(delivery.deliveryId);
          continue;
        }
        const body = JSON.stringify({ deliveryId: delivery.deliveryId, ...(delivery.payload as object) });
        try {
          const timestamp = Math.floor(Date.now() / 1000);
          const secret = secretOf(secretKey, {
            id: delivery.webhookId,
            secret: delivery.secret,
            secretSealed: delivery.secretSealed,
          });
          const status = await post(
            delivery.url,
            {
              'content-type': 'application/json',
              'webhook-id': delivery.deliveryId,
              'webhook-timestamp': String(timestamp),
              'webhook-signature': signatureOf(secret, delivery.deliveryId, timestamp, body),
              'x-dd-delivery': delivery.deliveryId,
              'x-dd-event': delivery.event,
            },
            body,
            allowedHosts,
          );
          if (status < 200 || status > 299) throw new Error(`receiver answered ${status}`);
          await db
            .update(webhookDeliveries)
            .set({ status: 'delivered', lastError: null, deliveredAt: sql`now()` })
            .where(row);
          delivered += 1;
        } catch (error) {
          const message = (error as Error).message;
          if ((error as NodeJS.ErrnoException).code === REFUSED) {
            // The host resolves where webhooks must not go (e.g. rebound since the subscription): never retried.
            await db
              .update(webhookDeliveries)
              .set({ status: 'failed', lastError: message })
              .where(and(row, eq(webhookDeliveries.status, 'pending')));
            continue;
          }
          await db.update(webhookDeliveries).set({ lastError: message }).where(row);
          failures.push(`${delivery.deliveryId}: ${message}`);
        }
      }
      if (unsettled.length > 0) {
        const open = await db
          .select({ deliveryId: webhookDeliveries.deliveryId })
          .from(webhookDeliveries)
          .where(
            and(inArray(webhookDeliveries.deliveryId, unsettled), eq(webhookDeliveries.status, 'pending')),
          );
        for (const { deliveryId } of open) failures.push(`${deliveryId}: not sent in this attempt`);
      }
      if (failures.length > 0)
        throw ApplicationFailure.retryable(
          `${failures.length} of ${pending.length} deliveries failed: ${failures.join('; ')}`,
        );
      return { delivered };
    },

    /** After the retries gave up: what is still pending is marked failed, with the reason, in the log. */
    async abandonNotifications(
      { initiativeId, fromSeq, toSeq }: NotificationBatch,
      reason: string,
    ): Promise<void> {
      await db
        .update(webhookDeliveries)
        .set({ status: 'failed', lastError: `given up: ${reason}` })
        .where(
          and(
            eq(webhookDeliveries.initiativeId, initiativeId),
            between(webhookDeliveries.seq, fromSeq, toSeq),
            eq(webhookDeliveries.status, 'pending'),
          ),
        );
    },
  };
}
