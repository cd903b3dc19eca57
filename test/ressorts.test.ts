/**
 * The Ressorts as data (GET /v1/ressorts) and the token's `ressort` claim: a key of the token's own Land,
 * else 401; development tokens refuse an unknown one with 400.
 */
import { describe, expect, it } from 'vitest';
import { RESSORTS, findRessort } from '../workflows/ressorts.js';
import { TEST_SECRET, signJwt, token, useHarness } from './kit/index.js';

const harness = useHarness();

interface RessortItem {
  land: string;
  key: string;
  name: string;
  kind: string;
  active: boolean;
  source: string;
  provisional: boolean;
}

const claims = (ressort: unknown, land = 'BY') => ({
  sub: 'p-by',
  name: 'A. Huber',
  land,
  roles: ['proposer'],
  ressort,
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 3600,
});

describe('GET /v1/ressorts', () => {
  it("lists BY's and NW's Ressorts, each with a source; other Länder have none", async () => {
    const viewer = await token({ sub: 'v', land: 'HE', roles: ['viewer'] });
    const all = await harness.get<{ items: RessortItem[] }>('/v1/ressorts', viewer);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(RESSORTS.length);
    expect(new Set(all.body.items.map((r) => r.land))).toEqual(new Set(['BY', 'NW']));
    for (const r of all.body.items) expect(new URL(r.source).protocol).toBe('https:');
    const by = await harness.get<{ items: RessortItem[] }>('/v1/ressorts?land=BY', viewer);
    expect(by.body.items.map((r) => r.key)).toContain('StMD');
    expect(by.body.items[0]).toMatchObject({ key: 'StK', kind: 'state_chancellery', active: true });
    expect(by.body.items.every((r) => r.land === 'BY')).toBe(true);
    const nw = await harness.get<{ items: RessortItem[] }>('/v1/ressorts?land=NW', viewer);
    expect(nw.body.items.find((r) => r.key === 'MWIKE')?.name).toMatch(/Wirtschaft, Industrie, Klimaschutz/);
    const he = await harness.get<{ items: RessortItem[] }>('/v1/ressorts?land=HE', viewer);
    expect(he.body.items).toEqual([]);
  });

  it('an unknown Land → 400; no token → 401', async () => {
    const viewer = await token({ sub: 'v', land: 'HE', roles: ['viewer'] });
    expect((await harness.get('/v1/ressorts?land=XX', viewer)).status).toBe(400);
    expect((await harness.get('/v1/ressorts')).status).toBe(401);
  });
});

describe('the ressort claim', () => {
  it("a key of the token's Land signs in and is shown by /v1/me", async () => {
    const me = await harness.get<{ ressort?: string }>(
      '/v1/me',
      await token({ sub: 'p', land: 'BY', roles: ['proposer'], ressort: 'StMD' }),
    );
    expect(me.status).toBe(200);
    expect(me.body.ressort).toBe('StMD');
    const without = await harness.get<{ ressort?: string }>(
      '/v1/me',
      await token({ sub: 'p', land: 'BY', roles: ['proposer'] }),
    );
    expect(without.body).not.toHaveProperty('ressort');
  });

  it("an unknown key, another Land's key, a Land without Ressorts or a non-string → 401", async () => {
    expect(findRessort('NW', 'MWIKE')).toBeDefined();
    for (const [what, payload] of [
      ['unknown key', claims('StMX')],
      ["NW's key on a BY token", claims('MWIKE')],
      ['wrong case', claims('stmd')],
      ['a Land without Ressorts', claims('StMD', 'HE')],
      ['a number', claims(7)],
      ['a list', claims(['StMD'])],
    ] as const) {
      const jwt = await signJwt(payload, TEST_SECRET, { header: { alg: 'HS256', typ: 'JWT' } });
      const response = await harness.get<{ detail: string }>('/v1/me', jwt);
      expect(response.status, what).toBe(401);
      expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
      expect(response.body.detail, what).toMatch(/ressort/i);
    }
  });

  it('development tokens carry a known Ressort and refuse an unknown one with 400', async () => {
    const minted = await harness.request<{ token: string; principal: { ressort?: string } }>(
      'POST',
      '/v1/dev/token',
      { body: { name: 'B. Schulz', land: 'NW', roles: ['reviewer'], ressort: 'MWIKE' } },
    );
    expect(minted.status).toBe(200);
    expect(minted.body.principal.ressort).toBe('MWIKE');
    const me = await harness.get<{ ressort?: string; land: string }>('/v1/me', minted.body.token);
    expect(me.body).toMatchObject({ land: 'NW', ressort: 'MWIKE' });
    const refused = await harness.request<{ errors: { path: string }[] }>('POST', '/v1/dev/token', {
      body: { name: 'B. Schulz', land: 'NW', roles: ['reviewer'], ressort: 'StMD' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]?.path).toBe('body/ressort');
  });
});
