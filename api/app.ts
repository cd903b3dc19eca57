/**
 * Builds the HTTP application (it never listens; main/api.ts does). Everything it needs is passed in, so
 * that tests and the entry points wire the same app against real dependencies.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { DatabaseHandle } from '../db/client.js';
import { createIdempotencyStore } from '../db/idempotency.js';
import { createInitiativeRepository } from '../db/initiatives.js';
import type { Periods } from '../workflows/contracts.js';
import type { Authenticator, Principal } from './auth.js';
import { healthRoutes } from './routes/health.js';
import { bundesratRoutes } from './routes/bundesrat.js';
import { conferenceRoutes } from './routes/conferences.js';
import { initiativeRoutes } from './routes/initiatives.js';
import { commandRoutes } from './routes/commands.js';
import { auditRoutes } from './routes/audit.js';
import { tasksRoutes } from './routes/tasks.js';
import { ressortRoutes } from './routes/ressorts.js';
import { webhooksRoutes } from './routes/webhooks.js';
import { statsRoutes } from './routes/stats.js';
import { eventRoutes } from './routes/events.js';
import { metricsRoutes } from './routes/metrics.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { principalRoutes, sessionRoutes } from './routes/session.js';
import { peopleRoutes } from './routes/people.js';
import { calendarFeedAdminRoutes, calendarFeedRoutes } from './routes/calendar-feed.js';
import { createDirectory } from './people.js';
import { createMetrics } from './metrics.js';
import { conditionalGets } from './conditional.js';
import { createCommandRunner } from './commands.js';
import { createInitiativeCache } from './initiative-cache.js';
import { NO_LIMITS, registerHardening, type HardeningSettings } from './hardening.js';
import { createBundesratRepository, unbookedInitiatives } from '../db/bundesrat.js';
import { createConferenceRepository } from '../db/conferences.js';
import { createTextRepository } from '../db/texts.js';
import { createTextStore } from './texts.js';
import { textRoutes } from './routes/texts.js';
import { createAttachmentRepository } from '../db/attachments.js';
import { DEFAULT_ATTACHMENT_MAX_BYTES } from './attachments.js';
import { attachmentRoutes } from './routes/attachments.js';
import { exportRoutes } from './routes/exports.js';
import { HttpProblem, unavailable, type FieldError } from './problems.js';
import { InitiativeSchema } from './schemas/initiative.js';
import { ProblemSchema } from './schemas/problem.js';
import { PracticeSchema } from './schemas/practices.js';
import { practiceRoutes } from './routes/practices.js';
import { createPracticeRepository } from '../db/practices.js';
import { FormatSchema } from './schemas/formats.js';
import { formatRoutes } from './routes/formats.js';
import { createFormatRepository } from '../db/formats.js';
import { isTemporalUnavailable, type WorkflowGateway } from './temporal.js';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.js';
import type { Tracer } from '@opentelemetry/api';
import { nameRequestSpans, tracedServerFactory } from './tracing.js';

const AJV_OPTIONS = { removeAdditional: false, allErrors: true, useDefaults: true } as const;

export interface AppDependencies {
  database: DatabaseHandle;
  workflows: WorkflowGateway;
  authenticate: Authenticator;
  periods: Required<Periods>;
  /** Days between a Bundesrat submission and the earliest bookable session. */
  bundesratLeadDays: number;
  /** Hosts webhook subscriptions may point at (WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: readonly string[];
  /** The key webhook secrets are sealed with (WEBHOOK_SECRET_KEY). */
  webhookSecretKey: Buffer;
  /** Webhook URLs must be https (NODE_ENV=production). */
  webhookHttpsOnly?: boolean;
  /** Event streams one principal may hold open on this process (EVENT_STREAMS_PER_PRINCIPAL, default 5). */
  eventStreamsPerPrincipal?: number;
  /** Fastify's logger options (tests: a level and a stream), or the process's pino logger (runtime/logging.ts). */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Initiatives kept in memory for status polls (READ_CACHE_SIZE); 0 turns the cache off. */
  readCacheSize?: number;
  /** Link shown on /readyz and the dashboard for operators, when a Temporal Web UI is known. */
  temporalUiUrl?: string | undefined;
  /** METRICS_TOKEN: the bearer token /metrics asks for; without it /metrics is open. */
  metricsToken?: string | undefined;
  /** ATTACHMENT_MAX_BYTES: the largest attachment (docs/texts.md); 20 MiB by default. */
  attachmentMaxBytes?: number;
  /** Rate limit and CORS (runtime/config.ts); without it: security headers only. */
  hardening?: HardeningSettings;
  /** A server span per request (api/tracing.ts), when tracing is on (runtime/tracing.ts). */
  tracer?: Tracer | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** postgres.js and PGlite errors that mean the database cannot be reached, as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const raw = (e as { code?: unknown }).code;
    const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    if (
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|CONNECTION_\w+|CONNECT_TIMEOUT|57P0[1-3]|08\w{3}|53300)$/.test(
        code,
      )
    )
      return true;
  }
  return false;
}

/** One entry per field (a value can break several keywords at once, e.g. format and pattern). */
function fieldErrors(error: FastifyError): FieldError[] {
  // An `if` failure only says that its `then` failed, which reports the field itself.
  const errors = (error.validation ?? [])
    .filter((issue) => issue.keyword !== 'if')
    .map((issue) => {
      const params = issue.params;
      const extra = params.missingProperty ?? params.additionalProperty;
      const path = `${issue.instancePath}${typeof extra === 'string' ? `/${extra}` : ''}` || '/';
      const message =
        params.additionalProperty !== undefined
          ? 'is not a known field'
          : params.missingProperty !== undefined
            ? 'is required'
            : (issue.message ?? 'is invalid');
      return { path: `${error.validationContext ?? 'body'}${path}`, message };
    });
  return errors.filter((e, index) => errors.findIndex((other) => other.path === e.path) === index);
}

function isLoggerInstance(logger: AppDependencies['logger']): logger is FastifyBaseLogger {
  return typeof logger === 'object' && typeof (logger as Partial<FastifyBaseLogger>).child === 'function';
}

/** A URL with broken percent-encoding never reaches a route or the error handler: a problem all the same. */
function malformedUrl(_error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  void reply
    .code(400)
    .header(REQUEST_ID_HEADER, request.id)
    .type('application/problem+json')
    .send(
      new HttpProblem(400, 'The URL is not valid (malformed percent-encoding).').body(undefined, request.id),
    );
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    ...(isLoggerInstance(deps.logger) ? { loggerInstance: deps.logger } : { logger: deps.logger ?? false }),
    bodyLimit: 256 * 1024,
    // The client's address matters for logs and rate limits: taken from X-Forwarded-For only when the
    // connection comes from a configured proxy (TRUSTED_PROXIES), never from whoever sends the header.
    trustProxy: deps.hardening?.trustedProxies?.length ? [...deps.hardening.trustedProxies] : false,
    frameworkErrors: malformedUrl,
    // A UUID per request, or a sane incoming X-Request-Id (api/request-id.ts); logged as `requestId`.
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    ...(deps.tracer ? { serverFactory: tracedServerFactory(deps.tracer) } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (deps.tracer) nameRequestSpans(app);
  // First hook of all, so that every answer (refusals by later hooks included) names its request.
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  // JSON only (docs/api.md: 415 not JSON); Fastify would otherwise parse text/plain into a string.
  app.removeContentTypeParser('text/plain');
  const metrics = createMetrics(deps.database.db, (error) =>
    app.log.warn({ err: error }, 'metrics: the database could not be read'),
  );
  app.addHook('onResponse', async (request, reply) => metrics.observe(request, reply));
  conditionalGets(app);
  await registerHardening(app, deps.hardening ?? NO_LIMITS);

  // Bodies are JSON and must match their types exactly; query strings and headers are text and are coerced.
  const validators = AjvCompiler();
  const strict = validators({}, { customOptions: { ...AJV_OPTIONS, coerceTypes: false } });
  const coercing = validators({}, { customOptions: { ...AJV_OPTIONS, coerceTypes: 'array' } });
  app.setValidatorCompiler((route) => (route.httpPart === 'body' ? strict(route) : coercing(route)));

  app.addSchema(InitiativeSchema);
  app.addSchema(ProblemSchema);
  app.addSchema(PracticeSchema);
  app.addSchema(FormatSchema);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Digital Dialog initiative engine',
        version: '1',
        description: 'Joint digital-policy initiatives of Bavaria and North Rhine-Westphalia.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.decorateRequest('principal', null as unknown as Principal);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let problem: HttpProblem;
    if (error instanceof HttpProblem) problem = error;
    else if (error.validation)
      problem = new HttpProblem(400, 'The request does not match the schema.', fieldErrors(error));
    else if (error.statusCode === 413)
      problem = new HttpProblem(
        413,
        `The body exceeds ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes.`,
      );
    else if (error.statusCode === 415)
      problem = new HttpProblem(415, 'Send JSON: Content-Type: application/json.');
    else if (error.statusCode === 400 && error.code?.startsWith('FST_ERR_CTP'))
      problem = new HttpProblem(400, error.message);
    else if (isDatabaseUnavailable(error)) problem = unavailable('database');
    else if (isTemporalUnavailable(error)) problem = unavailable('Temporal');
    else {
      request.log.error({ err: error }, 'unhandled error');
      problem = new HttpProblem(500, 'Something went wrong on our side; the error has been logged.');
    }
    if (problem.status >= 500 && problem.status !== 500) request.log.warn({ err: error }, problem.detail);
    if (problem.retryAfter !== undefined) void reply.header('retry-after', String(problem.retryAfter));
    if (problem.status === 401) void reply.header('www-authenticate', 'Bearer');
    return reply
      .code(problem.status)
      .type('application/problem+json')
      .send(problem.body(request.url, request.id));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send(new HttpProblem(404, `No route ${request.method} ${request.url}.`).body(undefined, request.id)),
  );

  await app.register(healthRoutes, {
    database: deps.database,
    workflows: deps.workflows,
    temporalUiUrl: deps.temporalUiUrl,
  });
  await app.register(metricsRoutes, { metrics, token: deps.metricsToken });
  await app.register(dashboardRoutes);
  // Beside the authenticated /v1 routes, not inside them: these need no token.
  await app.register(sessionRoutes, { prefix: '/v1', authenticate: deps.authenticate });
  // The calendar feed's secret URL: calendar apps send no token (docs/calendar-feed.md).
  await app.register(calendarFeedRoutes, { prefix: '/v1', db: deps.database.db });
  await app.register(
    async (v1) => {
      // The directory of people (issue 17): who signed in, from their tokens.
      const directory = createDirectory(deps.database.db, v1.log);
      // Authentication runs before the body is read, so 401 wins over 413/415/400 (docs/api.md's precedence).
      v1.addHook('onRequest', async (request) => {
        request.principal = await deps.authenticate(request.headers.authorization);
        await directory.seen(request.principal);
      });
      const { db } = deps.database;
      const initiatives = createInitiativeRepository(db);
      const idempotency = createIdempotencyStore(db);
      // Keys are kept at least 24 hours (docs/api.md); older ones are purged hourly.
      const purge = setInterval(() => {
        idempotency
          .purgeExpired()
          .catch((error: unknown) => v1.log.warn({ err: error }, 'idempotency purge failed'));
      }, 3_600_000).unref();
      v1.addHook('onClose', async () => clearInterval(purge));
      const cache = createInitiativeCache(deps.database, initiatives, {
        capacity: deps.readCacheSize ?? 10_000,
      });
      const bundesrat = createBundesratRepository(db);
      const texts = createTextRepository(db);
      const textStore = createTextStore(texts);
      const conferences = createConferenceRepository(db);
      const commands = createCommandRunner({
        context: {
          calendar: bundesrat,
          leadDays: deps.bundesratLeadDays,
          texts: textStore,
          conferences: conferences.calendar,
        },
        initiatives,
        idempotency,
        workflows: deps.workflows,
        forgetCached: (id) => cache.forget(id),
      });
      v1.addHook('onClose', () => cache.close());
      const practices = createPracticeRepository(db);
      const formats = createFormatRepository(db);
      await v1.register(initiativeRoutes, {
        formats,
        practices,
        initiatives,
        idempotency,
        database: db,
        workflows: deps.workflows,
        commands,
        cache,
        periods: deps.periods,
        texts: textStore,
        conferences,
      });
      await v1.register(commandRoutes, { commands });
      await v1.register(textRoutes, { commands, texts });
      await v1.register(exportRoutes, { commands, texts });
      await v1.register(attachmentRoutes, {
        commands,
        attachments: createAttachmentRepository(db),
        maxBytes: deps.attachmentMaxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES,
      });
      await v1.register(principalRoutes, { commands });
      await v1.register(tasksRoutes, { db, webhookAllowedHosts: deps.webhookAllowedHosts });
      await v1.register(webhooksRoutes, {
        db,
        webhookAllowedHosts: deps.webhookAllowedHosts,
        secretKey: deps.webhookSecretKey,
        httpsOnly: deps.webhookHttpsOnly ?? false,
      });
      await v1.register(auditRoutes, { db, webhookAllowedHosts: deps.webhookAllowedHosts });
      await v1.register(statsRoutes, { db });
      await v1.register(ressortRoutes);
      await v1.register(peopleRoutes, { db });
      await v1.register(calendarFeedAdminRoutes, { db });
      await v1.register(eventRoutes, { db, streamsPerPrincipal: deps.eventStreamsPerPrincipal });
      await v1.register(bundesratRoutes, {
        bundesrat,
        workflows: deps.workflows,
        unbooked: () => unbookedInitiatives(db),
      });
      await v1.register(conferenceRoutes, { conferences, workflows: deps.workflows });
      await v1.register(practiceRoutes, { practices });
      await v1.register(formatRoutes, {
        formats,
        practices,
        initiatives,
        commands,
      });
    },
    { prefix: '/v1' },
  );
  return app;
}
