/**
 * The only entry that listens. `npm run start:api` runs the API alone (the production shape; workers run
 * elsewhere); main/start.ts uses `startServer` to run it beside a worker in one process.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../db/client.js';
import { developmentSecret, loadConfig, webhookSecretKey, type Config } from '../runtime/config.js';
import { openConfiguredDatabase, resolveTemporal, temporalClient } from '../runtime/services.js';
import { buildApp } from '../api/app.js';
import { createAuthenticator, type AuthSettings } from '../api/auth.js';
import { createWorkflowGateway } from '../api/temporal.js';
import { ConfigError } from '../runtime/config.js';
import { exitOnSignals } from '../runtime/shutdown.js';
import { createLogger, type PinoLogger } from '../runtime/logging.js';
import { startTracing, type Tracing } from '../runtime/tracing.js';

export function authSettings(config: Config, env: NodeJS.ProcessEnv = process.env): AuthSettings {
  if (config.authMode === 'development') return { mode: 'development', secret: developmentSecret(config) };
  const { AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience, AUTH_JWKS_URL: jwksUrl } = env;
  if (!issuer || !audience || !jwksUrl)
    throw new ConfigError(
      'NODE_ENV=production (or AUTH_MODE=oidc) needs AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL (OIDC).',
    );
  // The keys that decide who anyone is must not be swappable on the way.
  if (new URL(jwksUrl).protocol !== 'https:')
    throw new ConfigError(`AUTH_JWKS_URL=${jwksUrl} must be an https URL.`);
  return { mode: 'production', issuer, audience, jwksUrl };
}

export async function startServer(
  config: Config,
  auth: AuthSettings,
  database: DatabaseHandle,
  temporal: { address: string; uiUrl?: string | undefined },
  logger: PinoLogger = createLogger('api', config.logLevel),
  tracing?: Tracing,
): Promise<FastifyInstance> {
  const app = await buildApp({
    database,
    workflows: createWorkflowGateway(
      temporalClient(config, temporal.address, tracing),
      config.temporal.taskQueue,
      config.commandTimeoutMs,
    ),
    authenticate: createAuthenticator(auth, {}, config.tokenLimits),
    periods: config.periods,
    bundesratLeadDays: config.bundesratLeadDays,
    webhookAllowedHosts: config.webhookAllowedHosts,
    webhookSecretKey: webhookSecretKey(config),
    webhookHttpsOnly: config.production,
    eventStreamsPerPrincipal: config.eventStreamsPerPrincipal,
    readCacheSize: config.readCacheSize,
    attachmentMaxBytes: config.attachmentMaxBytes,
    logger,
    temporalUiUrl: temporal.uiUrl,
    hardening: config.hardening,
    metricsToken: config.metricsToken,
    tracer: tracing?.tracer,
  });
  await app.listen({ port: config.port, host: config.host });
  return app;
}

/**
 * Stops accepting connections and resolves once every request in flight has been answered. A keep-alive
 * connection that turns idle after its last answer is closed at once instead of when the client lets go.
 */
export async function drainHttp(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  // Checked before anything starts, so that a misconfigured production start changes nothing.
  const auth = authSettings(config);
  const log = createLogger('api', config.logLevel);
  // OTEL_EXPORTER_OTLP_ENDPOINT set: spans over OTLP (runtime/tracing.ts); else none.
  const tracing = startTracing('api');
  const database = await openConfiguredDatabase(config, 'separate', tracing);
  const temporal = await resolveTemporal(config, (line) => log.info(line));
  const app = await startServer(config, auth, database, temporal, log, tracing);
  exitOnSignals(
    async () => {
      await drainHttp(app);
      await database.close();
      await temporal.devServer?.stop();
      await tracing?.shutdown();
    },
    { timeoutMs: config.shutdownTimeoutMs, log: (line) => app.log.warn(line) },
  );
}
