/**
 * The API as `npm run start:api` builds it (buildApp + listen, PostgreSQL pool of 10, a lazy Temporal
 * client), with development HS256 tokens and request logging off, as in Fastify's own benchmarks.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../../api/app.js';
import { createAuthenticator } from '../../api/auth.js';
import { createWorkflowGateway } from '../../api/temporal.js';
import { openDatabase } from '../../db/client.js';
import { SEED_PERIODS } from '../seed.js';
import { fail, ready, required, serve } from './common.js';

try {
  const database = await openDatabase({ url: required('BENCH_DATABASE_URL'), embeddedDir: '' });
  const connection = Connection.lazy({ address: required('BENCH_TEMPORAL_ADDRESS') });
  const client = new Client({ connection, namespace: required('BENCH_NAMESPACE') });
  const app = await buildApp({
    database,
    workflows: createWorkflowGateway(client, required('BENCH_TASK_QUEUE')),
    authenticate: createAuthenticator({ mode: 'development', secret: required('BENCH_JWT_SECRET') }),
    periods: SEED_PERIODS,
    bundesratLeadDays: 14,
    webhookAllowedHosts: [],
    attachmentMaxBytes: Number(required('BENCH_ATTACHMENT_MAX_BYTES')),
    webhookSecretKey: randomBytes(32),
    logger: process.env.BENCH_API_LOG ? { level: process.env.BENCH_API_LOG } : false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the API did not bind a port');
  serve(async () => {
    await app.close();
    await connection.close();
    await database.close();
  });
  ready(address.port);
} catch (error) {
  fail(error);
}
