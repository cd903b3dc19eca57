/**
 * Hardening (api/hardening.ts): security headers on every answer with /docs still working in a real
 * browser, CORS only for CORS_ORIGINS, the rate limit per principal (429 with Retry-After, in docs/api.md's
 * precedence), the body limit (413) and media type (415), text the database cannot store, no internals
 * in errors even when the database fails, and the configuration keys.
 */
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../api/auth.js';
import { openDatabase } from '../db/client.js';
import { authSettings } from '../main/api.js';
import { ConfigError, loadConfig } from '../runtime/config.js';
import type { Initiative } from '../workflows/contracts.js';
import {
  expectStatus,
  type ExtraApp,
  newInitiative,
  startExtraApp,
  signJwt,
  TEST_SECRET,
  useHarness,
} from './kit/index.js';
import { adminUrl } from './helpers/database.js';
import { childEnv, runProcess } from './helpers/spawn.js';
import { chromiumPath } from './helpers/tools.js';
import { leaks } from './helpers/openapi-contract.js';

const harness = useHarness();
const { who, flow } = harness;
const extras: ExtraApp[] = [];

afterAll(async () => {
  for (const extra of extras) await extra.close();
});

interface Exchange {
  status: number;
  headers: Headers;
  text: string;
}

/** Any request to any of the apps, answered as text (pages and problems alike). */
async function send(
  baseUrl: string,
  method: string,
  path: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {},
): Promise<Exchange> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
const json = { 'content-type': 'application/json' };

/** Another API on the harness's database and task queue, with its own hardening settings. */
async function extraApp(overrides: Parameters<typeof startExtraApp>[2]): Promise<ExtraApp> {
  const extra = await startExtraApp(
    harness,
    createAuthenticator({ mode: 'development', secret: TEST_SECRET }),
    overrides,
  );
  extras.push(extra);
  return extra;
}

describe('security headers', () => {
  it('every answer carries them: JSON, problems (401, 404, 400) and the public routes; no X-Powered-By', async () => {
    const created = await flow.create();
    const answers = await Promise.all([
      send(harness.baseUrl, 'GET', `/v1/initiatives/${created.id}`, { headers: bearer(who.viewer) }),
      send(harness.baseUrl, 'GET', '/v1/initiatives'),
      send(harness.baseUrl, 'GET', '/no/such/route'),
      send(harness.baseUrl, 'POST', '/v1/initiatives', {
        headers: { ...bearer(who.proposerBY), ...json },
        body: '{',
      }),
      send(harness.baseUrl, 'GET', '/healthz'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 400, 200]);
    for (const { headers } of answers) {
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(headers.get('x-powered-by')).toBeNull();
    }
  });

  it('/docs still works under the policy: Swagger UI renders every operation in a real browser', async () => {
    const page = await send(harness.baseUrl, 'GET', '/docs/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox'],
    });
    try {
      const tab = await browser.newPage();
      const refused: string[] = [];
      tab.on('console', (message) => {
        if (message.type() === 'error') refused.push(message.text());
      });
      tab.on('pageerror', (error) => refused.push(error.message));
      await tab.goto(`${harness.baseUrl}/docs/`);
      await tab.waitForSelector('.opblock', { timeout: 30_000 });
      const operations = await tab.locator('.opblock').count();
      expect(operations).toBeGreaterThanOrEqual(20);
      expect(await tab.locator('.opblock-summary-path').allTextContents()).toContain(
        '/v1/initiatives/{id}/reviews',
      );
      // Nothing the page needs was refused by the Content-Security-Policy (or failed otherwise).
      expect(refused).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});

describe('CORS', () => {
  const origin = 'https://dashboard.example.org';
  const preflight = (baseUrl: string, from: string) =>
    send(baseUrl, 'OPTIONS', '/v1/initiatives', {
      headers: {
        origin: from,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key, if-match',
      },
    });

  it('without CORS_ORIGINS there are no CORS headers at all', async () => {
    const answers = [
      await preflight(harness.baseUrl, origin),
      await send(harness.baseUrl, 'GET', '/v1/initiatives', { headers: { origin, ...bearer(who.viewer) } }),
    ];
    for (const { headers } of answers) {
      expect(headers.get('access-control-allow-origin')).toBeNull();
      expect(headers.get('access-control-allow-methods')).toBeNull();
    }
  });

  it('an allowed origin gets its preflight (without a token) and may read the headers the API uses', async () => {
    const extra = await extraApp({ hardening: { rateLimitPerMinute: 0, corsOrigins: [origin] } });
    const allowed = await preflight(extra.baseUrl, origin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    const requestHeaders = allowed.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['authorization', 'content-type', 'idempotency-key', 'if-match'])
      expect(requestHeaders).toContain(header);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();

    const read = await send(extra.baseUrl, 'GET', '/v1/initiatives', {
      headers: { origin, ...bearer(who.viewer) },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe(origin);
    expect(read.headers.get('vary')).toMatch(/origin/i);
    const exposed = read.headers.get('access-control-expose-headers') ?? '';
    for (const header of ['etag', 'location', 'retry-after']) expect(exposed).toContain(header);

    const stranger = await preflight(extra.baseUrl, 'https://evil.example');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const strangerRead = await send(extra.baseUrl, 'GET', '/v1/initiatives', {
      headers: { origin: 'https://evil.example', ...bearer(who.viewer) },
    });
    expect(strangerRead.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limit per principal', () => {
  const LIMIT = 5;
  let limited: ExtraApp;

  beforeAll(async () => {
    limited = await extraApp({
      hardening: { rateLimitPerMinute: LIMIT, corsOrigins: [], trustedProxies: ['127.0.0.1'] },
    });
  });

  it('the request over the limit answers 429 problem+json with Retry-After; other principals go on', async () => {
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const answer = await send(limited.baseUrl, 'GET', '/v1/tasks', { headers: bearer(who.reviewerBY) });
      statuses.push(answer.status);
      remaining.push(answer.headers.get('x-ratelimit-remaining'));
    }
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const over = await send(limited.baseUrl, 'GET', '/v1/tasks', { headers: bearer(who.reviewerBY) });
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(JSON.parse(over.text)).toMatchObject({ status: 429, title: 'Too many requests' });
    // The limit is the principal's, not the address's: another token from the same client goes on.
    expect(
      (await send(limited.baseUrl, 'GET', '/v1/tasks', { headers: bearer(who.reviewerNW) })).status,
    ).toBe(200);
  });

  it("docs/api.md's order: 401, 413, 415 and 400 come first; a limited command changes nothing", async () => {
    const created = await flow.create();
    const path = `/v1/initiatives/${created.id}/reviews`;
    for (let i = 0; i < LIMIT + 1; i++)
      await send(limited.baseUrl, 'GET', '/v1/tasks', { headers: bearer(who.cabinetBY) });
    const as = { ...bearer(who.cabinetBY), ...json };
    expect((await send(limited.baseUrl, 'GET', '/v1/tasks')).status).toBe(401);
    expect(
      (await send(limited.baseUrl, 'POST', path, { headers: as, body: 'x'.repeat(300_000) })).status,
    ).toBe(413);
    expect(
      (
        await send(limited.baseUrl, 'POST', path, {
          headers: { ...as, 'content-type': 'text/plain' },
          body: 'x',
        })
      ).status,
    ).toBe(415);
    expect(
      (await send(limited.baseUrl, 'POST', path, { headers: as, body: '{"decision":"maybe"}' })).status,
    ).toBe(400);
    expect(
      (await send(limited.baseUrl, 'POST', path, { headers: as, body: '{"decision":"approve"}' })).status,
    ).toBe(429);
    expect((await flow.get(created.id)).version).toBe(created.version);
  });

  it('requests without a principal count per client address', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < LIMIT; i++)
      expect((await send(limited.baseUrl, 'GET', '/healthz', { headers: from('203.0.113.7') })).status).toBe(
        200,
      );
    expect((await send(limited.baseUrl, 'GET', '/healthz', { headers: from('203.0.113.7') })).status).toBe(
      429,
    );
    expect((await send(limited.baseUrl, 'GET', '/healthz', { headers: from('203.0.113.8') })).status).toBe(
      200,
    );
  });

  it('without TRUSTED_PROXIES a client cannot pick its address (and bucket) through X-Forwarded-For', async () => {
    const direct = await extraApp({ hardening: { rateLimitPerMinute: LIMIT, corsOrigins: [] } });
    for (let i = 0; i < LIMIT; i++)
      expect(
        (await send(direct.baseUrl, 'GET', '/healthz', { headers: { 'x-forwarded-for': `203.0.113.${i}` } }))
          .status,
      ).toBe(200);
    const next = await send(direct.baseUrl, 'GET', '/healthz', {
      headers: { 'x-forwarded-for': '198.51.100.1' },
    });
    expect(next.status).toBe(429);
    expect(loadConfig({}).hardening.trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7' }).hardening.trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
    ]);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'proxy.example' })).toThrow(ConfigError);
  });

  it('a flood of bad tokens is limited before authentication, per address', async () => {
    const guarded = await extraApp({ hardening: { rateLimitPerMinute: LIMIT, corsOrigins: [] } });
    for (let i = 0; i < LIMIT; i++)
      expect(
        (await send(guarded.baseUrl, 'GET', '/v1/tasks', { headers: bearer(`not-a-token-${i}`) })).status,
      ).toBe(401);
    const flooded = await send(guarded.baseUrl, 'GET', '/v1/tasks', { headers: bearer('not-a-token-again') });
    expect(flooded.status).toBe(429);
    expect(Number(flooded.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(flooded.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('METRICS_TOKEN: /metrics answers only with the token', async () => {
    const token = 'metrics-token-of-at-least-32-bytes!';
    const guarded = await extraApp({ metricsToken: token });
    expect((await send(guarded.baseUrl, 'GET', '/metrics')).status).toBe(401);
    expect((await send(guarded.baseUrl, 'GET', '/metrics', { headers: bearer('wrong') })).status).toBe(401);
    const scraped = await send(guarded.baseUrl, 'GET', '/metrics', { headers: bearer(token) });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('# TYPE');
    expect(loadConfig({ METRICS_TOKEN: token }).metricsToken).toBe(token);
  });

  it('RATE_LIMIT_PER_MINUTE=0 switches it off; when on, /openapi.json declares 429 everywhere', async () => {
    const unlimited = await extraApp({ hardening: { rateLimitPerMinute: 0, corsOrigins: [] } });
    for (let i = 0; i < 3 * LIMIT; i++) {
      const answer = await send(unlimited.baseUrl, 'GET', '/v1/tasks', { headers: bearer(who.viewer) });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
    }
    type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    // Every operation that documents its answers (all of them here) lists 429 among them.
    const declared = (doc: Doc) =>
      Object.values(doc.paths).flatMap((item) =>
        Object.values(item)
          .filter((op) => Object.keys(op.responses).some((status) => Number(status) >= 400))
          .map((op) => '429' in op.responses),
      );
    const on = JSON.parse((await send(limited.baseUrl, 'GET', '/openapi.json')).text) as Doc;
    const off = JSON.parse((await send(unlimited.baseUrl, 'GET', '/openapi.json')).text) as Doc;
    expect(declared(on).length).toBeGreaterThanOrEqual(20);
    expect(declared(on).every(Boolean)).toBe(true);
    // … except the event stream, whose cap of streams per principal answers 429 whatever the rate limit
    const events = (doc: Doc) => '429' in (doc.paths['/v1/events']?.get?.responses ?? {});
    expect(events(off)).toBe(true);
    delete off.paths['/v1/events'];
    expect(declared(off).some(Boolean)).toBe(false);
  });
});

describe('bodies and text', () => {
  it('413 over the body limit and 415 for anything but JSON, as problems, changing nothing', async () => {
    const before = await flow.calendar();
    const put = (headers: Record<string, string>, body: string) =>
      send(harness.baseUrl, 'PUT', '/v1/bundesrat/sessions', {
        headers: { ...bearer(who.admin), ...headers },
        body,
      });
    const tooLarge = await put(
      json,
      JSON.stringify([{ number: 1, date: '2027-01-29', source: 'x'.repeat(300_000) }]),
    );
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.text)).toMatchObject({ status: 413, title: 'Body too large' });
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const answer = await put({ 'content-type': type }, 'number=1');
      expect(answer.status, type).toBe(415);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(await flow.calendar()).toEqual(before);
  });

  it('text PostgreSQL cannot store (NUL, an unpaired surrogate) is 400 naming the field, also in a query', async () => {
    const nul = await harness.post(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ title: 'Titel\u0000' }),
    );
    expect(nul.status).toBe(400);
    expect(JSON.stringify(nul.body)).toContain('body/title');
    const surrogate = await harness.post(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ summary: 'x\ud800' }),
    );
    expect(surrogate.status).toBe(400);
    expect(JSON.stringify(surrogate.body)).toContain('body/summary');
    const query = await harness.get('/v1/initiatives?q=%00', who.viewer);
    expect(query.status).toBe(400);
    expect(JSON.stringify(query.body)).toContain('querystring/q');
  });

  it('a token whose name or subject holds such text is refused (401): it would stall the audit trail', async () => {
    const odd = await signJwt({ name: 'Eve\u0000', land: 'BY', roles: ['proposer'] }, TEST_SECRET, {
      subject: 'eve',
      expiresIn: '1h',
    });
    expect((await harness.post('/v1/initiatives', odd, newInitiative())).status).toBe(401);
  });
});

describe('undeclared methods', () => {
  const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'QUERY', 'OPTIONS', 'PROPFIND'];

  it('every undeclared method on every documented path → 405 with Allow, never 500 (QUERY included)', async () => {
    const document = (await send(harness.baseUrl, 'GET', '/openapi.json')).text;
    const paths = (JSON.parse(document) as { paths: Record<string, Record<string, unknown>> }).paths;
    let checked = 0;
    for (const [template, operations] of Object.entries(paths)) {
      const path = template.replace(/\{[^}]+\}/g, 'DD-2026-0001');
      const declared = Object.keys(operations).map((method) => method.toUpperCase());
      for (const method of METHODS.filter(
        (m) => !declared.includes(m) && !(m === 'HEAD' && declared.includes('GET')),
      )) {
        const answer = await send(harness.baseUrl, method, path, { headers: bearer(who.viewer) });
        expect(answer.status, `${method} ${path}`).toBe(405);
        const allow = (answer.headers.get('allow') ?? '').split(', ');
        for (const m of declared) expect(allow, `${method} ${path}`).toContain(m);
        if (method !== 'HEAD') {
          expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(answer.text)).toMatchObject({ status: 405 });
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('QUERY with a body on a known path is 405 too, and an unknown path stays 404', async () => {
    const query = await send(harness.baseUrl, 'QUERY', '/v1/initiatives', { headers: json, body: '{}' });
    expect(query.status).toBe(405);
    expect(query.headers.get('allow')).toBe('GET, HEAD, POST');
    const unknown = await send(harness.baseUrl, 'QUERY', '/v1/nowhere');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('no internals in errors', () => {
  it('a failing database answers 500 or 503 (with Retry-After) without SQL, stack or driver names', async () => {
    // The server's maintenance database has no tables (500); port 1 has no server at all (503).
    const untabled = await openDatabase({ url: adminUrl(), embeddedDir: '', max: 1 });
    const unreachableUrl = new URL(adminUrl());
    unreachableUrl.port = '1';
    const unreachable = await openDatabase({ url: unreachableUrl.toString(), embeddedDir: '', max: 1 });
    try {
      for (const [database, status] of [
        [untabled, 500],
        [unreachable, 503],
      ] as const) {
        const extra = await extraApp({ database });
        const answer = await extra.get<Record<string, unknown>>('/v1/initiatives', who.viewer);
        expect(answer.status).toBe(status);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(leaks(answer.body)).toEqual([]);
        expect(Object.keys(answer.body).sort()).toEqual([
          'detail',
          'instance',
          'requestId',
          'status',
          'title',
          'type',
        ]);
        if (status === 503) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    } finally {
      await untabled.close();
      await unreachable.close();
    }
  });
});

describe('configuration', () => {
  it('RATE_LIMIT_PER_MINUTE (default 1200, 0 = off) and CORS_ORIGINS (origins or *) are read and checked', () => {
    expect(loadConfig({}).hardening).toEqual({
      rateLimitPerMinute: 1200,
      corsOrigins: [],
      trustedProxies: [],
    });
    const set = loadConfig({
      RATE_LIMIT_PER_MINUTE: '0',
      CORS_ORIGINS: ' https://dashboard.example.org, http://localhost:5173 ',
    });
    expect(set.hardening).toMatchObject({
      rateLimitPerMinute: 0,
      corsOrigins: ['https://dashboard.example.org', 'http://localhost:5173'],
    });
    expect(loadConfig({ CORS_ORIGINS: '*' }).hardening.corsOrigins).toEqual(['*']);
    for (const env of [
      { RATE_LIMIT_PER_MINUTE: 'many' },
      { RATE_LIMIT_PER_MINUTE: '-5' },
      { CORS_ORIGINS: 'https://dashboard.example.org/' },
      { CORS_ORIGINS: 'dashboard.example.org' },
      { CORS_ORIGINS: 'ftp://files.example.org' },
    ])
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
  });
  it('development mode is explicit: never the fallback on a non-loopback address nor under NODE_ENV=production', async () => {
    // The finding: NODE_ENV=prod on 0.0.0.0 fell back to development mode and handed out admin tokens.
    expect(() => loadConfig({ NODE_ENV: 'prod', HOST: '0.0.0.0' })).toThrow(
      /refused on HOST=0\.0\.0\.0.*AUTH_MODE/,
    );
    expect(() => loadConfig({ HOST: '192.168.1.5' })).toThrow(ConfigError);
    expect(loadConfig({ HOST: '0.0.0.0', AUTH_MODE: 'development' }).authMode).toBe('development');
    expect(loadConfig({}).authMode).toBe('development');
    expect(loadConfig({ HOST: '::1' }).authMode).toBe('development');
    expect(loadConfig({ NODE_ENV: 'production', HOST: '0.0.0.0' }).authMode).toBe('oidc');
    expect(loadConfig({ AUTH_MODE: 'oidc' }).authMode).toBe('oidc');
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'development' })).toThrow(ConfigError);
    expect(() => loadConfig({ AUTH_MODE: 'dev' })).toThrow(ConfigError);
    // OIDC on request needs its issuer, like production.
    expect(() => authSettings(loadConfig({ AUTH_MODE: 'oidc' }), {})).toThrow(/AUTH_ISSUER/);

    // The real entry refuses to start, before it listens.
    const refused = await runProcess(
      process.execPath,
      ['--import', 'tsx', 'main/api.ts'],
      childEnv({
        NODE_ENV: 'prod',
        HOST: '0.0.0.0',
        PORT: '0',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x',
      }),
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Development mode .* refused on HOST=0\.0\.0\.0/);
  });

  it('AUTH_JWT_SECRET shorter than 32 bytes and an http AUTH_JWKS_URL are refused', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short-secret' })).toThrow(/at least 32 bytes/);
    expect(loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toHaveLength(32);
    const oidc = {
      NODE_ENV: 'production',
      AUTH_ISSUER: 'https://login.example/realms/dd',
      AUTH_AUDIENCE: 'dd',
    };
    expect(() =>
      authSettings(loadConfig(oidc), { ...oidc, AUTH_JWKS_URL: 'http://login.example/certs' }),
    ).toThrow(/must be an https URL/);
    expect(
      authSettings(loadConfig(oidc), { ...oidc, AUTH_JWKS_URL: 'https://login.example/certs' }).mode,
    ).toBe('production');
  });
});

it('the test harness runs with the limit on, far above what any test sends', async () => {
  const created = await flow.create();
  const read = await harness.get<Initiative>(`/v1/initiatives/${created.id}`, who.viewer);
  expect(expectStatus(read, 200, 'read').id).toBe(created.id);
  expect(read.headers.get('x-ratelimit-limit')).toBe('1000000');
});
