/**
 * 401 with problem+json for every token the development-mode authenticator must refuse, on reads and on
 * commands, before anything else (docs/api.md: 401 wins over 415 and 400), and without any change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import {
  eventually,
  historyOf,
  newInitiative,
  signJwt,
  TEST_SECRET,
  token,
  useHarness,
} from './kit/index.js';

const harness = useHarness();
const { who } = harness;
let existing: Initiative;

beforeAll(async () => {
  const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
  if (created.status !== 201) throw new Error(`create: ${created.status}`);
  existing = created.body;
});

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'r-by',
  name: 'C. Maier',
  land: 'BY',
  roles: ['reviewer'],
  iat: Math.floor(Date.now() / 1000),
  exp: inAnHour(),
  ...overrides,
});
const sign = (payload: Record<string, unknown>, secret = TEST_SECRET, alg = 'HS256') =>
  signJwt(payload, secret, { header: { alg, typ: 'JWT' } });

/** Every way a bearer token can be wrong; `null` means no Authorization header at all. */
async function badCredentials(): Promise<[string, string | null][]> {
  const valid = await sign(claims());
  const [header, , signature] = valid.split('.');
  return [
    ['no token', null],
    ['not a bearer scheme', 'Basic ci1ieTpzZWNyZXQ='],
    ['an empty bearer', 'Bearer '],
    ['garbage', 'Bearer not-a-jwt'],
    [
      'a bad signature (other secret)',
      `Bearer ${await sign(claims(), 'some-other-secret-of-enough-length')}`,
    ],
    ['a tampered payload', `Bearer ${header}.${b64url(claims({ land: 'NW' }))}.${signature}`],
    [
      'an expired token',
      `Bearer ${await token({ sub: 'r-by', land: 'BY', roles: ['reviewer'] }, Math.floor(Date.now() / 1000) - 60)}`,
    ],
    ['alg none', `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`],
    ['HS512 instead of HS256', `Bearer ${await sign(claims(), TEST_SECRET, 'HS512')}`],
    ['no exp claim', `Bearer ${await sign(claims({ exp: undefined }))}`],
    ['an unknown land', `Bearer ${await sign(claims({ land: 'XX' }))}`],
    ['a land with the DE- prefix', `Bearer ${await sign(claims({ land: 'DE-BY' }))}`],
    ['an unknown role', `Bearer ${await sign(claims({ roles: ['reviewer', 'superuser'] }))}`],
    ['no roles', `Bearer ${await sign(claims({ roles: [] }))}`],
    ['no sub', `Bearer ${await sign(claims({ sub: undefined }))}`],
  ];
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

function expectUnauthenticated(response: { status: number; headers: Headers; body: unknown }, what: string) {
  expect(response.status, what).toBe(401);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('www-authenticate'), what).toMatch(/^Bearer/);
  const body = response.body as Partial<Problem>;
  expect(body.status, what).toBe(401);
  expect(body.title, what).toBe('Not authenticated');
  expect(body.type, what).toMatch(/^https?:\/\//);
  expect(JSON.stringify(response.body), what).not.toMatch(/at .*\.ts:\d+|stack/);
}

describe('401 Not authenticated', () => {
  it('a valid token is accepted (control)', async () => {
    const response = await harness.get('/v1/initiatives', await sign(claims()));
    expect(response.status).toBe(200);
  });

  it('every bad credential is refused on GET /v1/initiatives and GET /v1/initiatives/{id}', async () => {
    for (const [what, authorization] of await badCredentials()) {
      const headers: Record<string, string> = authorization === null ? {} : { authorization };
      expectUnauthenticated(await harness.request('GET', '/v1/initiatives', { headers }), what);
      expectUnauthenticated(
        await harness.request('GET', `/v1/initiatives/${existing.id}`, { headers }),
        what,
      );
    }
  });

  it('every bad credential is refused on a command, which changes nothing', async () => {
    for (const [what, authorization] of await badCredentials()) {
      const headers: Record<string, string> = authorization === null ? {} : { authorization };
      const response = await harness.request<Problem>('POST', `/v1/initiatives/${existing.id}/reviews`, {
        headers,
        body: { decision: 'approve' },
      });
      expectUnauthenticated(response, what);
    }
    const after = await harness.get<Initiative>(`/v1/initiatives/${existing.id}`, who.viewer);
    expect(after.body.version).toBe(existing.version);
    expect(after.body.reviews.every((r) => r.status === 'pending')).toBe(true);
    expect(await historyOf(harness, existing.id, who.viewer)).toHaveLength(1);
  });

  it('401 wins over 415 and 400 on create, and nothing is created', async () => {
    const notJson = await harness.request('POST', '/v1/initiatives', {
      body: 'title=x',
      headers: { 'content-type': 'text/plain' },
    });
    expectUnauthenticated(notJson, 'text/plain without token');
    const invalid = await harness.request('POST', '/v1/initiatives', { body: { title: 1 } });
    expectUnauthenticated(invalid, 'invalid body without token');
    const badJson = await harness.request('POST', '/v1/initiatives', {
      token: 'x.y.z',
      body: '{"title": ',
    });
    expectUnauthenticated(badJson, 'broken JSON with a broken token');
    const list = await harness.get<{ items: Initiative[] }>('/v1/initiatives', who.viewer);
    expect(list.body.items.map((i) => i.id)).toEqual([existing.id]);
  });

  it('a token that was accepted before is refused once it expires (verified tokens are remembered)', async () => {
    const shortLived = await sign(claims({ exp: Math.floor(Date.now() / 1000) + 2 }));
    const path = `/v1/initiatives/${existing.id}`;
    expect((await harness.get(path, shortLived)).status).toBe(200);
    expect((await harness.get(path, shortLived)).status).toBe(200);
    const refused = await eventually(
      () => harness.get<{ detail: string }>(path, shortLived),
      (response) => response.status !== 200,
      { what: 'the token to expire', intervalMs: 250 },
    );
    expectUnauthenticated(refused, 'expired after use');
    expect(refused.body.detail).toMatch(/expired/);
  });

  it('the health endpoints need no token', async () => {
    expect((await harness.get('/healthz')).status).toBe(200);
  });
});
