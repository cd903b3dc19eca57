/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded database). */
import { join } from 'node:path';
import { loadConfig, webhookSecretKey } from '../runtime/config.js';
import { openDatabase } from '../db/client.js';
import { sealPlaintextSecrets } from '../db/webhooks.js';
import { createLogger } from '../runtime/logging.js';

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, embeddedDir: join(config.dataDir, 'pglite') });
await database.migrate();
const sealed = await sealPlaintextSecrets(database.db, webhookSecretKey(config));
await database.close();
createLogger('migrate', config.logLevel).info(
  `migrations applied (${database.kind} database); webhook secrets sealed: ${sealed}`,
);
