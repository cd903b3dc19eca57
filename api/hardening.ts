/**
 * What every request goes through regardless of route: security headers, CORS for the configured origins,
 * a rate limit per principal, and a refusal of text the database cannot store. Registered first in
 * app.ts, so that its hooks see every route.
 */
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { HttpProblem, badRequest, type FieldError } from './problems.js';
import { problemResponses } from './routes/shared.js';

export interface HardeningSettings {
  /** Requests per principal and minute (RATE_LIMIT_PER_MINUTE); 0 switches rate limiting off. */
  rateLimitPerMinute: number;
  /** Browser origins allowed to call the API (CORS_ORIGINS, or `*`); none: no CORS headers at all. */
  corsOrigins: readonly string[];
  /**
   * Proxies (addresses or CIDR ranges, TRUSTED_PROXIES) whose `X-Forwarded-For` names the client; none by
   * default, so that no client picks its own address (and its own rate-limit bucket).
   */
  trustedProxies?: readonly string[];
}

/** What buildApp applies when it is given no settings: headers only, no CORS, no rate limit. */
export const NO_LIMITS: HardeningSettings = { rateLimitPerMinute: 0, corsOrigins: [] };

/**
 * One policy for the JSON API and the pages (/docs): everything from this origin only, nothing inline
 * but styles (Swagger UI sets style attributes), never framed. No `upgrade-insecure-requests`: served
 * over plain HTTP on localhost, it would send the page's own scripts to an https port nobody listens on.
 */
const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
};

/** Headers a browser client sends and reads (docs/api.md: bearer tokens, idempotency, entity tags, SSE resume). */
const CORS_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'if-match',
  'if-none-match',
  'last-event-id',
];
const CORS_EXPOSED_HEADERS = [
  'etag',
  'location',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

const WINDOW_MS = 60_000;

/** The authenticated subject; requests without one (public routes) count per client address. */
function rateLimitKey(request: FastifyRequest): string {
  const principal = request.principal as FastifyRequest['principal'] | null;
  return principal ? `sub:${principal.sub}` : `ip:${normalizeIP(request.ip)}`;
}

/** NUL and unpaired UTF-16 surrogates: valid in a JS string, refused by PostgreSQL's text and jsonb. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorableText = (text: string) => !text.includes('\0') && !LONE_SURROGATE.test(text);

/**
 * Where in a parsed body, query or path a string (or a field name) holds text the database cannot store.
 * Iterative: a body may nest thousands of levels deep before its schema refuses it.
 */
function unstorable(root: unknown, rootPath: string): FieldError[] {
  const errors: FieldError[] = [];
  const pending: [unknown, string][] = [[root, rootPath]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string' && !isStorableText(value))
      errors.push({ path, message: 'contains NUL or an unpaired surrogate, which cannot be stored' });
    if (value === null || typeof value !== 'object') continue;
    for (const [key, inner] of Object.entries(value)) {
      if (isStorableText(key)) pending.push([inner, `${path}/${key}`]);
      else errors.push({ path, message: 'has a field name with NUL or an unpaired surrogate' });
    }
  }
  return errors;
}

/**
 * Text that passes a schema can still be text PostgreSQL refuses: such a command would fail in the
 * workflow's persisting activity, retried for ever. Refused up front, with the other 400s.
 */
async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  // Only what the route takes in (what its schema declares); anything else is ignored anyway.
  const schema = request.routeOptions.schema ?? {};
  const errors = [
    ...(schema.params ? unstorable(request.params, 'params') : []),
    ...(schema.querystring ? unstorable(request.query, 'querystring') : []),
    ...(schema.body ? unstorable(request.body, 'body') : []),
  ];
  if (errors.length > 0) throw badRequest('The request contains text that cannot be stored.', errors);
}

/** Methods whose bodies Fastify reads, and so can answer 400 (bad JSON), 413 and 415 on any route. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Declares in the route's responses (and so in /openapi.json) the statuses this plugin and Fastify add.
 * Routes that declare no responses are left alone: the document's default answer stays theirs.
 */
function declareStatuses(route: RouteOptions, rateLimited: boolean): void {
  const schema = route.schema;
  if (!schema?.response || schema.hide) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const statuses = [
    ...(methods.some((method) => BODY_METHODS.has(method)) ? [400, 413, 415] : []),
    ...(rateLimited ? [429] : []),
  ];
  // A copy: response maps such as commandResponses are shared by many routes (and apps).
  schema.response = { ...problemResponses(...statuses), ...schema.response };
}

/** A route's URL (`/v1/initiatives/:id`, `/docs/*`) as a pattern for concrete paths. */
function pathPattern(url: string): RegExp {
  const parts = url.split(/(:[\w-]+(?:\([^)]*\))?|\*)/).map((part) => {
    if (part === '*') return '.*';
    if (part.startsWith(':')) return '[^/]+';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${parts.join('')}$`);
}

/**
 * Methods a path has no route for answer 405 with `Allow` when other methods do have one (404 when none
 * does), in onRequest: before anything reads a body, so that a method Fastify would parse a body for
 * (e.g. `QUERY` without a Content-Type) never reaches its parsers and their 500.
 */
function answerUnroutedMethods(app: FastifyInstance): void {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', (route) => {
    const entry = routes.get(route.url) ?? { pattern: pathPattern(route.url), methods: new Set<string>() };
    for (const method of [route.method].flat()) entry.methods.add(method);
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
    routes.set(route.url, entry);
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = new Set<string>();
    for (const { pattern, methods } of routes.values())
      if (pattern.test(path)) for (const method of methods) allowed.add(method);
    const problem =
      allowed.size === 0
        ? new HttpProblem(404, `No route ${request.method} ${request.url}.`)
        : new HttpProblem(
            405,
            `${request.method} is not allowed here; allowed: ${[...allowed].sort().join(', ')}.`,
          );
    if (allowed.size > 0) void reply.header('allow', [...allowed].sort().join(', '));
    return reply
      .code(problem.status)
      .type('application/problem+json')
      .send(problem.body(undefined, request.id));
  });
}

/**
 * Failed authentications (401) per client address, counted in the same window, are limited before
 * authentication runs: a flood of bad tokens is refused without verifying each one (the per-principal limit
 * below runs after authentication, so it never sees them).
 */
function limitFailedAuthentications(app: FastifyInstance, perMinute: number): void {
  const failures = new Map<string, { count: number; resetAt: number }>();
  app.addHook('onRequest', async (request) => {
    const entry = failures.get(normalizeIP(request.ip));
    if (!entry || entry.resetAt <= Date.now() || entry.count < perMinute) return;
    throw new HttpProblem(
      429,
      `At most ${perMinute} failed authentications a minute from one address; retry later.`,
      undefined,
      Math.max(1, Math.ceil((entry.resetAt - Date.now()) / 1000)),
    );
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401) return;
    const now = Date.now();
    const key = normalizeIP(request.ip);
    const entry = failures.get(key);
    if (entry && entry.resetAt > now) entry.count++;
    else {
      if (failures.size >= 10_000)
        for (const [address, old] of failures) if (old.resetAt <= now) failures.delete(address);
      if (failures.size < 10_000) failures.set(key, { count: 1, resetAt: now + WINDOW_MS });
    }
  });
}

export async function registerHardening(app: FastifyInstance, settings: HardeningSettings): Promise<void> {
  const rateLimited = settings.rateLimitPerMinute > 0;
  app.addHook('onRoute', (route) => declareStatuses(route, rateLimited));
  // A declared length over the limit is 413 before the media type is looked at (docs/api.md: 413 before 415);
  // after authentication, which runs in onRequest. Bodies sent without a length are measured by the parser.
  const appLimit = app.initialConfig.bodyLimit ?? Infinity;
  app.addHook('preParsing', async (request) => {
    // A route may allow more (a motion text) or less than the app.
    const bodyLimit = request.routeOptions.bodyLimit ?? appLimit;
    if (BODY_METHODS.has(request.method) && Number(request.headers['content-length']) > bodyLimit)
      throw Object.assign(new Error('body too large'), { statusCode: 413 });
  });
  app.addHook('preValidation', refuseUnstorableText);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
  });

  if (settings.corsOrigins.length > 0)
    await app.register(fastifyCors, {
      origin: settings.corsOrigins.includes('*') ? '*' : [...settings.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      // Bearer tokens, no cookies: credentialed requests are never needed.
      credentials: false,
      maxAge: 600,
    });

  // After helmet's and CORS's hooks, so that a 404 or 405 carries their headers too.
  answerUnroutedMethods(app);

  if (rateLimited) limitFailedAuthentications(app, settings.rateLimitPerMinute);

  if (rateLimited)
    await app.register(fastifyRateLimit, {
      max: settings.rateLimitPerMinute,
      timeWindow: WINDOW_MS,
      // After authentication, body limit, content type and schema (docs/api.md ranks 401 · 413 · 415 · 400
      // first), but before anything reads the database: a limited client costs no query.
      hook: 'preHandler',
      keyGenerator: rateLimitKey,
      cache: 10_000,
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(
          429,
          `At most ${context.max} requests a minute; retry in ${context.after}.`,
          undefined,
          Math.max(1, Math.ceil(context.ttl / 1000)),
        ),
    });
}
