/**
 * Request ids end to end: every answer names its request in `X-Request-Id` (a UUID, or the caller's own id
 * when it is sane), a problem body carries the same id, and the API's log lines of that request do too.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../api/auth.js';
import { newInitiative, startExtraApp, TEST_SECRET, useHarness, type ExtraApp } from './kit/index.js';

const harness = useHarness();
const { who } = harness;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A second API whose pino log lines are kept, parsed, for the assertions. */
const lines: Record<string, unknown>[] = [];
let logged: ExtraApp;
beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  logged = await startExtraApp(harness, createAuthenticator({ mode: 'development', secret: TEST_SECRET }), {
    logger: { level: 'info', stream },
  });
});
afterAll(() => logged.close());

describe('X-Request-Id', () => {
  it('a fresh UUID per request, answered on success and on refusal alike', async () => {
    const ok = await harness.get('/healthz');
    const missing = await harness.get<{ requestId: string }>('/v1/nothing-here');
    const first = ok.headers.get('x-request-id');
    expect(first).toMatch(UUID);
    expect(missing.headers.get('x-request-id')).toMatch(UUID);
    expect(missing.headers.get('x-request-id')).not.toBe(first);
    expect(missing.body.requestId).toBe(missing.headers.get('x-request-id'));
  });

  it('keeps a sane incoming id and replaces one that is not', async () => {
    const sane = 'lb-7f3a.2026-12-03:0042';
    const kept = await harness.get('/healthz', undefined, { 'x-request-id': sane });
    expect(kept.headers.get('x-request-id')).toBe(sane);
    for (const insane of ['has space', 'x'.repeat(129), '-leading-dash', 'quote"d']) {
      const replaced = await harness.get('/healthz', undefined, { 'x-request-id': insane });
      expect(replaced.headers.get('x-request-id'), insane).toMatch(UUID);
    }
  });

  it('a refused command: the same id in the header, the problem body and the log line', async () => {
    const bad = await logged.post<{ requestId: string; status: number }>(
      '/v1/initiatives',
      who.proposerBY,
      { ...newInitiative(), title: 42 },
      { 'x-request-id': 'support-case-4711' },
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe('support-case-4711');
    expect(bad.body.requestId).toBe('support-case-4711');
    const ofRequest = lines.filter((line) => line.requestId === 'support-case-4711');
    expect(ofRequest.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    expect(ofRequest.find((line) => line.msg === 'request completed')).toMatchObject({
      res: { statusCode: 400 },
    });
  });

  it('an accepted command answers its id too', async () => {
    const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toMatch(UUID);
  });
});
