/**
 * Activities are built by a factory over their dependencies, so that tests and the worker entry wire
 * real ones. The workflow imports only the *type* of what this returns. The activities' names are part of
 * recorded workflow histories (test/fixtures/histories): never rename one.
 */
import type { Database } from '../db/client.js';
import { createDeadlineActivities } from './deadlines.js';
import { createNotificationActivities } from './notifications.js';
import { createPersistenceActivities } from './persistence.js';

export type { PersistChangeInput } from './persistence.js';

export interface ActivityDependencies {
  db: Database;
  /** Hosts webhooks may be sent to (WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: readonly string[];
  /** The key webhook secrets are sealed with (WEBHOOK_SECRET_KEY). */
  webhookSecretKey: Buffer;
  /** Webhook URLs must be https (NODE_ENV=production). */
  webhookHttpsOnly: boolean;
}

export function createActivities({
  db,
  webhookAllowedHosts,
  webhookSecretKey,
  webhookHttpsOnly,
}: ActivityDependencies) {
  return {
    // computeDeadlines (a local activity)
    ...createDeadlineActivities(),
    // persistChange
    ...createPersistenceActivities({ db }),
    // deliverNotifications, abandonNotifications
    ...createNotificationActivities({
      db,
      allowedHosts: webhookAllowedHosts,
      secretKey: webhookSecretKey,
      httpsOnly: webhookHttpsOnly,
    }),
  };
}
