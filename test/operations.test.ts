/** The operational surface: /openapi.json (OpenAPI 3.1 with the endpoints), /healthz and /readyz. */
import { describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { createAuthenticator } from '../api/auth.js';
import { createWorkflowGateway } from '../api/temporal.js';
import { startExtraApp, TEST_SECRET, useHarness } from './kit/index.js';

const harness = useHarness();

interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown }>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 and lists the endpoints with their methods', async () => {
    const response = await harness.get<OpenApi>('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = response.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toEqual(expect.any(String));
    const expected: [string, string][] = [
      ['/v1/initiatives', 'post'],
      ['/v1/initiatives', 'get'],
      ['/v1/initiatives/{id}', 'get'],
      ['/v1/initiatives/{id}/history', 'get'],
      ['/v1/initiatives/{id}/reviews', 'post'],
      ['/v1/initiatives/{id}/revisions', 'post'],
      ['/v1/initiatives/{id}/withdrawal', 'post'],
      ['/healthz', 'get'],
      ['/readyz', 'get'],
    ];
    for (const [path, method] of expected)
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    // generated from the route schemas: bodies, answers and problems are described
    const create = doc.paths['/v1/initiatives']?.post;
    expect(create?.requestBody).toBeDefined();
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403']),
    );
    const review = doc.paths['/v1/initiatives/{id}/reviews']?.post;
    expect(Object.keys(review?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '412', '422']),
    );
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    // the document itself is not a route of the API
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it('needs no token, and the docs page is served', async () => {
    const docs = await fetch(`${harness.baseUrl}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('health', () => {
  it('/healthz → 200', async () => {
    const response = await harness.get<{ status: string }>('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('/readyz → 200 with the database and Temporal checks', async () => {
    const response = await harness.get<{ status: string; checks: Record<string, string> }>('/readyz');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ready');
    expect(response.body.checks).toMatchObject({ database: 'ok', temporal: 'ok' });
  });

  it('an unknown route → 404 problem+json', async () => {
    const response = await harness.get<{ status: number }>('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('readiness for reads vs commands', () => {
  it('with Temporal unreachable: /readyz → 503 naming it, /readyz/reads → 200', async () => {
    // A second API on the same database whose Temporal address leads nowhere (nothing listens on port 9).
    const away = await startExtraApp(
      harness,
      createAuthenticator({ mode: 'development', secret: TEST_SECRET }),
      {
        workflows: createWorkflowGateway(
          new Client({ connection: Connection.lazy({ address: '127.0.0.1:9', connectTimeout: 1000 }) }),
          harness.taskQueue,
          5_000,
        ),
      },
    );
    try {
      const commands = await away.get<{ status: string; checks: Record<string, string> }>('/readyz');
      expect(commands.status).toBe(503);
      expect(commands.body.checks).toEqual({ database: 'ok', temporal: 'unavailable' });
      const reads = await away.get<{ status: string; checks: Record<string, string> }>('/readyz/reads');
      expect(reads.status).toBe(200);
      expect(reads.body).toEqual({ status: 'ready', checks: { database: 'ok' } });
    } finally {
      await away.close();
    }
  });
});
