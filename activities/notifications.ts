/**
 * Webhook notifications: the delivery activity over the outbox rows that `db/outbox.ts` writes with each
 * change. Deliveries are signed (HMAC-SHA256), carry a stable delivery id, go only
 * to allow-listed hosts, and are marked delivered once acknowledged, so a retry never sends them again.
 */
import { createHmac } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, asc, between, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { webhookDeliveries, webhooks } from '../db/schema.js';
import { isAllowedUrl } from '../lib/url-allow-list.js';
import { WEBHOOK_EVENTS, type NotificationBatch } from '../workflows/contracts.js';

/** `X-DD-Signature` value: the receiver recomputes it over the raw body with the shared secret. */
export const signatureOf = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

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
}: {
  db: Database;
  allowedHosts: readonly string[];
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
          secret: webhooks.secret,
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
        if (!isAllowedUrl(delivery.url, allowedHosts)) {
          // The allow-list changed since the subscription: never send, never retry.
          await db
            .update(webhookDeliveries)
            .set({
              status: 'failed',
              lastError: 'host is not in WEBHOOK_ALLOWED_HOSTS',
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
          const response = await fetch(delivery.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-dd-delivery': delivery.deliveryId,
              'x-dd-event': delivery.event,
              'x-dd-signature': signatureOf(delivery.secret, body),
            },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
          });
          // Nothing is read from the answer; dropping its body frees the connection.
          await response.body?.cancel().catch(() => undefined);
          if (!response.ok) throw new Error(`receiver answered ${response.status}`);
          await db
            .update(webhookDeliveries)
            .set({ status: 'delivered', lastError: null, deliveredAt: sql`now()` })
            .where(row);
          delivered += 1;
        } catch (error) {
          const message = (error as Error).message;
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
