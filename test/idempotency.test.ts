/**
 * Idempotency-Key on create and on commands: a retry with the same key and body returns the original
 * answer and changes nothing; a different body → 422; keys are scoped per caller and path.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { historyOf, newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who, flow } = harness;

const key = () => ({ 'idempotency-key': randomUUID() });
const allIds = async () =>
  (await harness.get<{ items: Initiative[] }>('/v1/initiatives?limit=100', who.viewer)).body.items.map(
    (i) => i.id,
  );

async function create(overrides: Record<string, unknown> = {}): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides));
  expect(response.status).toBe(201);
  return response.body;
}

describe('idempotent create', () => {
  it('the same key and body → the same initiative, created once', async () => {
    const before = await allIds();
    const headers = key();
    const body = newInitiative({ title: 'Digitale Schulbücher', topic: 'education' });
    const first = await harness.post('/v1/initiatives', who.proposerBY, body, headers);
    expect(first.status).toBe(201);
    const second = await harness.post('/v1/initiatives', who.proposerBY, body, headers);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.version).toBe(first.body.version);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('location')).toBe(`/v1/initiatives/${first.body.id}`);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));

    const after = await allIds();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((id) => id === first.body.id)).toHaveLength(1);
    expect(await historyOf(harness, first.body.id, who.viewer)).toHaveLength(1);
  });

  it('the same key with a different body → 422, nothing created', async () => {
    const headers = key();
    const first = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(), headers);
    expect(first.status).toBe(201);
    const before = await allIds();
    const other = await harness.post(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ title: 'Etwas anderes' }),
      headers,
    );
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ status: 422 });
    expect(await allIds()).toEqual(before);
    // the original answer is still there for a faithful retry
    const retry = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(), headers);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
  });

  it('keys are scoped per caller: the same key from another proposer creates another initiative', async () => {
    const headers = key();
    const by = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(), headers);
    const nw = await harness.post('/v1/initiatives', who.proposerNW, newInitiative(), headers);
    expect(by.status).toBe(201);
    expect(nw.status).toBe(201);
    expect(nw.body.id).not.toBe(by.body.id);
    expect(nw.body.leadLand).toBe('NW');
  });

  it('simultaneous requests with the same key create one initiative', async () => {
    const before = await allIds();
    const headers = key();
    const body = newInitiative({ title: 'Gleichzeitig gesendet' });
    const responses = await Promise.all(
      [0, 1, 2].map(() => harness.post('/v1/initiatives', who.proposerBY, body, headers)),
    );
    const statuses = responses.map((r) => r.status);
    for (const status of statuses) expect([201, 409]).toContain(status);
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    // after the dust settles, a retry gets the one initiative
    const retry = await harness.post('/v1/initiatives', who.proposerBY, body, headers);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(created[0]?.body.id);
    expect(await allIds()).toHaveLength(before.length + 1);
  });
});

describe('idempotent commands', () => {
  it('a retried review returns the original 200 although deciding again would be 409', async () => {
    const { id } = await create();
    const headers = key();
    const first = await flow.post(id, '/reviews', who.reviewerNW, { decision: 'approve' }, headers);
    expect(first.status).toBe(200);
    const retry = await flow.post(id, '/reviews', who.reviewerNW, { decision: 'approve' }, headers);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('etag')).toBe(`"${first.body.version}"`);
    // without the key, the same decision is a conflict
    const again = await flow.post(id, '/reviews', who.reviewerNW, {
      decision: 'approve',
    });
    expect(again.status).toBe(409);

    const history = await historyOf(harness, id, who.viewer);
    expect(history.filter((e) => e.type === 'review_decided')).toHaveLength(1);
    const current = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
    expect(current.body.version).toBe(first.body.version);
  });

  it('the retry still answers 200 after the initiative moved on', async () => {
    const { id } = await create();
    const headers = key();
    const first = await flow.post(id, '/reviews', who.reviewerNW, { decision: 'approve' }, headers);
    const adopted = await flow.post(id, '/reviews', who.reviewerBY, {
      decision: 'approve',
    });
    expect(adopted.body.phase).toBe('adopted');
    const retry = await flow.post(id, '/reviews', who.reviewerNW, { decision: 'approve' }, headers);
    expect(retry.status).toBe(200);
    expect(retry.body.phase).toBe('review');
    expect(retry.body.version).toBe(first.body.version);
  });

  it('the same key with a different body → 422 and no change', async () => {
    const { id } = await create();
    const headers = key();
    const changes = (comment: string) =>
      flow.post(id, '/reviews', who.reviewerBY, { decision: 'request_changes', comment }, headers);
    const first = await changes('Bitte Kosten.');
    expect(first.status).toBe(200);
    const other = await changes('Bitte Zeitplan.');
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const current = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
    expect(current.body.version).toBe(first.body.version);
    expect(current.body.reviews.find((r) => r.land === 'BY')?.comment).toBe('Bitte Kosten.');
  });

  it('a refusal is an answer too: the retry of a 409 gets the same 409', async () => {
    const { id } = await create();
    await flow.post(id, '/withdrawal', who.proposerBY, { reason: 'Erledigt.' });
    const headers = key();
    const first = await flow.post(id, '/reviews', who.reviewerNW, { decision: 'approve' }, headers);
    expect(first.status).toBe(409);
    const retry = await flow.post(id, '/reviews', who.reviewerNW, { decision: 'approve' }, headers);
    expect(retry.status).toBe(409);
    expect(retry.body).toEqual(first.body);
  });

  it('withdrawal and revision retried with their keys happen once', async () => {
    const { id } = await create();
    await flow.post(id, '/reviews', who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte ergänzen.',
    });
    await flow.post(id, '/reviews', who.reviewerBY, { decision: 'approve' });
    const reviseKey = key();
    const revision = { summary: 'Ergänzt.', comment: 'Wie erbeten.' };
    const revised = await flow.post(id, '/revisions', who.proposerBY, revision, reviseKey);
    expect(revised.status).toBe(200);
    expect(revised.body.revision).toBe(2);
    const revisedAgain = await flow.post(id, '/revisions', who.proposerBY, revision, reviseKey);
    expect(revisedAgain.status).toBe(200);
    expect(revisedAgain.body.revision).toBe(2);
    expect(revisedAgain.body.version).toBe(revised.body.version);

    const withdrawKey = key();
    const withdrawn = await flow.post(id, '/withdrawal', who.proposerBY, { reason: 'Ende.' }, withdrawKey);
    const withdrawnAgain = await flow.post(
      id,
      '/withdrawal',
      who.proposerBY,
      { reason: 'Ende.' },
      withdrawKey,
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawnAgain.status).toBe(200);
    expect(withdrawnAgain.body).toEqual(withdrawn.body);
    const types = (await historyOf(harness, id, who.viewer)).map((e) => e.type);
    expect(types.filter((t) => t === 'revision_submitted')).toHaveLength(1);
    expect(types.filter((t) => t === 'withdrawn')).toHaveLength(1);
  });

  it('keys are scoped per path: the same key on another initiative is a new command', async () => {
    const [a, b] = await Promise.all([create(), create()]);
    const headers = key();
    const onA = await harness.post(
      `/v1/initiatives/${a.id}/reviews`,
      who.reviewerNW,
      { decision: 'approve' },
      headers,
    );
    const onB = await harness.post(
      `/v1/initiatives/${b.id}/reviews`,
      who.reviewerNW,
      { decision: 'approve' },
      headers,
    );
    expect(onA.status).toBe(200);
    expect(onB.status).toBe(200);
    expect(onB.body.id).toBe(b.id);
    expect(onB.body.reviews.find((r) => r.land === 'NW')?.status).toBe('approved');
  });

  it('a malformed key → 400', async () => {
    const { id } = await create();
    const response = await flow.post(
      id,
      '/reviews',
      who.reviewerNW,
      { decision: 'approve' },
      { 'idempotency-key': 'x'.repeat(201) },
    );
    expect(response.status).toBe(400);
    const current = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
    expect(current.body.version).toBe(1);
  });
});
