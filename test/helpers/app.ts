/**
 * A second API on a harness's database and task queue, with an authenticator of the test's choosing (e.g.
 * production-mode OIDC), listening on a free loopback port and spoken to over real HTTP.
 */
import { buildApp, type AppDependencies } from '../../api/app.js';
import type { Authenticator } from '../../api/auth.js';
import { createWorkflowGateway } from '../../api/temporal.js';
import {
  DEFAULT_PERIODS,
  TEST_HARDENING,
  WEBHOOK_ALLOWED_HOSTS,
  type ApiResponse,
  type Harness,
} from './harness.js';

export interface ExtraApp {
  baseUrl: string;
  get<T = unknown>(path: string, authorization?: string): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startExtraApp(
  harness: Harness,
  authenticate: Authenticator,
  overrides: Partial<AppDependencies> = {},
): Promise<ExtraApp> {
  const app = await buildApp({
    database: harness.database,
    workflows: createWorkflowGateway(harness.client, harness.taskQueue),
    authenticate,
    periods: DEFAULT_PERIODS,
    bundesratLeadDays: 14,
    webhookAllowedHosts: WEBHOOK_ALLOWED_HOSTS,
    hardening: TEST_HARDENING,
    ...overrides,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the API did not bind a port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl,
    async get<T>(path: string, authorization?: string) {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: (text ? JSON.parse(text) : undefined) as T,
      };
    },
    close: () => app.close(),
  };
}
