/**
 * ETag / If-None-Match (304) on an initiative and on the list, and read-your-writes: a GET right after
 * every command shows the command's version or a newer one.
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import postgres from 'postgres';
import { eventually, newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

interface List {
  items: Initiative[];
  nextCursor: string | null;
}

async function create(overrides: Record<string, unknown> = {}): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides));
  expect(response.status).toBe(201);
  expect(response.headers.get('etag')).toBe(`"${response.body.version}"`);
  return response.body;
}

describe('ETag and 304', () => {
  it('GET of an initiative: ETag is the version; If-None-Match → 304 until it changes', async () => {
    const created = await create();
    const path = `/v1/initiatives/${created.id}`;
    const first = await harness.get<Initiative>(path, who.viewer);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toBe(`"${created.version}"`);

    const notModified = await harness.get(path, who.viewer, { 'if-none-match': etag ?? '' });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeUndefined();
    // no body and so no length (a serialised `null` once announced four bytes that never came)
    expect(notModified.headers.get('content-length')).toBeNull();
    expect(notModified.headers.get('etag')).toBe(etag);
    // a list of tags, a weak form and `*` match too; another version does not
    expect((await harness.get(path, who.viewer, { 'if-none-match': `"999", ${etag}` })).status).toBe(304);
    expect((await harness.get(path, who.viewer, { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await harness.get(path, who.viewer, { 'if-none-match': '*' })).status).toBe(304);
    expect((await harness.get(path, who.viewer, { 'if-none-match': '"999"' })).status).toBe(200);

    const decided = await harness.post(`${path}/reviews`, who.reviewerNW, { decision: 'approve' });
    expect(decided.status).toBe(200);
    expect(decided.headers.get('etag')).toBe(`"${decided.body.version}"`);
    const changed = await harness.get<Initiative>(path, who.viewer, { 'if-none-match': etag ?? '' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe(`"${decided.body.version}"`);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.body.reviews.find((r) => r.land === 'NW')?.status).toBe('approved');
  });

  it('an unreadable initiative answers 404 even with a matching If-None-Match', async () => {
    const created = await create();
    const response = await harness.get(`/v1/initiatives/${created.id}`, who.reviewerHE, {
      'if-none-match': `"${created.version}"`,
    });
    expect(response.status).toBe(404);
  });

  it('GET of the list: ETag; If-None-Match → 304 until an item changes or is added', async () => {
    const a = await create({ topic: 'mobility' });
    const path = '/v1/initiatives?topic=mobility';
    const first = await harness.get<List>(path, who.viewer);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i) => i.id)).toEqual([a.id]);
    const etag = first.headers.get('etag');
    expect(etag).toEqual(expect.any(String));

    const notModified = await harness.get(path, who.viewer, { 'if-none-match': etag ?? '' });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeUndefined();
    expect(notModified.headers.get('content-length')).toBeNull();

    // an item changes
    await harness.post(`/v1/initiatives/${a.id}/reviews`, who.reviewerBY, { decision: 'approve' });
    const afterChange = await harness.get<List>(path, who.viewer, { 'if-none-match': etag ?? '' });
    expect(afterChange.status).toBe(200);
    const etag2 = afterChange.headers.get('etag');
    expect(etag2).not.toBe(etag);
    expect((await harness.get(path, who.viewer, { 'if-none-match': etag2 ?? '' })).status).toBe(304);

    // an item is added
    const b = await create({ topic: 'mobility' });
    const afterAdd = await harness.get<List>(path, who.viewer, { 'if-none-match': etag2 ?? '' });
    expect(afterAdd.status).toBe(200);
    expect(afterAdd.body.items.map((i) => i.id)).toEqual([b.id, a.id]);
    expect(afterAdd.headers.get('etag')).not.toBe(etag2);

    // a change to an initiative outside the filter leaves the tag alone
    const other = await create({ topic: 'ehealth' });
    const etag3 = afterAdd.headers.get('etag') ?? '';
    await harness.post(`/v1/initiatives/${other.id}/reviews`, who.reviewerBY, { decision: 'approve' });
    expect((await harness.get(path, who.viewer, { 'if-none-match': etag3 })).status).toBe(304);
  });
});

describe('read-your-writes', () => {
  it('a GET right after each command shows the same or a newer version', async () => {
    const check = async (response: { status: number; body: Initiative }) => {
      expect(response.status).toBe(200);
      const read = await harness.get<Initiative>(`/v1/initiatives/${response.body.id}`, who.viewer);
      expect(read.body.version).toBeGreaterThanOrEqual(response.body.version);
      expect(read.body.phase).toBe(response.body.phase);
      const listed = await harness.get<List>('/v1/initiatives?limit=100', who.viewer);
      const item = listed.body.items.find((i) => i.id === response.body.id);
      expect(item?.version).toBeGreaterThanOrEqual(response.body.version);
      return response.body;
    };

    const created = await harness.post('/v1/initiatives', who.proposerNW, newInitiative());
    expect(created.status).toBe(201);
    const read = await harness.get<Initiative>(`/v1/initiatives/${created.body.id}`, who.viewer);
    expect(read.status).toBe(200);
    expect(read.body.version).toBeGreaterThanOrEqual(created.body.version);
    const { id } = created.body;

    const versions = [created.body.version];
    const path = `/v1/initiatives/${id}`;
    for (const step of [
      () =>
        harness.post(`${path}/reviews`, who.reviewerBY, { decision: 'request_changes', comment: 'Mehr.' }),
      () => harness.post(`${path}/reviews`, who.reviewerNW, { decision: 'approve' }),
      () => harness.post(`${path}/revisions`, who.proposerNW, { comment: 'Mehr geliefert.' }),
      () => harness.post(`${path}/reviews`, who.reviewerNW, { decision: 'approve' }),
      () => harness.post(`${path}/withdrawal`, who.proposerNW, { reason: 'Doch nicht.' }),
    ]) {
      const body = await check(await step());
      versions.push(body.version);
    }
    // every command moved the version forward
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1] ?? 0);
    const final = await harness.get<Initiative>(path, who.viewer);
    expect(final.body.phase).toBe('withdrawn');
    expect(final.body.version).toBe(versions.at(-1));
  });
});

describe('status polls served from memory (api/initiative-cache.ts)', () => {
  it('a lost notification connection is noticed: no stale read around it, and it resubscribes', async () => {
    const created = await create();
    const path = `/v1/initiatives/${created.id}`;
    const sql = postgres(harness.databaseUrl, { max: 1, onnotice: () => undefined });
    const listeners = () =>
      sql`select pid from pg_stat_activity
          where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`;
    try {
      expect((await harness.get<Initiative>(path, who.viewer)).body.version).toBe(created.version);
      const [listener] = await listeners();
      expect(listener).toBeDefined();
      await sql`select pg_terminate_backend(${listener?.pid as number})`;

      // The change's notification may go nowhere: the cached copy must not outlive it.
      const decided = await harness.post(`${path}/reviews`, who.reviewerNW, { decision: 'approve' });
      expect(decided.status).toBe(200);
      expect((await harness.get<Initiative>(path, who.viewer)).body.version).toBe(decided.body.version);

      const [again] = await eventually(listeners, (rows) => rows.length === 1, {
        what: 'a new LISTEN connection',
      });
      expect(again?.pid).not.toBe(listener?.pid);
      // and changes invalidate again once it is back
      await harness.get(path, who.viewer);
      const adopted = await harness.post(`${path}/reviews`, who.reviewerBY, { decision: 'approve' });
      expect(adopted.status, JSON.stringify(adopted.body)).toBe(200);
      const read = await harness.get<Initiative>(path, who.viewer);
      expect(read.body.version).toBe(adopted.body.version);
      expect(read.body.phase).toBe('adopted');
    } finally {
      await sql.end();
    }
  });

  it('visibility is checked on every read, not remembered per caller', async () => {
    const created = await create();
    const path = `/v1/initiatives/${created.id}`;
    expect((await harness.get(path, who.viewer)).status).toBe(200);
    // cached now; a Land that takes no part still gets 404, the partner still 200
    expect((await harness.get(path, who.reviewerHE)).status).toBe(404);
    expect((await harness.get(path, who.reviewerNW)).status).toBe(200);
  });
});
