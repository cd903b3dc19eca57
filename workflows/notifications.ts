/**
 * Delivers the webhook notifications of one persisted change (each change its own run, so deliveries of
 * different changes may arrive out of order: receivers order by `seq`). A workflow of its own (started by the
 * initiative workflow as an abandoned child) so that a receiver that is down for days delays only its
 * deliveries, never the initiative, and the retries survive worker restarts.
 */
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { NotificationBatch } from './contracts.js';

type Activities = ReturnType<typeof createActivities>;

const { deliverNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  // Exponential backoff up to ten minutes between attempts, for a day: receivers usually come back.
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const { abandonNotifications } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

export async function notificationWorkflow(batch: NotificationBatch): Promise<void> {
  try {
    await deliverNotifications(batch);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    // A receiver gone for a day: record the deliveries as failed instead of retrying for ever.
    await abandonNotifications(batch, error.cause?.message ?? error.message);
  }
}
